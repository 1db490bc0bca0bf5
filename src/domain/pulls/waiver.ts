// A pull request's waiver (SPEC 2.4 `/reqgate waive`), carried from run to run in the hidden record at the
// start of the `reqgate/trace` summary, as the approval ledger is carried in `reqgate/baseline`.
import { MARKER, readHiddenAtStart, writeHidden } from "../core/hidden-data.js";

/** A `/reqgate waive <reason>` accepted on the pull request itself (SPEC 2.4). */
export interface PullWaiver {
  by: string;
  reason: string;
  /** ISO time of the waiving comment. */
  at: string;
  comment: number;
}

/** The waiver as the first line of the trace check's summary (an HTML comment nothing inside can end). */
export function waiverMarker(waiver: PullWaiver): string {
  return writeHidden(MARKER.waiver, { by: waiver.by, reason: waiver.reason, at: waiver.at, comment: waiver.comment });
}

/**
 * The waiver carried by a trace check run's summary (of a run this App created: only it can write
 * one). Only a marker at the very start counts; anything malformed is no waiver. Never throws.
 */
export function waiverFromSummary(summary: string | null | undefined): PullWaiver | undefined {
  const data = readHiddenAtStart(summary, MARKER.waiver);
  if (data === null || typeof data !== "object") return undefined;
  const w = data as Record<string, unknown>;
  const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;
  if (!str(w.by, 100) || !str(w.reason, 2000) || !str(w.at, 40) || typeof w.comment !== "number" || !Number.isSafeInteger(w.comment) || w.comment <= 0) return undefined;
  return { by: w.by, reason: w.reason, at: w.at, comment: w.comment };
}
