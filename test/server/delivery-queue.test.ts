// The durable delivery queue and the subject lock against a real redis-server (started here on a free
// loopback port): de-duplication, coalescing, retries, serialisation across replicas, a dead replica.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { coalesceKey, DeliveryQueue, retryable, type Delivery } from "../../src/server/delivery-queue.js";
import { RedisSubjectQueue } from "../../src/server/subject-lock.js";
import { useRedis } from "../support/redis-server.js";


const open: Array<{ close(): Promise<unknown> }> = [];
let queues = 0;

afterAll(async () => {
  for (const q of open) await q.close().catch(() => undefined);
});
// After the hook above (jest runs afterAll hooks in the order declared): the queues close before Redis stops.
const redis = useRedis(20_000);
const describeRedis = redis.describe;

function replica(name: string, options: Partial<ConstructorParameters<typeof DeliveryQueue>[0]> = {}): DeliveryQueue {
  const queue = new DeliveryQueue({ url: redis.url(), name, backoffMs: 20, concurrency: 4, ...options });
  open.push(queue);
  return queue;
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function pullEvent(id: string, number: number, action = "labeled"): Delivery {
  return { id, name: "pull_request", payload: { action, repository: { id: 5 }, pull_request: { number } } };
}

function comment(id: string, number: number): Delivery {
  return { id, name: "issue_comment", payload: { action: "created", repository: { id: 5 }, issue: { number }, comment: { body: "/reqgate approve" } } };
}

describe("which deliveries coalesce, which errors are retried", () => {
  it("coalesces re-evaluations per subject and kind, never new comments (commands) nor pushes", () => {
    expect(coalesceKey("pull_request", pullEvent("x", 3).payload)).toBe("pull:5#3");
    expect(coalesceKey("pull_request_review", { action: "submitted", repository: { id: 5 }, pull_request: { number: 3 } })).toBe("pull:5#3");
    expect(coalesceKey("issue_comment", { action: "edited", repository: { id: 5 }, issue: { number: 3, pull_request: {} } })).toBe("pull:5#3");
    expect(coalesceKey("issues", { action: "opened", repository: { id: 5 }, issue: { number: 4 } })).toBe("issue:5#4:evaluate");
    expect(coalesceKey("issues", { action: "labeled", repository: { id: 5 }, issue: { number: 4 } })).toBe("issue:5#4:retrace");
    expect(coalesceKey("issue_comment", comment("x", 3).payload)).toBeUndefined();
    expect(coalesceKey("issue_comment", { action: "edited", repository: { id: 5 }, issue: { number: 3 } })).toBeUndefined();
    expect(coalesceKey("push", { repository: { id: 5 }, ref: "refs/heads/main" })).toBeUndefined();
    // A push to a pull request: its sender is recorded as a contributor, so no push stands for another.
    expect(coalesceKey("pull_request", pullEvent("x", 3, "synchronize").payload)).toBeUndefined();
    expect(coalesceKey("check_run", { action: "requested_action", repository: { id: 5 } })).toBeUndefined();
  });

  it("retries GitHub's 5xx, 429 and rate-limit 403s and network failures, not a 404 or a 422", () => {
    expect(retryable({ status: 502, message: "Bad Gateway" })).toBe(true);
    expect(retryable({ status: 429, message: "Too Many Requests" })).toBe(true);
    expect(retryable({ status: 403, message: "You have exceeded a secondary rate limit" })).toBe(true);
    expect(retryable({ status: 403, message: "Forbidden", response: { headers: { "x-ratelimit-remaining": "0" } } })).toBe(true);
    expect(retryable(new Error("connect ECONNREFUSED 127.0.0.1:443"))).toBe(true);
    expect(retryable({ status: 403, message: "Resource not accessible by integration" })).toBe(false);
    expect(retryable({ status: 404, message: "Not Found" })).toBe(false);
    expect(retryable({ status: 422, message: "Validation Failed" })).toBe(false);
    // Probot reports a handler's failure as an AggregateError: retried when any cause is.
    expect(retryable(new AggregateError([{ status: 404 }, { status: 502 }]))).toBe(true);
    expect(retryable(new AggregateError([{ status: 404 }]))).toBe(false);
  });
});

describeRedis("the delivery queue on a real Redis", () => {
  it("processes a delivery once, however often it is delivered", async () => {
    const q = replica(`dedupe-${++queues}`);
    const seen: string[] = [];
    q.start((d) => Promise.resolve(void seen.push(d.id)));
    expect(await q.add(comment("guid-1", 1))).toBe("queued");
    await until(() => seen.length === 1, "the first processing");
    expect(await q.add(comment("guid-1", 1))).toBe("duplicate");
    expect(await q.add(comment("guid-2", 1))).toBe("queued");
    await until(() => seen.length === 2, "the second delivery");
    await sleep(200);
    expect(seen).toEqual(["guid-1", "guid-2"]);
  });

  it("retries a 502 and a secondary rate limit with backoff, fails a 404 at once, and processes a redelivery of a failed delivery again", async () => {
    const outcomes: string[] = [];
    const q = replica(`retry-${++queues}`, { onProcessed: (d, outcome) => outcomes.push(`${d.id} ${outcome}`) });
    const answers: Record<string, Array<object | undefined>> = {
      flaky: [{ status: 502, message: "Bad Gateway" }, { status: 403, message: "You have exceeded a secondary rate limit" }, undefined],
      missing: [{ status: 404, message: "Not Found" }, undefined],
    };
    q.start((d) => {
      const error = answers[d.id]!.shift();
      return error ? Promise.reject(Object.assign(new Error((error as { message: string }).message), error)) : Promise.resolve();
    });
    await q.add(comment("flaky", 1));
    await q.add(comment("missing", 2));
    await until(() => outcomes.length === 4, "three attempts of one, one of the other");
    expect(outcomes.filter((o) => o.startsWith("flaky"))).toEqual(["flaky retry", "flaky retry", "flaky done"]);
    expect(outcomes.filter((o) => o.startsWith("missing"))).toEqual(["missing failed"]);
    // GitHub redelivers the failed one (same delivery ID): it runs again.
    expect(await q.add(comment("missing", 2))).toBe("requeued");
    await until(() => outcomes.length === 5, "the redelivery");
    expect(outcomes[4]).toBe("missing done");
  });

  it("coalesces re-evaluations of a subject: one running and one waiting, whatever arrives meanwhile", async () => {
    const q = replica(`coalesce-${++queues}`);
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    q.start(async (d) => {
      started.push(d.id);
      if (d.id === "e1") await gate;
    });
    expect(await q.add(pullEvent("e1", 7))).toBe("queued");
    await until(() => started.length === 1, "the first evaluation to start");
    for (const id of ["e2", "e3", "e4"]) await q.add(pullEvent(id, 7, "edited"));
    // Another pull request is not held up.
    await q.add(pullEvent("other", 8));
    await until(() => started.includes("other"), "the other pull request");
    release();
    await until(() => started.length === 3, "the waiting evaluation");
    await sleep(300);
    expect(started).toHaveLength(3);
    expect(started.slice(0, 2)).toEqual(["e1", "other"]);
    expect(["e2", "e3", "e4"]).toContain(started[2]);
  });

  it("serialises the work on one subject across two replicas, without losing any", async () => {
    const name = `serial-${++queues}`;
    const spans: Array<{ key: string; start: number; end: number; replica: string }> = [];
    for (const label of ["a", "b"]) {
      const subjects = new RedisSubjectQueue(redis.connect(), { leaseMs: 2000 });
      replica(name).start(async (d) => {
        const key = String((d.payload as { issue: { number: number } }).issue.number);
        await subjects.run(key, async () => {
          const start = Date.now();
          await sleep(15);
          spans.push({ key, start, end: Date.now(), replica: label });
        });
      });
    }
    const adder = replica(name);
    await Promise.all(Array.from({ length: 12 }, (_, i) => adder.add(comment(`s${i}`, i % 3 === 0 ? 2 : 1))));
    await until(() => spans.length === 12, "all twelve");
    for (const key of ["1", "2"]) {
      const mine = spans.filter((s) => s.key === key).sort((x, y) => x.start - y.start);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBeGreaterThanOrEqual(mine[i - 1]!.end);
    }
    expect(spans.filter((s) => s.key === "1")).toHaveLength(8);
    expect(spans.filter((s) => s.key === "2")).toHaveLength(4);
  });

  it("finishes the delivery of a replica killed mid-job (SIGKILL) on another replica", async () => {
    const name = `restart-${++queues}`;
    // The doomed replica: its own process, running the built queue and lock, holding the job forever.
    const script = `
      const { DeliveryQueue } = await import(${JSON.stringify(new URL("../../dist/server/delivery-queue.js", import.meta.url).href)});
      const { RedisSubjectQueue } = await import(${JSON.stringify(new URL("../../dist/server/subject-lock.js", import.meta.url).href)});
      const { Redis } = await import("ioredis");
      const subjects = new RedisSubjectQueue(new Redis(process.argv[1]), { leaseMs: 600 });
      const q = new DeliveryQueue({ url: process.argv[1], name: process.argv[2], lockDurationMs: 600, stalledIntervalMs: 300 });
      q.start(() => subjects.run("9", () => { process.stdout.write("taken\\n"); return new Promise(() => {}); }));
      await q.add({ id: "orphan", name: "issue_comment", payload: { action: "created", repository: { id: 5 }, issue: { number: 9 } } });
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, redis.url(), name], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    await until(() => out.includes("taken"), "the doomed replica to take the delivery");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const done: string[] = [];
    const subjects = new RedisSubjectQueue(redis.connect(), { leaseMs: 600 });
    replica(name, { lockDurationMs: 600, stalledIntervalMs: 300 }).start(async (d) => {
      await subjects.run("9", () => Promise.resolve(void done.push(d.id)));
    });
    await until(() => done.length === 1, "the survivor to finish the orphaned delivery", 15_000);
    await sleep(300);
    expect(done).toEqual(["orphan"]);
  }, 25_000);
});
