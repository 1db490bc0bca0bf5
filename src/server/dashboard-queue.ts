// The dashboard's debounce across replicas (REDIS_URL, SPEC 2.6): the update of a repository is one
// delayed BullMQ job, de-duplicated by the repository (`deduplication.id`), so any number of events on
// any replica within the window (a fixed one, from the first event) give one update, run by whichever
// replica's worker takes the job, and one that dies while it waits leaves it to the others. An event
// that comes while the update runs keeps one more job (`keepLastIfActive`): what it changed is not missed.
// What the events said (waivers, baseline moves, suspect searches, deleted issues) is appended to a list per repository
// in Redis and trimmed only after the update that read it succeeded, so none of it lives in one process.
// The job runs with an Octokit of the event's installation (`auth`); the update is serialised per
// repository by the subject queue, as without Redis.
import { Queue, Worker, type Job } from "bullmq";
import { connectionError } from "./delivery-queue.js";
import type { Redis } from "ioredis";
import type { ProbotOctokit } from "probot";
import { createDashboardScheduler, MAX_CONTINUATIONS, type DashboardScheduler, type DashboardScope } from "../app/dashboard.js";
import type { SubjectQueue } from "../app/services.js";
import type { SharedState } from "../app/shared-state.js";
import { mergeNotes } from "../domain/dashboard/dashboard-state.js";
import { updateDashboardNow, type DashboardNotes } from "../engine/dashboard.js";
import { dashboardGateway } from "../github/dashboard-gateway.js";
import type { Log } from "../github/issue-gateway.js";

export interface SharedDashboardOptions {
  /** Redis URL for the queue's connections. */
  url: string;
  /** A connection for the notes lists. */
  redis: Redis;
  delayMs: number;
  /** The BullMQ queue name (replicas of one App share it). */
  name?: string;
  subjects: SubjectQueue;
  shared: SharedState;
  /** An Octokit for an installation (Probot's `auth`). */
  auth: (installationId: number) => Promise<ProbotOctokit>;
  log: Log;
}

export interface SharedDashboardScheduler extends DashboardScheduler {
  /** Stops this replica's worker (its running update finishes) and closes the queue. */
  close(): Promise<void>;
}

interface DashboardJob {
  scope: DashboardScope & { installationId: number };
  /** Updates in a row asked for because files were left to read. */
  continued?: number;
}

/** Updates tried per job (the notes stay in Redis after the last one fails, for the next update). */
const ATTEMPTS = 3;
/** Notes nobody updated for this long are dropped (the repository turned the dashboard off, or left). */
const NOTES_TTL_SECONDS = 7 * 24 * 3600;
/** At most this many notes read per update (the rest in the next one). */
const MAX_NOTES = 1000;

export function notesKey(repoId: number): string {
  return `reqgate:dashboard-notes:${repoId}`;
}

export function createSharedDashboardScheduler(options: SharedDashboardOptions): SharedDashboardScheduler {
  const { redis, subjects, shared, log } = options;
  const name = options.name ?? "reqgate-dashboard";
  const queue = new Queue<DashboardJob>(name, { connection: { url: options.url }, skipVersionCheck: true });
  // Without an installation (or with Redis unavailable) the update still happens, debounced in this process.
  const local = createDashboardScheduler(options.delayMs, subjects, shared);
  const adding = new Set<Promise<void>>();

  async function add(scope: DashboardScope & { installationId: number }, notes: DashboardNotes, continued?: number): Promise<void> {
    if ((notes.waivers?.length ?? 0) > 0 || (notes.sweeps?.length ?? 0) > 0 || (notes.gone?.length ?? 0) > 0 || notes.lastMove) {
      await redis.multi().rpush(notesKey(scope.repoId), JSON.stringify(notes)).expire(notesKey(scope.repoId), NOTES_TTL_SECONDS).exec();
    }
    await queue.add("dashboard", { scope, ...(continued !== undefined ? { continued } : {}) }, {
      delay: options.delayMs,
      deduplication: { id: `dashboard-${scope.repoId}`, keepLastIfActive: true },
      attempts: ATTEMPTS,
      backoff: { type: "fixed", delay: options.delayMs },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    });
  }

  async function run(job: Job<DashboardJob>): Promise<void> {
    const { scope } = job.data;
    const key = notesKey(scope.repoId);
    const listed = await redis.lrange(key, 0, MAX_NOTES - 1);
    let notes: DashboardNotes = {};
    for (const text of listed) {
      try {
        notes = mergeNotes(notes, JSON.parse(text) as DashboardNotes);
      } catch {
        log.warn({ repo: scope.repo }, "dashboard note unreadable; dropped");
      }
    }
    const octokit = await options.auth(scope.installationId);
    const outcome = await subjects.run(`${scope.repoId}@dashboard`, () => updateDashboardNow(dashboardGateway(octokit, shared, scope, log), log, notes));
    // Only what this update read: notes added meanwhile wait for the job kept for them.
    if (listed.length > 0) await redis.ltrim(key, listed.length, -1);
    // Files (or notes) left to read: one more update a window later (kept while this job is active), bounded in a row.
    const streak = outcome?.more || listed.length === MAX_NOTES ? (job.data.continued ?? 0) + 1 : 0;
    if (streak > 0 && streak <= MAX_CONTINUATIONS) await add(scope, {}, streak);
  }

  const worker = new Worker<DashboardJob>(
    name,
    async (job) => {
      try {
        await run(job);
      } catch (error) {
        log.warn({ repo: job.data.scope.repo, err: error, attempt: job.attemptsMade + 1 }, "dashboard update failed");
        throw error;
      }
    },
    { connection: { url: options.url, maxRetriesPerRequest: null }, concurrency: 4, skipVersionCheck: true },
  );
  // Redis unreachable is reported once by the acceptor (start.ts), not on every reconnection attempt here.
  worker.on("error", (error) => {
    if (!connectionError(error)) log.warn({ err: error }, "dashboard queue worker error");
  });

  return {
    schedule(octokit, scope, eventLog, notes = {}) {
      const installationId = scope.installationId;
      if (installationId === undefined) return local.schedule(octokit, scope, eventLog, notes);
      const pending = add({ ...scope, installationId }, notes)
        .catch((error: unknown) => {
          eventLog.warn({ repo: scope.repo, err: error }, "dashboard update not queued: Redis unavailable; debounced in this process");
          local.schedule(octokit, scope, eventLog, notes);
        })
        .finally(() => adding.delete(pending));
      adding.add(pending);
    },
    async idle() {
      for (;;) {
        await Promise.all([...adding]);
        const counts = await queue.getJobCounts("delayed", "waiting", "active", "prioritized", "waiting-children");
        if (adding.size === 0 && Object.values(counts).every((n) => n === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.min(options.delayMs, 50))));
      }
      await local.idle();
    },
    async close() {
      await Promise.all([...adding]);
      await worker.close();
      await queue.close();
      await local.idle();
    },
  };
}
