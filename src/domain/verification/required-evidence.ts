// `verification.required` in the App's `reqgate/baseline` check (SPEC 1.4): the requirements a pull
// request touches whose verification method is demanded, judged over the evidence files of its head by
// the same engine as `reqgate check` (`scanEvidence`, `assessVerification`). Test results
// (`verification.results`) are the CLI's: the App has no JUnit files, so evidence here is a `@verifies`
// line or nothing.
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { MAX_EVIDENCE_BYTES } from "../core/limits.js";
import { indexEvidence, scanEvidence, type EvidenceRef } from "../requirements/evidence.js";
import type { Requirement, VerificationMethod } from "../requirements/requirement.js";
import { assessVerification } from "./verification.js";

export interface EvidenceFile {
  path: string;
  content: string | Uint8Array;
}

/** The evidence files of the head, or why they could not all be read (the check then fails closed). */
export type EvidenceRead = { files: readonly EvidenceFile[] } | { unreadable: string };

/**
 * `verification-missing` (an error) for each demanded requirement that no `@verifies` line of `read`
 * names; when the files could not be read, `verification-unchecked` (an error too) for each, with why.
 * `demanded` are requirements of the head (their origin places the annotation).
 */
export function requiredEvidenceFindings(demanded: readonly Requirement[], read: EvidenceRead, required: readonly VerificationMethod[], prefixes: ReadonlySet<string>): Diagnostic[] {
  if (demanded.length === 0) return [];
  if ("unreadable" in read) {
    return demanded.map((r) =>
      diagnostic({
        code: "verification-unchecked",
        file: r.origin.file,
        path: [...r.origin.path, "verification"],
        message: `${r.id} must be verified by ${r.verification} (verification.required); its evidence could not be searched: ${read.unreadable}`,
        hint: "run `reqgate check` in CI, which reads the whole checkout, or narrow verification.paths",
      }),
    );
  }
  const wanted = new Set(demanded.map((r) => r.id));
  const refs: EvidenceRef[] = [];
  for (const file of read.files) {
    const text = textOf(file.content);
    if (text === undefined) continue;
    for (const ref of scanEvidence(file.path, text, prefixes)) if (wanted.has(ref.id)) refs.push(ref);
  }
  const assessment = assessVerification({
    requirements: new Map(demanded.map((r) => [r.id, r])),
    baselined: wanted,
    evidence: indexEvidence(refs),
    cases: [],
    resultsConfigured: false,
    required,
    prefixes,
  });
  return assessment.diagnostics.filter((d) => d.code === "verification-missing");
}

/** As `reqgate check` reads evidence: bytes over the bound or with NUL are not text and name nothing. */
function textOf(content: string | Uint8Array): string | undefined {
  if (typeof content === "string") return content;
  if (content.byteLength > MAX_EVIDENCE_BYTES || content.includes(0)) return undefined;
  return new TextDecoder().decode(content);
}
