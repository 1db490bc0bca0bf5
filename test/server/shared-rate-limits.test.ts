// GitHub's rate limits shared through a real redis-server: a limit one client got makes the other
// clients of the installation (each on its own Redis connection, as on other replicas) wait; and
// Probot's throttling, clustered on REDIS_URL, spaces the writes of two processes as one.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { reqgateOctokit } from "../../src/github/octokit.js";
import { RateLimitPauseError, redisPauseStore, sharedRateLimits } from "../../src/server/shared-rate-limits.js";
import { redisAvailable, useRedis } from "../support/redis-server.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const API = "https://api.github.com";
const redis = useRedis(30_000);
const describeRedis = redis.describe;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});

function noPendingMocks(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
}

afterEach(noPendingMocks);

interface Logged {
  message: string;
  fields: object;
}

/** A client of installation 42 as a replica has it: reqgate's handlers, its own Redis connection. */
function replicaClient(logged: Logged[] = []) {
  const connection = redis.connect();
  const Octokit = reqgateOctokit((o) => ({ ...o, retry: { enabled: false }, throttle: { ...o.throttle, retryAfterBaseValue: 1 } })).plugin(sharedRateLimits(redisPauseStore(connection)) as never);
  const log = { warn: (fields: object, message: string) => logged.push({ message, fields }), info: () => undefined, debug: () => undefined, error: () => undefined };
  return new Octokit({ auth: { token: "ghs_test" }, throttle: { id: "42" }, log: log as never });
}

const SECONDARY = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" };

describeRedis("rate limits shared through Redis", () => {
  it("a secondary limit that one replica got makes another replica's request wait retry-after before it is sent", async () => {
    const logged: Logged[] = [];
    const a = replicaClient(logged);
    const b = replicaClient();
    const arrivals: Record<string, number> = {};
    nock(API)
      .get("/repos/acme/widgets")
      .reply(403, SECONDARY, { "retry-after": "2", "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4990", "x-ratelimit-reset": "1999999999", "x-ratelimit-resource": "core" })
      .get("/repos/acme/widgets")
      .reply(200, { name: "widgets" })
      .get("/repos/acme/widgets/issues/7")
      .reply(200, () => {
        arrivals.b = Date.now();
        return { number: 7 };
      });

    // Replica A: the limit, reqgate's handler (retry), its own retry after retry-after (1 ms a second here).
    expect((await a.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" })).data).toEqual({ name: "widgets" });
    expect(logged.map((l) => l.message)).toEqual(["secondary rate limit"]);
    const probe = redis.connect();
    // The pause lands in Redis (written beside A's retry); then replica B asks.
    let left = 0;
    for (let i = 0; i < 100 && left <= 0; i++) {
      left = await probe.pttl("reqgate:github-pause:installation-42");
      if (left <= 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(2000);
    const asked = Date.now();
    expect((await b.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { owner: "acme", repo: "widgets", issue_number: 7 })).data).toEqual({ number: 7 });
    // B's request reached GitHub only once the pause A recorded was over.
    expect(arrivals.b! - asked).toBeGreaterThanOrEqual(left - 5);
    expect(await probe.pttl("reqgate:github-pause:installation-42")).toBe(-2);
  }, 20_000);

  it("after a primary limit, the other replicas send nothing until the reset: a wait past two minutes fails at once, retryable", async () => {
    const logged: Logged[] = [];
    const a = replicaClient(logged);
    const b = replicaClient();
    const reset = Math.floor(Date.now() / 1000) + 600;
    nock(API)
      .get("/repos/acme/widgets/pulls/3")
      .reply(403, { message: "API rate limit exceeded for installation ID 42.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000", "x-ratelimit-reset": String(reset), "x-ratelimit-resource": "core" });

    await expect(a.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: "acme", repo: "widgets", pull_number: 3 })).rejects.toMatchObject({ status: 403 });
    expect(logged).toEqual([{ message: "primary rate limit", fields: expect.objectContaining({ retry: false }) as object }]);
    const probe = redis.connect();
    let left = 0;
    for (let i = 0; i < 100 && left <= 0; i++) {
      left = await probe.pttl("reqgate:github-pause:installation-42");
      if (left <= 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Until the reset (600 s, plus the plugin's extra second).
    expect(left).toBeGreaterThan(590_000);
    expect(left).toBeLessThanOrEqual(602_000);
    // No mock for B's request: it must not be sent at all.
    const refused = b.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: "acme", repo: "widgets", pull_number: 4 });
    await expect(refused).rejects.toBeInstanceOf(RateLimitPauseError);
    await expect(refused).rejects.toThrow("GitHub asked installation-42 to wait 60");
    await probe.del("reqgate:github-pause:installation-42");
  }, 20_000);

  it("a shorter retry-after never shortens a pause already set, and another installation is not paused", async () => {
    const connection = redis.connect();
    const store = redisPauseStore(connection, "reqgate:test-pause:");
    await store.pause("installation-1", 30_000);
    await store.pause("installation-1", 1_000);
    expect(await store.remaining("installation-1")).toBeGreaterThan(29_000);
    expect(await store.remaining("installation-2")).toBe(0);
    await store.pause("installation-1", 45_000);
    expect(await store.remaining("installation-1")).toBeGreaterThan(44_000);
    await connection.del("reqgate:test-pause:installation-1");
  });

  it("when Redis cannot be read, requests go on unpaused and the error is reported", async () => {
    const errors: unknown[] = [];
    const broken = { remaining: () => Promise.reject(new Error("connection refused")), pause: () => Promise.reject(new Error("connection refused")) };
    const Octokit = reqgateOctokit((o) => ({ ...o, retry: { enabled: false }, throttle: { ...o.throttle, retryAfterBaseValue: 1 } })).plugin(sharedRateLimits(broken, { onError: (e) => errors.push(e) }) as never);
    const octokit = new Octokit({ auth: { token: "ghs_test" }, throttle: { id: "42" } });
    nock(API).get("/repos/acme/widgets").reply(200, { name: "widgets" });
    expect((await octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" })).data).toEqual({ name: "widgets" });
    expect(errors).toEqual([new Error("connection refused")]);
  });

  describe("Probot's throttling clustered on REDIS_URL", () => {
    let server: Server;
    const writes: number[] = [];
    beforeAll(async () => {
      if (!redisAvailable) return;
      server = createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          if (req.method === "POST") writes.push(Date.now());
          res.writeHead(200, { "content-type": "application/json" }).end("[]");
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    it("two processes' writes share one limiter in Redis: one write a second between them, not one each", async () => {
      const { port } = server.address() as AddressInfo;
      // Each process: a Probot with REDIS_URL (as createProbot gives it), two label writes on a "go".
      const script = `
        import { createProbot, ProbotOctokit } from "probot";
        const probot = createProbot({ env: { REDIS_URL: ${JSON.stringify(redis.url())}, LOG_LEVEL: "error" }, overrides: { githubToken: "ghs_test", baseUrl: "http://127.0.0.1:${port}", Octokit: ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false } })) } });
        const octokit = await probot.auth();
        process.stdout.write("ready\\n");
        process.stdin.once("data", async () => {
          await Promise.all([1, 2].map((n) => octokit.request("POST /repos/acme/widgets/issues/{n}/labels", { n, labels: ["x"] })));
          process.stdout.write("done\\n");
          process.exit(0);
        });`;
      const children = [0, 1].map(() => spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] }));
      const said = (child: (typeof children)[number], word: string) =>
        new Promise<void>((resolve, reject) => {
          let out = "";
          child.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString("utf8");
            if (out.includes(word)) resolve();
          });
          child.once("exit", (code) => (out.includes(word) ? resolve() : reject(new Error(`child exited with ${code} before saying ${word}`))));
        });
      await Promise.all(children.map((c) => said(c, "ready")));
      const done = Promise.all(children.map((c) => said(c, "done")));
      for (const c of children) c.stdin.write("go\n");
      await done;

      expect(writes).toHaveLength(4);
      // Bottleneck's write group (one a second) keeps its state in Redis: each process's limiter is
      // registered there, and the four writes came one after another (three gaps of a second), not two
      // at a time (one process alone would have taken a second for its two).
      const probe = redis.connect();
      expect(await probe.hget("b_octokit-write-no-id_settings", "minTime")).toBe("1000");
      expect(await probe.zcard("b_octokit-write-no-id_client_last_registered")).toBe(2);
      writes.sort((x, y) => x - y);
      expect(writes[3]! - writes[0]!).toBeGreaterThanOrEqual(2000);
    }, 40_000);
  });
});
