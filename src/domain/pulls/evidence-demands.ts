// Which requirements of a pull request must show evidence (SPEC 1.4 `verification.required`, for "the
// requirements the change touches"): those whose baseline entry the change adds or changes, active at
// the head, with a verification method the configuration demands. A pull request that touches no such
// requirement reads no evidence at all.
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import type { Requirement, VerificationMethod } from "../requirements/requirement.js";

export function evidenceDemands(evaluation: ChangeEvaluation, required: readonly VerificationMethod[]): Requirement[] {
  if (required.length === 0) return [];
  const methods = new Set(required);
  const out: Requirement[] = [];
  for (const c of evaluation.changes) {
    const r = c.headRequirement;
    if (r === undefined || c.after === undefined || r.status !== "active") continue;
    if (r.verification !== undefined && methods.has(r.verification)) out.push(r);
  }
  return out;
}
