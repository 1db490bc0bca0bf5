// The approval ledger: what GitHub does not keep for us (SPEC 2.3 step 5). GitHub keeps reviews (with
// their commit) and comments, but not which content a comment or review approved (a review's commit is
// not enough: the base can change under it), not button presses at all (`requested_action` is a webhook
// only), and not a revoke whose comment was edited or deleted. The App records each person's latest
// action when it sees it, and carries the record in its own `reqgate/baseline` check run (a hidden record
// at the start of the summary, which only the App that created the run can write), from one head SHA's
// run to the next. Pure: storage is the caller's.
//
// Bounded without forgetting. The ledger keeps one entry per person per pull request: that person's
// latest action (an approval with the subject it was bound to, or a withdrawal). Whatever else happens on
// the pull request (comments, pushes, re-runs), an entry is only ever replaced by a later action of the
// same person, so no activity of others can push a recorded approval or revoke out.
//
// Scoped to one pull request. Two pull requests can share a head commit and so a check run: every entry
// names its pull request, and only the evaluated pull request's entries are applied to it.
//
// Kept whole or sealed. A run's summary holds only so many people's actions. A pull request's record is
// never cut (a revoke that fell out would let its deleted comment revive the approval; a pusher who fell
// out could approve what they pushed), not even to make room for another pull request's: when the people
// of all pull requests sharing the run are too many, the one with the largest record is sealed. A sealed
// pull request fails closed for good, so its entries need not be kept; flooding one pull request with
// sockpuppet commands therefore stalls only that pull request.
import { MARKER, readHiddenAtStart, writeHidden } from "../core/hidden-data.js";
import { actOf, latestActions, type ApprovalEvent } from "./approvals.js";

export type LedgerVia = "review" | "comment" | "button";

export interface LedgerEntry {
  /** The pull request the action was made on. */
  pr: number;
  by: string;
  via: LedgerVia;
  /** The review, the comment, or the pressed check run. */
  id: number;
  /** When the action was made (ISO 8601). */
  at: string;
  act: "approve" | "withdraw";
  /** For approvals: the subject it was bound to; absent while unknown (the approval is then stale). */
  subject?: string;
}

/** Someone who pushed commits to a pull request (a `synchronize` sender): a contributor, like a commit's author. */
export interface LedgerPusher {
  pr: number;
  by: string;
}

export interface ApprovalLedger {
  entries: LedgerEntry[];
  /**
   * Who pushed to each pull request, other than its author. GitHub keeps a commit's author and committer
   * but not who pushed it (only the webhook says): someone who pushes commits others wrote is recorded here,
   * never replaced, so that they cannot approve what they pushed (SPEC 1.4 `allow_contributors`).
   */
  pushers?: LedgerPusher[];
  /** Pull requests whose record outgrew the run (see settleLedger): they fail closed for good. */
  sealed?: number[];
}

/**
 * The people (entries and pushers, per pull request) one run's summary carries: at most about 240
 * characters each of its 65,535, so the summary keeps room for its text. More, and a record is sealed.
 */
export const MAX_LEDGER_PEOPLE = 200;

/** Sealed pull requests one run remembers; past that every pull request of the run is sealed (fail closed). */
export const MAX_SEALED = 100;

/** The longest login kept: GitHub's are at most 39 characters, an App's bot adds `[bot]`. */
const MAX_LOGIN = 45;

export function emptyLedger(): ApprovalLedger {
  return { entries: [] };
}

/** True when pull request `pr`'s record is sealed in `ledger`: it cannot be approved any more. */
export function isSealed(ledger: ApprovalLedger, pr: number): boolean {
  const sealed = ledger.sealed ?? [];
  return sealed.length > MAX_SEALED || sealed.includes(pr);
}

const VIAS: ReadonlySet<string> = new Set<LedgerVia>(["review", "comment", "button"]);

/** A ledger read back from a check run; anything malformed is dropped, never trusted. Never throws. */
export function parseLedger(value: unknown): ApprovalLedger {
  const ledger = emptyLedger();
  if (value === null || typeof value !== "object") return ledger;
  const raw = (value as { entries?: unknown }).entries;
  if (!Array.isArray(raw)) return ledger;
  const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;
  const int = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x > 0;
  // Read at most what a summary can hold for every pull request sharing the run.
  const pushers = (value as { pushers?: unknown }).pushers;
  if (Array.isArray(pushers)) {
    for (const p of pushers.slice(0, MAX_LEDGER_PEOPLE * 4) as Array<Record<string, unknown> | null>) {
      if (p && int(p.pr) && str(p.by, MAX_LOGIN)) (ledger.pushers ??= []).push({ pr: p.pr, by: p.by });
    }
  }
  // More sealed numbers than a run keeps is read as "all sealed" (isSealed), never as fewer.
  const sealed = (value as { sealed?: unknown }).sealed;
  if (Array.isArray(sealed)) ledger.sealed = sealed.slice(0, MAX_SEALED + 1).filter(int);
  for (const e of raw.slice(0, MAX_LEDGER_PEOPLE * 4) as Array<Record<string, unknown> | null>) {
    if (!e || !int(e.pr) || !str(e.by, MAX_LOGIN) || !str(e.via, 10) || !VIAS.has(e.via) || !int(e.id) || !str(e.at, 40)) continue;
    if (e.act !== "approve" && e.act !== "withdraw") continue;
    const entry: LedgerEntry = { pr: e.pr, by: e.by, via: e.via as LedgerVia, id: e.id, at: e.at, act: e.act };
    if (e.act === "approve" && str(e.subject, 200)) entry.subject = e.subject;
    ledger.entries.push(entry);
  }
  return mergeLedgers([ledger]);
}

/** The ledger as the first line of the check run's summary (an HTML comment nothing inside can end). */
export function ledgerMarker(ledger: ApprovalLedger): string {
  return writeHidden(MARKER.approvals, {
    entries: ledger.entries,
    ...(ledger.pushers && ledger.pushers.length > 0 ? { pushers: ledger.pushers } : {}),
    ...(ledger.sealed && ledger.sealed.length > 0 ? { sealed: ledger.sealed } : {}),
  });
}

/**
 * The ledger of a check run's summary (of a run this App created). Only a marker at the very start
 * counts: user text shown further down cannot forge one. Empty when absent or malformed.
 */
export function ledgerFromSummary(summary: string | null | undefined): ApprovalLedger {
  return parseLedger(readHiddenAtStart(summary, MARKER.approvals));
}

function personKey(e: Pick<LedgerEntry, "pr" | "by">): string {
  return `${e.pr} ${e.by.toLowerCase()}`;
}

function time(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * Which of two entries of one person is their latest action: the later one; at the same time a
 * withdrawal (fail closed), then a bound approval over an unbound one, then the later recorded.
 */
function later(a: LedgerEntry, b: LedgerEntry): LedgerEntry {
  const byTime = time(a.at) - time(b.at);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime > 0 ? a : b;
  if (a.act !== b.act) return a.act === "withdraw" ? a : b;
  if (a.via === b.via && a.id === b.id && (a.subject === undefined) !== (b.subject === undefined)) return a.subject !== undefined ? a : b;
  return b;
}

/** The ledger with `entry` recorded: it replaces the person's entry when it is their later action. */
export function recordInLedger(ledger: ApprovalLedger, entry: LedgerEntry): ApprovalLedger {
  return mergeLedgers([ledger, { entries: [entry] }]);
}

/**
 * Several ledgers as one (the runs of earlier heads each carry one): per person and pull request, the
 * latest action. The order of the ledgers does not matter.
 */
export function mergeLedgers(ledgers: readonly ApprovalLedger[]): ApprovalLedger {
  const sealed = new Set(ledgers.flatMap((l) => l.sealed ?? []));
  // Past what a run remembers, every pull request of the run is sealed: nothing else is kept.
  if (sealed.size > MAX_SEALED) return { entries: [], sealed: [...sealed].sort((a, b) => a - b).slice(0, MAX_SEALED + 1) };
  const byPerson = new Map<string, LedgerEntry>();
  for (const ledger of ledgers) {
    for (const entry of ledger.entries) {
      if (sealed.has(entry.pr)) continue;
      const key = personKey(entry);
      const known = byPerson.get(key);
      byPerson.set(key, known ? later(known, entry) : entry);
    }
  }
  const entries = [...byPerson.values()].sort((a, b) => a.pr - b.pr || time(a.at) - time(b.at) || a.id - b.id);
  const pushers = new Map<string, LedgerPusher>();
  for (const ledger of ledgers) for (const p of ledger.pushers ?? []) if (!sealed.has(p.pr) && !pushers.has(personKey(p))) pushers.set(personKey(p), p);
  const merged: ApprovalLedger = { entries };
  if (pushers.size > 0) merged.pushers = [...pushers.values()].sort((a, b) => a.pr - b.pr || cmp(a.by.toLowerCase(), b.by.toLowerCase()));
  if (sealed.size > 0) merged.sealed = [...sealed].sort((a, b) => a - b);
  return merged;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The ledger with `by` recorded as having pushed to pull request `pr`. */
export function recordPusher(ledger: ApprovalLedger, pr: number, by: string): ApprovalLedger {
  return mergeLedgers([ledger, { entries: [], pushers: [{ pr, by }] }]);
}

/** Who pushed to pull request `pr`, as recorded. */
export function pushersOf(ledger: ApprovalLedger, pr: number): string[] {
  return (ledger.pushers ?? []).filter((p) => p.pr === pr).map((p) => p.by);
}

/** The entries of one pull request. */
export function entriesOf(ledger: ApprovalLedger, pr: number): LedgerEntry[] {
  return ledger.entries.filter((e) => e.pr === pr);
}

/**
 * The ledger to write: pull request `pr`'s entries replaced by `entries` (its people's latest actions),
 * every other pull request's record kept whole. When the people of all of them (entries and pushers, per
 * pull request) are more than the run carries, the largest record is sealed, again until they fit; a tie
 * seals the evaluated pull request, never an unflooded neighbour. `overflow`: `pr` is sealed.
 */
export function settleLedger(ledger: ApprovalLedger, pr: number, entries: readonly LedgerEntry[]): { ledger: ApprovalLedger; overflow: boolean } {
  const others = ledger.entries.filter((e) => e.pr !== pr);
  let settled = mergeLedgers([{ ...ledger, entries: others }, { entries: entries.filter((e) => e.pr === pr) }]);
  for (let people = peopleByPull(settled); total(people) > MAX_LEDGER_PEOPLE; people = peopleByPull(settled)) {
    const largest = [...people].sort(([a, n], [b, m]) => m - n || Number(b === pr) - Number(a === pr) || b - a)[0]![0];
    settled = mergeLedgers([settled, { entries: [], sealed: [largest] }]);
  }
  return { ledger: settled, overflow: isSealed(settled, pr) };
}

/** How many people each pull request's record holds: those with an entry or recorded as pushers. */
function peopleByPull(ledger: ApprovalLedger): Map<number, number> {
  const people = new Map<number, Set<string>>();
  for (const p of [...ledger.entries, ...(ledger.pushers ?? [])]) {
    const known = people.get(p.pr) ?? new Set<string>();
    known.add(p.by.toLowerCase());
    people.set(p.pr, known);
  }
  return new Map([...people].map(([n, set]) => [n, set.size]));
}

function total(people: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const n of people.values()) sum += n;
  return sum;
}

// ---------------------------------------------------------------------------------------------------
// What a check run showed: its external_id

/**
 * The external_id of a `reqgate/baseline` run: the pull request it was evaluated for and the subject it
 * showed, so that an Approve press (or a review of its commit) binds to that pull request only.
 */
export function runBinding(pr: number, subject: string): string {
  return `pr${pr}:${subject}`;
}

/** The pull request and subject of a run's external_id; undefined for anything else (a drift run, `incomplete`). */
export function parseRunBinding(externalId: string | undefined): { pr: number; subject: string } | undefined {
  const m = externalId === undefined ? null : /^pr([0-9]{1,9}):(.{1,200})$/.exec(externalId);
  return m ? { pr: Number(m[1]), subject: m[2]! } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// From events to entries

/**
 * The entries that record each person's latest action among `events` (pull-facts `approvalEvents`, the
 * ledger already applied): approvals with the subject they are bound to, withdrawals. A review whose
 * content is not known yet is not recorded (GitHub keeps it; a later evaluation may bind it).
 */
export function ledgerEntries(pr: number, events: readonly ApprovalEvent[]): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const event of latestActions(events).values()) {
    const act = actOf(event);
    if (act === "none") continue;
    const id = event.kind === "button" ? event.checkRun : event.id;
    if (act === "approve" && event.kind === "review" && event.subject === undefined) continue;
    const entry: LedgerEntry = { pr, by: event.by, via: event.kind, id, at: event.at, act };
    if (act === "approve" && event.subject !== undefined) entry.subject = event.subject;
    entries.push(entry);
  }
  return entries;
}
