// The App's HTTP server (`npm start` with APP_ID): webhooks, health, readiness, metrics, and a graceful
// stop. Without REDIS_URL a delivery is handled in this process before it is answered (200, or 500 so
// that GitHub records the failure and reconciliation redelivers it). With REDIS_URL it is verified,
// stored in the durable queue and answered 202 at once; this and every other replica's worker process
// it, serialised per issue or pull request through Redis, with GitHub's rate limits shared through
// Redis too (Probot's throttling clustered on REDIS_URL, and the waits GitHub asks for: shared-rate-limits.ts).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Redis } from "ioredis";
import { createProbot, type Probot } from "probot";
import { KeyedQueue } from "../engine/pipeline.js";
import { ReqgateOctokit } from "../github/octokit.js";
import { reqgate, serviceOptionsFromEnv } from "../index.js";
import { DeliveryQueue, type Delivery } from "./delivery-queue.js";
import { createMetrics, metricsPlugin, type Metrics } from "./metrics.js";
import { startReconciler, type Reconciler } from "./reconcile.js";
import { redisPauseStore, sharedRateLimits } from "./shared-rate-limits.js";
import { RedisSubjectQueue } from "./subject-lock.js";

type Env = Readonly<Record<string, string | undefined>>;

/** GitHub caps webhook payloads at 25 MB. */
const MAX_BODY = 25 * 1024 * 1024;
/** GitHub gives up on a delivery after 10 s: answer 202 before, and finish in the background. */
const ANSWER_WITHIN_MS = 9000;

export interface RunningServer {
  port: number;
  host: string;
  probot: Probot;
  metrics: Metrics;
  /** Stops taking requests, drains running work (bounded), closes connections. */
  stop(): Promise<void>;
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

export async function startServer(env: Env = process.env): Promise<RunningServer> {
  const production = env.NODE_ENV === "production";
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  let depth: () => Promise<number> | number = () => 0;
  const metrics = createMetrics(() => depth());
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  type Pluggable = { plugin(p: unknown): Pluggable };
  let Octokit = (ReqgateOctokit as unknown as Pluggable).plugin(metricsPlugin(metrics));
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
  const probot = createProbot({
    env: { ...env, LOG_FORMAT: env.LOG_FORMAT || (production ? "json" : "pretty"), LOG_LEVEL: env.LOG_LEVEL || "info" } as NonNullable<Parameters<typeof createProbot>[0]>["env"],
    overrides: { Octokit: Octokit as unknown as typeof ReqgateOctokit },
  });
  await probot.ready();
  const log = probot.log.child({ name: "server" });
  shared.log = (fields, message) => log.warn(fields, message);
  // REQGATE_LOCK_MS: how long a dead replica's claims (its jobs, its subject locks) outlive it.
  const lockMs = Number(env.REQGATE_LOCK_MS) > 0 ? Number(env.REQGATE_LOCK_MS) : 30_000;
  const subjects = redis ? new RedisSubjectQueue(redis, { leaseMs: lockMs }) : new KeyedQueue();
  await probot.load(reqgate({ ...serviceOptionsFromEnv(env), queue: subjects }));

  /** Runs one delivery through the handlers, with its metrics; throws what the handlers threw. */
  async function handle(delivery: Delivery): Promise<void> {
    const stop = metrics.evaluationSeconds.startTimer({ event: delivery.name });
    try {
      await probot.receive(delivery as Parameters<Probot["receive"]>[0]);
      metrics.evaluations.inc({ event: delivery.name, outcome: "done" });
    } finally {
      stop();
    }
  }

  const queue = redisUrl
    ? new DeliveryQueue({
        url: redisUrl,
        ...(env.REQGATE_QUEUE ? { name: env.REQGATE_QUEUE } : {}),
        ...(Number(env.REQGATE_CONCURRENCY) > 0 ? { concurrency: Number(env.REQGATE_CONCURRENCY) } : {}),
        lockDurationMs: lockMs,
        stalledIntervalMs: Math.max(100, Math.floor(lockMs / 2)),
        ...(Number(env.REQGATE_BACKOFF_MS) > 0 ? { backoffMs: Number(env.REQGATE_BACKOFF_MS) } : {}),
        onProcessed: (delivery, outcome, _ms, error) => {
          if (outcome !== "done") {
            metrics.evaluations.inc({ event: delivery.name, outcome });
            log.warn({ id: delivery.id, event: delivery.name, outcome, err: error }, "delivery failed");
          }
        },
      })
    : undefined;
  const inflight = new Set<Promise<unknown>>();
  depth = queue ? () => queue.depth() : () => inflight.size;
  queue?.start((delivery) => handle(delivery));

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
    const work = handle(delivery);
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
    if (redis) {
      try {
        checks.redis = (await redis.ping()) === "PONG" ? "ok" : "no PONG";
      } catch (error) {
        checks.redis = `PING failed: ${(error as Error).message}`;
      }
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
      if (req.method === "GET" && path === "/metrics") return send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
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

  let reconciler: Reconciler | undefined;
  const interval = Number(env.REQGATE_RECONCILE_MINUTES ?? "15");
  if (interval > 0 && env.REQGATE_RECONCILE !== "off") reconciler = startReconciler(probot, { intervalMs: interval * 60_000, redis, log, subjects, handle });

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    reconciler?.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drainMs = Number(env.REQGATE_DRAIN_MS) > 0 ? Number(env.REQGATE_DRAIN_MS) : 25_000;
    const drained = Promise.all([...inflight, queue?.close()]).then(() => undefined);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, drainMs).unref())]);
    await redis?.quit().catch(() => undefined);
    await closed;
  }

  return { port: address.port, host, probot, metrics, stop };
}
