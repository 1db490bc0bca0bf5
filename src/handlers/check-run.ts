// check_run.rerequested → evaluate again; check_run.requested_action "approve" → the "Approve" button:
// an approval by the sender of what the run showed (its external_id), then evaluate (SPEC 2.3). Only
// this App's own runs. A drift run (a commit of the default branch) is re-run as drift.
import type { Context } from "probot";
import { rerunDriftNow } from "../engine/drift.js";
import { APPROVE_ACTION } from "../domain/pulls/baseline-check.js";
import { BASELINE_CHECK, TRACE_CHECK } from "../domain/pulls/check-names.js";
import { evaluatePullsAt, repoScope, type Services } from "../app/services.js";

export const CHECK_RUN_EVENTS = ["check_run.rerequested", "check_run.requested_action"] as const;

export async function onCheckRun(context: Context<"check_run">, services: Services, now: () => string): Promise<void> {
  const { check_run: run, sender } = context.payload;
  if (run.app?.id !== (await services.shared.identity()).id || ![BASELINE_CHECK, TRACE_CHECK].includes(run.name)) return;
  const scope = repoScope(context.payload);
  let event = {};
  if (context.payload.action === "requested_action") {
    if (context.payload.requested_action?.identifier !== APPROVE_ACTION.identifier || run.name !== BASELINE_CHECK || sender.type === "Bot") return;
    event = { button: { checkRun: run.id, by: sender.login, binding: run.external_id ?? "", at: now() } };
  }
  const pulls = await evaluatePullsAt(services, context.octokit, scope, run.head_sha, run.pull_requests, context.log, { event });
  if (pulls.length === 0 && context.payload.action === "rerequested") {
    const url = `${context.payload.repository.html_url}/commit/${run.head_sha}`;
    await services.queue.run(`${scope.repoId}@${run.head_sha}`, () => rerunDriftNow(services.pushPorts(context.octokit, scope, context.log), run.head_sha, url));
  }
}
