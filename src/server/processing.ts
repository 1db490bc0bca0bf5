// What runs deliveries through the App's handlers: a Probot with reqgate loaded, its Octokit counting
// requests (metrics.ts) and, with REDIS_URL, sharing GitHub's rate limits through Redis (Probot's
// throttling clustered on REDIS_URL, and the waits GitHub asks for: shared-rate-limits.ts), and the
// per-subject serialisation (subject-lock.ts across replicas, else in this process). Built in the one
// process without REDIS_URL, and in the worker thread (worker.ts) with it.
import { Redis } from "ioredis";
import { createProbot, type Probot } from "probot";
import { KeyedQueue } from "../engine/pipeline.js";
import { ReqgateOctokit } from "../github/octokit.js";
import { reqgate, serviceOptionsFromEnv } from "../index.js";
import type { SubjectQueue } from "../app/services.js";
import type { Delivery, DeliveryQueueOptions } from "./delivery-queue.js";
import { metricsPlugin, type Metrics } from "./metrics.js";
import { startReconciler, type Reconciler } from "./reconcile.js";
import { redisPauseStore, sharedRateLimits } from "./shared-rate-limits.js";
import { RedisSubjectQueue } from "./subject-lock.js";
import { createSharedDashboardScheduler, type SharedDashboardScheduler } from "./dashboard-queue.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface Processing {
  probot: Probot;
  log: Probot["log"];
  subjects: SubjectQueue;
  redis: Redis | undefined;
  /** Runs one delivery through the handlers, with its metrics; throws what the handlers threw. */
  handle: (delivery: Delivery) => Promise<void>;
  /** Closes the Redis connection (after the work is drained). */
  close(): Promise<void>;
}

type Pluggable = { plugin(p: unknown): Pluggable };

/** The Octokit class of a Probot: reqgate's, counting its requests in `metrics`. */
export function countedOctokit(metrics: Metrics): typeof ReqgateOctokit {
  return (ReqgateOctokit as unknown as Pluggable).plugin(metricsPlugin(metrics)) as unknown as typeof ReqgateOctokit;
}

/** Probot's environment: JSON logs in production, info level by default. */
export function probotEnv(env: Env): NonNullable<Parameters<typeof createProbot>[0]>["env"] {
  const production = env.NODE_ENV === "production";
  return { ...env, LOG_FORMAT: env.LOG_FORMAT || (production ? "json" : "pretty"), LOG_LEVEL: env.LOG_LEVEL || "info" } as NonNullable<Parameters<typeof createProbot>[0]>["env"];
}

/** REQGATE_LOCK_MS: how long a dead replica's claims (its jobs, its subject locks) outlive it. */
function lockMsFrom(env: Env): number {
  return Number(env.REQGATE_LOCK_MS) > 0 ? Number(env.REQGATE_LOCK_MS) : 30_000;
}

/** The durable queue's settings from the environment (REDIS_URL set). */
export function queueOptionsFrom(env: Env, url: string): DeliveryQueueOptions {
  const lockMs = lockMsFrom(env);
  return {
    url,
    ...(env.REQGATE_QUEUE ? { name: env.REQGATE_QUEUE } : {}),
    ...(Number(env.REQGATE_CONCURRENCY) > 0 ? { concurrency: Number(env.REQGATE_CONCURRENCY) } : {}),
    lockDurationMs: lockMs,
    stalledIntervalMs: Math.max(100, Math.floor(lockMs / 2)),
    ...(Number(env.REQGATE_BACKOFF_MS) > 0 ? { backoffMs: Number(env.REQGATE_BACKOFF_MS) } : {}),
  };
}

/**
 * Reconciliation (reconcile.ts) through these handlers every REQGATE_RECONCILE_MINUTES (15 unless set;
 * 0 or REQGATE_RECONCILE=off: none). Run where the deliveries are handled: the one process, or the worker thread.
 */
export function startReconcilerFor(env: Env, processing: Processing): Reconciler | undefined {
  const interval = Number(env.REQGATE_RECONCILE_MINUTES ?? "15");
  if (!(interval > 0) || env.REQGATE_RECONCILE === "off") return undefined;
  const { probot, redis, log, subjects, handle } = processing;
  return startReconciler(probot, { intervalMs: interval * 60_000, redis, log, subjects, handle });
}

export async function startProcessing(env: Env, metrics: Metrics): Promise<Processing> {
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  // Redis unreachable is reported once by the acceptor's connection (start.ts); the commands that fail
  // meanwhile fail their delivery, which is retried. Without a listener ioredis prints every attempt.
  redis?.on("error", () => undefined);
  let Octokit = countedOctokit(metrics) as unknown as Pluggable;
  // With REDIS_URL, Probot clusters its throttling on it (createProbot reads REDIS_URL from `env`); the
  // waits GitHub asks for are shared on top (shared-rate-limits.ts).
  const shared: { log?: (fields: object, message: string) => void } = {};
  if (redis) {
    Octokit = Octokit.plugin(
      sharedRateLimits(redisPauseStore(redis), {
        onWait: (key, ms) => shared.log?.({ key, ms }, "waiting for a rate limit another request reported"),
        onError: (error) => shared.log?.({ err: error }, "shared rate limit unavailable: requests go on unpaused"),
      }),
    );
  }
  const probot = createProbot({ env: probotEnv(env), overrides: { Octokit: Octokit as unknown as typeof ReqgateOctokit } });
  await probot.ready();
  const log = probot.log.child({ name: "server" });
  shared.log = (fields, message) => log.warn(fields, message);
  const subjects = redis ? new RedisSubjectQueue(redis, { leaseMs: lockMsFrom(env) }) : new KeyedQueue();
  const options = serviceOptionsFromEnv(env);
  // With replicas the dashboard's debounce is shared through Redis (one update per window, whichever
  // replica took the events); without, the in-process timer of the options stands.
  let dashboards: SharedDashboardScheduler | undefined;
  if (redis && redisUrl && options.dashboard && "delayMs" in options.dashboard) {
    const delayMs = options.dashboard.delayMs;
    options.dashboard = {
      scheduler: (queue, shared) =>
        (dashboards = createSharedDashboardScheduler({ url: redisUrl, redis, delayMs, ...(env.REQGATE_QUEUE ? { name: `${env.REQGATE_QUEUE}-dashboard` } : {}), subjects: queue, shared, auth: (id) => probot.auth(id), log: log.child({ name: "dashboard" }) })),
    };
  }
  await probot.load(reqgate({ ...options, queue: subjects }));

  async function handle(delivery: Delivery): Promise<void> {
    const stop = metrics.evaluationSeconds.startTimer({ event: delivery.name });
    try {
      await probot.receive(delivery as Parameters<Probot["receive"]>[0]);
      metrics.evaluations.inc({ event: delivery.name, outcome: "done" });
    } finally {
      stop();
    }
  }

  return {
    probot,
    log,
    subjects,
    redis,
    handle,
    async close() {
      await dashboards?.close().catch(() => undefined);
      await redis?.quit().catch(() => undefined);
    },
  };
}
