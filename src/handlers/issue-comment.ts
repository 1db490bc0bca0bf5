// issue_comment.created → run the `/reqgate` commands in it (SPEC 2.4). Edited comments never execute
// (only `created` is subscribed); comments by bots are ignored; commands on pull requests arrive with
// the pull request pipeline.
import type { Context } from "probot";
import { runIssueCommands } from "../engine/issues.js";
import { issueKey, issueTarget, type Services } from "./services.js";

export async function onIssueComment(context: Context<"issue_comment.created">, services: Services): Promise<void> {
  const { comment, issue, sender } = context.payload;
  if (sender.type === "Bot" || comment.user?.type === "Bot" || issue.pull_request) return;
  if (!comment.body.includes("/reqgate")) return;
  const target = issueTarget(context.payload);
  const command = { id: comment.id, body: comment.body, author: comment.user?.login ?? sender.login, createdAt: comment.created_at };
  await services.queue.run(issueKey(target), () => runIssueCommands(services.issuePorts(context.octokit, target, context.log), command));
}
