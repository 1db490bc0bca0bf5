// Suspect work (SPEC 2.5): when a push to the default branch moves the baseline (a lock entry modified,
// changed in status, retired or removed), the open issues and pull requests that reference a moved
// requirement were built on content that no longer holds. This module says which requirements moved,
// how to find the work that references them (the search queries), and keeps each item's suspect state:
// the marks still open and the reviews that cleared earlier ones. Pure data; the engine reads and writes.
//
// A move is identified by its key (the change record that moved the requirement and the fingerprint
// after the move): a redelivered or repeated push brings the same key and changes nothing; a later
// move of the same requirement brings a new key and makes the work suspect again, even after a review.
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import { cmp } from "../core/diagnostic.js";

export type MoveKind = "modified" | "status-changed" | "retired" | "removed";

/** One requirement that moved under an item of work, with what a person needs to judge the work. */
export interface SuspectMark {
  id: string;
  kind: MoveKind;
  /** The change record credited with the move (absent when none could be credited). */
  change?: string;
  /** Identifies this move of the requirement: `<change>:<fingerprint after, or "removed">`. */
  key: string;
  /** The pushed commit that moved it. */
  commit: string;
  /** ISO time of the push. */
  at: string;
  /** The normative text before and after, cut to MAX_TEXT characters. */
  before?: string;
  after?: string;
  /** For a retired requirement: its successor. */
  supersededBy?: string;
}

/** A person (or an edit) cleared a mark: who, when, and which move it was. */
export interface SuspectReview {
  id: string;
  key: string;
  /** The login of who cleared it. */
  by: string;
  at: string;
  /** How: `/reqgate reviewed`, or an edit of the issue that points at the current requirement. */
  how: "reviewed" | "edited";
}

export interface SuspectState {
  marks: SuspectMark[];
  /** The latest review per requirement. */
  reviewed: SuspectReview[];
}

export const EMPTY_SUSPECT: SuspectState = { marks: [], reviewed: [] };

/** Requirement texts kept in a mark are cut to this many characters (the comment shows them). */
export const MAX_TEXT = 1000;
/** At most this many open marks and reviews are kept per item (the newest). */
export const MAX_MARKS = 20;
export const MAX_REVIEWS = 50;
/** IDs per search: joined with OR, and GitHub allows at most five operators in one query. */
export const IDS_PER_SEARCH = 6;

const MOVE_KINDS: ReadonlySet<string> = new Set<MoveKind>(["modified", "status-changed", "retired", "removed"]);

/**
 * The requirements a push moved, as marks, from the evaluation of the push (whose lock matches its
 * requirement files: a push that bypassed the gate moves nothing, it fails the drift check). Sorted by ID.
 */
export function movedRequirements(evaluation: ChangeEvaluation, push: { commit: string; at: string }): SuspectMark[] {
  if (evaluation.lock.state !== "current") return [];
  const marks: SuspectMark[] = [];
  for (const change of evaluation.changes) {
    if (!MOVE_KINDS.has(change.kind)) continue;
    const kind = change.kind as MoveKind;
    const mark: SuspectMark = { id: change.id, kind, key: `${change.record ?? "?"}:${change.after?.fingerprint ?? "removed"}`, commit: push.commit, at: push.at };
    if (change.record !== undefined) mark.change = change.record;
    const before = change.baseRequirement?.text;
    const after = change.headRequirement?.text;
    if (before !== undefined) mark.before = cut(before);
    if (after !== undefined && kind !== "removed") mark.after = cut(after);
    const successor = change.after?.supersededBy ?? change.headRequirement?.supersededBy;
    if (successor !== undefined) mark.supersededBy = successor;
    marks.push(mark);
  }
  return marks.sort((a, b) => cmp(a.id, b.id));
}

function cut(text: string): string {
  const chars = Array.from(text.trim());
  return chars.length > MAX_TEXT ? `${chars.slice(0, MAX_TEXT).join("")}…` : chars.join("");
}

/**
 * The searches that find open issues and pull requests referencing `ids`: ⌈k/6⌉ queries, each naming six
 * IDs as exact phrases joined with OR (five operators), in titles and bodies only (reqgate's own comments
 * name IDs too). The results are checked against the text again: search matches words, not IDs.
 */
export function suspectQueries(repo: { owner: string; repo: string }, ids: readonly string[]): string[] {
  const unique = [...new Set(ids)].sort(cmp);
  const queries: string[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_SEARCH) {
    const terms = unique.slice(i, i + IDS_PER_SEARCH).map((id) => `"${id}"`);
    queries.push(`repo:${repo.owner}/${repo.repo} is:open in:title,body (${terms.join(" OR ")})`);
  }
  return queries;
}

/** The marks that concern an item whose title and body reference `referenced`. */
export function marksFor(marks: readonly SuspectMark[], referenced: ReadonlySet<string>): SuspectMark[] {
  return marks.filter((m) => referenced.has(m.id));
}

/**
 * The state with `incoming` marks added: a move already marked, or already reviewed, changes nothing;
 * a new move of a requirement replaces its older mark.
 */
export function addMarks(state: SuspectState, incoming: readonly SuspectMark[]): SuspectState {
  let marks = [...state.marks];
  for (const m of incoming) {
    if (marks.some((x) => x.id === m.id && x.key === m.key)) continue;
    if (state.reviewed.some((r) => r.id === m.id && r.key === m.key)) continue;
    marks = [...marks.filter((x) => x.id !== m.id), m];
  }
  marks.sort((a, b) => cmp(a.id, b.id));
  return { marks: marks.slice(-MAX_MARKS), reviewed: state.reviewed };
}

/** `/reqgate reviewed`: every open mark is cleared, recorded with who and when. */
export function reviewAll(state: SuspectState, by: string, at: string): SuspectState {
  return clear(state, state.marks, by, at, "reviewed");
}

/**
 * An edit of the issue (at `at`, after the marks were made) that points at the current requirement
 * clears its mark: for a modified requirement (or one changed in status) the issue still names it,
 * which now means its current content; for a retired or removed one, the issue no longer names it (it
 * names the successor or another requirement instead). Marks made after the edit stay.
 */
export function clearOnEdit(state: SuspectState, referenced: ReadonlySet<string>, by: string, at: string): SuspectState {
  const cleared = state.marks.filter((m) => m.at < at && (m.kind === "retired" || m.kind === "removed" ? !referenced.has(m.id) : referenced.has(m.id)));
  return cleared.length === 0 ? state : clear(state, cleared, by, at, "edited");
}

function clear(state: SuspectState, marks: readonly SuspectMark[], by: string, at: string, how: SuspectReview["how"]): SuspectState {
  if (marks.length === 0) return state;
  const ids = new Set(marks.map((m) => m.id));
  const reviews = marks.map((m) => ({ id: m.id, key: m.key, by, at, how }));
  const reviewed = [...state.reviewed.filter((r) => !ids.has(r.id)), ...reviews].sort((a, b) => cmp(a.id, b.id));
  return { marks: state.marks.filter((m) => !ids.has(m.id)), reviewed: reviewed.slice(-MAX_REVIEWS) };
}

/** True when the two states say the same (nothing to write). */
export function sameSuspect(a: SuspectState, b: SuspectState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------------------------------
// Per pull request: a trace run shows every pull request whose head is that commit, so the record a run
// carries holds each pull request's state apart (`{ prs: [{ pr, marks, reviewed }] }`): one pull
// request's `/reqgate reviewed` never clears another's marks.

/** At most this many pull requests' states are carried in one run (the newest first). */
export const MAX_CARRIED = 20;

export interface PullSuspect {
  pr: number;
  state: SuspectState;
}

/**
 * The states of a run's hidden record: this pull request's, and the others'. A record written before
 * states were kept per pull request (`{ marks, reviewed }`) belongs to no pull request in particular:
 * it is read as this one's, as it was then.
 */
export function suspectsFromData(data: unknown, pr: number): { own: SuspectState; others: PullSuspect[] } {
  if (typeof data !== "object" || data === null) return { own: EMPTY_SUSPECT, others: [] };
  const prs = (data as { prs?: unknown }).prs;
  if (!Array.isArray(prs)) return { own: suspectFromData(data), others: [] };
  let own = EMPTY_SUSPECT;
  const others: PullSuspect[] = [];
  for (const entry of prs.slice(0, MAX_CARRIED)) {
    if (typeof entry !== "object" || entry === null) continue;
    const n = (entry as { pr?: unknown }).pr;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0) continue;
    const state = suspectFromData(entry);
    if (n === pr) own = state;
    else if (!others.some((o) => o.pr === n)) others.push({ pr: n, state });
  }
  return { own, others };
}

/** The hidden record's payload for these pull requests' states (those with nothing to keep are left out). */
export function suspectsData(states: readonly PullSuspect[]): { prs: Array<{ pr: number } & SuspectState> } | undefined {
  const kept = states.filter((s) => s.state.marks.length > 0 || s.state.reviewed.length > 0).slice(0, MAX_CARRIED);
  return kept.length === 0 ? undefined : { prs: kept.map((s) => ({ pr: s.pr, marks: s.state.marks, reviewed: s.state.reviewed })) };
}

// ---------------------------------------------------------------------------------------------------
// Reading a state back from a hidden record (written by this App, but read defensively: never throws)

/** The state in a hidden record's payload; EMPTY_SUSPECT for anything malformed. */
export function suspectFromData(data: unknown): SuspectState {
  if (typeof data !== "object" || data === null) return EMPTY_SUSPECT;
  const { marks, reviewed } = data as { marks?: unknown; reviewed?: unknown };
  const out: SuspectState = { marks: [], reviewed: [] };
  if (Array.isArray(marks)) for (const m of marks.slice(0, MAX_MARKS)) {
    const mark = markFrom(m);
    if (mark) out.marks.push(mark);
  }
  if (Array.isArray(reviewed)) for (const r of reviewed.slice(0, MAX_REVIEWS)) {
    const review = reviewFrom(r);
    if (review) out.reviewed.push(review);
  }
  return out;
}

const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;

function markFrom(value: unknown): SuspectMark | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (!str(m.id, 100) || !str(m.kind, 20) || !MOVE_KINDS.has(m.kind) || !str(m.key, 200) || !str(m.commit, 64) || !str(m.at, 40)) return undefined;
  const mark: SuspectMark = { id: m.id, kind: m.kind as MoveKind, key: m.key, commit: m.commit, at: m.at };
  if (str(m.change, 100)) mark.change = m.change;
  if (str(m.before, 4 * MAX_TEXT)) mark.before = m.before;
  if (str(m.after, 4 * MAX_TEXT)) mark.after = m.after;
  if (str(m.supersededBy, 100)) mark.supersededBy = m.supersededBy;
  return mark;
}

function reviewFrom(value: unknown): SuspectReview | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (!str(r.id, 100) || !str(r.key, 200) || !str(r.by, 100) || !str(r.at, 40) || (r.how !== "reviewed" && r.how !== "edited")) return undefined;
  return { id: r.id, key: r.key, by: r.by, at: r.at, how: r.how };
}
