// issues.* → evaluate the issue (SPEC 2.1). Events caused by reqgate's own label writes are skipped.
import type { Context } from "probot";
import { evaluateIssueNow } from "../engine/issues.js";
import { issueKey, issueTarget, type Services } from "./services.js";

export const ISSUE_EVENTS = ["issues.opened", "issues.edited", "issues.reopened", "issues.labeled", "issues.unlabeled"] as const;

export async function onIssue(context: Context<"issues">, services: Services): Promise<void> {
  const { sender } = context.payload;
  if (sender?.type === "Bot" && sender.login === (await services.shared.botLogin())) return;
  const target = issueTarget(context.payload);
  await services.queue.run(issueKey(target), () => evaluateIssueNow(services.issuePorts(context.octokit, target, context.log)));
}
