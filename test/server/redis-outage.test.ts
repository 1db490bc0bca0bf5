// A replica (bin/start.js, its own process) when Redis is not there or its queue worker cannot work,
// against a real redis-server that the tests stop and start again on the same port (keeping its data,
// as a production Redis keeps its queue) and the loopback GitHub stand-in:
// - Redis unreachable at start: the replica listens, /readyz says why it is not ready, deliveries are
//   answered 503 (never 2xx and dropped) with one log line; once Redis is up they are queued and handled;
// - Redis going away mid-run: the same, within a second, and the replica goes on when it is back;
// - a queue worker that Redis refuses (an ACL without BZPOPMIN): the replica exits 1 after
//   REQGATE_WORKER_FAIL_MS instead of acknowledging deliveries it never takes; they wait in Redis and
//   the next replica handles them.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issuesOpened, startStandIn, type StandIn } from "../e2e/github-stand-in.js";
import { freePort, REDIS_MISSING, redisAvailable, startRedis, type RedisServer } from "../support/redis-process.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRET = "outage-secret";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

interface Replica {
  child: ChildProcess;
  port: number;
  output: string;
  exited: Promise<number | null>;
}

let github: StandIn;
const replicas: Replica[] = [];
const servers: RedisServer[] = [];
const dirs: string[] = [];
const queues: Queue[] = [];

beforeAll(async () => {
  if (!redisAvailable) return;
  github = await startStandIn({ botLogin: "reqgate" });
}, 30_000);
afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  await Promise.all(replicas.map((r) => r.exited));
  for (const q of queues) await q.close().catch(() => undefined);
  for (const s of servers) await s.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await github?.close();
});
// These tests start (and stop) their own redis-server: useRedis()'s one for the suite would not do.
if (!redisAvailable) console.warn(REDIS_MISSING);
const describeRedis = redisAvailable ? describe : describe.skip;

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${replicas.map((r) => r.output).join("\n---\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startReplica(redisUrl: string, queue: string, extra: Record<string, string> = {}): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/start.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${github.port}`, GHE_PROTOCOL: "http", HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", LOG_LEVEL: "info", REDIS_URL: redisUrl, REQGATE_QUEUE: queue, REQGATE_LOCK_MS: "1000", REQGATE_BACKOFF_MS: "100", REQGATE_RECONCILE_MINUTES: "0", ...extra },
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const replica: Replica = { child, port, output: "", exited };
  child.stdout.on("data", (chunk: Buffer) => (replica.output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (replica.output += chunk.toString("utf8")));
  replicas.push(replica);
  await until(() => replica.output.includes("Listening on"), "the replica to listen");
  return replica;
}

async function deliver(replica: Replica, id: string): Promise<{ status: number; body: string; ms: number }> {
  const body = JSON.stringify(issuesOpened(readFileSync(new URL("../fixtures/webhooks/issues.opened.json", import.meta.url), "utf8"), { installation: { id: 42 } }));
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${replica.port}/api/github/webhooks`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": id, "x-hub-signature-256": signature }, body });
  return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

async function readyz(replica: Replica): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${replica.port}/readyz`);
  return { status: response.status, body: await response.json() };
}

/** The log lines of a replica (JSON) with this message. */
function lines(replica: Replica, message: string): Record<string, unknown>[] {
  return replica.output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === message);
}

async function redisAt(port: number, dir: string): Promise<RedisServer> {
  const server = await startRedis(port, { dir });
  servers.push(server);
  return server;
}

function queueOf(url: string, name: string): Queue {
  const queue = new Queue(name, { connection: { url }, skipVersionCheck: true });
  queues.push(queue);
  return queue;
}

const stateOf = async (queue: Queue, delivery: string) => (await queue.getJob(`d-${delivery}`))?.getState() ?? "missing";
const UNREACHABLE = "Redis unreachable: deliveries are answered 503 and /readyz is not ready until it answers";

describeRedis("a replica and Redis", () => {
  it("with Redis unreachable at start: listens, is not ready, answers deliveries 503; queues and handles them once Redis is up", async () => {
    github.comments.length = 0;
    github.labels.clear();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "reqgate-outage-"));
    dirs.push(dir);
    const replica = await startReplica(`redis://127.0.0.1:${port}`, "outage-start");
    expect(await fetch(`http://127.0.0.1:${replica.port}/healthz`).then((r) => r.json())).toEqual({ status: "ok" });
    expect(await readyz(replica)).toEqual({ status: 503, body: { status: "not ready", checks: { github: "ok", redis: "not connected (reconnecting)", worker: "the worker thread is starting (it waits for Redis)" } } });
    const refused = await deliver(replica, "start-1");
    expect(refused).toMatchObject({ status: 503, body: "queue unavailable\n" });
    expect(refused.ms).toBeLessThan(1000);
    await until(() => lines(replica, "delivery not queued: Redis unavailable").length === 1, "the delivery's log line");
    expect(lines(replica, UNREACHABLE)).toHaveLength(1);
    expect(lines(replica, UNREACHABLE)[0]).toMatchObject({ level: 50, redis: `redis://127.0.0.1:${port}`, err: { code: "ECONNREFUSED" } });
    expect(lines(replica, "delivery not queued: Redis unavailable")[0]).toMatchObject({ id: "start-1", event: "issues" });

    const server = await redisAt(port, dir);
    await until(async () => (await readyz(replica)).status === 200, "the replica to be ready");
    expect(await readyz(replica)).toEqual({ status: 200, body: { status: "ready", checks: { github: "ok", redis: "ok", worker: "ok" } } });
    expect(lines(replica, "Redis reachable again: deliveries are queued")).toHaveLength(1);
    // GitHub's redelivery of the refused delivery (by hand, or reconciliation's): it was never queued, so now it is.
    expect(await deliver(replica, "start-1")).toMatchObject({ status: 202, body: "queued\n" });
    const queue = queueOf(server.url, "outage-start");
    await until(async () => (await stateOf(queue, "start-1")) === "completed", "the delivery to be handled");
    expect(github.comments).toHaveLength(1);
    replica.child.kill("SIGTERM");
    expect(await replica.exited).toBe(0);
  }, 60_000);

  it("with Redis going away mid-run: answers 503 and is not ready within a second; keeps what it acknowledged and goes on when Redis is back", async () => {
    github.comments.length = 0;
    github.labels.clear();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "reqgate-outage-"));
    dirs.push(dir);
    let server = await redisAt(port, dir);
    const replica = await startReplica(server.url, "outage-mid");
    await until(async () => (await readyz(replica)).status === 200, "the replica to be ready");
    expect(await deliver(replica, "mid-1")).toMatchObject({ status: 202, body: "queued\n" });
    const queue = queueOf(server.url, "outage-mid");
    await until(async () => (await stateOf(queue, "mid-1")) === "completed", "the first delivery to be handled");

    await server.stop();
    await until(() => lines(replica, UNREACHABLE).length === 1, "the log line");
    const refused = await deliver(replica, "mid-2");
    await until(() => lines(replica, "delivery not queued: Redis unavailable").length === 1, "the delivery's log line");
    expect(lines(replica, "delivery not queued: Redis unavailable")[0]).toMatchObject({ id: "mid-2", event: "issues", err: { message: `Redis at redis://127.0.0.1:${port} is not connected (reconnecting)` } });
    expect(refused).toMatchObject({ status: 503, body: "queue unavailable\n" });
    expect(refused.ms).toBeLessThan(1000);
    const started = Date.now();
    const ready = await readyz(replica);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ready).toMatchObject({ status: 503, body: { status: "not ready", checks: { github: "ok", worker: "ok" } } });
    expect((ready.body as { checks: { redis: string } }).checks.redis).toMatch(/^not connected \((reconnecting|connecting|close)\)$/);
    // /metrics still answers without Redis: the queue's depth is unknown (NaN, which prom-client writes "Nan": Prometheus reads either).
    const metrics = await fetch(`http://127.0.0.1:${replica.port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^reqgate_queue_depth Nan$/m);

    server = await redisAt(port, dir);
    await until(async () => (await readyz(replica)).status === 200, "the replica to be ready again");
    expect(await stateOf(queue, "mid-1")).toBe("completed");
    expect(await deliver(replica, "mid-2")).toMatchObject({ status: 202, body: "queued\n" });
    await until(async () => (await stateOf(queue, "mid-2")) === "completed", "the second delivery to be handled");
    expect(lines(replica, UNREACHABLE)).toHaveLength(1);
    expect(lines(replica, "Redis reachable again: deliveries are queued")).toHaveLength(1);
    expect(replica.output).not.toContain("[ioredis] Unhandled error event");
    replica.child.kill("SIGTERM");
    expect(await replica.exited).toBe(0);
  }, 60_000);

  it("with a queue worker that Redis refuses (no BZPOPMIN): exits 1 after REQGATE_WORKER_FAIL_MS; its deliveries wait in Redis for the next replica", async () => {
    github.comments.length = 0;
    github.labels.clear();
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "reqgate-outage-"));
    dirs.push(dir);
    const server = await redisAt(port, dir);
    const admin = new Redis(server.url);
    try {
      const replica = await startReplica(server.url, "outage-acl", { REQGATE_WORKER_FAIL_MS: "1500" });
      await until(async () => (await readyz(replica)).status === 200, "the replica to be ready");
      // The acceptor stores deliveries with EVALSHA; the worker waits for them with BZPOPMIN, now refused.
      expect(await admin.call("ACL", "SETUSER", "default", "-bzpopmin")).toBe("OK");
      await until(() => lines(replica, "queue worker failing: Redis refuses its commands").length > 0, "the worker to report its failure");
      expect(await deliver(replica, "acl-1")).toMatchObject({ status: 202, body: "queued\n" });
      expect(await replica.exited).toBe(1);
      const stopped = lines(replica, "worker thread stopped: the replica exits");
      expect(stopped).toHaveLength(1);
      expect((stopped[0]!.err as { message: string }).message).toMatch(/^the queue worker failed for [12] s: NOPERM /);
      const queue = queueOf(server.url, "outage-acl");
      expect(await stateOf(queue, "acl-1")).toBe("waiting");
      expect(github.comments).toHaveLength(0);

      expect(await admin.call("ACL", "SETUSER", "default", "+@all")).toBe("OK");
      const next = await startReplica(server.url, "outage-acl");
      await until(async () => (await stateOf(queue, "acl-1")) === "completed", "the next replica to handle the delivery");
      expect(github.comments).toHaveLength(1);
      next.child.kill("SIGTERM");
      expect(await next.exited).toBe(0);
    } finally {
      admin.disconnect();
    }
  }, 60_000);
});
