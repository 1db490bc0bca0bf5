// When a queue worker counts as failed (worker-health.ts), on a clock the test moves: errors other than
// the connection's that keep coming for failMs with no progress between them; and the helpers it relies on.
import { describe, expect, it } from "@jest/globals";
import { connectionError, redisTarget } from "../../src/server/delivery-queue.js";
import { WorkerHealth } from "../../src/server/worker-health.js";

function clock(): { now: () => number; at(ms: number): void } {
  let t = 1_000_000;
  return { now: () => t, at: (ms) => (t = 1_000_000 + ms) };
}

const refused = () => new Error("NOPERM this user has no permissions to run the 'bzpopmin' command");

describe("WorkerHealth", () => {
  it("fails a worker whose errors keep coming for failMs, reporting the first of the run and then the failure once", () => {
    const time = clock();
    const health = new WorkerHealth({ failMs: 1000, gapMs: 300, now: time.now });
    const first = refused();
    expect(health.error(first)).toEqual({ state: "failing", since: 1_000_000, error: first });
    time.at(250);
    expect(health.error(refused())).toBeUndefined();
    time.at(500);
    expect(health.error(refused())).toBeUndefined();
    time.at(750);
    expect(health.error(refused())).toBeUndefined();
    time.at(1000);
    const last = refused();
    expect(health.error(last)).toEqual({ state: "failed", since: 1_000_000, error: last });
    time.at(1200);
    expect(health.error(refused())).toBeUndefined();
    expect(health.progress()).toBeUndefined();
  });

  it("starts again after progress: a job taken, finished, or the queue found empty", () => {
    const time = clock();
    const health = new WorkerHealth({ failMs: 1000, gapMs: 300, now: time.now });
    expect(health.error(refused())).toMatchObject({ state: "failing", since: 1_000_000 });
    time.at(200);
    expect(health.progress()).toEqual({ state: "ok" });
    expect(health.progress()).toBeUndefined();
    time.at(400);
    expect(health.error(refused())).toMatchObject({ state: "failing", since: 1_000_400 });
    for (const ms of [650, 900, 1150]) {
      time.at(ms);
      expect(health.error(refused())).toBeUndefined();
    }
    time.at(1400);
    expect(health.error(refused())).toMatchObject({ state: "failed", since: 1_000_400 });
  });

  it("starts a new run after a gap longer than gapMs (two errors an hour apart are not a failure)", () => {
    const time = clock();
    const health = new WorkerHealth({ failMs: 1000, now: time.now });
    expect(health.error(refused())).toMatchObject({ state: "failing", since: 1_000_000 });
    time.at(3_600_000);
    expect(health.error(refused())).toMatchObject({ state: "failing", since: 4_600_000 });
  });

  it("does not count Redis being unreachable: the worker waits for it", () => {
    const time = clock();
    const health = new WorkerHealth({ failMs: 1000, gapMs: 300, now: time.now });
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "ECONNREFUSED" });
    for (let ms = 0; ms <= 5000; ms += 100) {
      time.at(ms);
      expect(health.error(down)).toBeUndefined();
    }
    expect(health.progress()).toBeUndefined();
  });
});

describe("connectionError", () => {
  it("is true for a connection refused, reset, timed out or closed, and for ioredis's gave-up and no-offline-queue errors", () => {
    expect(connectionError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(connectionError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(connectionError(Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" }))).toBe(true);
    expect(connectionError(Object.assign(new Error("getaddrinfo ENOTFOUND redis"), { code: "ENOTFOUND" }))).toBe(true);
    expect(connectionError(Object.assign(new Error("getaddrinfo EAI_AGAIN redis"), { code: "EAI_AGAIN" }))).toBe(true);
    expect(connectionError(new Error("Connection is closed."))).toBe(true);
    expect(connectionError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(connectionError(Object.assign(new Error("Reached the max retries per request limit (which is 0)."), { name: "MaxRetriesPerRequestError" }))).toBe(true);
  });

  it("is false for Redis refusing a command, and for what is not an error", () => {
    expect(connectionError(refused())).toBe(false);
    expect(connectionError(new Error("OOM command not allowed when used memory > 'maxmemory'."))).toBe(false);
    expect(connectionError(undefined)).toBe(false);
  });
});

describe("redisTarget", () => {
  it("drops the credentials of a Redis URL, keeps its scheme, host, port and database", () => {
    expect(redisTarget("redis://reqgate:s3cret@cache.internal:6380/2")).toBe("redis://cache.internal:6380/2");
    expect(redisTarget("rediss://:token@cache.example.com")).toBe("rediss://cache.example.com");
    expect(redisTarget("not a url")).toBe("(REDIS_URL is not a URL)");
  });
});
