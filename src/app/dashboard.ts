// The dashboard's debounce (SPEC 2.6): events of one repository within the delay (from the first of them)
// give one update, run with the latest event's Octokit, serialised per repository by the shared queue
// (so two deliveries at once can never create two dashboards in one process). With replicas the queue is
// Redis's subject lock (src/server/subject-lock.ts): the updates of one repository run one at a time
// across processes, and each reads the dashboard issue afresh, so a second replica edits the dashboard
// the first created. This debounce is per process; with replicas (REDIS_URL) the shared one of
// src/server/dashboard-queue.ts takes its place, so that events on any replica give one update. What the events said (waivers, baseline moves, suspect searches) is
// folded into the state the dashboard keeps in its own body, so nothing of it lives only in a process.
import type { ProbotOctokit } from "probot";
import { mergeNotes } from "../domain/dashboard/dashboard-state.js";
import { updateDashboardNow, type DashboardNotes } from "../engine/dashboard.js";
import type { SubjectQueue } from "./services.js";
import { dashboardGateway } from "../github/dashboard-gateway.js";
import type { Log } from "../github/issue-gateway.js";
import type { RepoScope } from "../github/pull-gateway.js";
import type { SharedState } from "./shared-state.js";

export interface DashboardScheduler {
  /** Asks for an update of the repository's dashboard (debounced). */
  schedule(octokit: ProbotOctokit, scope: DashboardScope, log: Log, notes?: DashboardNotes): void;
  /** Resolves when no update is waiting or running (tests, shutdown). */
  idle(): Promise<void>;
}

/** Updates tried per window of notes before they are given up (and logged). */
const MAX_ATTEMPTS = 3;
/**
 * Updates asked for in a row by updates that left issues or files to read, so that nothing GitHub serves
 * can keep them going for ever: at 400 issues and 100 files an update, 20,000 issues (50 updates), then
 * 10,000 requirement files and 500 evidence files (105). Past it the next event goes on.
 */
export const MAX_CONTINUATIONS = 160;

/** `installationId`: the App's installation the event came through (another replica authenticates with it). */
export type DashboardScope = RepoScope & { defaultBranch: string; installationId?: number };

export function createDashboardScheduler(delayMs: number, queue: SubjectQueue, shared: SharedState): DashboardScheduler {
  const pending = new Map<number, { timer: ReturnType<typeof setTimeout>; octokit: ProbotOctokit; scope: DashboardScope; log: Log; notes: DashboardNotes; attempt: number }>();
  const running = new Set<Promise<unknown>>();
  const continued = new Map<number, number>();

  function fire(repoId: number): void {
    const job = pending.get(repoId);
    if (!job) return;
    pending.delete(repoId);
    const run = queue
      .run(`${repoId}@dashboard`, () => updateDashboardNow(dashboardGateway(job.octokit, shared, job.scope, job.log), job.log, job.notes))
      .then((outcome) => {
        // Issues or files left to read: the next window reads on without waiting for an event (bounded in a row).
        const streak = outcome?.more ? (continued.get(repoId) ?? 0) + 1 : 0;
        if (streak === 0 || streak > MAX_CONTINUATIONS) continued.delete(repoId);
        else {
          continued.set(repoId, streak);
          scheduler.schedule(job.octokit, job.scope, job.log);
        }
      })
      .catch((error: unknown) => {
        // What the events said (a waiver, a search gap) exists nowhere else yet: try again in the next window.
        const again = job.attempt + 1 < MAX_ATTEMPTS;
        job.log.warn({ repo: job.scope.repo, err: error, again }, "dashboard update failed");
        if (again) {
          scheduler.schedule(job.octokit, job.scope, job.log, job.notes);
          const next = pending.get(repoId);
          if (next) next.attempt = Math.max(next.attempt, job.attempt + 1);
        }
      })
      .finally(() => running.delete(run));
    running.add(run);
  }

  const scheduler: DashboardScheduler = {
    schedule(octokit, scope, log, notes = {}) {
      const job = pending.get(scope.repoId);
      const merged = mergeNotes(job?.notes ?? {}, notes);
      // A fixed window from the first event: later events join it (a steady stream still updates once a window).
      const timer = job?.timer ?? setTimeout(() => fire(scope.repoId), delayMs);
      pending.set(scope.repoId, { timer, octokit, scope, log, notes: merged, attempt: job?.attempt ?? 0 });
    },
    async idle() {
      while (pending.size > 0 || running.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.min(delayMs, 50))));
        await Promise.all([...running]);
      }
    },
  };
  return scheduler;
}
