// merge_group.checks_requested → report the queued pull request's checks on the merge group's commit,
// with the group's own lock consistency (engine/merge-group.ts).
import type { Context } from "probot";
import { mergeGroupPull } from "../domain/pulls/pull-facts.js";
import { evaluateMergeGroupNow } from "../engine/merge-group.js";
import { pullKey, repoScope, type Services } from "../app/services.js";

export async function onMergeGroup(context: Context<"merge_group.checks_requested">, services: Services): Promise<void> {
  const { merge_group: group } = context.payload;
  const scope = repoScope(context.payload);
  const web = `https://${scope.host}/${scope.owner}/${scope.repo}`;
  const number = mergeGroupPull(group.head_ref);
  const pull = number === undefined ? undefined : services.pullPorts(context.octokit, scope, number, context.log);
  const detailsUrl = number === undefined ? `${web}/commit/${group.head_sha}` : `${web}/pull/${number}`;
  const run = () => evaluateMergeGroupNow(services.pushPorts(context.octokit, scope, context.log), { baseSha: group.base_sha, headSha: group.head_sha, detailsUrl, ...(pull ? { pull } : {}) });
  await services.queue.run(number === undefined ? `${scope.repoId}@${group.head_sha}` : pullKey(scope, number), run);
}
