// The App's HTTP server (`npm start` with APP_ID): webhooks, health, readiness, metrics, and a graceful
// stop. Without REDIS_URL a delivery is handled in this process before it is answered (200, or 500 so
// that GitHub records the failure and reconciliation redelivers it). With REDIS_URL this thread is only
// the acceptor: it verifies a delivery, stores it in the durable queue and answers 202; a worker thread
// (worker.ts) of this and every other replica processes it, so that evaluations (CPU: YAML, Markdown,
// globs) never hold up an acknowledgement. /metrics adds the worker thread's metrics to the acceptor's.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Worker } from "node:worker_threads";
import { createProbot, type Probot } from "probot";
import { DeliveryQueue, redisTarget, type Delivery } from "./delivery-queue.js";
import { aggregate, createMetrics, type Metrics, type MetricsSnapshot } from "./metrics.js";
import { countedOctokit, probotEnv, queueOptionsFrom, startProcessing, startReconcilerFor, type Env } from "./processing.js";
import type { Reconciler } from "./reconcile.js";
import type { FromWorker, ToWorker, WorkerData } from "./worker.js";

/** GitHub caps webhook payloads at 25 MB. */
const MAX_BODY = 25 * 1024 * 1024;
/** GitHub gives up on a delivery after 10 s: answer 202 before, and finish in the background. */
const ANSWER_WITHIN_MS = 9000;
/** How long /metrics waits for the worker thread's part (it answers between two evaluations' steps). */
const WORKER_METRICS_MS = 5000;
/** How long /readyz waits for Redis to answer PING. */
const REDIS_PING_MS = 2000;

export interface RunningServer {
  port: number;
  host: string;
  log: Probot["log"];
  metrics: Metrics;
  /** Settles when the worker thread (REDIS_URL) ended without being stopped: the replica should exit. */
  failed: Promise<Error>;
  /** Stops taking requests, drains running work (bounded), closes connections. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The worker thread's module (REDIS_URL): worker.js beside this file unless a test puts its own. */
  workerModule?: URL;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "content-type": type }).end(body);
}

interface WorkerThread {
  /** The thread's metrics as prom-client JSON. */
  metrics(): Promise<MetricsSnapshot>;
  /** Asks the thread to drain and close; resolves when it has (or when it is gone). */
  stop(): Promise<void>;
  /** starting: until its queue worker is connected (it waits for Redis); running; gone. */
  state(): "starting" | "running" | "gone";
  alive(): boolean;
  /** Ends the thread at once (a drain that took too long). */
  terminate(): Promise<void>;
  /** Settles when the thread ended (or failed to start) without being stopped. */
  failed: Promise<Error>;
}

/** Starts the worker thread; it is `running` once its queue worker is connected (Redis reachable). */
function startWorker(module: URL, env: Env): WorkerThread {
  const thread = new Worker(module, { workerData: { env: { ...env } } satisfies WorkerData });
  const waiting = new Map<number, (answer: Extract<FromWorker, { type: "metrics" }>) => void>();
  let next = 0;
  let state: "starting" | "running" | "gone" = "starting";
  let stopping = false;
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  thread.on("message", (message: FromWorker) => {
    if (message.type === "ready") state = "running";
    else if (message.type === "metrics") {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    } else if (message.type === "stopped") stopped();
  });
  thread.on("error", (error) => {
    if (!stopping) fail(error);
  });
  thread.on("exit", (code) => {
    const before = state;
    state = "gone";
    stopped();
    if (!stopping) fail(new Error(before === "starting" ? `the worker thread exited with status ${code} before it started` : `the worker thread exited with status ${code}`));
  });
  return {
    metrics() {
      if (state === "gone") return Promise.reject(new Error("the worker thread is not running"));
      const id = ++next;
      return new Promise((answer, refuse) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          refuse(new Error(`the worker thread did not answer within ${WORKER_METRICS_MS} ms`));
        }, WORKER_METRICS_MS);
        waiting.set(id, (message) => {
          clearTimeout(timer);
          if ("error" in message) refuse(new Error(`the worker thread's metrics failed: ${message.error}`));
          else answer(message.data);
        });
        thread.postMessage({ type: "metrics", id } satisfies ToWorker);
      });
    },
    stop() {
      stopping = true;
      if (state !== "gone") thread.postMessage({ type: "stop" } satisfies ToWorker);
      else stopped();
      return done;
    },
    state: () => state,
    alive: () => state !== "gone",
    async terminate() {
      stopping = true;
      await thread.terminate();
    },
    failed,
  };
}

export async function startServer(env: Env = process.env, options: ServerOptions = {}): Promise<RunningServer> {
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  const inflight = new Set<Promise<unknown>>();
  let queue: DeliveryQueue | undefined;
  // Redis unreachable: the depth is unknown (NaN), the other metrics are still served.
  const metrics = createMetrics(() => (queue ? queue.depth().catch(() => NaN) : inflight.size));
  let probot: Probot;
  let log: Probot["log"];
  let handle: ((delivery: Delivery) => Promise<void>) | undefined;
  let thread: WorkerThread | undefined;
  let reconciler: Reconciler | undefined;
  let closeProcessing: () => Promise<void> = () => Promise.resolve();
  if (redisUrl) {
    // The acceptor: a Probot for verifying signatures, logging and the readiness check only (no
    // handlers, and no throttling on Redis: it sends no installation requests).
    probot = createProbot({ env: probotEnv({ ...env, REDIS_URL: "" }), overrides: { Octokit: countedOctokit(metrics) } });
    await probot.ready();
    log = probot.log.child({ name: "server" });
    const target = redisTarget(redisUrl);
    queue = new DeliveryQueue({
      ...queueOptionsFrom(env, redisUrl),
      onConnection: (state, error) => {
        if (state === "down") log.error({ redis: target, err: error }, "Redis unreachable: deliveries are answered 503 and /readyz is not ready until it answers");
        else log.info({ redis: target }, "Redis reachable again: deliveries are queued");
      },
    });
    // Not awaited: with Redis unreachable the thread waits for it, while this thread answers 503.
    thread = startWorker(options.workerModule ?? new URL("./worker.js", import.meta.url), env);
  } else {
    const processing = await startProcessing(env, metrics);
    ({ probot, log, handle } = processing);
    closeProcessing = () => processing.close();
    reconciler = startReconcilerFor(env, processing);
  }

  async function intake(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = String(req.headers["x-github-delivery"] ?? "");
    const name = String(req.headers["x-github-event"] ?? "");
    const signature = String(req.headers["x-hub-signature-256"] ?? "");
    const rejected = (status: number, why: string) => {
      metrics.deliveries.inc({ event: name || "unknown", outcome: "rejected" });
      log.warn({ id, event: name, status }, why);
      send(res, status, `${why}\n`);
    };
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      return rejected(error instanceof BodyTooLarge ? 413 : 400, error instanceof BodyTooLarge ? "payload larger than 25 MB" : "unreadable request body");
    }
    if (id === "" || name === "" || signature === "") return rejected(400, "missing x-github-delivery, x-github-event or x-hub-signature-256 header");
    if (!(await probot.webhooks.verify(body, signature).catch(() => false))) return rejected(400, "signature does not match the webhook secret");
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return rejected(400, "payload is not JSON");
    }
    const delivery = { id, name, payload };
    if (queue) {
      try {
        const outcome = await queue.add(delivery);
        metrics.deliveries.inc({ event: name, outcome });
        log.info({ id, event: name, outcome }, "delivery queued");
        send(res, 202, `${outcome}\n`);
      } catch (error) {
        metrics.deliveries.inc({ event: name, outcome: "failed" });
        log.error({ id, event: name, err: error }, "delivery not queued: Redis unavailable");
        send(res, 503, "queue unavailable\n");
      }
      return;
    }
    const work = handle!(delivery);
    inflight.add(work);
    void work.then(
      () => undefined,
      () => undefined,
    ).finally(() => inflight.delete(work));
    const timer = new Promise<"late">((resolve) => setTimeout(resolve, ANSWER_WITHIN_MS, "late").unref());
    try {
      const first = await Promise.race([work.then(() => "done" as const), timer]);
      metrics.deliveries.inc({ event: name, outcome: first === "done" ? "processed" : "accepted" });
      send(res, first === "done" ? 200 : 202, "ok\n");
    } catch (error) {
      metrics.deliveries.inc({ event: name, outcome: "failed" });
      metrics.evaluations.inc({ event: name, outcome: "failed" });
      log.error({ id, event: name, err: error }, "delivery failed");
      send(res, 500, "delivery failed\n");
    }
  }

  let githubOkUntil = 0;
  async function ready(): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    if (Date.now() < githubOkUntil) checks.github = "ok";
    else {
      try {
        const app = await probot.auth();
        await app.request("GET /app");
        githubOkUntil = Date.now() + 60_000;
        checks.github = "ok";
      } catch (error) {
        checks.github = `GET /app with the App's key failed: ${(error as Error).message}`;
      }
    }
    if (queue) {
      if (!queue.connected()) checks.redis = `not connected (${queue.redis.status})`;
      else {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<string>((resolve) => (timer = setTimeout(resolve, REDIS_PING_MS, `no answer to PING within ${REDIS_PING_MS} ms`)));
        checks.redis = await Promise.race([queue.redis.ping().then((pong) => (pong === "PONG" ? "ok" : "no PONG"), (error: Error) => `PING failed: ${error.message}`), late]);
        clearTimeout(timer);
      }
      const state = thread!.state();
      checks.worker = state === "running" ? "ok" : state === "starting" ? "the worker thread is starting (it waits for Redis)" : "the worker thread is not running";
    }
    return { ok: Object.values(checks).every((c) => c === "ok"), checks };
  }

  const webhookPath = env.WEBHOOK_PATH || "/api/github/webhooks";
  let stopping = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const route = async () => {
      if (req.method === "POST" && path === webhookPath) {
        if (stopping) return send(res, 503, "stopping\n");
        return intake(req, res);
      }
      if (req.method === "GET" && path === "/ping") return send(res, 200, "PONG");
      if (req.method === "GET" && path === "/healthz") return send(res, 200, JSON.stringify({ status: "ok" }), "application/json");
      if (req.method === "GET" && path === "/readyz") {
        const result = stopping ? { ok: false, checks: { server: "stopping" } } : await ready();
        return send(res, result.ok ? 200 : 503, JSON.stringify({ status: result.ok ? "ready" : "not ready", checks: result.checks }), "application/json");
      }
      if (req.method === "GET" && path === "/metrics") {
        if (!thread) return send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
        let worker: MetricsSnapshot;
        try {
          worker = await thread.metrics();
        } catch (error) {
          return send(res, 503, `${(error as Error).message}\n`);
        }
        return send(res, 200, await aggregate(metrics.registry, [worker]), metrics.registry.contentType);
      }
      send(res, 404, "Not Found\n");
    };
    route().catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent) send(res, 500, "internal error\n");
    });
  });
  const host = env.HOST || "localhost";
  const port = Number(env.PORT) || 3000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as { port: number };
  log.info({ queue: queue ? "redis" : "in-process" }, `Listening on http://${host}:${address.port}`);

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    reconciler?.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drainMs = Number(env.REQGATE_DRAIN_MS) > 0 ? Number(env.REQGATE_DRAIN_MS) : 25_000;
    // With REDIS_URL the worker thread finishes its running deliveries (the waiting ones stay in Redis
    // for the other replicas); without, the deliveries in this process finish.
    const drained = Promise.all([...inflight, thread?.stop()]).then(() => undefined);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, drainMs).unref())]);
    if (thread?.alive()) await thread.terminate();
    await queue?.close().catch(() => undefined);
    await closeProcessing();
    await closed;
  }

  return { port: address.port, host, log, metrics, failed: thread?.failed ?? new Promise<Error>(() => undefined), stop };
}
