// GitHub's rate limits shared by the replicas (REDIS_URL), in two parts:
// - the spacing of requests: Probot clusters its throttling (@octokit/plugin-throttling) through
//   Bottleneck's Redis store when it is given REDIS_URL, so the per-installation groups (10 requests at
//   once, one write or GraphQL query a second, one notifying write every 3 s) count every replica's
//   requests together;
// - a limit GitHub reported: the throttling plugin waits `retry-after` (or the reset) only in the
//   process that got the 403 or 429. This plugin shares that wait: the limit handlers of octokit.ts
//   call `sharePause`, which records a pause for the installation in Redis (a key with a TTL, so that
//   no clocks are compared across machines), and every request of every replica first waits out its
//   installation's pause. A pause longer than `maxWaitMs` fails the request at once (RateLimitPauseError,
//   which the delivery queue retries with backoff) rather than holding a worker for it.
import type { Redis } from "ioredis";

export interface PauseStore {
  /** Milliseconds left of the pause of `key`; 0 when there is none. */
  remaining(key: string): Promise<number>;
  /** Pauses `key` for `ms` milliseconds unless a longer pause is set already. */
  pause(key: string, ms: number): Promise<void>;
}

// Only ever lengthens a pause: a short retry-after seen later must not cut a long one short.
const PAUSE = `local left = redis.call("pttl", KEYS[1]) if left < tonumber(ARGV[1]) then redis.call("set", KEYS[1], "1", "PX", ARGV[1]) end return 1`;

export function redisPauseStore(redis: Redis, prefix = "reqgate:github-pause:"): PauseStore {
  return {
    async remaining(key) {
      return Math.max(0, await redis.pttl(`${prefix}${key}`));
    },
    async pause(key, ms) {
      await redis.eval(PAUSE, 1, `${prefix}${key}`, String(Math.ceil(ms)));
    },
  };
}

export class RateLimitPauseError extends Error {
  override name = "RateLimitPauseError";
}

export interface SharedRateLimitOptions {
  /** A pause longer than this fails the request instead of waiting (default 2 minutes). */
  maxWaitMs?: number;
  /** Called when a request waited for a pause another request (of any replica) recorded. */
  onWait?: (key: string, ms: number) => void;
  /** Called when the store cannot be read or written: requests then go on unpaused. */
  onError?: (error: unknown) => void;
}

interface PluginOctokit {
  hook: { before(name: "request", hook: () => Promise<void>): void };
}

interface PluginOptions {
  throttle?: { id?: string | number };
}

export interface SharedPause {
  /** Every replica's requests for this installation wait `seconds` from now. */
  sharePause(seconds: number): void;
}

/**
 * The Octokit plugin. The pause is per installation: Probot sets the throttling `id` of an
 * installation's client to the installation ID (the App's own client has none: key `app`).
 */
export function sharedRateLimits(store: PauseStore, options: SharedRateLimitOptions = {}): (octokit: PluginOctokit, octokitOptions: PluginOptions) => SharedPause {
  const maxWait = options.maxWaitMs ?? 120_000;
  const onError = options.onError ?? (() => undefined);
  return (octokit, octokitOptions) => {
    const id = octokitOptions.throttle?.id;
    const key = id === undefined || id === "no-id" ? "app" : `installation-${id}`;
    octokit.hook.before("request", async () => {
      // Re-read after each sleep: another replica may have lengthened the pause meanwhile.
      for (;;) {
        let left: number;
        try {
          left = await store.remaining(key);
        } catch (error) {
          onError(error);
          return;
        }
        if (left <= 0) return;
        if (left > maxWait) throw new RateLimitPauseError(`GitHub asked ${key} to wait ${Math.ceil(left / 1000)} s (a rate limit, shared by the replicas): not waited for here, the delivery is retried later`);
        options.onWait?.(key, left);
        await new Promise((resolve) => setTimeout(resolve, left + 10));
      }
    });
    return {
      sharePause(seconds) {
        if (!(seconds > 0)) return;
        store.pause(key, seconds * 1000).catch(onError);
      },
    };
  };
}
