// issues.* → evaluate the issue (SPEC 2.1); when its text or labels changed, the trace check of the open
// pull requests that reference it may change too (SPEC 2.2): those (found by the issue's own query) are
// evaluated again, trace only.
// Events caused by reqgate's own label writes are skipped.
import type { Context } from "probot";
import { evaluateIssueNow } from "../engine/issues.js";
import { issueKey, issueTarget, repoScope, retracePulls, type Services } from "../app/services.js";
import { dashboardScope, isDashboardIssue } from "./dashboard.js";

export const ISSUE_EVENTS = ["issues.opened", "issues.edited", "issues.reopened", "issues.labeled", "issues.unlabeled"] as const;

/** Actions that can change how a pull request referencing the issue is traced (opened: nothing references it yet). */
const RETRACE: ReadonlySet<string> = new Set(["edited", "labeled", "unlabeled"]);

export async function onIssue(context: Context<"issues">, services: Services): Promise<void> {
  const { sender } = context.payload;
  if (sender?.type === "Bot" && sender.login === (await services.shared.botLogin())) return;
  if (isDashboardIssue(context.payload.issue)) return;
  const target = issueTarget(context.payload);
  const ports = services.issuePorts(context.octokit, target, context.log, { pulls: RETRACE.has(context.payload.action) });
  // An edit of the text may point at the current requirement: it can clear a suspect mark (SPEC 2.5).
  const { payload } = context;
  // `changes` is in every edited payload GitHub sends; a payload without it (a replayed or hand-made one) is no text edit.
  const changes = payload.action === "edited" ? (payload.changes as typeof payload.changes | undefined) : undefined;
  const textEdited = changes?.title !== undefined || changes?.body !== undefined;
  const edited = textEdited ? { edited: { by: sender?.login ?? "ghost", at: payload.issue.updated_at } } : {};
  const result = await services.queue.run(issueKey(target), () => evaluateIssueNow(ports, edited));
  await retracePulls(services, context.octokit, repoScope(context.payload), ports.referencingPulls(), context.log);
  // A waiver in effect again (reopened, or its references gone) is listed again; traced or closed, the dashboard drops it.
  const waiver = result?.verdict === "waived" ? result.waiver : undefined;
  const notes = waiver ? { waivers: [{ kind: "issue" as const, number: target.number, by: waiver.by, reason: waiver.reason, at: waiver.at }] } : {};
  services.dashboard?.schedule(context.octokit, dashboardScope(context.payload), context.log, notes);
}
