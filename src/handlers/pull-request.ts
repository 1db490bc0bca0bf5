// pull_request.* → evaluate the pull request's two checks (SPEC 2.2, 2.3). The payload only names the
// pull request: the pipeline reads it as it is now (a redelivered payload may be stale).
import type { Context } from "probot";
import { evaluateAfterClose, evaluatePull, repoScope, type Services } from "../app/services.js";
import { dashboardScope } from "./dashboard.js";

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
  const number = context.payload.pull_request.number;
  const outcome = await evaluatePull(services, context.octokit, repoScope(context.payload), number, context.log, event);
  // Reopened with a waiver on record: the dashboard lists it again (closing took it off).
  const waiver = context.payload.action === "reopened" ? outcome?.waiver : undefined;
  if (waiver) services.dashboard?.schedule(context.octokit, dashboardScope(context.payload), context.log, { waivers: [{ kind: "pull", number, by: waiver.by, reason: waiver.reason, at: waiver.at }] });
}

/**
 * pull_request.closed → the open pull requests it collided with are evaluated again (SPEC 2.7): the
 * collision is gone, or, when it merged, the base branch now has what they claim too. A waiver of it
 * leaves the dashboard (the same query said whether it had one: an update only then).
 */
export async function onPullRequestClosed(context: Context<"pull_request">, services: Services): Promise<void> {
  const number = context.payload.pull_request.number;
  const { waived } = await evaluateAfterClose(services, context.octokit, repoScope(context.payload), number, context.log);
  if (waived) services.dashboard?.schedule(context.octokit, dashboardScope(context.payload), context.log, { waivers: [{ kind: "pull", number, ended: true }] });
}
