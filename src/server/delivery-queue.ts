// The durable queue of webhook deliveries (REDIS_URL): a delivery is acknowledged once it is in Redis,
// and any replica's worker processes it. BullMQ gives what one process cannot:
// - de-duplication by delivery ID (the job ID; kept a day after completion, so GitHub's redelivery of a
//   delivery that was processed is a no-op, and one that failed is processed again);
// - coalescing: deliveries that only ask for a subject to be evaluated again share a deduplication ID
//   per subject with `keepLastIfActive`, so at most one runs and one waits (the evaluation reads the
//   subject as it is when it runs, so the waiting one stands for all that came meanwhile);
// - retries with exponential backoff when GitHub answered 5xx, a rate limit, or not at all; other errors
//   (a 404, a bug) fail the delivery at once;
// - a killed replica's jobs: their lock lapses and another worker takes them (stalled-job recovery).
// Serialisation per subject across replicas is the subject lock's (subject-lock.ts), inside the handlers.
// Redis unreachable: `add` fails at once (no offline queue, no retry of a command cut off) or after
// ADD_WITHIN_MS, so that the acceptor answers 503 and GitHub records the delivery as failed; a worker
// waits for Redis and goes on. A worker that fails otherwise (its loop ended, or Redis refusing its
// commands) is the worker thread's to notice (worker-health.ts).
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";

export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

export type AddOutcome = "queued" | "duplicate" | "coalesced" | "requeued";
export type ProcessOutcome = "done" | "retry" | "failed";

export interface DeliveryQueueOptions {
  /** Redis URL (`redis://host:port/db`). */
  url: string;
  /** The BullMQ queue name; replicas of one App share it. */
  name?: string;
  concurrency?: number;
  attempts?: number;
  /** First retry delay in ms; doubled each attempt, with jitter. */
  backoffMs?: number;
  /** How long a worker's claim on a job lasts unless renewed; a dead replica's jobs return after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onProcessed?: (delivery: Delivery, outcome: ProcessOutcome, ms: number, error?: unknown) => void;
  /** Redis became unreachable (`down`, with the error) or reachable again (`up`), for the queue's connection. */
  onConnection?: (state: "up" | "down", error?: Error) => void;
  /** How long `add` may take before it gives up (Redis connected but not answering). */
  addWithinMs?: number;
}

/** Why a delivery could not be stored: Redis is unreachable or did not answer in time. */
export class QueueUnavailable extends Error {}

/** `redis://user:password@host:port/db` without its credentials, for logs and /readyz. */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(REDIS_URL is not a URL)";
  }
}

/** BullMQ's test of an error that only says the connection is gone (the worker waits and reconnects). */
export function connectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string; name?: string } | undefined;
  const message = e?.message ?? "";
  return e?.code === "ECONNREFUSED" || e?.code === "ECONNRESET" || e?.code === "ETIMEDOUT" || e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN" || e?.name === "MaxRetriesPerRequestError" || /ECONNREFUSED|Connection is closed|Stream isn't writeable/.test(message);
}

/** Deliveries that ask for nothing but a fresh evaluation of one subject, by subject and kind of evaluation. */
export function coalesceKey(name: string, payload: unknown): string | undefined {
  const p = payload as { action?: string; repository?: { id?: number }; pull_request?: { number?: number }; issue?: { number?: number; pull_request?: unknown } };
  const repo = p?.repository?.id;
  if (typeof repo !== "number") return undefined;
  // A push (`synchronize`) is not coalesced: its sender is recorded as a contributor.
  if (((name === "pull_request" && p.action !== "synchronize") || name === "pull_request_review") && typeof p.pull_request?.number === "number") return `pull:${repo}#${p.pull_request.number}`;
  // Edited and deleted comments on a pull request re-evaluate it (approvals); new comments hold commands.
  if (name === "issue_comment" && p.action !== "created" && p.issue?.pull_request && typeof p.issue.number === "number") return `pull:${repo}#${p.issue.number}`;
  // An issue's text or labels changing also re-traces the pull requests that reference it: a kind apart.
  if (name === "issues" && typeof p.issue?.number === "number") {
    const retrace = p.action === "edited" || p.action === "labeled" || p.action === "unlabeled";
    return `issue:${repo}#${p.issue.number}:${retrace ? "retrace" : "evaluate"}`;
  }
  return undefined;
}

interface HttpLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
  errors?: unknown[];
}

/** Worth retrying: GitHub answered 5xx, 429, a rate-limit 403, or not at all (network, timeouts). */
export function retryable(error: unknown): boolean {
  const e = error as HttpLike | undefined;
  if (e && Array.isArray(e.errors) && e.errors.length > 0) return e.errors.some(retryable);
  const status = e?.status;
  if (typeof status !== "number") return true;
  if (status >= 500 || status === 429) return true;
  if (status === 403) return e?.response?.headers?.["x-ratelimit-remaining"] === "0" || /rate limit/i.test(e?.message ?? "");
  return false;
}

/** BullMQ job IDs must not be integers nor contain ':'. */
function jobId(delivery: string): string {
  return `d-${delivery.replace(/:/g, "_")}`;
}

export class DeliveryQueue {
  readonly queue: Queue;
  /** The queue's connection: commands fail at once while it is not connected (no offline queue). */
  readonly redis: Redis;
  #worker: Worker | undefined;
  readonly #options: DeliveryQueueOptions;
  /** The connection failed since it was last ready (or since it was opened). */
  #down = false;

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
    this.redis = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (times) => Math.min(times * 200, 2000) });
    const report = options.onConnection ?? (() => undefined);
    this.redis.on("ready", () => {
      if (this.#down) report("up");
      this.#down = false;
    });
    this.redis.on("error", (error: Error) => {
      if (!this.#down) report("down", error);
      this.#down = true;
    });
    this.queue = new Queue(options.name ?? "reqgate-deliveries", { connection: this.redis, skipVersionCheck: true });
    // Its errors are the connection's, reported above (without a listener BullMQ prints each one).
    this.queue.on("error", () => undefined);
  }

  /** Whether the queue's connection to Redis is up (else `add` fails at once). */
  connected(): boolean {
    return this.redis.status === "ready";
  }

  /** Puts a delivery in Redis; resolves once it is stored (the point at which it may be acknowledged). */
  async add(delivery: Delivery): Promise<AddOutcome> {
    // Known to be down: at once. Still connecting for the first time: wait for it, within the bound.
    if (this.#down) throw new QueueUnavailable(`Redis at ${redisTarget(this.#options.url)} is not connected (${this.redis.status})`);
    const within = this.#options.addWithinMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailable(`Redis at ${redisTarget(this.#options.url)} did not answer within ${within} ms`)), within);
    });
    try {
      return await Promise.race([this.#add(delivery), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #add(delivery: Delivery): Promise<AddOutcome> {
    await this.queue.waitUntilReady();
    const id = jobId(delivery.id);
    const existing = await this.queue.getJob(id);
    if (existing) {
      if (!(await existing.isFailed())) return "duplicate";
      // GitHub redelivered a delivery that failed here: process it again.
      await existing.retry("failed");
      return "requeued";
    }
    const coalesce = coalesceKey(delivery.name, delivery.payload);
    const job = await this.queue.add(delivery.name, delivery, {
      jobId: id,
      attempts: this.#options.attempts ?? 6,
      backoff: { type: "exponential", delay: this.#options.backoffMs ?? 2000, jitter: 0.5 },
      removeOnComplete: { age: 24 * 3600, count: 50_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
      ...(coalesce ? { deduplication: { id: coalesce, keepLastIfActive: true } } : {}),
    });
    return job.id === id ? "queued" : "coalesced";
  }

  /**
   * This replica's worker: `process` runs each delivery (the App's handlers). `autorun: false` leaves
   * calling `run()` to the caller (who then sees the loop end: worker.ts).
   */
  start(process: (delivery: Delivery) => Promise<void>, { autorun = true }: { autorun?: boolean } = {}): Worker {
    const onProcessed = this.#options.onProcessed ?? (() => undefined);
    this.#worker = new Worker(
      this.queue.name,
      async (job: Job<Delivery>) => {
        const started = Date.now();
        try {
          await process(job.data);
          onProcessed(job.data, "done", Date.now() - started);
        } catch (error) {
          const again = retryable(error) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
          onProcessed(job.data, again ? "retry" : "failed", Date.now() - started, error);
          if (!retryable(error)) throw new UnrecoverableError((error as Error)?.message ?? String(error));
          throw error;
        }
      },
      {
        connection: { url: this.#options.url, maxRetriesPerRequest: null },
        concurrency: this.#options.concurrency ?? 8,
        lockDuration: this.#options.lockDurationMs ?? 30_000,
        stalledInterval: this.#options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 3,
        skipVersionCheck: true,
        autorun,
      },
    );
    return this.#worker;
  }

  /** Deliveries waiting, delayed (retries) or running, across replicas. */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts("waiting", "delayed", "active", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Stops taking jobs and waits for the running ones (graceful shutdown), then closes the connections. */
  async close(): Promise<void> {
    await this.#worker?.close();
    await this.queue.close();
    this.redis.disconnect();
  }
}
