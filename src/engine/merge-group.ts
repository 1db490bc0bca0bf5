// The merge queue (merge_group.checks_requested): GitHub waits for the required checks on the merge
// group's own commit. reqgate reports there what the queued pull request's checks say (evaluated anew,
// so approvals made since are seen), and, because the group also holds the pull requests queued before
// it, whether the group's lock matches its requirement files (the drift check between the group's base
// and head). No "Approve" button: approvals are given on the pull request.
import { BASELINE_CHECK, TRACE_CHECK } from "../domain/pulls/check-names.js";
import type { CheckRunResult } from "../domain/pulls/render/check-output.js";
import { driftBetween, knownBaseLock } from "./drift.js";
import type { PullPorts, PushPorts } from "./ports.js";
import { evaluatePullNow } from "./pulls.js";

export interface MergeGroupRequest {
  baseSha: string;
  headSha: string;
  /** The pull request of the group (`gh-readonly-queue/<base>/pr-<n>-<sha>`); undefined when it cannot be told. */
  pull?: PullPorts;
  /** The group's page (the pull request's, when known). */
  detailsUrl: string;
}

export async function evaluateMergeGroupNow(ports: PushPorts, request: MergeGroupRequest): Promise<{ trace: CheckRunResult; baseline: CheckRunResult }> {
  const context = await ports.readPushContext(request.headSha, request.baseSha);
  const outcome = request.pull ? await evaluatePullNow(request.pull) : undefined;
  const config = context.config.config;
  const drift = config ? await driftBetween(ports, config, request.baseSha, request.headSha, knownBaseLock(context, config)) : undefined;

  const unknown = (what: string): CheckRunResult => ({
    conclusion: "failure",
    title: `Could not evaluate the pull request of this merge group`,
    summary: `reqgate could not evaluate ${what}, so the merge group cannot pass this check.`,
    annotations: [],
    actions: [],
  });
  const without = (r: CheckRunResult): CheckRunResult => ({ ...r, actions: [] });
  const trace = outcome?.trace ? without(outcome.trace) : outcome && config?.pull_requests.trace === "off" ? undefined : unknown("the queued pull request");
  const fromPull = outcome?.baseline ? without(outcome.baseline) : unknown("the queued pull request");
  const baseline = drift && drift.conclusion !== "success" ? without(drift) : fromPull;

  const existing = (name: string) => context.headRuns.find((r) => r.name === name);
  if (trace) await ports.publishCheck({ name: TRACE_CHECK, headSha: request.headSha, result: trace, detailsUrl: request.detailsUrl }, existing(TRACE_CHECK));
  await ports.publishCheck({ name: BASELINE_CHECK, headSha: request.headSha, result: baseline, detailsUrl: request.detailsUrl }, existing(BASELINE_CHECK));
  ports.log.info({ sha: request.headSha, trace: trace?.conclusion, baseline: baseline.conclusion }, "merge group checks published");
  return { trace: trace ?? fromPull, baseline };
}
