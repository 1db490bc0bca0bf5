// Events that change what the traceability dashboard shows (SPEC 2.6) and that no other handler takes:
// an issue closed or deleted. The others (opened, edited, reopened, labels, pushes that move the
// baseline, waivers, reviews) ask for an update from their own handler. Debounced per repository.
import type { Context } from "probot";
import { repoScope, type Services } from "../app/services.js";
import { DASHBOARD_LABEL } from "../domain/dashboard/dashboard.js";

export const DASHBOARD_EVENTS = ["issues.closed", "issues.deleted"] as const;

export function onDashboardEvent(context: Context<"issues">, services: Services): void {
  services.dashboard?.schedule(context.octokit, repoScope(context.payload), context.log);
}

/** True for reqgate's own dashboard issue: it is no work item (never evaluated as one). */
export function isDashboardIssue(issue: { labels?: ReadonlyArray<{ name?: string } | string | null> | null; user?: { type?: string } | null }): boolean {
  return issue.user?.type === "Bot" && (issue.labels ?? []).some((l) => (typeof l === "string" ? l : l?.name) === DASHBOARD_LABEL);
}
