// Verification evidence (SPEC 3): lines in verification files that name requirement IDs after `@verifies`,
// in any comment syntax: `// @verifies REQ-012`, `# @verifies REQ-012, REQ-013`, `* @verifies: REQ-1 REQ-2`.
// Every ID with a configured prefix after the tag, up to the end of the line, counts.
// Scanning jumps from tag to tag with indexOf and counts newlines on the way: files are never split into
// lines, and each line is matched once, so the cost is linear in the text whatever it contains.
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { idPattern } from "./ids.js";
import { idSuggester } from "./validate.js";

export interface EvidenceRef {
  id: string;
  /** Repository-relative path with forward slashes. */
  file: string;
  /** 1-based line of the `@verifies` tag. */
  line: number;
}

export const VERIFIES_TAG = "@verifies";
/** Implementation evidence in source code (OpenFastTrace's `impl` coverage): `// @implements REQ-012`. */
export const IMPLEMENTS_TAG = "@implements";

/**
 * The IDs after each tag. `ignored`, when given, receives the lines of tags that name no ID with a
 * configured prefix (`@verifies req-1`, `@verifies FOO-1`, an ID too long): evidence that counts for nothing.
 */
export function scanEvidence(file: string, text: string, prefixes: ReadonlySet<string>, tag: string = VERIFIES_TAG, ignored?: number[]): EvidenceRef[] {
  const TAG = tag;
  const refs: EvidenceRef[] = [];
  if (prefixes.size === 0) return refs;
  const pattern = idPattern(prefixes);
  let line = 1;
  let counted = 0; // newlines before this offset are already in `line`
  let at = text.indexOf(TAG);
  while (at !== -1) {
    const end = at + TAG.length;
    if (!isTag(text, at, end)) {
      at = text.indexOf(TAG, end);
      continue;
    }
    for (let nl = text.indexOf("\n", counted); nl !== -1 && nl < at; nl = text.indexOf("\n", nl + 1)) line++;
    const lineEnd = text.indexOf("\n", end);
    const stop = lineEnd === -1 ? text.length : lineEnd;
    counted = stop;
    // The rest of the line, sliced: the `g` pattern must not run on past it into the rest of the file.
    // A second tag on the same line adds nothing: its IDs are on this rest of the line already.
    const rest = text.slice(end, stop);
    const seen = new Set<string>();
    for (let match = pattern.exec(rest); match !== null; match = pattern.exec(rest)) {
      if (seen.has(match[0])) continue;
      seen.add(match[0]);
      refs.push({ id: match[0], file, line });
    }
    if (seen.size === 0) ignored?.push(line);
    at = lineEnd === -1 ? -1 : text.indexOf(TAG, lineEnd);
  }
  return refs;
}

/** A warning per `@verifies` line that names no requirement ID, so that it is not silently worth nothing. */
export function ignoredEvidenceDiagnostics(file: string, lines: readonly number[], prefixes: ReadonlySet<string>): Diagnostic[] {
  return lines.map((line) =>
    diagnostic({ code: "ignored-evidence", severity: "warning", file, line, message: "this @verifies line names no requirement ID: it is ignored", hint: `name IDs like ${[...prefixes][0] ?? "REQ"}-001 after the tag (prefixes: ${[...prefixes].join(", ")})` }),
  );
}

/** The tag as a word of its own: not `x@verifies` (an address) nor `@verifiesAll`. */
function isTag(text: string, start: number, end: number): boolean {
  return !isWordChar(text.charCodeAt(start - 1)) && !isWordChar(text.charCodeAt(end)) && text.charCodeAt(end) !== 0x2d; // "-"
}

function isWordChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** Evidence by requirement ID, in the order given (callers pass files in a stable order). */
export function indexEvidence(refs: readonly EvidenceRef[]): Map<string, EvidenceRef[]> {
  const byId = new Map<string, EvidenceRef[]>();
  for (const ref of refs) {
    const list = byId.get(ref.id);
    if (list) list.push(ref);
    else byId.set(ref.id, [ref]);
  }
  return byId;
}

/**
 * Warnings for evidence that proves nothing: `@verifies` naming an unknown ID (with the closest known ID)
 * or a retired requirement. Evidence for a draft is fine: tests may be written before the baseline moves.
 */
export function evidenceDiagnostics(
  refs: readonly EvidenceRef[],
  byId: ReadonlyMap<string, { status: string; supersededBy?: string | undefined }>,
  tag: string = VERIFIES_TAG,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const suggest = idSuggester(byId);
  for (const ref of refs) {
    const requirement = byId.get(ref.id);
    if (requirement === undefined) {
      const near = suggest(ref.id);
      diagnostics.push(
        diagnostic({
          code: "unknown-evidence",
          severity: "warning",
          file: ref.file,
          line: ref.line,
          message: `${tag} names ${ref.id}, which is not a requirement`,
          hint: near !== undefined ? `did you mean ${near}?` : "correct the ID, or remove it from the line",
        }),
      );
    } else if (requirement.status === "retired") {
      diagnostics.push(
        diagnostic({
          code: "evidence-retired",
          severity: "warning",
          file: ref.file,
          line: ref.line,
          message: `${tag} names ${ref.id}, which is retired`,
          hint: requirement.supersededBy !== undefined ? `${ref.id} is superseded by ${requirement.supersededBy}: ${tag === VERIFIES_TAG ? "verify" : "name"} that instead` : `remove ${ref.id} from the line`,
        }),
      );
    }
  }
  return diagnostics;
}
