// issue_comment → commands and approvals (SPEC 2.4). Created: run the `/reqgate` commands (on an issue,
// or on a pull request, where approve/revoke are recorded). Edited or deleted on a pull request: an
// approval may have changed (edited comments never approve; an edit by someone else voids), so evaluate
// again; commands in an edit are never run. Commands written by bots are ignored.
import type { Context } from "probot";
import { runIssueCommands } from "../engine/issues.js";
import { runPullCommands } from "../engine/pulls.js";
import { evaluatePull, issueKey, issueTarget, pullKey, repoScope, type Services } from "./services.js";

export const ISSUE_COMMENT_EVENTS = ["issue_comment.created", "issue_comment.edited", "issue_comment.deleted"] as const;

export async function onIssueComment(context: Context<"issue_comment">, services: Services): Promise<void> {
  const { payload } = context;
  const { comment, issue, sender } = payload;
  const changed = "changes" in payload ? (payload.changes as { body?: { from?: string } }).body?.from ?? "" : "";
  if (!comment.body.includes("/reqgate") && !changed.includes("/reqgate")) return;
  const scope = repoScope(payload);
  if (payload.action !== "created") {
    if (issue.pull_request) await evaluatePull(services, context.octokit, scope, issue.number, context.log);
    return;
  }
  if (sender.type === "Bot" || comment.user?.type === "Bot") return;
  const command = { id: comment.id, body: comment.body, author: comment.user?.login ?? sender.login, createdAt: comment.created_at };
  if (issue.pull_request) {
    await services.queue.run(pullKey(scope, issue.number), () => runPullCommands(services.pullPorts(context.octokit, scope, issue.number, context.log), command));
    return;
  }
  const target = issueTarget(payload);
  await services.queue.run(issueKey(target), () => runIssueCommands(services.issuePorts(context.octokit, target, context.log), command));
}
