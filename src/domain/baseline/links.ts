// Requirement-level suspect links (SPEC 2.5). When a baseline move modifies, retires, changes the status of
// or removes a requirement, what was derived from it is suspect until a person looks: its children (they
// refine the old content) and the files of `@verifies` evidence (they test the old content). The links are
// recorded in the lock, one line each, so that they travel with the baseline: the default branch shows
// them, and a review of one (`reqgate review`) is a lock change that is itself reviewed in a pull request.
//
// Who computes what: `reqgate baseline` has the whole checkout (every parent, every evidence file) and
// writes the links (`nextLinks`); the App reads only what a pull request changes, so it judges the links a
// pull request writes against its base (`judgeLinks`): a link may be dropped only when its child or file
// is touched by the change, reviews are named and need approval, and a link must name a move of this
// change. A child the App cannot see is not its to judge: `reqgate check` lists the links from the lock.
import { cmp, diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { compareLinks, linkKey, needsChangeRecord, type Lock, type LockLink, type RequirementChange } from "./baseline.js";

/** The moves that make links: a requirement's meaning or status changed, or it left the baseline. */
export function linkMoves(changes: readonly (RequirementChange & { record?: string })[], credit: (id: string) => string | undefined): Map<string, string> {
  const moves = new Map<string, string>();
  for (const c of changes) {
    if (!needsChangeRecord(c.kind) || c.kind === "added") continue;
    const record = c.record ?? credit(c.id);
    if (record !== undefined) moves.set(c.id, record);
  }
  return moves;
}

export interface NextLinksInput {
  /** The links of the lock the move starts from (the base's). */
  previous: readonly LockLink[];
  /** Links as the working tree's lock has them: reviews made there (`reqgate review`) are kept. */
  reviewed?: readonly LockLink[];
  /** Requirement ID -> the change record of this move, for every requirement it moved. */
  moves: ReadonlyMap<string, string>;
  /** Requirements whose entry this move changes (any kind): a link of such a child is cleared. */
  touchedIds: ReadonlySet<string>;
  /** Files this move changes: a link of such an evidence file is cleared. */
  touchedFiles: ReadonlySet<string>;
  /** Every baselined requirement after the move, with its parents. */
  requirements: ReadonlyMap<string, { parents: readonly string[] }>;
  /** `@verifies` evidence after the move: requirement ID -> the files that name it. */
  evidence: ReadonlyMap<string, ReadonlyArray<{ file: string }>>;
}

/**
 * The links after a baseline move. Links of the base stay unless their child or file is touched by the
 * move, or no longer derives from what moved (the child dropped the parent, the file the tag). Each
 * move adds a link per child and per evidence file not touched by it; a new move of a requirement
 * replaces the earlier link (and its review). Reviews of the working tree's lock are kept for the same
 * link and move.
 */
export function nextLinks(input: NextLinksInput): LockLink[] {
  const out = new Map<string, LockLink>();
  const filesOf = (id: string) => new Set((input.evidence.get(id) ?? []).map((r) => r.file));
  for (const l of input.previous) {
    if (l.kind === "child") {
      if (input.touchedIds.has(l.item) || !(input.requirements.get(l.item)?.parents.includes(l.moved) ?? false)) continue;
    } else if (input.touchedFiles.has(l.item) || !filesOf(l.moved).has(l.item)) {
      continue;
    }
    out.set(linkKey(l), l);
  }
  if (input.moves.size > 0) {
    const children = new Map<string, string[]>();
    for (const [id, r] of input.requirements) {
      for (const parent of r.parents) if (input.moves.has(parent)) children.set(parent, [...(children.get(parent) ?? []), id]);
    }
    for (const [moved, change] of input.moves) {
      for (const child of children.get(moved) ?? []) {
        if (!input.touchedIds.has(child)) out.set(linkKey({ kind: "child", item: child, moved }), { kind: "child", item: child, moved, change });
      }
      for (const file of filesOf(moved)) {
        if (!input.touchedFiles.has(file)) out.set(linkKey({ kind: "evidence", item: file, moved }), { kind: "evidence", item: file, moved, change });
      }
    }
  }
  for (const r of input.reviewed ?? []) {
    const l = out.get(linkKey(r));
    if (l && !l.review && r.review && l.change === r.change) out.set(linkKey(r), { ...l, review: r.review });
  }
  return [...out.values()].sort(compareLinks);
}

/** The lock with `links` in place of its own. */
export function withLinks(lock: Lock, links: readonly LockLink[]): Lock {
  const { links: _old, ...rest } = lock;
  return links.length > 0 ? { ...rest, links: [...links] } : rest;
}

/** Links still waiting for a person (no review). */
export function openLinks(lock: Lock | undefined): LockLink[] {
  return (lock?.links ?? []).filter((l) => !l.review);
}

// ---------------------------------------------------------------------------------------------------
// `reqgate review ID…`

export interface ReviewResult {
  lock: Lock;
  /** The links this review confirmed. */
  reviewed: LockLink[];
  /** Targets that name no open link. */
  unknown: string[];
}

/**
 * Confirms the open links of each target: a requirement ID confirms the links of that child and of the
 * evidence of that requirement; a path confirms the links of that evidence file.
 */
export function reviewLinks(lock: Lock, targets: readonly string[], by: string, at: string): ReviewResult {
  const wanted = new Set(targets);
  const hit = new Set<string>();
  const reviewed: LockLink[] = [];
  const links = (lock.links ?? []).map((l) => {
    if (l.review) return l;
    const target = wanted.has(l.item) ? l.item : l.kind === "evidence" && wanted.has(l.moved) ? l.moved : undefined;
    if (target === undefined) return l;
    hit.add(target);
    const done = { ...l, review: { by, at } };
    reviewed.push(done);
    return done;
  });
  return { lock: withLinks(lock, links), reviewed, unknown: targets.filter((t) => !hit.has(t)) };
}

// ---------------------------------------------------------------------------------------------------
// Words, for `check`, `trace`, the dashboard

/** "REQ-002: its parent REQ-001 moved (CR-0003)". Plain text; callers escape for Markdown. */
export function describeLink(l: LockLink): string {
  return l.kind === "child" ? `${l.item}: its parent ${l.moved} moved (${l.change})` : `${l.item}: evidence of ${l.moved}, which moved (${l.change})`;
}

/** `check`'s warnings: one per open link, on its line of the lock (`lockText` places them). */
export function linkDiagnostics(lock: Lock | undefined, lockPath: string, lockText?: string): Diagnostic[] {
  const open = openLinks(lock);
  if (open.length === 0) return [];
  const lines = new Map<string, number>();
  if (lockText !== undefined) {
    let n = 0;
    for (const line of lockText.split("\n")) {
      n++;
      if (!line.startsWith('{"suspect":')) continue;
      try {
        const row = JSON.parse(line) as { suspect?: string; parent?: string; verifies?: string };
        lines.set(`${row.suspect}\0${row.parent ?? row.verifies}`, n);
      } catch {
        // The lock parsed as a whole; a line that does not is no link.
      }
    }
  }
  return open.map((l) => diagnostic({
    code: "suspect-link",
    severity: "warning",
    file: lockPath,
    line: lines.get(`${l.item}\0${l.moved}`) ?? 1,
    column: 1,
    message: `suspect: ${describeLink(l)}`,
    hint: `check ${l.item} against the current ${l.moved}, then run \`reqgate review ${l.item}\` and commit the lock (or change ${l.item} in a baseline move)`,
  }));
}

// ---------------------------------------------------------------------------------------------------
// What a change does to the links (the App's judgement, and `check --base`)

export interface LinkChange {
  /** Links a review confirms in this change. */
  reviews: LockLink[];
  /** Links this change adds (its moves). */
  added: LockLink[];
  /** Links this change clears (child or file touched). */
  cleared: LockLink[];
  diagnostics: Diagnostic[];
}

export interface JudgeLinksInput {
  base: readonly LockLink[];
  head: readonly LockLink[];
  /** The change's moves: requirement -> its change record. */
  moves: ReadonlyMap<string, string>;
  /** Requirements whose entry the change changes, of any kind. */
  touchedIds: ReadonlySet<string>;
  /** Every file the change touches (undefined: not known, so no evidence link may be dropped). */
  touchedFiles?: ReadonlySet<string>;
  lockPath: string;
}

/**
 * Judges the links of a change's head lock against its base. A link may be dropped only when its child or
 * file is touched by the change, or what it derives from moved again; a new link or a new move of one must
 * name a move of this change; a review may be added, never changed or removed.
 */
export function judgeLinks(input: JudgeLinksInput): LinkChange {
  const base = new Map(input.base.map((l) => [linkKey(l), l]));
  const head = new Map(input.head.map((l) => [linkKey(l), l]));
  const out: LinkChange = { reviews: [], added: [], cleared: [], diagnostics: [] };
  const bad = (message: string, hint: string) => out.diagnostics.push(diagnostic({ code: "lock-link-invalid", file: input.lockPath, line: 1, column: 1, message, hint }));
  for (const [key, l] of base) {
    if (head.has(key)) continue;
    const touched = l.kind === "child" ? input.touchedIds.has(l.item) : input.touchedFiles?.has(l.item) === true;
    if (touched || input.touchedIds.has(l.moved)) out.cleared.push(l);
    else bad(`the lock drops the suspect link ${l.item} → ${l.moved} (${l.change}), but the change neither touches ${l.item} nor reviews it`, `restore the line with \`reqgate baseline\`; to confirm the link, run \`reqgate review ${l.kind === "child" ? l.item : l.moved}\``);
  }
  for (const [key, l] of head) {
    const was = base.get(key);
    if (was && was.change === l.change) {
      if (was.review && (!l.review || l.review.by !== was.review.by || l.review.at !== was.review.at)) bad(`the lock changes the recorded review of ${l.item} → ${l.moved}`, "a review is history: restore the line as the base has it");
      else if (!was.review && l.review) out.reviews.push(l);
      continue;
    }
    if (input.moves.get(l.moved) !== l.change) {
      bad(`the lock names a suspect link ${l.item} → ${l.moved} (${l.change}) that no move of this change makes`, "the lock is written by `reqgate baseline`; run it instead of editing the file");
      continue;
    }
    out.added.push(l);
    if (l.review) out.reviews.push(l);
  }
  out.reviews.sort(compareLinks);
  out.added.sort(compareLinks);
  out.cleared.sort(compareLinks);
  return out;
}

/** The parts of a change's links an approval binds to: who reviewed what. */
export function reviewSubject(reviews: readonly LockLink[]): string[] {
  return reviews.map((l) => `review:${l.kind}:${l.item}~${l.moved}=${l.change} by ${l.review?.by ?? ""}`).sort(cmp);
}
