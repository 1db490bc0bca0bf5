// Pull requests that collide (SPEC 2.7): two open pull requests into the same branch that add the same
// requirement ID, add the same change record ID, or change the same requirement under different change
// records cannot both merge as they are. Each one's `reqgate/baseline` names the other; the second to
// merge rebases and renumbers.
//
// Finding the others cheaply: each `reqgate/baseline` run carries its pull request's claims (what it adds
// and changes: a hidden record, bounded, next to the approval ledger at the start of the summary), so one
// paginated query of the open pull requests' head runs gives every claim, never their files. The claims
// are written by this App only (only the App that created a run can write it), but they are computed from
// untrusted pull-request content: they are bounded in count and length on write, and re-validated on read
// (IDs of the PREFIX-NUMBER shape only).
//
// And once the first has merged: the base branch's lock now has what the second one claims, so the
// second's claims are also checked against the base branch's lock as it is now (`movedOnBase`), until it
// is rebased (then its own diff sees the ID as existing, or the requirement as changed, and says so).
import { needsChangeRecord, type Lock } from "../baseline/baseline.js";
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import { cmp } from "../core/diagnostic.js";
import { MARKER, readHiddenLeading, writeHidden } from "../core/hidden-data.js";
import { isIdShape } from "../requirements/ids.js";

/** What a pull request adds and changes, as its `reqgate/baseline` run records it. */
export interface Claims {
  pr: number;
  /** The branch it is based on: only pull requests into the same branch collide. */
  base: string;
  /** Requirement IDs it introduces (baselined or draft). Sorted. */
  added: string[];
  /** Change record IDs it adds. Sorted. */
  records: string[];
  /** Requirements it changes otherwise (modified, status changed, retired, removed, scope), each with its change record ("" when none). Sorted by ID. */
  changed: Array<[string, string]>;
  /** True when the record cannot carry every list whole (`MAX_CLAIMS`, `MAX_CLAIMS_CHARS`): other pull requests see only the first IDs. */
  cut: boolean;
  /** The pull requests its last evaluation found it collides with. */
  collides: number[];
}

/** Each list keeps at most this many IDs (about 15 characters each): the record stays a few kilobytes in a 65,535-character summary. */
export const MAX_CLAIMS = 300;
/** At most this many colliding pull requests are kept and named; the rest are counted. */
export const MAX_COLLISIONS = 20;
/** Longest branch name kept in a record (GitHub's refs are at most 255 bytes). */
const MAX_BRANCH = 255;

export function claimsOf(pr: number, base: string, evaluation: ChangeEvaluation): Claims {
  const added = new Set(evaluation.introduced ?? evaluation.changes.filter((c) => c.kind === "added").map((c) => c.id));
  const changed = new Map<string, string>();
  for (const c of evaluation.changes) if (needsChangeRecord(c.kind) && c.kind !== "added" && !added.has(c.id)) changed.set(c.id, c.record ?? "");
  for (const s of evaluation.scope) if (!changed.has(s.id)) changed.set(s.id, s.record ?? "");
  const records = [...new Set(evaluation.records.filter((r) => r.kind === "added").map((r) => r.record.id))].sort(cmp);
  const addedList = [...added].sort(cmp);
  const changedList = [...changed].sort((a, b) => cmp(a[0], b[0]));
  const claims: Claims = { pr, base: base.slice(0, MAX_BRANCH), added: addedList, records, changed: changedList, cut: false, collides: [] };
  // Cut when the record cannot carry every list whole (by count or by its budget).
  claims.cut = fitClaims(claims).cut;
  return claims;
}

export function claimsNothing(c: Claims): boolean {
  return c.added.length === 0 && c.records.length === 0 && c.changed.length === 0;
}

/** Why two pull requests collide, one ID at a time. */
export type CollisionReason =
  | { kind: "adds"; id: string }
  | { kind: "adds-record"; id: string }
  | { kind: "changes"; id: string; ours: string; theirs: string };

export interface Collision {
  pr: number;
  reasons: CollisionReason[];
}

/**
 * The other pull requests `own` collides with, by pull request number (at most `MAX_COLLISIONS`; `more`
 * counts the rest). Linear in the IDs claimed: the others are indexed once by ID. Pull requests into
 * another branch, and `own`'s own record, are not others.
 */
export function findCollisions(own: Claims, others: readonly Claims[]): { collisions: Collision[]; more: number } {
  if (claimsNothing(own)) return { collisions: [], more: 0 };
  const addedBy = new Map<string, number[]>();
  const recordsBy = new Map<string, number[]>();
  const changedBy = new Map<string, Array<[number, string]>>();
  for (const o of others) {
    if (o.pr === own.pr || o.base !== own.base) continue;
    for (const id of o.added) push(addedBy, id, o.pr);
    for (const id of o.records) push(recordsBy, id, o.pr);
    for (const [id, record] of o.changed) push(changedBy, id, [o.pr, record]);
  }
  const reasons = new Map<number, CollisionReason[]>();
  for (const id of own.added) for (const pr of addedBy.get(id) ?? []) push(reasons, pr, { kind: "adds", id });
  for (const id of own.records) for (const pr of recordsBy.get(id) ?? []) push(reasons, pr, { kind: "adds-record", id });
  for (const [id, ours] of own.changed) {
    for (const [pr, theirs] of changedBy.get(id) ?? []) {
      // The same change record in both: one decision split over two pull requests, not a collision.
      if (ours !== "" && ours === theirs) continue;
      push(reasons, pr, { kind: "changes", id, ours, theirs });
    }
  }
  const all = [...reasons].map(([pr, list]) => ({ pr, reasons: list })).sort((a, b) => a.pr - b.pr);
  return { collisions: all.slice(0, MAX_COLLISIONS), more: Math.max(0, all.length - MAX_COLLISIONS) };
}

/**
 * The pull requests to evaluate again after `own` was evaluated: those whose recorded view of the pair
 * disagrees with what `own`'s evaluation found (a new collision they do not name yet, or one they still
 * name that is gone). When `others` were not read (`own` claims nothing now), every pull request `own`
 * collided with before. Bounded by `MAX_COLLISIONS` twice over.
 */
export function toReevaluate(own: Claims, found: readonly Collision[], others: readonly Claims[] | undefined, before: readonly number[]): number[] {
  const now = new Set(found.map((c) => c.pr));
  if (others === undefined) return [...new Set(before)].filter((pr) => pr !== own.pr && !now.has(pr)).slice(0, MAX_COLLISIONS);
  const out = new Set<number>();
  for (const o of others) {
    if (o.pr === own.pr) continue;
    const theyNameUs = o.collides.includes(own.pr);
    if (now.has(o.pr) !== theyNameUs) out.add(o.pr);
  }
  return [...out].sort((a, b) => a - b).slice(0, MAX_COLLISIONS * 2);
}

/** What the `reqgate/baseline` check says about collisions. */
export interface CollisionFindings {
  /** This pull request's claims, `collides` set to what was found: written into the run's hidden record. */
  claims: Claims;
  /** How many other open pull requests into the same branch were read; undefined when none were (nothing claimed, or the read failed). */
  checked?: number;
  collisions: readonly Collision[];
  /** Colliding pull requests beyond those listed. */
  more: number;
  /** What the base branch gained since this pull request's base that it claims too. */
  moved: readonly BaseMove[];
}

// ---------------------------------------------------------------------------------------------------
// Against the base branch as it is now

export type BaseMove =
  | { kind: "added"; id: string; record: string }
  | { kind: "record-applied"; id: string }
  | { kind: "changed"; id: string; record: string };

/**
 * What the base branch gained since the pull request's base that the pull request claims too: an ID it
 * adds is now in the base branch's lock, a change record it adds is applied there, a requirement it
 * changes was changed there (another pull request merged first). Empty when the lock did not move.
 */
export function movedOnBase(own: Claims, baseLock: Lock, tipLock: Lock): BaseMove[] {
  const before = new Map(baseLock.entries.map((e) => [e.id, e]));
  const now = new Map(tipLock.entries.map((e) => [e.id, e]));
  const appliedBefore = new Set(baseLock.applied);
  const appliedNow = new Set(tipLock.applied);
  const out: BaseMove[] = [];
  for (const id of own.added) {
    const entry = now.get(id);
    if (entry && !before.has(id)) out.push({ kind: "added", id, record: entry.change });
  }
  for (const id of own.records) if (appliedNow.has(id) && !appliedBefore.has(id)) out.push({ kind: "record-applied", id });
  for (const [id] of own.changed) {
    const a = before.get(id);
    const b = now.get(id);
    if (!a && !b) continue;
    if (!a || !b || a.fingerprint !== b.fingerprint || a.status !== b.status || a.change !== b.change) out.push({ kind: "changed", id, record: b?.change ?? "" });
  }
  return out.slice(0, MAX_CLAIMS);
}

// ---------------------------------------------------------------------------------------------------
// The hidden record

/**
 * The record's budget in characters: beside a full approval ledger (at most about 48,000, see ledger.ts)
 * it leaves room for the summary's words in GitHub's 65,535.
 */
export const MAX_CLAIMS_CHARS = 12_000;

/**
 * The claims as a hidden record (compact: it rides in the run's summary): each list cut at `MAX_CLAIMS`,
 * and the longest halved until the record fits `MAX_CLAIMS_CHARS` (then marked cut).
 */
export function claimsMarker(c: Claims): string {
  return fitClaims(c).marker;
}

/** The record that fits, and whether it had to leave IDs out. */
function fitClaims(c: Claims): { marker: string; cut: boolean } {
  const keep = { a: Math.min(c.added.length, MAX_CLAIMS), r: Math.min(c.records.length, MAX_CLAIMS), c: Math.min(c.changed.length, MAX_CLAIMS) };
  for (;;) {
    const cut = c.cut || keep.a < c.added.length || keep.r < c.records.length || keep.c < c.changed.length;
    const data: Record<string, unknown> = { pr: c.pr, b: c.base, a: c.added.slice(0, keep.a), r: c.records.slice(0, keep.r), c: c.changed.slice(0, keep.c), x: c.collides.slice(0, MAX_COLLISIONS) };
    if (cut) data.t = 1;
    const marker = writeHidden(MARKER.claims, data);
    if (marker.length <= MAX_CLAIMS_CHARS || keep.a + keep.r + keep.c === 0) return { marker, cut };
    const longest = keep.c >= keep.a && keep.c >= keep.r ? "c" : keep.a >= keep.r ? "a" : "r";
    keep[longest] = Math.floor(keep[longest] / 2);
  }
}

/**
 * The claims of a `reqgate/baseline` summary (among the hidden records that open it, where user text
 * cannot be). Read defensively: anything malformed is dropped; undefined when there is no record. Never throws.
 */
export function claimsFromSummary(summary: string | null | undefined): Claims | undefined {
  return parseClaims(readHiddenLeading(summary, MARKER.claims));
}

export function parseClaims(data: unknown): Claims | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (!positive(d.pr) || typeof d.b !== "string" || d.b === "" || d.b.length > MAX_BRANCH) return undefined;
  const id = (x: unknown): x is string => typeof x === "string" && isIdShape(x);
  const ids = (v: unknown) => (Array.isArray(v) ? [...new Set((v.slice(0, MAX_CLAIMS) as unknown[]).filter(id))] : []);
  const changed = Array.isArray(d.c)
    ? (d.c.slice(0, MAX_CLAIMS) as unknown[]).flatMap((p): Array<[string, string]> => (Array.isArray(p) && id(p[0]) && (p[1] === "" || id(p[1])) ? [[p[0], p[1] as string]] : []))
    : [];
  const collides = Array.isArray(d.x) ? [...new Set((d.x.slice(0, MAX_COLLISIONS) as unknown[]).filter(positive))] : [];
  return { pr: d.pr, base: d.b, added: ids(d.a), records: ids(d.r), changed, cut: d.t === 1, collides };
}

function positive(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
