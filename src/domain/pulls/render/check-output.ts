// The shape and limits of a check run's output (GitHub REST "Create a check run"): summary and text at
// most 65,535 characters each, annotations at most 50 per request, an annotation's message at most 64 KB.
// Nothing here knows about requirements; the two check renderers build on it.
import type { Diagnostic } from "../../core/diagnostic.js";
import { formatDiagnostic, sortDiagnostics } from "../../core/diagnostic.js";

export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;
/** Undocumented by GitHub for titles; kept short so they read in one line. */
export const MAX_TITLE_CHARS = 255;

export type CheckConclusion = "success" | "failure" | "neutral" | "action_required";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title: string;
}

/** A button on the check run (`actions`): label ≤ 20, description ≤ 40, identifier ≤ 20 characters. */
export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

/** The check run body the App sends, minus `name`, `head_sha`, `details_url` and `external_id`. */
export interface CheckRunResult {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
  actions: CheckAction[];
}

/** Annotations per file and in all: one check-run write carries them all, whatever the change holds. */
export const MAX_ANNOTATIONS_PER_FILE = 10;
export const MAX_ANNOTATIONS = MAX_ANNOTATIONS_PER_REQUEST;

/**
 * One annotation per diagnostic with a file, in stable order. A problem with the file as a whole goes on
 * line 1 (GitHub requires a line ≥ 1). Annotations are plain text, not Markdown: nothing is escaped.
 * Bounded: at most MAX_ANNOTATIONS_PER_FILE per file and MAX_ANNOTATIONS in all, the rest summarised in
 * a notice with counts where the cut is (52,000 findings once cost ~1,050 writes per push).
 */
export function toAnnotations(diagnostics: readonly Diagnostic[]): Annotation[] {
  const perFile: Annotation[] = [];
  let file = "";
  let inFile = 0;
  let omittedInFile = 0;
  let firstOmitted: Diagnostic | undefined;
  const closeFile = () => {
    if (omittedInFile > 0) perFile.push(notice(firstOmitted!, `and ${omittedInFile} more ${omittedInFile === 1 ? "finding" : "findings"} in this file, not shown as annotations; run \`reqgate check\` to see them all`));
    inFile = 0;
    omittedInFile = 0;
  };
  for (const d of sortDiagnostics(diagnostics)) {
    if (d.file === "") continue;
    if (d.file !== file) {
      closeFile();
      file = d.file;
    }
    if (inFile < MAX_ANNOTATIONS_PER_FILE) {
      perFile.push(annotation(d));
      inFile++;
    } else {
      if (omittedInFile === 0) firstOmitted = d;
      omittedInFile++;
    }
  }
  closeFile();
  if (perFile.length <= MAX_ANNOTATIONS) return perFile;
  const kept = perFile.slice(0, MAX_ANNOTATIONS - 1);
  const rest = perFile.slice(MAX_ANNOTATIONS - 1);
  const files = new Set(rest.map((a) => a.path)).size;
  const first = rest[0]!;
  kept.push({ ...first, annotation_level: "notice", title: "reqgate: more findings", message: `and ${rest.length} more annotations in ${files} ${files === 1 ? "file" : "files"}, not shown; run \`reqgate check\` to see them all` });
  return kept;
}

function annotation(d: Diagnostic): Annotation {
  const line = Math.max(1, d.line);
  return {
    path: d.file,
    start_line: line,
    end_line: line,
    annotation_level: d.severity === "error" ? "failure" : "warning",
    message: truncateBytes(formatDiagnostic(d), MAX_ANNOTATION_MESSAGE_BYTES),
    title: truncateChars(`reqgate: ${d.code}`, MAX_TITLE_CHARS),
  };
}

function notice(at: Diagnostic, message: string): Annotation {
  const line = Math.max(1, at.line);
  return { path: at.file, start_line: line, end_line: line, annotation_level: "notice", message, title: "reqgate: more findings" };
}

/** Annotations in requests of at most `size` (GitHub takes 50 per create/update). No annotations: no batches. */
export function batchAnnotations<T>(annotations: readonly T[], size = MAX_ANNOTATIONS_PER_REQUEST): T[][] {
  const step = Math.max(1, Math.floor(size));
  const batches: T[][] = [];
  for (let i = 0; i < annotations.length; i += step) batches.push(annotations.slice(i, i + step));
  return batches;
}

/** At most `max` UTF-8 bytes, cut at a character boundary, an ellipsis marking the cut. */
export function truncateBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= max) return text;
  let bytes = 3; // the ellipsis
  let out = "";
  for (const ch of text) {
    const size = encoder.encode(ch).length;
    if (bytes + size > max) break;
    bytes += size;
    out += ch;
  }
  return out + "…";
}

/** At most `max` UTF-16 units (what GitHub's limits count, at worst), cut at a character boundary. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return out + "…";
}

/**
 * Appends `items` to `head` while the whole, with `note(omitted)` and `tail`, fits in `limit`.
 * Returns the text and how many items did not fit. Items are joined by newlines.
 */
export function fitItems(
  head: string,
  items: readonly string[],
  limit: number,
  note: (omitted: number) => string,
  tail = "",
): { text: string; omitted: number } {
  const reserve = note(items.length).length + tail.length + 2;
  let text = head;
  let used = 0;
  for (const item of items) {
    if (text.length + item.length + 1 + reserve > limit) break;
    text += (text === "" ? "" : "\n") + item;
    used++;
  }
  const omitted = items.length - used;
  if (omitted > 0) text += "\n" + note(omitted);
  text += tail;
  return { text: clampMarkdown(text, limit), omitted };
}

/** A last guard: never over `limit`; cut at the last line break that fits. */
export function clampMarkdown(text: string, limit = MAX_OUTPUT_CHARS): string {
  if (text.length <= limit) return text;
  const note = "\n\n… (cut to fit GitHub's size limit)";
  let cut = text.lastIndexOf("\n", limit - note.length);
  if (cut <= 0) cut = limit - note.length;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return text.slice(0, cut) + note;
}

/**
 * A fenced code block: GitHub renders no mentions, references, Markdown or HTML inside it. The fence is
 * longer than any backtick run in the text, so the text cannot close it, and `<!--` gets a joiner, so
 * the raw output never holds an HTML comment (a hidden marker) that the text wrote.
 */
export function codeBlock(text: string, info = ""): string {
  const clean = text
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/<!--/g, "<!\u200d--");
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${clean}\n${fence}`;
}
