// check_suite.requested (new commits) → evaluate the pull requests the payload lists (a fork's new
// commits arrive as pull_request.synchronize anyway: no lookup for every push to every branch);
// rerequested ("Re-run all checks") → also find them by SHA (forks), and on a commit of the default
// branch with a drift run, re-run the drift check.
import type { Context } from "probot";
import { rerunDriftNow } from "../engine/drift.js";
import { evaluatePullsAt, repoScope, type Services } from "../app/services.js";

export const CHECK_SUITE_EVENTS = ["check_suite.requested", "check_suite.rerequested"] as const;

export async function onCheckSuite(context: Context<"check_suite">, services: Services): Promise<void> {
  const { check_suite: suite, repository, action } = context.payload;
  const scope = repoScope(context.payload);
  const onDefault = suite.head_branch === repository.default_branch;
  // A push to the default branch has its own event (drift); a suite there has no pull request to find.
  const lookup = action === "rerequested" && !onDefault;
  const pulls = await evaluatePullsAt(services, context.octokit, scope, suite.head_sha, suite.pull_requests, context.log, { lookup });
  if (pulls.length === 0 && onDefault && action === "rerequested") {
    const url = `${repository.html_url}/commit/${suite.head_sha}`;
    await services.queue.run(`${scope.repoId}@${suite.head_sha}`, () => rerunDriftNow(services.pushPorts(context.octokit, scope, context.log), suite.head_sha, url));
  }
}
