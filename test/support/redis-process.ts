// A real redis-server process: Debian's package, started on a free loopback port (or a given one: a
// test that stops Redis and starts it again on the same URL) with no persistence, stopped by its pid.
// Without jest, so that bench/app-fleet.js can bundle it; test/support/redis-server.ts adds the suites' useRedis().
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

/**
 * Starts redis-server on `port` (a free one unless given). With `dir`, it keeps its data there in an
 * append-only file written on every command (as a production Redis keeps a queue): stopped and started
 * again with the same `dir`, it has the same keys.
 */
export async function startRedis(port?: number, { dir }: { dir?: string } = {}): Promise<RedisServer> {
  port ??= await freePort();
  const persistence = dir ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", dir] : ["--appendonly", "no"];
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--protected-mode", "yes"], { stdio: ["ignore", "pipe", "pipe"] });
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

