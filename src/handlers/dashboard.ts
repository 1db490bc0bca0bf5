// Events that change what the traceability dashboard shows (SPEC 2.6) and that no other handler takes:
// an issue closed, deleted or transferred to another repository. The others (opened, edited, reopened, labels, pushes that move the
// baseline, accepted `/reqgate waive` and `/reqgate reviewed` comments) ask for an update from their own
// handler. Debounced per repository.
import type { Context } from "probot";
import type { DashboardScope } from "../app/dashboard.js";
import { repoScope, type Services } from "../app/services.js";
import { DASHBOARD_LABEL } from "../domain/dashboard/dashboard.js";

export const DASHBOARD_EVENTS = ["issues.closed", "issues.deleted", "issues.transferred"] as const;

export function onDashboardEvent(context: Context<"issues">, services: Services): void {
  // A deleted or transferred issue is in no list the update reads: its waiver is ended here, and the issue
  // list the App keeps drops it. A closed one the list shows closed.
  const { action, issue } = context.payload;
  const gone = action === "deleted" || action === "transferred";
  const notes = gone ? { waivers: [{ kind: "issue" as const, number: issue.number, ended: true as const }], gone: [issue.number] } : {};
  services.dashboard?.schedule(context.octokit, dashboardScope(context.payload), context.log, notes);
}

/** The repository of an event, with its default branch (the dashboard reads the files there). */
export function dashboardScope(payload: Parameters<typeof repoScope>[0] & { repository?: { default_branch: string }; installation?: { id?: number } }): DashboardScope {
  const installationId = payload.installation?.id;
  return { ...repoScope(payload), defaultBranch: payload.repository!.default_branch, ...(typeof installationId === "number" ? { installationId } : {}) };
}

/** True for reqgate's own dashboard issue: it is no work item (never evaluated as one). */
export function isDashboardIssue(issue: { labels?: ReadonlyArray<{ name?: string } | string | null> | null; user?: { type?: string } | null }): boolean {
  return issue.user?.type === "Bot" && (issue.labels ?? []).some((l) => (typeof l === "string" ? l : l?.name) === DASHBOARD_LABEL);
}
