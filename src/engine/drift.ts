// Drift on the default branch (SPEC 2.5, second part): a push that changes requirement files without
// the lock `reqgate baseline` would write bypassed the gate, and gets a failing `reqgate/baseline` check
// on the pushed commit naming the requirements that drifted. The push is evaluated with the same
// `evaluateChange`, from the commit before the push to the commit after it; only the files the push
// changed are read. A push that touches no requirement file, change record or lock gets no check.
//
// The base of the comparison is kept in the run's external_id (`drift:<sha>`), so that a re-run
// requested on the run compares the same two commits again.
import { evaluateChange, type ChangeEvaluation } from "../domain/baseline/evaluate-change.js";
import { movedRequirements, type SuspectMark } from "../domain/suspect/suspect.js";
import { BASELINE_CHECK } from "../domain/pulls/check-names.js";
import { evaluateDriftCheck, type DriftCheck } from "../domain/pulls/drift.js";
import { planReads } from "../domain/pulls/pull-facts.js";
import type { Config } from "../domain/config/config.js";
import { classifier } from "../domain/config/paths.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { evaluateChangeBetween, touchesNothing } from "./change.js";
import type { ChangeSource, PushContext, PushPorts } from "./ports.js";

export interface DriftRequest {
  before: string;
  after: string;
  /** Where the check's "details" link points (the commit on GitHub). */
  detailsUrl: string;
  /** Paths the push touched according to its payload, to skip pushes that touch nothing of reqgate's without a request. */
  touched?: readonly string[];
  /** ISO time of the push (suspect marks record it); the commit's when unknown. */
  pushedAt?: string;
}

/** A published drift check, with the requirements the push moved (SPEC 2.5: their work becomes suspect). */
export interface DriftOutcome extends DriftCheck {
  moved: SuspectMark[];
  config: Config;
}

export const DRIFT_PREFIX = "drift:";

/** The base a drift run compared against, from its external_id. */
export function driftBase(externalId: string | undefined): string | undefined {
  if (externalId === undefined || !externalId.startsWith(DRIFT_PREFIX)) return undefined;
  const sha = externalId.slice(DRIFT_PREFIX.length);
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha) ? sha : undefined;
}

/** Evaluates the drift of a push and publishes it; undefined when the push changes nothing of reqgate's. */
export async function evaluateDriftNow(ports: PushPorts, request: DriftRequest): Promise<DriftOutcome | undefined> {
  const hint = ports.configHint();
  if (hint && request.touched && !request.touched.includes(CONFIG_PATH)) {
    const roles = classifier(hint);
    if (!request.touched.some((p) => p === roles.lockPath || roles.isRequirement(p) || roles.isChange(p))) return undefined;
  }
  return publishDrift(ports, await ports.readPushContext(request.after, request.before), request);
}

/**
 * A re-run requested on a drift run (check_run or check_suite `rerequested` on a commit of the default
 * branch): the same two commits again, the base taken from the run's external_id. Undefined when the
 * commit has no drift run of this App.
 */
export async function rerunDriftNow(ports: PushPorts, after: string, detailsUrl: string): Promise<DriftOutcome | undefined> {
  const context = await ports.readPushContext(after);
  const before = driftBase(context.headRuns.find((r) => r.name === BASELINE_CHECK)?.externalId);
  return before === undefined ? undefined : publishDrift(ports, context, { before, after, detailsUrl });
}

/** The base lock the context read, when it read it at the configured path. */
export function knownBaseLock(context: PushContext, config: Config): { oid: string } | null | undefined {
  return context.baseLock !== undefined && context.baseLockPath === classifier(config).lockPath ? context.baseLock : undefined;
}

async function publishDrift(ports: PushPorts, context: PushContext, request: DriftRequest): Promise<DriftOutcome | undefined> {
  const config = context.config.config;
  if (!config) {
    ports.log.info({ sha: request.after, problems: context.config.diagnostics.length }, "configuration invalid; drift not evaluated");
    return undefined;
  }
  const evaluated = await driftEvaluation(ports, config, request.before, request.after, knownBaseLock(context, config));
  if (!evaluated) return undefined;
  const { check } = evaluated;
  const existing = context.headRuns.find((r) => r.name === BASELINE_CHECK);
  const result = await ports.publishCheck({ name: BASELINE_CHECK, headSha: request.after, result: check, detailsUrl: request.detailsUrl, externalId: `${DRIFT_PREFIX}${request.before}` }, existing);
  const moved = evaluated.evaluation ? movedRequirements(evaluated.evaluation, { commit: request.after, at: request.pushedAt ?? "" }) : [];
  ports.log.info({ sha: request.after, conclusion: check.conclusion, drifted: check.drifted.length, moved: moved.length, result }, "drift check published");
  return { ...check, moved, config };
}

/**
 * The drift check of `before..after` without publishing it (a merge group uses it too); undefined when
 * the change touches no requirement file, change record or lock. `config` is the default branch's.
 */
export async function driftBetween(ports: ChangeSource, config: Config, before: string, after: string, baseLock?: { oid: string } | null): Promise<DriftCheck | undefined> {
  return (await driftEvaluation(ports, config, before, after, baseLock))?.check;
}

/** The drift check and, when everything could be read, the evaluation it came from. */
async function driftEvaluation(ports: ChangeSource, config: Config, before: string, after: string, baseLock?: { oid: string } | null): Promise<{ check: DriftCheck; evaluation?: ChangeEvaluation } | undefined> {
  const roles = classifier(config);
  const list = await ports.compareFiles(before, after);
  // An incomplete list fails the check whatever the listed files say: nothing more is read.
  if (list.incomplete !== undefined) return { check: evaluateDriftCheck(evaluateChange({ config, requirementFiles: [], recordFiles: [] }), undefined, [list.incomplete]) };
  if (touchesNothing(planReads(list.files, roles))) return undefined;
  const change = await evaluateChangeBetween(ports, config, { base: before, head: after }, { files: list, ...(baseLock !== undefined ? { baseLock } : {}) });
  const check = evaluateDriftCheck(change.evaluation, change.headLock?.text, change.incomplete);
  return change.incomplete.length === 0 ? { check, evaluation: change.evaluation } : { check };
}
