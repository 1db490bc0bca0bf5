// The baseline (SPEC 1.2): fingerprints, the lock file, and the diff of two baselines.
//
// The lock is one JSON object per line, sorted by ID, so that pull requests changing different
// requirements touch different lines. It lists the change records already applied and, for each
// baselined (active or retired) requirement, what a later check needs without reading requirement
// files: title, status, path, fingerprint, the change record that last moved it, and superseded_by.
import { hash } from "node:crypto";
import { cmp, diagnostic, type Diagnostic, type YamlPath } from "../core/diagnostic.js";
import { MAX_LOCK_BYTES } from "../core/limits.js";
import type { ChangeRecord, Requirement } from "../requirements/requirement.js";

/** The version a lock is written in when it holds suspect links; one without is written as version 1, as before. */
export const LOCK_VERSION = 2;
/** Every version this reqgate reads: a version-1 lock is a version-2 lock without suspect links. */
const LOCK_VERSIONS: ReadonlySet<unknown> = new Set([1, 2]);
const LOCK_HEADER = "# reqgate baseline lock. Written by `reqgate baseline`; do not edit by hand.";

/** A requirement as the baseline knows it. */
export interface BaselineItem {
  id: string;
  title: string;
  status: "active" | "retired";
  path: string;
  fingerprint: string;
  supersededBy?: string;
  /** Where the requirement's mapping stands in its file, when read from one (never written to the lock). */
  yamlPath?: YamlPath;
}

export interface LockEntry extends BaselineItem {
  /** The change record that last changed this entry. */
  change: string;
}

export interface Lock {
  /** IDs of the change records applied to the baseline, sorted. */
  applied: string[];
  /** Sorted by id. */
  entries: LockEntry[];
  /** Requirement-level suspect links (SPEC 2.5; see links.ts), sorted by item then by what moved. Absent: none. */
  links?: LockLink[];
}

/**
 * A suspect link (SPEC 2.5): a requirement whose parent moved, or a file of `@verifies` evidence of a
 * requirement that moved, in the baseline move made by `change`. It stays in the lock until the child or
 * the file is touched in a later baseline move; `reqgate review` adds who reviewed it and when.
 */
export interface LockLink {
  kind: "child" | "evidence";
  /** The suspect item: the child's ID, or the evidence file's path. */
  item: string;
  /** What moved: the parent, or the requirement the evidence verifies. */
  moved: string;
  /** The change record that moved it. */
  change: string;
  review?: { by: string; at: string };
}

export const EMPTY_LOCK: Lock = { applied: [], entries: [] };

// ---------------------------------------------------------------------------------------------------
// Fingerprint

/**
 * A hash of a requirement's normative content: title, text, status, parents, verification, attributes.
 * Whitespace runs are folded (re-wrapping text or reformatting YAML changes nothing), parents are a set,
 * attribute keys are sorted; owner, tags, links and file location are not normative.
 */
export function fingerprint(r: Requirement): string {
  const normative = [
    foldSpace(r.title),
    foldSpace(r.text),
    r.status,
    r.parents.length < 2 ? r.parents : [...new Set(r.parents)].sort(),
    r.verification ?? null,
    r.supersededBy ?? null,
    canonical(r.attributes),
  ];
  return sha256(JSON.stringify(normative));
}

export function sha256(text: string): string {
  return "sha256:" + hash("sha256", text, "hex");
}

// The characters of \s: a run of two, or any but the plain space, means there is something to fold.
const FOLDABLE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{2}|[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Whitespace runs folded to one space, trimmed. Most texts need no folding: testing first is ~6x cheaper. */
export function foldSpace(s: string): string {
  const trimmed = s.trim();
  return FOLDABLE.test(trimmed) ? trimmed.replace(/\s+/g, " ") : trimmed;
}

/** Attributes as a canonical value: object keys sorted, strings whitespace-folded. */
function canonical(value: unknown): unknown {
  if (typeof value === "string") return foldSpace(value);
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    // An array of pairs, not an object: a `__proto__` key must stay data.
    return keys.map((k) => [k, canonical((value as Record<string, unknown>)[k])]);
  }
  return value ?? null;
}

/** The baseline view of a requirement set: every non-draft requirement, keyed by ID. */
export function baselineItems(requirements: Iterable<Requirement>): Map<string, BaselineItem> {
  const items = new Map<string, BaselineItem>();
  for (const r of requirements) {
    if (r.status === "draft" || items.has(r.id)) continue;
    items.set(r.id, baselineItem(r));
  }
  return items;
}

export function baselineItem(r: Requirement, fp: string = fingerprint(r)): BaselineItem {
  const item: BaselineItem = { id: r.id, title: r.title, status: r.status as BaselineItem["status"], path: r.origin.file, fingerprint: fp, yamlPath: r.origin.path };
  if (r.supersededBy !== undefined) item.supersededBy = r.supersededBy;
  return item;
}

const lockIndexes = new WeakMap<Lock, Map<string, LockEntry>>();
const lockPositionIndexes = new WeakMap<Lock, Map<string, number>>();
const pathIndexes = new WeakMap<Lock, Map<string, LockEntry[]>>();

/** The lock's entries by file; built once per lock object. */
export function lockEntriesByPath(lock: Lock): ReadonlyMap<string, readonly LockEntry[]> {
  let index = pathIndexes.get(lock);
  if (!index) {
    index = new Map();
    for (const e of lock.entries) appendTo(index, e.path, e);
    pathIndexes.set(lock, index);
  }
  return index;
}

/** The lock's entries by ID; built once per lock object (the App keeps parsed locks per version). */
export function lockIndex(lock: Lock): ReadonlyMap<string, LockEntry> {
  let index = lockIndexes.get(lock);
  if (!index) {
    index = new Map();
    for (const e of lock.entries) index.set(e.id, e);
    lockIndexes.set(lock, index);
  }
  return index;
}

/** Each entry's position in `lock.entries`, by ID (the last, should an ID appear twice, as in lockIndex); built once per lock object. */
function lockPositions(lock: Lock): ReadonlyMap<string, number> {
  let index = lockPositionIndexes.get(lock);
  if (!index) {
    index = new Map();
    for (let i = 0; i < lock.entries.length; i++) index.set(lock.entries[i]!.id, i);
    lockPositionIndexes.set(lock, index);
  }
  return index;
}

/**
 * The lock entries of `brokenFiles` (files with errors, or unreadable) whose requirement did not parse:
 * what the file held at the last baseline, so that a typo is not reported as a removal.
 */
export function heldEntries(lock: Lock, brokenFiles: ReadonlySet<string>, parsedIds: ReadonlySet<string>): LockEntry[] {
  if (brokenFiles.size === 0) return [];
  const byPath = lockEntriesByPath(lock);
  const out: LockEntry[] = [];
  for (const file of brokenFiles) for (const e of byPath.get(file) ?? []) if (!parsedIds.has(e.id)) out.push(e);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Diff

export type ChangeKind = "added" | "modified" | "retired" | "status-changed" | "removed" | "moved";

export interface RequirementChange {
  id: string;
  kind: ChangeKind;
  before?: BaselineItem;
  after?: BaselineItem;
}

/** Kinds that move the baseline and therefore need a change record; a move of file only does not. */
export function needsChangeRecord(kind: ChangeKind): boolean {
  return kind !== "moved";
}

/**
 * The difference between two baselines, sorted by ID. `before` and `after` hold only baselined (non-draft)
 * items; a requirement that went back to draft shows as "status-changed" when `draftIds` names it.
 */
export function diffBaselines(
  before: ReadonlyMap<string, BaselineItem>,
  after: ReadonlyMap<string, BaselineItem>,
  draftIds: ReadonlySet<string> = new Set(),
): RequirementChange[] {
  const changes: RequirementChange[] = [];
  for (const [id, b] of before) {
    const a = after.get(id);
    if (!a) {
      changes.push({ id, kind: draftIds.has(id) ? "status-changed" : "removed", before: b });
    } else if (a.status !== b.status) {
      changes.push({ id, kind: a.status === "retired" ? "retired" : "status-changed", before: b, after: a });
    } else if (a.fingerprint !== b.fingerprint) {
      changes.push({ id, kind: "modified", before: b, after: a });
    } else if (a.path !== b.path || a.title !== b.title || a.supersededBy !== b.supersededBy) {
      // Same meaning, another file (or a lock whose copy of the title was edited by hand): the entry
      // is refreshed, no decision is needed.
      changes.push({ id, kind: "moved", before: b, after: a });
    }
  }
  for (const [id, a] of after) if (!before.has(id)) changes.push({ id, kind: "added", after: a });
  return changes.sort((x, y) => cmp(x.id, y.id));
}

// ---------------------------------------------------------------------------------------------------
// Computing the next lock

export interface BaselineResult {
  /** The new lock; undefined when the change cannot be credited unambiguously. */
  lock?: Lock;
  changes: RequirementChange[];
  /** Change record ID -> the requirement IDs it is credited with. */
  credited: Map<string, string[]>;
  diagnostics: Diagnostic[];
}

/**
 * What `reqgate baseline` writes (SPEC 1.2): the lock rebuilt from the requirement files, each changed
 * entry credited to the one unapplied change record whose `affects` lists it, and each crediting record
 * marked applied. Refuses (diagnostics, no lock) when a changed requirement has no such record or more
 * than one.
 */
export function computeBaseline(
  current: Lock,
  requirements: readonly Requirement[],
  records: readonly ChangeRecord[],
  held: readonly LockEntry[] = [],
): BaselineResult {
  return advanceBaseline(current, changesAgainstLock(current, requirements, held), records);
}

/**
 * diffBaselines(lockIndex(current), the requirements' baseline items plus `held`, their drafts) in one
 * pass: each requirement is compared with its lock entry as it comes, and a BaselineItem is made only for
 * what changed. At 55,000 requirements this spares a map and an item per requirement.
 */
function changesAgainstLock(current: Lock, requirements: readonly Requirement[], held: readonly LockEntry[]): RequirementChange[] {
  const entries = current.entries;
  const positions = lockPositions(current);
  // Which lock entries the new baseline holds, by position; the IDs the lock does not know, by name (few).
  const kept = new Uint8Array(entries.length);
  const added = new Set<string>();
  const drafts = new Set<string>();
  const changes: RequirementChange[] = [];
  for (const r of requirements) {
    if (r.status === "draft") {
      drafts.add(r.id);
      continue;
    }
    const at = positions.get(r.id);
    if (at === undefined) {
      if (!added.has(r.id)) changes.push({ id: r.id, kind: "added", after: baselineItem(r) });
      added.add(r.id);
      continue;
    }
    if (kept[at] === 1) continue; // a later definition of the same ID: the first one counts
    kept[at] = 1;
    const before = entries[at]!;
    const fp = fingerprint(r);
    const kind = changeKind(before, r.status, fp, r.origin.file, r.title, r.supersededBy);
    if (kind !== undefined) changes.push({ id: r.id, kind, before, after: baselineItem(r, fp) });
  }
  // Entries of files that could not be read stay as they are: their requirements are unknown, not removed.
  for (const e of held) {
    const at = positions.get(e.id);
    if (at === undefined) {
      if (!added.has(e.id)) changes.push({ id: e.id, kind: "added", after: e });
      added.add(e.id);
      continue;
    }
    if (kept[at] === 1) continue;
    kept[at] = 1;
    const before = entries[at]!;
    const kind = changeKind(before, e.status, e.fingerprint, e.path, e.title, e.supersededBy);
    if (kind !== undefined) changes.push({ id: e.id, kind, before, after: e });
  }
  // An ID the lock lists twice is judged by its last entry, as lockIndex keeps it.
  const duplicates = positions.size !== entries.length;
  for (let i = 0; i < entries.length; i++) {
    if (kept[i] === 1) continue;
    const before = entries[i]!;
    if (duplicates && positions.get(before.id) !== i) continue;
    // A requirement that went back to draft is a change of status, not a removal.
    changes.push({ id: before.id, kind: drafts.has(before.id) ? "status-changed" : "removed", before });
  }
  return changes.sort((x, y) => cmp(x.id, y.id));
}

/** How an item differs from its lock entry, in diffBaselines' order of precedence; undefined: it does not. */
function changeKind(before: BaselineItem, status: string, fp: string, path: string, title: string, supersededBy: string | undefined): ChangeKind | undefined {
  if (before.status !== status) return status === "retired" ? "retired" : "status-changed";
  if (before.fingerprint !== fp) return "modified";
  // Same meaning, another file (or a lock whose copy of the title was edited by hand): the entry is
  // refreshed, no decision is needed.
  if (before.path !== path || before.title !== title || before.supersededBy !== supersededBy) return "moved";
  return undefined;
}

/**
 * The lock after `changes` (sorted by ID), each credited to the one unapplied record that claims it.
 * Linear in entries plus changes, and unchanged entries are reused as they are: the App calls it with
 * the few changes of a pull request against a lock of any size.
 */
export function advanceBaseline(current: Lock, changes: readonly RequirementChange[], records: readonly ChangeRecord[]): BaselineResult {
  const applied = new Set(current.applied);
  const claims = claimsByRequirement(records.filter((r) => !applied.has(r.id)));

  const diagnostics: Diagnostic[] = [];
  const credit = new Map<string, string>();
  for (const change of changes) {
    if (!needsChangeRecord(change.kind)) continue;
    const claimants = claims.get(change.id) ?? [];
    if (claimants.length === 1) {
      credit.set(change.id, claimants[0]!.id);
    } else {
      diagnostics.push(uncreditedChange(change, claimants));
    }
  }

  const credited = new Map<string, string[]>();
  for (const [reqId, recordId] of credit) appendTo(credited, recordId, reqId);
  if (diagnostics.length > 0) return { changes: [...changes], credited, diagnostics };

  const lock: Lock = { applied: [...new Set([...current.applied, ...credited.keys()])].sort(cmp), entries: advancedEntries(current.entries, changes, credit), ...(current.links ? { links: current.links } : {}) };
  return { lock, changes: [...changes], credited, diagnostics: unusedClaims(records, applied, changes) };
}

/** Merges sorted entries with sorted changes: unchanged entries as they are, changed ones from their new item. */
function advancedEntries(entries: readonly LockEntry[], changes: readonly RequirementChange[], credit: ReadonlyMap<string, string>): LockEntry[] {
  const out: LockEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < entries.length || j < changes.length) {
    const entry = entries[i];
    const change = changes[j];
    if (change && (!entry || change.id < entry.id)) {
      // Only an added requirement is new to the lock, and an added one is always credited.
      if (change.after) out.push(toEntry(change.after, credit.get(change.id)!));
      j++;
    } else if (entry && (!change || entry.id < change.id)) {
      out.push(entry);
      i++;
    } else {
      // A move keeps the decision that last changed the requirement; a removal drops the entry.
      if (change!.after) out.push(toEntry(change!.after, credit.get(change!.id) ?? entry!.change));
      i++;
      j++;
    }
  }
  return out;
}

function toEntry(item: BaselineItem, change: string): LockEntry {
  const { yamlPath: _where, ...fields } = item;
  return { ...fields, change };
}

function claimsByRequirement(records: readonly ChangeRecord[]): Map<string, ChangeRecord[]> {
  const claims = new Map<string, ChangeRecord[]>();
  for (const record of records) {
    for (const id of new Set(record.affects)) appendTo(claims, id, record);
  }
  return claims;
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function uncreditedChange(change: RequirementChange, claimants: readonly ChangeRecord[]): Diagnostic {
  const where = change.after?.path ?? change.before?.path ?? "";
  const yamlPath = change.after?.yamlPath;
  if (claimants.length === 0) {
    return diagnostic({
      code: "change-without-record",
      file: where,
      ...(yamlPath ? { path: [...yamlPath, "id"] } : {}),
      message: `${change.id} is ${describeKind(change.kind)}, but no unapplied change record lists it in \`affects\``,
      hint: `add ${change.id} to the affects of a new change record under the changes folder`,
    });
  }
  const first = claimants[0]!;
  return diagnostic({
    code: "change-claimed-twice",
    file: first.origin.file,
    path: ["affects"],
    message: `${change.id} is listed in the affects of ${claimants.length} unapplied change records (${claimants.map((c) => c.id).join(", ")}); one decision must own it`,
    hint: `remove ${change.id} from all but one of them`,
    related: claimants.slice(1).map((c) => ({ file: c.origin.file, line: 0, column: 0, path: ["affects"] })),
  });
}

/** Unapplied records listing requirements that did not change: warnings, the record is probably stale. */
function unusedClaims(records: readonly ChangeRecord[], applied: ReadonlySet<string>, changes: readonly RequirementChange[]): Diagnostic[] {
  const changed = new Set(changes.filter((c) => needsChangeRecord(c.kind)).map((c) => c.id));
  const out: Diagnostic[] = [];
  for (const record of records) {
    if (applied.has(record.id)) continue;
    record.affects.forEach((id, i) => {
      if (!changed.has(id)) {
        out.push(diagnostic({
          code: "change-record-unused",
          severity: "warning",
          file: record.origin.file,
          path: ["affects", i],
          message: `${record.id} lists ${id}, which this change does not add, modify, retire or remove`,
          hint: `remove ${id} from affects, or make the change it announces`,
        }));
      }
    });
  }
  return out;
}

export function describeKind(kind: ChangeKind): string {
  switch (kind) {
    case "added": return "added to the baseline";
    case "modified": return "modified";
    case "retired": return "retired";
    case "status-changed": return "changed in status";
    case "removed": return "removed";
    case "moved": return "moved to another file";
  }
}

// ---------------------------------------------------------------------------------------------------
// The lock file

/**
 * True when two locks say the same thing about the baseline (cheaper than rendering both: used on every
 * check). Suspect links are judged apart (links.ts): a pull request cannot compute them alone.
 */
export function sameLock(a: Lock, b: Lock): boolean {
  if (a.applied.length !== b.applied.length || a.entries.length !== b.entries.length) return false;
  for (let i = 0; i < a.applied.length; i++) if (a.applied[i] !== b.applied[i]) return false;
  for (let i = 0; i < a.entries.length; i++) {
    const x = a.entries[i]!;
    const y = b.entries[i]!;
    if (x.id !== y.id || x.fingerprint !== y.fingerprint || x.status !== y.status || x.change !== y.change || x.path !== y.path || x.title !== y.title || x.supersededBy !== y.supersededBy) return false;
  }
  return true;
}

export function renderLock(lock: Lock): string {
  const links = lock.links ?? [];
  // A lock without links stays byte-for-byte what version 1 wrote: no churn, and older reqgates read it.
  const lines = [LOCK_HEADER, JSON.stringify({ lock: links.length > 0 ? LOCK_VERSION : 1 })];
  for (const id of [...lock.applied].sort(cmp)) lines.push(JSON.stringify({ applied: id }));
  for (const e of [...lock.entries].sort((x, y) => cmp(x.id, y.id))) {
    // Fixed key order: the lock must be byte-for-byte deterministic.
    const row: Record<string, string> = { id: e.id, status: e.status, fingerprint: e.fingerprint, change: e.change, path: e.path, title: e.title };
    if (e.supersededBy !== undefined) row.superseded_by = e.supersededBy;
    lines.push(JSON.stringify(row));
  }
  for (const l of [...links].sort(compareLinks)) lines.push(JSON.stringify(linkRow(l)));
  return lines.join("\n") + "\n";
}

/** Links sort by item, then by what moved: one line per link, so reviews of different items do not conflict. */
export function compareLinks(a: LockLink, b: LockLink): number {
  return cmp(a.item, b.item) || cmp(a.moved, b.moved) || cmp(a.kind, b.kind);
}

/** The key of a link: one link per item and moved requirement. */
export function linkKey(l: Pick<LockLink, "kind" | "item" | "moved">): string {
  return `${l.kind}\0${l.item}\0${l.moved}`;
}

function linkRow(l: LockLink): Record<string, string> {
  // Fixed key order, as for entries.
  const row: Record<string, string> = { suspect: l.item, [l.kind === "child" ? "parent" : "verifies"]: l.moved, change: l.change };
  if (l.review) {
    row.reviewed_by = l.review.by;
    row.reviewed_at = l.review.at;
  }
  return row;
}

const ID_TEXT = /^[A-Z][A-Z0-9_]{0,19}-[0-9]{1,9}$/;

/** After this many invalid lines the lock is not read further: one is enough to refuse it. */
const MAX_LOCK_DIAGNOSTICS = 20;
/** Lines parsed per JSON.parse: one parse over many lines is several times cheaper than one per line. */
const LOCK_CHUNK = 4096;

/**
 * Parses a lock. Never throws; an unreadable lock comes back as diagnostics with line numbers. Bounded:
 * a lock over `maxBytes` is refused before parsing, lines are read in chunks (never one array of all
 * lines), and reading stops after MAX_LOCK_DIAGNOSTICS invalid lines.
 */
export function parseLock(file: string, text: string, maxBytes = MAX_LOCK_BYTES): { lock?: Lock; diagnostics: Diagnostic[] } {
  // UTF-16 length is at most the UTF-8 size: the exact byte count is needed only near the bound.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, "utf8") > maxBytes)) {
    return { diagnostics: [lockTooLarge(file, Buffer.byteLength(text, "utf8"), maxBytes)] };
  }
  const diagnostics: Diagnostic[] = [];
  const applied: string[] = [];
  const appliedSeen = new Set<string>();
  const entries: LockEntry[] = [];
  const seen = new Set<string>();
  const links: LockLink[] = [];
  const linkSeen = new Set<string>();
  let version: unknown;
  let sawVersion = false;
  let stoppedAt = 0;
  const bad = (lineNo: number, message: string) =>
    diagnostics.push(diagnostic({ code: "lock-invalid", file, line: lineNo, column: 1, message, hint: "the lock is written by `reqgate baseline`; run it instead of editing the file" }));

  const handle = (row: unknown, lineNo: number): void => {
    if (row === UNPARSABLE) return void bad(lineNo, "this line of the lock is not valid JSON");
    if (row === null || typeof row !== "object" || Array.isArray(row)) return void bad(lineNo, "this line of the lock is not an object");
    const r = row as Record<string, unknown>;
    if (Object.hasOwn(r, "lock")) {
      if (!LOCK_VERSIONS.has(r.lock)) return void bad(lineNo, `unsupported lock version ${JSON.stringify(r.lock)} (this reqgate reads versions 1 and ${LOCK_VERSION})`);
      if (sawVersion) return void bad(lineNo, "the version line appears twice");
      sawVersion = true;
      version = r.lock;
      return;
    }
    if (Object.hasOwn(r, "suspect")) {
      if (version !== LOCK_VERSION) return void bad(lineNo, `a suspect link needs lock version ${LOCK_VERSION} (this lock says ${JSON.stringify(version ?? null)})`);
      const link = lockLink(r);
      if (typeof link === "string") return void bad(lineNo, link);
      const key = linkKey(link);
      if (linkSeen.has(key)) return void bad(lineNo, `the suspect link ${link.item} → ${link.moved} appears twice`);
      linkSeen.add(key);
      links.push(link);
      return;
    }
    if (Object.hasOwn(r, "applied")) {
      if (typeof r.applied !== "string" || !ID_TEXT.test(r.applied)) return void bad(lineNo, "`applied` must be a change record ID");
      if (appliedSeen.has(r.applied)) return void bad(lineNo, `${r.applied} is listed as applied twice`);
      appliedSeen.add(r.applied);
      applied.push(r.applied);
      return;
    }
    const entry = lockEntry(r);
    if (typeof entry === "string") return void bad(lineNo, entry);
    if (seen.has(entry.id)) return void bad(lineNo, `${entry.id} appears twice in the lock`);
    seen.add(entry.id);
    entries.push(entry);
  };

  let lines: string[] = [];
  let numbers: number[] = [];
  const flush = (): void => {
    let rows: unknown[] | undefined;
    try {
      rows = JSON.parse(`[${lines.join(",")}]`) as unknown[];
      if (rows.length !== lines.length) rows = undefined; // a line holds more than one value
    } catch {
      rows = undefined;
    }
    for (let i = 0; i < lines.length && diagnostics.length < MAX_LOCK_DIAGNOSTICS; i++) {
      handle(rows ? rows[i] : parseLine(lines[i]!), numbers[i]!);
      if (diagnostics.length >= MAX_LOCK_DIAGNOSTICS) stoppedAt = numbers[i]!;
    }
    lines = [];
    numbers = [];
  };
  let start = 0;
  let lineNo = 0;
  while (start <= text.length && diagnostics.length < MAX_LOCK_DIAGNOSTICS) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === "" || line.startsWith("#")) continue;
    // Every line of a lock is an object: anything else is refused without a parse.
    if (!line.startsWith("{")) {
      flush();
      if (diagnostics.length < MAX_LOCK_DIAGNOSTICS) bad(lineNo, "this line of the lock is not an object");
      if (diagnostics.length >= MAX_LOCK_DIAGNOSTICS) stoppedAt = lineNo;
      continue;
    }
    lines.push(line);
    numbers.push(lineNo);
    if (lines.length === LOCK_CHUNK) flush();
  }
  if (diagnostics.length < MAX_LOCK_DIAGNOSTICS) flush();
  if (stoppedAt > 0 && start < text.length) {
    diagnostics.push(diagnostic({ code: "lock-invalid", file, line: stoppedAt, column: 1, message: `the lock was not read past line ${stoppedAt}: ${MAX_LOCK_DIAGNOSTICS} invalid lines are enough to refuse it`, hint: "regenerate it with `reqgate baseline`" }));
  }
  if (!sawVersion && diagnostics.length === 0) {
    diagnostics.push(diagnostic({ code: "lock-invalid", file, line: 1, column: 1, message: "the lock has no version line", hint: "regenerate it with `reqgate baseline`" }));
  }
  if (diagnostics.length > 0) return { diagnostics };
  if (!isSorted(entries)) entries.sort((x, y) => cmp(x.id, y.id));
  return { lock: { applied: applied.sort(cmp), entries, ...(links.length > 0 ? { links: links.sort(compareLinks) } : {}) }, diagnostics };
}

/** The refusal of a lock by its size (also for a Source that knows the size without downloading). */
export function lockTooLarge(file: string, size: number, maxBytes = MAX_LOCK_BYTES): Diagnostic {
  return diagnostic({ code: "file-too-large", file, message: `the lock is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`, hint: "the lock holds one line per requirement; a lock this large is not one `reqgate baseline` wrote" });
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return UNPARSABLE;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

const UNPARSABLE = Symbol("unparsable");

function isSorted(entries: readonly LockEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i - 1]!.id > entries[i]!.id) return false;
  return true;
}

const LOCK_ENTRY_KEYS = new Set(["id", "status", "fingerprint", "change", "path", "title", "superseded_by"]);
const LINK_KEYS = new Set(["suspect", "parent", "verifies", "change", "reviewed_by", "reviewed_at"]);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function lockLink(r: Record<string, unknown>): LockLink | string {
  const unknown = Object.keys(r).find((k) => !LINK_KEYS.has(k));
  if (unknown !== undefined) return `unknown key "${unknown}" in a suspect link`;
  const { suspect, parent, verifies, change, reviewed_by: by, reviewed_at: at } = r;
  if ((parent === undefined) === (verifies === undefined)) return "a suspect link names either a `parent` or what it `verifies`";
  const moved = parent ?? verifies;
  if (typeof moved !== "string" || !ID_TEXT.test(moved)) return "a suspect link's `parent` or `verifies` must be a requirement ID";
  const kind = parent !== undefined ? "child" : "evidence";
  if (typeof suspect !== "string" || suspect === "" || suspect.length > 1000 || (kind === "child" && !ID_TEXT.test(suspect))) return kind === "child" ? "a suspect link's `suspect` must be a requirement ID" : "a suspect link's `suspect` must be a file path";
  if (typeof change !== "string" || !ID_TEXT.test(change)) return `${suspect}: \`change\` must be a change record ID`;
  const link: LockLink = { kind, item: suspect, moved, change };
  if (by !== undefined || at !== undefined) {
    if (typeof by !== "string" || by === "" || by.length > 200) return `${suspect}: \`reviewed_by\` must name who reviewed it`;
    if (typeof at !== "string" || !ISO_TIME.test(at)) return `${suspect}: \`reviewed_at\` must be an ISO time (2026-01-31T12:00:00Z)`;
    link.review = { by, at };
  }
  return link;
}

function lockEntry(r: Record<string, unknown>): LockEntry | string {
  const unknown = Object.keys(r).find((k) => !LOCK_ENTRY_KEYS.has(k));
  if (unknown !== undefined) return `unknown key "${unknown}" in a lock entry`;
  const { id, status, fingerprint: fp, change, path, title, superseded_by: supersededBy } = r;
  if (typeof id !== "string" || !ID_TEXT.test(id)) return "a lock entry needs an `id` of the form PREFIX-NUMBER";
  if (status !== "active" && status !== "retired") return `${id}: status must be active or retired`;
  // Shape only: a wrong hash is caught by comparing with the requirement files, not here.
  if (typeof fp !== "string" || fp.length !== 71 || !fp.startsWith("sha256:")) return `${id}: the fingerprint is not a sha256 hash`;
  if (typeof change !== "string" || !ID_TEXT.test(change)) return `${id}: \`change\` must be a change record ID`;
  if (typeof path !== "string" || path === "") return `${id}: \`path\` is missing`;
  if (typeof title !== "string") return `${id}: \`title\` is missing`;
  if (supersededBy !== undefined && (typeof supersededBy !== "string" || !ID_TEXT.test(supersededBy))) return `${id}: superseded_by must be an ID`;
  const entry: LockEntry = { id, status, fingerprint: fp, change, path, title };
  if (typeof supersededBy === "string") entry.supersededBy = supersededBy;
  return entry;
}
