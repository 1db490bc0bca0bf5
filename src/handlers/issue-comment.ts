// issue_comment → commands and approvals (SPEC 2.4). Created: run the `/reqgate` commands (on an issue,
// or on a pull request, where approve/revoke are recorded). Edited or deleted on a pull request: an
// approval may have changed (edited comments never approve; an edit by someone else voids), so evaluate
// again; commands in an edit are never run. Commands written by bots are ignored. A waiver accepted on
// an issue re-evaluates the trace of the pull requests that reference it (found by the issue's query).
// An accepted waiver or review changes the traceability dashboard: it is asked for an update, with the
// waiver (who, why, when), which the dashboard keeps.
import type { Context } from "probot";
import type { CommandDecision } from "../domain/approvals/commands.js";
import { runIssueCommands } from "../engine/issues.js";
import { runPullCommands } from "../engine/pulls.js";
import { evaluatePull, followCollisions, issueKey, issueTarget, pullKey, repoScope, retracePulls, type Services } from "../app/services.js";
import { dashboardScope } from "./dashboard.js";

export const ISSUE_COMMENT_EVENTS = ["issue_comment.created", "issue_comment.edited", "issue_comment.deleted"] as const;

export async function onIssueComment(context: Context<"issue_comment">, services: Services): Promise<void> {
  const { payload, octokit, log } = context;
  const { comment, issue, sender } = payload;
  const changed = "changes" in payload ? (payload.changes as { body?: { from?: string } }).body?.from ?? "" : "";
  if (!comment.body.includes("/reqgate") && !changed.includes("/reqgate")) return;
  const scope = repoScope(payload);
  if (payload.action !== "created") {
    if (issue.pull_request) await evaluatePull(services, octokit, scope, issue.number, log);
    return;
  }
  if (sender.type === "Bot" || comment.user?.type === "Bot") return;
  const command = { id: comment.id, body: comment.body, author: comment.user?.login ?? sender.login, createdAt: comment.created_at };
  const pull = issue.pull_request !== undefined && issue.pull_request !== null;
  let decisions: CommandDecision[];
  if (pull) {
    const ran = await services.queue.run(pullKey(scope, issue.number), () => runPullCommands(services.pullPorts(octokit, scope, issue.number, log), command));
    decisions = ran.decisions;
    await followCollisions(services, octokit, scope, ran.outcome, log);
  } else {
    const target = issueTarget(payload);
    const ports = services.issuePorts(octokit, target, log, { pulls: /\/reqgate[ \t]+waive/i.test(comment.body) });
    decisions = await services.queue.run(issueKey(target), () => runIssueCommands(ports, command));
    if (decisions.some((d) => d.accepted && d.command.name === "waive")) await retracePulls(services, octokit, scope, ports.referencingPulls(), log);
  }
  const waivers = decisions.flatMap((d) => (d.accepted && d.command.name === "waive" ? [{ kind: pull ? ("pull" as const) : ("issue" as const), number: issue.number, by: command.author, reason: d.command.reason, at: command.createdAt }] : []));
  if (waivers.length > 0 || decisions.some((d) => d.accepted && d.command.name === "reviewed")) services.dashboard?.schedule(octokit, dashboardScope(payload), log, { waivers: waivers.slice(-1) });
}
