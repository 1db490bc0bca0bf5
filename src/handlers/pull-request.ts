// pull_request.* → evaluate the pull request's two checks (SPEC 2.2, 2.3). The payload only names the
// pull request: the pipeline reads it as it is now (a redelivered payload may be stale).
import type { Context } from "probot";
import { evaluateAfterClose, evaluatePull, repoScope, type Services } from "../app/services.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.edited",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.labeled",
  "pull_request.unlabeled",
] as const;

export async function onPullRequest(context: Context<"pull_request">, services: Services): Promise<void> {
  // A push's sender pushed commits to the pull request: a contributor, whoever wrote the commits.
  const event = context.payload.action === "synchronize" ? { pushedBy: context.payload.sender.login } : {};
  await evaluatePull(services, context.octokit, repoScope(context.payload), context.payload.pull_request.number, context.log, event);
}

/**
 * pull_request.closed → the open pull requests it collided with are evaluated again (SPEC 2.7): the
 * collision is gone, or, when it merged, the base branch now has what they claim too.
 */
export async function onPullRequestClosed(context: Context<"pull_request">, services: Services): Promise<void> {
  await evaluateAfterClose(services, context.octokit, repoScope(context.payload), context.payload.pull_request.number, context.log);
}
