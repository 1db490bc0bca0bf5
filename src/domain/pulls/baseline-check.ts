// The `reqgate/baseline` check as data (SPEC 2.3 step 7): the change evaluation and the approvals in, the
// conclusion, the Approve button and the words (render/baseline-check.ts) out.
import type { ApprovalResult } from "../approvals/approvals.js";
import { ledgerMarker, type ApprovalLedger } from "../approvals/ledger.js";
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import { hasErrors, type Diagnostic } from "../core/diagnostic.js";
import { resolvePositions } from "../requirements/yaml.js";
import { claimsMarker, type CollisionFindings } from "./collisions.js";
import { renderBaselineCheck, type BaselineVerdict } from "./render/baseline-check.js";
import type { CheckConclusion, CheckRunResult } from "./render/check-output.js";

export interface BaselineCheckInput {
  evaluation: ChangeEvaluation;
  approvals: ApprovalResult;
  /** Problems in `.github/reqgate.yml`, positions already resolved by the caller. */
  configDiagnostics?: readonly Diagnostic[];
  /** Why the App could not read everything the change needs (over 3,000 files, an unreadable file). Fails closed. */
  incomplete?: readonly string[];
  /** The base branch, for the "run it locally" hint; "main" unless given. */
  baseBranch?: string;
  /** Comment subjects and button presses to carry to the next evaluation (approvals.ts `ApprovalLedger`). */
  ledger?: ApprovalLedger;
  /** `verification.required` findings for the changed requirements (placed with the evaluation's texts). */
  evidence?: readonly Diagnostic[];
  /** Colliding pull requests (SPEC 2.7): this pull request's claims (recorded in the run) and what collides with them. */
  collisions?: CollisionFindings;
}


export type { CollisionFindings } from "./collisions.js";
export type { BaselineVerdict } from "./render/baseline-check.js";

export interface BaselineCheck extends CheckRunResult {
  verdict: BaselineVerdict;
  /** What approvals made on this check run bind to: the App stores it as the run's `external_id`. */
  subject: string;
}

export const APPROVE_ACTION = { label: "Approve", description: "Approve this baseline change", identifier: "approve" } as const;

/**
 * The `reqgate/baseline` check result (SPEC 2.3 step 7). `failure` for violations: an incomplete
 * snapshot, configuration errors, validation errors (including uncovered changes), a stale or missing
 * lock, and a collision with another open pull request or with what the base branch gained since (SPEC 2.7). Otherwise `success` when nothing needs approval or every rule is met. While approvals are missing
 * the conclusion is `action_required` with an "Approve" button (a failing check never offers one): `neutral` would let a required check pass
 * branch protection (GitHub treats success, neutral and skipped as passing), and a run left `in_progress`
 * looks like a hung evaluator. GitHub asks for a `details_url` with `action_required`; the App sets it.
 */
/** The run's hidden records: the approval ledger first (where `ledgerFromSummary` looks), then the claims. */
function hidden(input: BaselineCheckInput): string | undefined {
  const records = [...(input.ledger ? [ledgerMarker(input.ledger)] : []), ...(input.collisions ? [claimsMarker(input.collisions.claims)] : [])];
  return records.length > 0 ? records.join("\n") : undefined;
}

export function evaluateBaselineCheck(input: BaselineCheckInput): BaselineCheck {
  const { evaluation, approvals } = input;
  const configDiagnostics = input.configDiagnostics ?? [];
  const diagnostics = resolvePositions([...evaluation.diagnostics, ...(input.evidence ?? [])], (file) => evaluation.texts.get(file));
  const incomplete = input.incomplete ?? [];
  const collided = (input.collisions?.collisions.length ?? 0) > 0 || (input.collisions?.moved.length ?? 0) > 0;
  const violated = collided || incomplete.length > 0 || hasErrors(configDiagnostics) || hasErrors(diagnostics) || evaluation.lock.state === "stale" || evaluation.lock.state === "missing";
  const needsApproval = evaluation.demands.length > 0;
  const verdict: BaselineVerdict = violated ? "failure" : !needsApproval ? "nothing-to-approve" : approvals.satisfied ? "approved" : "waiting";
  const conclusion: CheckConclusion = verdict === "failure" ? "failure" : verdict === "waiting" ? "action_required" : "success";
  const records = hidden(input);
  const rendered = renderBaselineCheck({
    verdict,
    evaluation,
    approvals,
    diagnostics: [...configDiagnostics, ...diagnostics],
    incomplete,
    baseBranch: input.baseBranch ?? "main",
    ...(records !== undefined ? { hidden: records } : {}),
    ...(input.collisions ? { collisions: input.collisions } : {}),
  });
  // Only a change that can merge once approved offers the button: approving content that fails anyway
  // would record an approval of something still wrong (SPEC 5).
  return { ...rendered, conclusion, verdict, subject: evaluation.subject, actions: verdict === "waiting" ? [{ ...APPROVE_ACTION }] : [] };
}
