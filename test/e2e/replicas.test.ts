// Two replicas of the App (bin/start.js, each its own process) sharing a real redis-server, against the
// loopback GitHub stand-in: deliveries are acknowledged with 202 once queued, de-duplicated by delivery
// ID across replicas, and a replica killed in the middle of a delivery leaves it to the other, which
// finishes it without a second comment. Health, readiness, metrics and a graceful stop on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { issuesOpened, startStandIn, type StandIn } from "./github-stand-in.js";
import { freePort, redisAvailable, useRedis } from "../support/redis-server.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRET = "replica-secret";
/** Thread priorities are read from /proc. */
const describeLinux = existsSync("/proc/self/task") ? describe : describe.skip;

interface Replica {
  child: ChildProcess;
  port: number;
  output: string;
}

let github: StandIn;
const replicas: Replica[] = [];
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

async function until(done: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${replicas.map((r) => r.output).join("\n---\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startReplica(): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/start.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${github.port}`, GHE_PROTOCOL: "http", HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", LOG_LEVEL: "info", REDIS_URL: redis.url(), REQGATE_LOCK_MS: "1000", REQGATE_BACKOFF_MS: "100", REQGATE_RECONCILE_MINUTES: "0" },
  });
  const replica: Replica = { child, port, output: "" };
  child.stdout.on("data", (chunk: Buffer) => (replica.output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (replica.output += chunk.toString("utf8")));
  replicas.push(replica);
  await until(() => replica.output.includes("Listening on"), "a replica to listen");
  return replica;
}

async function deliver(replica: Replica, id: string, payload: unknown): Promise<{ status: number; body: string; ms: number }> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${replica.port}/api/github/webhooks`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": id, "x-hub-signature-256": signature }, body });
  return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

function opened(): Record<string, unknown> {
  return issuesOpened(readFileSync(new URL("../fixtures/webhooks/issues.opened.json", import.meta.url), "utf8"), { installation: { id: 42 } });
}

const writes = () => github.seen.filter((r) => r.method !== "GET" && r.url !== "/api/graphql" && !r.url.includes("/access_tokens")).map((r) => `${r.method} ${r.url}`);

beforeAll(async () => {
  if (!redisAvailable) return;
  github = await startStandIn({ botLogin: "reqgate" });
}, 30_000);

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  await github?.close();
});
// After the hooks above (jest runs afterAll hooks in the order declared): the replicas end before Redis does.
const redis = useRedis(30_000);
const describeRedis = redis.describe;

describeRedis("two replicas on Redis", () => {
  it("answer /healthz, /readyz (GitHub and Redis) and /metrics", async () => {
    const a = await startReplica();
    await startReplica();
    expect(await fetch(`http://127.0.0.1:${a.port}/healthz`).then((r) => r.json())).toEqual({ status: "ok" });
    // A replica listens before its worker thread has connected to Redis (/readyz says "starting" meanwhile).
    let ready = await fetch(`http://127.0.0.1:${a.port}/readyz`);
    for (let i = 0; ready.status !== 200 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ready = await fetch(`http://127.0.0.1:${a.port}/readyz`);
    }
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { github: "ok", redis: "ok", worker: "ok" } });
    const metrics = await fetch(`http://127.0.0.1:${a.port}/metrics`).then((r) => r.text());
    expect(metrics).toContain("# TYPE reqgate_deliveries_total counter");
    expect(metrics).toMatch(/^reqgate_queue_depth 0$/m);
    expect(metrics).toMatch(/^reqgate_github_requests_total\{method="GET",status="200"\} 1$/m);
  }, 40_000);

  describeLinux("thread priorities", () => {
    it("run the worker thread at nice 10 and the acceptor (the main thread) at 0 (Linux)", () => {
      const pid = replicas[0]!.child.pid!;
      const nice = (tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
      const tasks = readdirSync(`/proc/${pid}/task`);
      expect(nice(String(pid))).toBe(0);
      expect(tasks.filter((tid) => nice(tid) === 10).length).toBeGreaterThanOrEqual(1);
    });
  });

  it("acknowledge with 202 once queued, and a delivery sent to both is handled once", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const first = await deliver(a, "guid-once", opened());
    expect(first).toMatchObject({ status: 202, body: "queued\n" });
    const again = await deliver(b, "guid-once", opened());
    expect(again).toMatchObject({ status: 202, body: "duplicate\n" });
    await until(() => github.comments.length === 1 && github.labels.size === 1, "the comment and the label");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(writes()).toEqual(["POST /api/v3/repos/acme/widgets/issues/7/comments", "POST /api/v3/repos/acme/widgets/labels", "POST /api/v3/repos/acme/widgets/issues/7/labels"]);
    expect(a.output).toContain('"id":"guid-once"');
    const metrics = await fetch(`http://127.0.0.1:${b.port}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^reqgate_deliveries_total\{event="issues",outcome="duplicate"\} 1$/m);
    // The evaluation ran on the worker thread of one of them: its count reaches that replica's /metrics.
    const evaluated = await Promise.all(
      [a, b].map(async (r) => {
        const text = await fetch(`http://127.0.0.1:${r.port}/metrics`).then((res) => res.text());
        return Number(/^reqgate_evaluations_total\{event="issues",outcome="done"\} (\d+)$/m.exec(text)?.[1] ?? 0);
      }),
    );
    expect(evaluated[0]! + evaluated[1]!).toBe(1);
    expect(github.problems()).toEqual([]);
  }, 30_000);

  it("a replica killed while it writes leaves the delivery to the other, which finishes it without a second comment", async () => {
    const [a, b] = replicas as [Replica, Replica];
    // A fresh issue state: no comment yet, and the comment POST will hang until released.
    github.comments.length = 0;
    github.labels.clear();
    let release!: () => void;
    github.hold = new Promise<void>((resolve) => (release = resolve));
    const posts = () => github.seen.filter((r) => r.method === "POST" && r.url.endsWith("/issues/7/comments")).length;
    const before = posts();
    // Stop B taking the job first: SIGSTOP it until A is killed.
    b.child.kill("SIGSTOP");
    expect((await deliver(a, "guid-killed", opened())).status).toBe(202);
    await until(() => posts() === before + 1, "A to post its comment");
    a.child.kill("SIGKILL");
    github.hold = undefined;
    release();
    b.child.kill("SIGCONT");
    // B takes the job once A's lock lapses; it reads the comment A wrote and only completes the label.
    await until(() => github.labels.size === 1, "B to finish the delivery");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(github.comments).toHaveLength(1);
    expect(posts()).toBe(before + 1);
    expect(b.output).toContain('"id":"guid-killed"');
  }, 40_000);

  it("stops on SIGTERM after draining, with exit status 0", async () => {
    const b = replicas[1]!;
    b.child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => b.child.once("exit", resolve));
    expect(code).toBe(0);
    expect(b.output).toContain("stopping: draining deliveries");
  }, 40_000);
});
