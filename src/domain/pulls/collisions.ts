// Pull requests that collide (SPEC 2.7): two open pull requests that add the same requirement ID, add the
// same change record ID, or change the same requirement under different change records cannot both merge
// as they are; each one's `reqgate/baseline` names the other, so the second to merge rebases and
// renumbers. Pure: what a pull request touches (`touchesOf`), kept in its own baseline run (a hidden
// record, so the App finds every open pull request's touches in one paginated query, never by reading
// their files), and the collisions of one pull request with the others (`findCollisions`).
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import { needsChangeRecord } from "../baseline/baseline.js";
import { cmp } from "../core/diagnostic.js";

/** What a pull request's change touches, as its baseline run records it. */
export interface Touches {
  pr: number;
  /** Requirement IDs it adds to the baseline. */
  added: string[];
  /** Change record IDs it adds. */
  records: string[];
  /** Requirements it changes otherwise (modified, status changed, retired, removed), each with its record ("" when none). */
  changed: Array<[string, string]>;
  /** The pull requests its last evaluation found it collides with. */
  collides: number[];
}

/** Each list is kept to this many IDs: a larger change still collides on the first ones, and says it is cut. */
export const MAX_TOUCHED = 300;

export function touchesOf(pr: number, evaluation: ChangeEvaluation): Touches {
  const added: string[] = [];
  const changed: Array<[string, string]> = [];
  for (const c of evaluation.changes) {
    if (c.kind === "added") added.push(c.id);
    else if (needsChangeRecord(c.kind)) changed.push([c.id, c.record ?? ""]);
  }
  const records = evaluation.records.filter((r) => r.kind === "added").map((r) => r.record.id);
  return { pr, added: added.slice(0, MAX_TOUCHED), records: records.slice(0, MAX_TOUCHED), changed: changed.slice(0, MAX_TOUCHED), collides: [] };
}

export function touchesNothing(t: Touches): boolean {
  return t.added.length === 0 && t.records.length === 0 && t.changed.length === 0;
}

export interface Collision {
  pr: number;
  /** Plain sentences: "both add REQ-7". */
  reasons: string[];
}

/** At most this many colliding pull requests are named (the rest are counted). */
export const MAX_COLLISIONS = 20;

/**
 * The other pull requests `own` collides with, by pull request number. Linear in the IDs touched: the
 * others are indexed once by ID.
 */
export function findCollisions(own: Touches, others: readonly Touches[]): Collision[] {
  if (touchesNothing(own)) return [];
  const addedBy = new Map<string, number[]>();
  const recordsBy = new Map<string, number[]>();
  const changedBy = new Map<string, Array<[number, string]>>();
  for (const o of others) {
    if (o.pr === own.pr) continue;
    for (const id of o.added) push(addedBy, id, o.pr);
    for (const id of o.records) push(recordsBy, id, o.pr);
    for (const [id, record] of o.changed) push(changedBy, id, [o.pr, record]);
  }
  const reasons = new Map<number, string[]>();
  const say = (pr: number, reason: string) => push(reasons, pr, reason);
  for (const id of own.added) for (const pr of addedBy.get(id) ?? []) say(pr, `both add ${id}`);
  for (const id of own.records) for (const pr of recordsBy.get(id) ?? []) say(pr, `both add change record ${id}`);
  for (const [id, record] of own.changed) {
    for (const [pr, theirs] of changedBy.get(id) ?? []) {
      if (record !== "" && record === theirs) continue; // one decision, split over two pull requests
      say(pr, `both change ${id} (${record || "no change record"} here, ${theirs || "no change record"} there)`);
    }
  }
  return [...reasons].map(([pr, list]) => ({ pr, reasons: list.sort(cmp) })).sort((a, b) => a.pr - b.pr);
}

/** The hidden record's payload (compact: the run summary carries it). */
export function touchesData(t: Touches): Record<string, unknown> {
  return { pr: t.pr, a: t.added, r: t.records, c: t.changed, x: t.collides };
}

const ID = /^[A-Z][A-Z0-9_]{0,19}-[0-9]{1,9}$/;

/** Touches read back from a run (written by this App, read defensively: never throws). */
export function touchesFromData(data: unknown): Touches | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.pr !== "number" || !Number.isSafeInteger(d.pr) || d.pr <= 0) return undefined;
  const ids = (v: unknown) => (Array.isArray(v) ? v.slice(0, MAX_TOUCHED).filter((x): x is string => typeof x === "string" && ID.test(x)) : []);
  const changed = Array.isArray(d.c)
    ? d.c.slice(0, MAX_TOUCHED).flatMap((p): Array<[string, string]> => (Array.isArray(p) && typeof p[0] === "string" && ID.test(p[0]) && typeof p[1] === "string" && (p[1] === "" || ID.test(p[1])) ? [[p[0], p[1]]] : []))
    : [];
  const collides = Array.isArray(d.x) ? d.x.slice(0, MAX_COLLISIONS * 5).filter((n): n is number => typeof n === "number" && Number.isSafeInteger(n) && n > 0) : [];
  return { pr: d.pr, added: ids(d.a), records: ids(d.r), changed, collides };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
