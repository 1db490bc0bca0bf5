// A diagnostic is how the engine reports a problem in a user's files: never an exception.
// `path` is the YAML path of the offending node (e.g. ["requirements", 2, "parents", 0]); positions are
// resolved from it only for the files that have diagnostics (see yaml.ts `locate`), which keeps the
// fast path free of position bookkeeping.

export type Severity = "error" | "warning";

export type YamlPath = ReadonlyArray<string | number>;

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. "unknown-parent", "duplicate-id". */
  code: string;
  /** Repository-relative path with forward slashes. */
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  /** What is wrong, in a sentence a person can act on. */
  message: string;
  /** How to fix it ("did you mean REQ-099?"). */
  hint?: string;
  /** Where in the YAML document, used to resolve line/column lazily. */
  path?: YamlPath;
  /** Other places involved (the first definition of a duplicate ID, the members of a cycle). */
  related?: Array<{ file: string; line: number; column: number; path?: YamlPath }>;
}

export function diagnostic(
  d: Omit<Diagnostic, "line" | "column" | "severity"> & Partial<Pick<Diagnostic, "line" | "column" | "severity">>,
): Diagnostic {
  return { severity: "error", line: 0, column: 0, ...d };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order for output: by file, then line, column, code, message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

/** `file:line:col: severity: message (hint)` — the format of compilers, editors and TRLC. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column || 1}` : d.file;
  const hint = d.hint ? ` (${d.hint})` : "";
  return `${where}: ${d.severity}: ${d.message}${hint}`;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
