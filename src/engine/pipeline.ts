// The shape every evaluation has: gather a plain snapshot, decide synchronously, publish. Loading
// errors propagate before anything is written (an evaluation that cannot read GitHub changes nothing
// and fails the delivery, so that it can be redelivered), and evaluations of the same subject run one
// at a time within the process, so that two deliveries of one event cannot both create a comment.

export interface Pipeline<Snapshot, Result> {
  load(): Promise<Snapshot | undefined>;
  evaluate(snapshot: Snapshot): Result;
  publish(result: Result, snapshot: Snapshot): Promise<void>;
}

/** Runs one evaluation; undefined when there was nothing to evaluate. */
export async function runPipeline<Snapshot, Result>(pipeline: Pipeline<Snapshot, Result>): Promise<Result | undefined> {
  const snapshot = await pipeline.load();
  if (snapshot === undefined) return undefined;
  const result = pipeline.evaluate(snapshot);
  await pipeline.publish(result, snapshot);
  return result;
}

/** Runs tasks one after the other per key (e.g. `owner/repo#12`); different keys run concurrently. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
