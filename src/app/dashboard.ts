// The dashboard's debounce (SPEC 2.6): events of one repository within the delay (from the first of them)
// give one update, run with the latest event's Octokit, serialised per repository by the shared queue
// (so two deliveries at once can never create two dashboards in one process). In-process only: a
// shared queue (Redis) can carry the same key when one is configured.
import type { ProbotOctokit } from "probot";
import { updateDashboardNow, type DashboardNotes } from "../engine/dashboard.js";
import type { SubjectQueue } from "./services.js";
import { dashboardGateway } from "../github/dashboard-gateway.js";
import type { Log } from "../github/issue-gateway.js";
import type { RepoScope } from "../github/pull-gateway.js";
import type { SharedState } from "./shared-state.js";

export interface DashboardScheduler {
  /** Asks for an update of the repository's dashboard (debounced). */
  schedule(octokit: ProbotOctokit, scope: RepoScope, log: Log, notes?: DashboardNotes): void;
  /** Resolves when no update is waiting or running (tests, shutdown). */
  idle(): Promise<void>;
}

export function createDashboardScheduler(delayMs: number, queue: SubjectQueue, shared: SharedState): DashboardScheduler {
  const pending = new Map<number, { timer: ReturnType<typeof setTimeout>; octokit: ProbotOctokit; scope: RepoScope; log: Log; notes: DashboardNotes }>();
  const running = new Set<Promise<unknown>>();
  const lastMoves = new Map<number, NonNullable<DashboardNotes["lastMove"]>>();

  function fire(repoId: number): void {
    const job = pending.get(repoId);
    if (!job) return;
    pending.delete(repoId);
    const notes: DashboardNotes = { ...job.notes, ...(lastMoves.has(repoId) ? { lastMove: lastMoves.get(repoId)! } : {}) };
    const run = queue
      .run(`${repoId}@dashboard`, () => updateDashboardNow(dashboardGateway(job.octokit, shared, job.scope, job.log), job.log, notes))
      .catch((error: unknown) => job.log.warn({ repo: job.scope.repo, err: error }, "dashboard update failed"))
      .finally(() => running.delete(run));
    running.add(run);
  }

  return {
    schedule(octokit, scope, log, notes = {}) {
      if (notes.lastMove) lastMoves.set(scope.repoId, notes.lastMove);
      const earlier = pending.get(scope.repoId);
      const merged = { ...(earlier?.notes ?? {}), ...notes, incomplete: [...(earlier?.notes.incomplete ?? []), ...(notes.incomplete ?? [])] };
      // A fixed window from the first event: later events join it (a steady stream still updates once a window).
      const timer = earlier?.timer ?? setTimeout(() => fire(scope.repoId), delayMs);
      pending.set(scope.repoId, { timer, octokit, scope, log, notes: merged });
    },
    async idle() {
      while (pending.size > 0 || running.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.min(delayMs, 50))));
        await Promise.all([...running]);
      }
    },
  };
}
