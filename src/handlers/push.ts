// push to the default branch → the drift check (SPEC 2.5): requirement files changed without the lock
// `reqgate baseline` writes get a failing `reqgate/baseline` check on the pushed commit; a push that
// moves the baseline makes the open work that references the moved requirements suspect. Pushes to
// other branches, deletions and branch creations are not evaluated.
import type { Context } from "probot";
import { evaluateDriftNow } from "../engine/drift.js";
import { repoScope, type Services } from "../app/services.js";
import { suspectPorts } from "../app/suspect.js";
import { markSuspectWork } from "../engine/suspect.js";
import { dashboardScope } from "./dashboard.js";

/** GitHub lists at most this many commits in a push payload; a longer push has no complete path list. */
const MAX_PAYLOAD_COMMITS = 2048;

export async function onPush(context: Context<"push">, services: Services): Promise<void> {
  const { ref, before, after, deleted, forced, commits, repository } = context.payload;
  if (deleted || ref !== `refs/heads/${repository.default_branch}` || /^0+$/.test(before)) return;
  const scope = repoScope(context.payload);
  // The paths the commits touched let a push that changes nothing of reqgate's cost no request.
  const listed = !forced && commits.length > 0 && commits.length < MAX_PAYLOAD_COMMITS;
  const touched = listed ? commits.flatMap((c) => [...(c.added ?? []), ...(c.removed ?? []), ...(c.modified ?? [])]) : undefined;
  const detailsUrl = `${repository.html_url}/commit/${after}`;
  const ports = services.pushPorts(context.octokit, scope, context.log);
  const pushedAt = typeof repository.pushed_at === "number" ? new Date(repository.pushed_at * 1000).toISOString() : (context.payload.head_commit?.timestamp ?? "");
  const drift = await services.queue.run(`${scope.repoId}@push`, () => evaluateDriftNow(ports, { before, after, detailsUrl, pushedAt, ...(touched ? { touched } : {}) }));
  if (!drift || drift.moved.length === 0) return;
  const sweep = await markSuspectWork(suspectPorts(services, context.octokit, scope, repository.default_branch, context.log), drift.config, drift.moved);
  const sweeps = sweep ? [{ commit: after, moved: sweep.moved, incomplete: sweep.incomplete }] : [];
  services.dashboard?.schedule(context.octokit, dashboardScope(context.payload), context.log, { lastMove: { commit: after, ids: drift.moved.map((m) => m.id) }, sweeps });
}
