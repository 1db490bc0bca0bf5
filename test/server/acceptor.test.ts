// The acceptor of a replica with REDIS_URL (src/server/start.ts) against a real redis-server, with a
// worker thread whose jobs block that thread's event loop until released (blocking-worker.js): the
// acceptor still answers deliveries, /healthz and /readyz; a graceful stop waits for the
// running job; a worker thread that dies is reported (the replica then exits: bin/start.js).
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/server/start.js";
import { startStandIn, type StandIn } from "../e2e/github-stand-in.js";
import { freePort, redisAvailable, useRedis } from "../support/redis-server.js";


const SECRET = "acceptor-secret";
const WORKER = new URL("./blocking-worker.js", import.meta.url);
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

let github: StandIn;
const dirs: string[] = [];
const running: RunningServer[] = [];
let queues = 0;

beforeAll(async () => {
  if (!redisAvailable) return;
  github = await startStandIn({ botLogin: "reqgate" });
}, 20_000);
afterAll(async () => {
  for (const dir of dirs) writeFileSync(join(dir, "release"), "");
  for (const server of running) await server.stop().catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await github?.close();
});
// After the hooks above (jest runs afterAll hooks in the order declared): the replicas stop before Redis does.
const redis = useRedis(20_000);
const describeRedis = redis.describe;

async function until(done: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function replica(): Promise<{ server: RunningServer; dir: string; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "reqgate-acceptor-"));
  dirs.push(dir);
  const env = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, HOST: "127.0.0.1", PORT: String(await freePort()), LOG_LEVEL: "silent", GHE_HOST: `127.0.0.1:${github.port}`, GHE_PROTOCOL: "http", REDIS_URL: redis.url(), REQGATE_QUEUE: `acceptor-${++queues}`, REQGATE_RECONCILE_MINUTES: "0", TEST_DIR: dir };
  const server = await startServer(env, { workerModule: WORKER });
  running.push(server);
  return { server, dir, url: `http://127.0.0.1:${server.port}` };
}

async function deliver(url: string, id: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ action: "created", repository: { id: 5 }, issue: { number: 1 }, comment: { body: "hello" } });
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": id, "x-hub-signature-256": signature }, body });
  return { status: response.status, body: await response.text() };
}

describeRedis("the acceptor beside a busy worker thread", () => {
  it("answers deliveries, /healthz and /readyz while the worker thread's event loop is blocked by a job", async () => {
    const { dir, url } = await replica();
    expect(await deliver(url, "first")).toEqual({ status: 202, body: "queued\n" });
    await until(() => existsSync(join(dir, "started-first")), "the worker thread to take the first delivery");
    // The worker thread is stuck in that job until `release` exists: everything below is the acceptor alone.
    expect(await deliver(url, "second")).toEqual({ status: 202, body: "queued\n" });
    expect(await deliver(url, "first")).toEqual({ status: 202, body: "duplicate\n" });
    expect(await fetch(`${url}/healthz`).then((r) => r.json())).toEqual({ status: "ok" });
    expect(await fetch(`${url}/readyz`).then((r) => r.json())).toEqual({ status: "ready", checks: { github: "ok", redis: "ok", worker: "ok" } });
    expect(existsSync(join(dir, "finished-first"))).toBe(false);
    writeFileSync(join(dir, "release"), "");
    await until(() => existsSync(join(dir, "finished-first")) && existsSync(join(dir, "finished-second")), "both deliveries to finish");
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^reqgate_deliveries_total\{event="issue_comment",outcome="queued"\} 2$/m);
    expect(metrics).toMatch(/^reqgate_deliveries_total\{event="issue_comment",outcome="duplicate"\} 1$/m);
  }, 30_000);

  it("stops gracefully: refuses new deliveries at once and resolves only after the running job finished", async () => {
    const { server, dir, url } = await replica();
    expect(await deliver(url, "running")).toEqual({ status: 202, body: "queued\n" });
    await until(() => existsSync(join(dir, "started-running")), "the worker thread to take the delivery");
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    // No new deliveries: the listening socket is closed (a kept-alive connection gets 503 "stopping").
    const late = await deliver(url, "late").then((r) => r.status, () => "refused");
    expect([503, "refused"]).toContain(late);
    expect(existsSync(join(dir, "finished-running"))).toBe(false);
    expect(stopped).toBe(false);
    writeFileSync(join(dir, "release"), "");
    await stopping;
    expect(existsSync(join(dir, "finished-running"))).toBe(true);
  }, 30_000);

  it("reports a worker thread that died, and /readyz says so", async () => {
    const { server, url } = await replica();
    expect(await deliver(url, "crash")).toEqual({ status: 202, body: "queued\n" });
    const error = await server.failed;
    expect(error.message).toBe("the worker thread exited with status 3");
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(503);
    expect(await metrics.text()).toBe("the worker thread is not running\n");
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "not ready", checks: { github: "ok", redis: "ok", worker: "the worker thread is not running" } });
  }, 30_000);
});
