// pull_request_review.* → evaluate the pull request again: an approving review may satisfy a rule, a
// dismissed one no longer counts, changes requested withdraw the reviewer's approvals (SPEC 2.3).
import type { Context } from "probot";
import { evaluatePull, repoScope, type Services } from "../app/services.js";

export const REVIEW_EVENTS = ["pull_request_review.submitted", "pull_request_review.edited", "pull_request_review.dismissed"] as const;

export async function onReview(context: Context<"pull_request_review">, services: Services): Promise<void> {
  await evaluatePull(services, context.octokit, repoScope(context.payload), context.payload.pull_request.number, context.log);
}
