// Per-subject serialisation across replicas: a task for an issue or pull request runs while this
// process holds the subject's lock in Redis (SET NX PX, renewed while the task runs, released by its
// owner only). Within a process tasks of a key queue up locally first (KeyedQueue), so that only one
// of them waits on Redis. A replica that dies holding a lock loses it when the lease runs out.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { KeyedQueue } from "../engine/pipeline.js";
import type { SubjectQueue } from "../app/services.js";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface SubjectLockOptions {
  /** Milliseconds a lock lasts unless renewed (renewed every third of it). */
  leaseMs?: number;
  /** Milliseconds to wait for a lock before the task fails (and its delivery is retried). */
  waitMs?: number;
  prefix?: string;
}

export class SubjectTimeoutError extends Error {
  override name = "SubjectTimeoutError";
}

export class RedisSubjectQueue implements SubjectQueue {
  readonly #local = new KeyedQueue();
  readonly #redis: Redis;
  readonly #lease: number;
  readonly #wait: number;
  readonly #prefix: string;

  constructor(redis: Redis, options: SubjectLockOptions = {}) {
    this.#redis = redis;
    this.#lease = options.leaseMs ?? 30_000;
    this.#wait = options.waitMs ?? 120_000;
    this.#prefix = options.prefix ?? "reqgate:subject:";
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.#local.run(key, () => this.#locked(`${this.#prefix}${key}`, task));
  }

  get size(): number {
    return this.#local.size;
  }

  async #locked<T>(name: string, task: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const deadline = Date.now() + this.#wait;
    let pause = 20;
    while ((await this.#redis.set(name, token, "PX", this.#lease, "NX")) !== "OK") {
      if (Date.now() > deadline) throw new SubjectTimeoutError(`${name} stayed locked for ${this.#wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 250);
    }
    const renew = setInterval(() => {
      this.#redis.eval(RENEW, 1, name, token, String(this.#lease)).catch(() => undefined);
    }, Math.max(50, Math.floor(this.#lease / 3)));
    // A renewal alone must not keep a stopping process alive.
    renew.unref();
    try {
      return await task();
    } finally {
      clearInterval(renew);
      await this.#redis.eval(RELEASE, 1, name, token).catch(() => undefined);
    }
  }
}
