// A pull request's waiver (SPEC 2.4 `/reqgate waive`), carried from run to run in the hidden record at the
// start of the `reqgate/trace` summary, as the approval ledger is carried in `reqgate/baseline`. Pull
// requests that share a head commit share its runs: each waiver names its pull request, counts for that
// one only, and the record keeps the waivers of all of them.
import { MARKER, readHiddenAtStart, writeHidden } from "../core/hidden-data.js";

/** A `/reqgate waive <reason>` accepted on the pull request itself (SPEC 2.4). */
export interface PullWaiver {
  /** The pull request it was accepted on. */
  pr: number;
  by: string;
  reason: string;
  /** ISO time of the waiving comment. */
  at: string;
  comment: number;
}

/** At most this many pull requests' waivers are carried in one run (the most recent). */
export const MAX_CARRIED_WAIVERS = 20;

/** The waivers as the first line of the trace check's summary (an HTML comment nothing inside can end). */
export function waiverMarker(waivers: readonly PullWaiver[]): string {
  const kept = [...waivers].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, MAX_CARRIED_WAIVERS);
  return writeHidden(MARKER.waiver, { waivers: kept.map((w) => ({ pr: w.pr, by: w.by, reason: w.reason, at: w.at, comment: w.comment })) });
}

/**
 * The waivers carried by a trace check run's summary (of a run this App created: only it can write
 * one), one per pull request. Only a marker at the very start counts; anything malformed is no waiver.
 * Never throws.
 */
export function waiversFromSummary(summary: string | null | undefined): PullWaiver[] {
  const data = readHiddenAtStart(summary, MARKER.waiver);
  if (data === null || typeof data !== "object" || !Array.isArray((data as { waivers?: unknown }).waivers)) return [];
  const out: PullWaiver[] = [];
  const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;
  const int = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x > 0;
  for (const w of ((data as { waivers: unknown[] }).waivers.slice(0, MAX_CARRIED_WAIVERS)) as Array<Record<string, unknown> | null>) {
    if (!w || !int(w.pr) || !str(w.by, 100) || !str(w.reason, 2000) || !str(w.at, 40) || !int(w.comment)) continue;
    if (out.some((x) => x.pr === w.pr)) continue;
    out.push({ pr: w.pr, by: w.by, reason: w.reason, at: w.at, comment: w.comment });
  }
  return out;
}

/** The waiver of pull request `pr` among the carried ones. */
export function waiverFor(waivers: readonly PullWaiver[], pr: number): PullWaiver | undefined {
  return waivers.find((w) => w.pr === pr);
}
