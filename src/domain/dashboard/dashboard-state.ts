// What the dashboard remembers from one update to the next, kept in a hidden record at the end of its own
// body (the App signs it; src/github/dashboard-gateway.ts): the waivers the App accepted, the last
// baseline move, and the suspect searches that failed or were cut. The body is read on every update
// anyway, so this costs no request, survives a restart and is the same for every replica.
//
// - Waivers: `/reqgate waive` is recorded on its issue (the issue comment's signed state) or pull request
//   (the `reqgate/trace` run); reading those back for every issue and pull request would cost a request
//   each. So the App hands each waiver it accepts to the dashboard, which keeps the most recent ones.
//   The list says which work is accepted without a requirement *now*: a waiver leaves it when its work
//   no longer needs one, as far as the update can tell without another request. An issue's when the
//   update's issue list shows it closed, or open and naming only active requirements (traced: the waiver
//   is dormant; the issue's own evaluation hands it back when it applies again), or when it is deleted; a
//   pull request's when it is closed or merged (the handler's note). A waiver on a pull request that
//   became traced stays listed until it closes (telling would cost a read of its trace run).
// - Search gaps: a suspect search that failed or was cut (SPEC 2.5) may have missed work. The gap stays
//   until the same requirements are searched again completely (a later baseline move of them), so the
//   dashboard never claims "nothing suspect" in between.

export interface DashboardWaiver {
  kind: "issue" | "pull";
  number: number;
  by: string;
  reason: string;
  /** ISO time of the waiving comment. */
  at: string;
}

export interface SearchGap {
  /** The pushed commit whose baseline move was searched. */
  commit: string;
  /** The requirements whose open work may not all be marked suspect. */
  ids: string[];
  reasons: string[];
}

export interface DashboardState {
  waivers: DashboardWaiver[];
  lastMove?: { commit: string; ids: string[] };
  gaps: SearchGap[];
}

/** One suspect sweep after a baseline move (src/engine/suspect.ts). */
export interface SweepNote {
  commit: string;
  moved: readonly string[];
  incomplete: readonly string[];
}

/** A waiver's work ended: its issue was deleted, its pull request closed or merged. */
export interface WaiverEnd {
  kind: "issue" | "pull";
  number: number;
  ended: true;
}

/** What the events since the last update add. */
export interface StateNotes {
  /** Waivers accepted (or found in effect again) and ended, in the order the events came. */
  waivers?: ReadonlyArray<DashboardWaiver | WaiverEnd>;
  lastMove?: { commit: string; ids: readonly string[] };
  sweeps?: readonly SweepNote[];
  /** Issues deleted or transferred to another repository: no list read shows them again, so they are dropped from the one kept. */
  gone?: readonly number[];
}

/** The notes of two events, as one: waivers and sweeps in order, the later baseline move. */
export function mergeNotes(earlier: StateNotes, later: StateNotes): StateNotes {
  const lastMove = later.lastMove ?? earlier.lastMove;
  const gone = [...(earlier.gone ?? []), ...(later.gone ?? [])];
  return { waivers: [...(earlier.waivers ?? []), ...(later.waivers ?? [])], sweeps: [...(earlier.sweeps ?? []), ...(later.sweeps ?? [])], ...(lastMove ? { lastMove } : {}), ...(gone.length > 0 ? { gone } : {}) };
}

export const EMPTY_STATE: DashboardState = { waivers: [], gaps: [] };
/** The most recent waivers kept (one per issue or pull request). */
export const MAX_WAIVERS = 30;
const MAX_GAPS = 5;
const MAX_IDS = 50;
const MAX_REASON = 500;

/** The issues as the update read them: their state and the requirement IDs they name; `active`: the lock's active IDs. */
export interface CurrentWork {
  issues: ReadonlyArray<{ number: number; state: "open" | "closed"; ids: readonly string[] }>;
  active: ReadonlySet<string>;
}

/** The state after these notes. Pure: the same state and notes give the same result. */
export function nextDashboardState(state: DashboardState, notes: StateNotes, now?: CurrentWork): DashboardState {
  const waivers = new Map<string, DashboardWaiver>();
  for (const w of [...state.waivers, ...(notes.waivers ?? [])]) {
    const key = `${w.kind}#${w.number}`;
    if ("ended" in w) {
      waivers.delete(key);
      continue;
    }
    const earlier = waivers.get(key);
    // The latest waiver of a subject stands.
    if (!earlier || Date.parse(w.at) >= Date.parse(earlier.at)) waivers.set(key, { kind: w.kind, number: w.number, by: w.by, reason: w.reason.slice(0, MAX_REASON), at: w.at });
  }
  if (now) {
    const issues = new Map(now.issues.map((i) => [i.number, i]));
    for (const [key, w] of waivers) {
      const issue = w.kind === "issue" ? issues.get(w.number) : undefined;
      // An issue the list does not have (not read yet, or past its bound) keeps its waiver: unknown is not ended.
      if (issue && (issue.state === "closed" || traced(issue.ids, now.active))) waivers.delete(key);
    }
  }
  let gaps = state.gaps.map((g) => ({ ...g, ids: [...g.ids] }));
  for (const sweep of notes.sweeps ?? []) {
    if (sweep.incomplete.length === 0) {
      // A complete search of a requirement closes the gaps that named it.
      const searched = new Set(sweep.moved);
      gaps = gaps.map((g) => ({ ...g, ids: g.ids.filter((id) => !searched.has(id)) })).filter((g) => g.ids.length > 0);
    } else {
      gaps = [{ commit: sweep.commit, ids: [...sweep.moved].slice(0, MAX_IDS), reasons: [...sweep.incomplete].slice(0, 5).map((r) => r.slice(0, MAX_REASON)) }, ...gaps.filter((g) => g.commit !== sweep.commit)];
    }
  }
  const lastMove = notes.lastMove ? { commit: notes.lastMove.commit, ids: [...notes.lastMove.ids].slice(0, MAX_IDS) } : state.lastMove;
  const kept = [...waivers.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.number - b.number).slice(0, MAX_WAIVERS);
  return normalizeState({ waivers: kept, gaps: gaps.slice(0, MAX_GAPS), ...(lastMove ? { lastMove } : {}) })!;
}

/** As the issue side judges it: at least one ID, every one an active requirement. */
function traced(ids: readonly string[], active: ReadonlySet<string>): boolean {
  return ids.length > 0 && ids.every((id) => active.has(id));
}

/**
 * The state read from a record (or built by nextDashboardState), with its fields in one order and its
 * bounds applied: what is signed and what is checked. Undefined when malformed. Never throws.
 */
export function normalizeState(data: unknown): DashboardState | undefined {
  if (data === null || typeof data !== "object") return undefined;
  const d = data as Record<string, unknown>;
  const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;
  const int = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x > 0;
  const ids = (x: unknown): x is string[] => Array.isArray(x) && x.length <= MAX_IDS && x.every((id) => str(id, 100));
  if (!Array.isArray(d.waivers) || !Array.isArray(d.gaps)) return undefined;
  const waivers: DashboardWaiver[] = [];
  for (const w of d.waivers.slice(0, MAX_WAIVERS) as Array<Record<string, unknown> | null>) {
    if (!w || (w.kind !== "issue" && w.kind !== "pull") || !int(w.number) || !str(w.by, 100) || !str(w.reason, MAX_REASON) || !str(w.at, 40) || Number.isNaN(Date.parse(w.at))) return undefined;
    waivers.push({ kind: w.kind, number: w.number, by: w.by, reason: w.reason, at: w.at });
  }
  waivers.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.number - b.number);
  const gaps: SearchGap[] = [];
  for (const g of d.gaps.slice(0, MAX_GAPS) as Array<Record<string, unknown> | null>) {
    if (!g || !str(g.commit, 64) || !ids(g.ids) || !Array.isArray(g.reasons) || g.reasons.length > 5 || !g.reasons.every((r) => str(r, MAX_REASON))) return undefined;
    gaps.push({ commit: g.commit, ids: [...g.ids], reasons: [...g.reasons] });
  }
  const move = d.lastMove as Record<string, unknown> | undefined;
  if (move !== undefined && (move === null || typeof move !== "object" || !str(move.commit, 64) || !ids(move.ids))) return undefined;
  return { waivers: waivers.slice(0, MAX_WAIVERS), ...(move ? { lastMove: { commit: move.commit as string, ids: [...(move.ids as string[])] } } : {}), gaps };
}
