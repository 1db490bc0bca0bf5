// A real redis-server for the tests that need one: Debian's package, started on a free loopback port
// with no persistence, stopped by its pid. Where it is not installed, `redisAvailable` is false and the
// suites skip with a message that says how to install it (`.ci/run` installs it).
import { afterAll, beforeAll, describe } from "@jest/globals";
import { Redis } from "ioredis";
import { REDIS_MISSING, redisAvailable, startRedis, type RedisServer } from "./redis-process.js";

export { freePort, REDIS_MISSING, redisAvailable, startRedis, type RedisServer } from "./redis-process.js";

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
