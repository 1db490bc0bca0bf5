// The worker thread of a replica with REDIS_URL (started by start.ts): takes deliveries from the durable
// queue and runs them through the App's handlers, and runs reconciliation. Evaluations cost CPU (YAML,
// Markdown, globs); on a thread of their own they never hold up the acceptor's event loop, which only
// verifies a delivery, stores it in Redis and answers; and it runs at a lower CPU priority (nice 10 on
// Linux), so that where the replica is short of CPU the acceptor is served first. Messages from the acceptor: `metrics` (answered
// with this thread's registry as JSON, for /metrics) and `stop` (drain the running deliveries, close,
// answer `stopped`). The queue's worker failing for good (its loop ended, or errors other than Redis
// being unreachable for REQGATE_WORKER_FAIL_MS: worker-health.ts) ends the thread with that error: the
// acceptor then stops and the replica exits 1 (bin/start.js); the deliveries stay in Redis.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { DeliveryQueue } from "./delivery-queue.js";
import { createMetrics, type MetricsSnapshot } from "./metrics.js";
import { queueOptionsFrom, startProcessing, startReconcilerFor, type Env } from "./processing.js";
import { WorkerHealth } from "./worker-health.js";

export type ToWorker = { type: "metrics"; id: number } | { type: "stop" };
export type FromWorker = { type: "ready" } | { type: "metrics"; id: number; data: MetricsSnapshot } | { type: "metrics"; id: number; error: string } | { type: "stopped" };

export interface WorkerData {
  env: Env;
}

/** The worker thread's niceness: below the acceptor's, so that a replica short of CPU answers first. */
export const WORKER_NICE = 10;

/**
 * Lowers this thread's CPU priority (Linux: the thread's own task ID from /proc/thread-self; elsewhere
 * there is no per-thread priority and it stays as it is). Returns why not, when not.
 */
function lowerPriority(): string | undefined {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return "no task ID in /proc/thread-self";
    setPriority(tid, WORKER_NICE);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function main(port: NonNullable<typeof parentPort>, env: Env): Promise<void> {
  const url = env.REDIS_URL?.trim();
  if (!url) throw new Error("the worker thread needs REDIS_URL");
  const unchanged = lowerPriority();
  const metrics = createMetrics();
  const processing = await startProcessing(env, metrics);
  const { log } = processing;
  if (unchanged) log.info({ reason: unchanged }, "worker thread priority unchanged");
  else log.debug({ nice: WORKER_NICE }, "worker thread priority lowered");
  const queue = new DeliveryQueue({
    ...queueOptionsFrom(env, url),
    onProcessed: (delivery, outcome, _ms, error) => {
      if (outcome !== "done") {
        metrics.evaluations.inc({ event: delivery.name, outcome });
        log.warn({ id: delivery.id, event: delivery.name, outcome, err: error }, "delivery failed");
      }
    },
  });
  const worker = queue.start((delivery) => processing.handle(delivery), { autorun: false });
  let stopping: Promise<void> | undefined;
  let fatal: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fatal = reject));
  const failMs = Number(env.REQGATE_WORKER_FAIL_MS) > 0 ? Number(env.REQGATE_WORKER_FAIL_MS) : 60_000;
  const health = new WorkerHealth({ failMs, gapMs: Math.max(30_000, failMs / 2) });
  worker.on("error", (error: Error) => {
    const change = health.error(error);
    if (change?.state === "failing") log.warn({ err: error, failMs }, "queue worker failing: Redis refuses its commands");
    else if (change?.state === "failed") fatal(new Error(`the queue worker failed for ${Math.round((Date.now() - change.since) / 1000)} s: ${error.message}`));
  });
  const working = () => {
    if (health.progress()) log.info("queue worker working again");
  };
  for (const event of ["active", "completed", "failed", "drained"] as const) worker.on(event, working);
  // Redis unreachable: this waits for it (the acceptor answers 503 and /readyz says so meanwhile).
  await Promise.race([worker.waitUntilReady(), failed]);
  worker.run().then(
    () => {
      if (!stopping) fatal(new Error("the queue worker stopped without being asked to"));
    },
    (error: unknown) => fatal(new Error(`the queue worker stopped: ${(error as Error)?.message ?? String(error)}`)),
  );

  const reconciler = startReconcilerFor(env, processing);

  port.on("message", (message: ToWorker) => {
    if (message.type === "metrics") {
      metrics.registry.getMetricsAsJSON().then(
        (data) => port.postMessage({ type: "metrics", id: message.id, data } satisfies FromWorker),
        (error: unknown) => port.postMessage({ type: "metrics", id: message.id, error: String(error) } satisfies FromWorker),
      );
    } else if (message.type === "stop") {
      stopping ??= (async () => {
        reconciler?.stop();
        await queue.close();
        await processing.close();
        port.postMessage({ type: "stopped" } satisfies FromWorker);
        port.close();
      })();
    }
  });
  port.postMessage({ type: "ready" } satisfies FromWorker);
  await failed;
}

if (parentPort) {
  const port = parentPort;
  main(port, (workerData as WorkerData).env).catch((error: unknown) => {
    // Thrown out of the thread: the acceptor sees its `error` event (start-up fails, or the replica stops).
    process.nextTick(() => {
      throw error;
    });
  });
}
