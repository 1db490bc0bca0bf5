// The approval ledger: what GitHub does not keep for us (SPEC 2.3 step 5). GitHub keeps reviews (with
// their commit) and comments, but not which content a comment approved, and not button presses at all
// (`requested_action` is a webhook only). The App records both when it sees them, and carries the record
// in its own `reqgate/baseline` check run (a hidden record at the start of the summary, which only the App
// that created the run can write), from one head SHA's run to the next. Pure: storage is the caller's.
import { MARKER, readHiddenAtStart, writeHidden } from "../core/hidden-data.js";
import type { ApprovalEvent, ButtonEvent } from "./approvals.js";

export interface ApprovalLedger {
  /** Comment id → the subject current when the App saw the comment created. */
  comments: Array<{ id: number; subject: string }>;
  buttons: Array<{ checkRun: number; by: string; subject: string; at: string }>;
  /**
   * `/reqgate revoke` comments the App saw created. A revoke withdraws for good: deleting the comment
   * later (by anyone) does not bring the approvals it withdrew back. Absent when empty.
   */
  revokes?: Array<{ comment: number; by: string; at: string }>;
}

/** Oldest entries are dropped beyond this, to bound the check run's size; a dropped approval is stale. */
export const MAX_LEDGER_ENTRIES = 100;

export function emptyLedger(): ApprovalLedger {
  return { comments: [], buttons: [] };
}

/** A ledger read back from a check run; anything malformed is dropped, never trusted. Never throws. */
export function parseLedger(value: unknown): ApprovalLedger {
  const ledger = emptyLedger();
  if (value === null || typeof value !== "object") return ledger;
  const v = value as { comments?: unknown; buttons?: unknown };
  const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;
  const int = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x > 0;
  if (Array.isArray(v.comments)) {
    for (const c of v.comments.slice(-MAX_LEDGER_ENTRIES) as Array<Record<string, unknown> | null>) {
      if (c && int(c.id) && str(c.subject, 200)) ledger.comments.push({ id: c.id, subject: c.subject });
    }
  }
  if (Array.isArray(v.buttons)) {
    for (const b of v.buttons.slice(-MAX_LEDGER_ENTRIES) as Array<Record<string, unknown> | null>) {
      if (b && int(b.checkRun) && str(b.by, 100) && str(b.subject, 200) && str(b.at, 40)) ledger.buttons.push({ checkRun: b.checkRun, by: b.by, subject: b.subject, at: b.at });
    }
  }
  const revokes: NonNullable<ApprovalLedger["revokes"]> = [];
  if (Array.isArray((v as { revokes?: unknown }).revokes)) {
    for (const r of ((v as { revokes: unknown[] }).revokes.slice(-MAX_LEDGER_ENTRIES)) as Array<Record<string, unknown> | null>) {
      if (r && int(r.comment) && str(r.by, 100) && str(r.at, 40)) revokes.push({ comment: r.comment, by: r.by, at: r.at });
    }
  }
  if (revokes.length > 0) ledger.revokes = revokes;
  return ledger;
}

/** The ledger as the first line of the check run's summary (an HTML comment nothing inside can end). */
export function ledgerMarker(ledger: ApprovalLedger): string {
  return writeHidden(MARKER.approvals, ledger);
}

/**
 * The ledger of a check run's summary (of a run this App created). Only a marker at the very start
 * counts: user text shown further down cannot forge one. Empty when absent or malformed.
 */
export function ledgerFromSummary(summary: string | null | undefined): ApprovalLedger {
  return parseLedger(readHiddenAtStart(summary, MARKER.approvals));
}

/** The ledger with one more entry; a comment already recorded keeps its first subject. */
export function recordInLedger(
  ledger: ApprovalLedger,
  entry: { comment: number; subject: string } | { revoke: number; by: string; at: string } | (ButtonEvent & { subject: string }),
): ApprovalLedger {
  if ("revoke" in entry) {
    const revokes = ledger.revokes ?? [];
    if (revokes.some((r) => r.comment === entry.revoke)) return ledger;
    return { ...ledger, revokes: [...revokes, { comment: entry.revoke, by: entry.by, at: entry.at }].slice(-MAX_LEDGER_ENTRIES) };
  }
  if ("comment" in entry) {
    if (ledger.comments.some((c) => c.id === entry.comment)) return ledger;
    return { ...ledger, comments: [...ledger.comments, { id: entry.comment, subject: entry.subject }].slice(-MAX_LEDGER_ENTRIES) };
  }
  const button = { checkRun: entry.checkRun, by: entry.by, subject: entry.subject, at: entry.at };
  return { ...ledger, buttons: [...ledger.buttons, button].slice(-MAX_LEDGER_ENTRIES) };
}

/** Events with the ledger applied: comments get the subject recorded for them, button presses become events. */
export function withLedger(events: readonly ApprovalEvent[], ledger: ApprovalLedger): ApprovalEvent[] {
  const subjects = new Map(ledger.comments.map((c) => [c.id, c.subject]));
  const out = events.map((e): ApprovalEvent => {
    if (e.kind !== "comment" || e.subject !== undefined) return e;
    const subject = subjects.get(e.id);
    return subject === undefined ? e : { ...e, subject };
  });
  for (const b of ledger.buttons) out.push({ kind: "button", ...b });
  // A recorded revoke whose comment is gone (deleted) still withdraws.
  const present = new Set(events.flatMap((e) => (e.kind === "comment" ? [e.id] : [])));
  for (const r of ledger.revokes ?? []) {
    if (!present.has(r.comment)) out.push({ kind: "comment", id: r.comment, by: r.by, command: { name: "revoke" }, at: r.at });
  }
  return out;
}

/**
 * Several ledgers as one (the runs of earlier head commits each carry one): comments keep the first
 * subject recorded, buttons and revokes are kept once each; at most the newest MAX_LEDGER_ENTRIES of each.
 */
export function mergeLedgers(ledgers: readonly ApprovalLedger[]): ApprovalLedger {
  let merged = emptyLedger();
  const buttons = new Set<string>();
  for (const ledger of ledgers) {
    for (const c of ledger.comments) merged = recordInLedger(merged, { comment: c.id, subject: c.subject });
    for (const b of ledger.buttons) {
      const key = JSON.stringify([b.checkRun, b.by, b.at, b.subject]);
      if (buttons.has(key)) continue;
      buttons.add(key);
      merged = recordInLedger(merged, { kind: "button", ...b });
    }
    for (const r of ledger.revokes ?? []) merged = recordInLedger(merged, { revoke: r.comment, by: r.by, at: r.at });
  }
  return merged;
}
