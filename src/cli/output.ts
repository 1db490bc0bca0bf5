// How the CLI shows diagnostics: for people (`file:line:col: severity: message (hint)`, colour on a
// terminal), for tools (`--format json`), and for GitHub Actions (workflow commands that become
// annotations). Functions here return strings; the command decides where they go.
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "../domain/core/diagnostic.js";

export const OUTPUT_FORMATS = ["text", "json", "github"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export type Env = Readonly<Record<string, string | undefined>>;

export interface Summary {
  errors: number;
  warnings: number;
  /** Distinct files with at least one diagnostic. */
  files: number;
}

/** `--format` wins; otherwise annotations inside GitHub Actions, text elsewhere. */
export function chooseFormat(requested: OutputFormat | undefined, env: Env): OutputFormat {
  if (requested) return requested;
  return env.GITHUB_ACTIONS === "true" ? "github" : "text";
}

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR forces it. */
export function useColor(stream: { isTTY?: boolean }, env: Env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

export function summarize(diagnostics: readonly Diagnostic[]): Summary {
  let errors = 0;
  let warnings = 0;
  const files = new Set<string>();
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else warnings++;
    files.add(d.file);
  }
  return { errors, warnings, files: files.size };
}

/** "2 errors, 1 warning in 3 files", or "no problems found". */
export function formatSummary(summary: Summary): string {
  if (summary.errors === 0 && summary.warnings === 0) return "no problems found";
  const parts: string[] = [];
  if (summary.errors > 0) parts.push(plural(summary.errors, "error"));
  if (summary.warnings > 0) parts.push(plural(summary.warnings, "warning"));
  return `${parts.join(", ")} in ${plural(summary.files, "file")}`;
}

/** Every format in one place: what `check` prints on stdout. Ends with a newline. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, options: { color?: boolean } = {}): string {
  if (format === "json") return formatJson(diagnostics);
  if (format === "github") return formatGithub(diagnostics);
  return formatText(diagnostics, options.color ?? false);
}

const STYLE = {
  bold: ["\x1b[1m", "\x1b[22m"],
  dim: ["\x1b[2m", "\x1b[22m"],
  red: ["\x1b[31m", "\x1b[39m"],
  yellow: ["\x1b[33m", "\x1b[39m"],
  green: ["\x1b[32m", "\x1b[39m"],
} as const;

function paint(text: string, color: boolean, ...styles: Array<keyof typeof STYLE>): string {
  if (!color) return text;
  return styles.reduce((acc, s) => `${STYLE[s][0]}${acc}${STYLE[s][1]}`, text);
}

/** For people: one line per diagnostic (plus a `note:` line per related place), then the summary. */
export function formatText(diagnostics: readonly Diagnostic[], color = false): string {
  const lines: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    const safe = { ...d, file: printable(d.file), message: printable(d.message), ...(d.hint ? { hint: printable(d.hint) } : {}) };
    if (!color) {
      lines.push(formatDiagnostic(safe));
    } else {
      const where = safe.line > 0 ? `${safe.file}:${safe.line}:${safe.column || 1}` : safe.file;
      const severity = d.severity === "error" ? paint("error:", true, "red", "bold") : paint("warning:", true, "yellow", "bold");
      const hint = safe.hint ? ` ${paint(`(${safe.hint})`, true, "dim")}` : "";
      lines.push(`${paint(`${where}:`, true, "bold")} ${severity} ${safe.message}${hint}`);
    }
    for (const r of d.related ?? []) {
      const where = r.line > 0 ? `${printable(r.file)}:${r.line}:${r.column || 1}` : printable(r.file);
      lines.push(`  ${where}: ${paint("note:", color, "dim")} related location`);
    }
  }
  const summary = summarize(diagnostics);
  const text = formatSummary(summary);
  if (lines.length > 0) lines.push("");
  lines.push(summary.errors > 0 ? paint(text, color, "red", "bold") : summary.warnings > 0 ? paint(text, color, "yellow") : paint(text, color, "green"));
  return `${lines.join("\n")}\n`;
}

/** A stable shape for tools: fixed key order, sorted diagnostics, no internal fields. */
export function toJsonDiagnostic(d: Diagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = {
    severity: d.severity,
    code: d.code,
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
  };
  if (d.hint) out.hint = d.hint;
  if (d.related?.length) out.related = d.related.map((r) => ({ file: r.file, line: r.line, column: r.column }));
  return out;
}

/** `{ diagnostics: [...], summary: { errors, warnings, files } }`, plus any `extra` top-level fields. */
/** The JSON envelope's version: it changes only when a field is removed or changes meaning. */
export const JSON_VERSION = 1;

export function formatJson(diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}, kind = "reqgate-check"): string {
  const body = { version: JSON_VERSION, kind, diagnostics: sortDiagnostics(diagnostics).map(toJsonDiagnostic), summary: summarize(diagnostics), ...extra };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * GitHub Actions workflow commands, one per diagnostic, then the summary as a plain line:
 * `::error file=…,line=…,col=…,title=…::message`.
 */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  const lines = sortDiagnostics(diagnostics).map((d) => {
    const props = [`file=${escapeProperty(printable(d.file))}`];
    if (d.line > 0) {
      props.push(`line=${d.line}`);
      if (d.column > 0) props.push(`col=${d.column}`);
    }
    props.push(`title=${escapeProperty(`reqgate ${d.code}`)}`);
    const message = d.hint ? `${d.message} (${d.hint})` : d.message;
    return `::${d.severity} ${props.join(",")}::${escapeData(printable(message, true))}`;
  });
  lines.push(formatSummary(summarize(diagnostics)));
  return `${lines.join("\n")}\n`;
}

/** Escaping of a workflow command's message, as GitHub's toolkit does it. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of a workflow command's property value: the message escapes plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * User text can reach these lines (IDs, file names): control characters are shown, not executed, so
 * that a crafted file cannot move the cursor or recolour the terminal. Line breaks stay when `keepBreaks`.
 */
export function printable(text: string, keepBreaks = false): string {
  let out = "";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    if (!control || (keepBreaks && (ch === "\n" || ch === "\r")) || ch === "\t") out += ch;
    else out += `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return out;
}

export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? "" : "s"}`;
}

/** 55000 -> "55,000": the same on every machine, whatever its locale. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export interface Progress {
  /** Shows `message` (e.g. "reading 55,000 files…"), at most every `intervalMs`. */
  update(message: string): void;
  /** Clears the line; call before printing results. */
  done(): void;
}

export interface ProgressOptions {
  now?: () => number;
  /** Nothing is shown before this much time has passed: short runs stay silent. */
  delayMs?: number;
  intervalMs?: number;
}

/** A one-line progress indicator on stderr, only on a terminal and never in CI (or tests, which have no TTY). */
export function createProgress(
  stream: { isTTY?: boolean; write(text: string): unknown },
  env: Env,
  options: ProgressOptions = {},
): Progress {
  const active = stream.isTTY === true && !env.CI && env.TERM !== "dumb";
  if (!active) return { update() {}, done() {} };
  const now = options.now ?? Date.now;
  const delayMs = options.delayMs ?? 300;
  const intervalMs = options.intervalMs ?? 100;
  const start = now();
  let last = -Infinity;
  let shown = false;
  return {
    update(message) {
      const t = now();
      if (t - start < delayMs || t - last < intervalMs) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[2K${printable(message)}`);
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
