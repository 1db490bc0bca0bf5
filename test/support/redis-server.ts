// A real redis-server for the tests that need one: Debian's package, started on a free loopback port
// with no persistence, stopped by its pid. Where it is not installed, `redisAvailable` is false and the
// suites skip with a message that says how to install it (`.ci/run` installs it).
import { afterAll, beforeAll, describe } from "@jest/globals";
import { Redis } from "ioredis";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export const redisAvailable = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0;
export const REDIS_MISSING = "redis-server is not installed: `apt-get install -y redis-server` (or run .ci/run, which installs it). These tests need a real Redis.";

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A loopback port free just now (for redis-server, or a server a test starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${output}`)), 10_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners("exit");
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * A suite's real Redis: started before its tests and stopped after them, with every connection
 * `connect()` opened closed first. `describe` is jest's, or its skip (with the message) where
 * redis-server is not installed.
 */
export function useRedis(startTimeout = 30_000): { describe: typeof describe | typeof describe.skip; url(): string; connect(): Redis } {
  if (!redisAvailable) console.warn(REDIS_MISSING);
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    if (redisAvailable) server = await startRedis();
  }, startTimeout);
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });
  const url = () => {
    if (!server) throw new Error("redis-server is not running");
    return server.url;
  };
  return {
    describe: redisAvailable ? describe : describe.skip,
    url,
    connect: () => {
      const client = new Redis(url());
      clients.push(client);
      return client;
    },
  };
}
