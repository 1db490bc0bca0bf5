// A bounded least-recently-used map: the in-memory caches of the App (ETags, parsed blobs) must not
// grow with the number of repositories or files the process has seen. Optionally also bounded by a
// total weight (bytes of cached file contents).
export class Lru<K, V> {
  readonly #max: number;
  readonly #maxWeight: number;
  readonly #weigh: ((value: V) => number) | undefined;
  readonly #map = new Map<K, V>();
  #weight = 0;

  constructor(max: number, weight?: { max: number; weigh: (value: V) => number }) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("an LRU needs room for at least one entry");
    this.#max = max;
    this.#maxWeight = weight?.max ?? Infinity;
    this.#weigh = weight?.weigh;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The total weight of the entries (0 without a weigher). */
  get weight(): number {
    return this.#weight;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is always the least recently used.
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const w = this.#weigh ? this.#weigh(value) : 0;
    // A value heavier than the whole cache is not kept.
    if (w > this.#maxWeight) return;
    this.#map.set(key, value);
    this.#weight += w;
    while (this.#map.size > this.#max || this.#weight > this.#maxWeight) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: K): void {
    const value = this.#map.get(key);
    if (value === undefined) return;
    this.#map.delete(key);
    if (this.#weigh) this.#weight -= this.#weigh(value);
  }
}
