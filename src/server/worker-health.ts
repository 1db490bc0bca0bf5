// Whether the queue's worker still processes (worker.ts). BullMQ's worker never gives up on its own: on
// an error it reports it (`error` event) and tries again, forever. That is right while Redis is
// unreachable (the worker goes on once it is back; /readyz says Redis is down, and a restart would not
// help). But an error that is Redis refusing the worker's commands (an ACL without BZPOPMIN or EVALSHA,
// OOM, a proxy answering errors) would leave a replica that looks alive, acknowledging deliveries it
// never processes. So: errors other than the connection's that keep coming (no two more than `gapMs`
// apart) for `failMs`, with nothing processed or found empty in between, make the worker `failed`, and
// the worker thread ends (the replica exits 1 for its supervisor: bin/start.js). The deliveries stay in
// Redis for whichever worker can take them.
import { connectionError } from "./delivery-queue.js";

export interface WorkerHealthOptions {
  /** How long errors may keep coming before the worker is failed. */
  failMs: number;
  /** Errors further apart than this start a new run (BullMQ retries its loop every 15 s at most). */
  gapMs?: number;
  now?: () => number;
}

export type HealthChange = { state: "failing"; since: number; error: Error } | { state: "failed"; since: number; error: Error } | { state: "ok" };

export class WorkerHealth {
  readonly #failMs: number;
  readonly #gapMs: number;
  readonly #now: () => number;
  #since: number | undefined;
  #last = 0;
  #failed = false;

  constructor(options: WorkerHealthOptions) {
    this.#failMs = options.failMs;
    this.#gapMs = options.gapMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /** An error the worker reported: what changed (failing: the first of a run; failed: the run lasted failMs), or undefined. */
  error(error: Error): HealthChange | undefined {
    if (this.#failed || connectionError(error)) return undefined;
    const now = this.#now();
    const fresh = this.#since === undefined || now - this.#last > this.#gapMs;
    this.#last = now;
    if (fresh) {
      this.#since = now;
      return { state: "failing", since: now, error };
    }
    if (now - this.#since! >= this.#failMs) {
      this.#failed = true;
      return { state: "failed", since: this.#since!, error };
    }
    return undefined;
  }

  /** The worker took a job, finished one, or found the queue empty: it works. */
  progress(): HealthChange | undefined {
    if (this.#failed || this.#since === undefined) return undefined;
    this.#since = undefined;
    return { state: "ok" };
  }
}
