// Change records as content: the fingerprint an approval binds to, and which records a change adds.
import { foldSpace, sha256 } from "./baseline.js";
import type { ChangeRecord } from "../requirements/requirement.js";

/** A hash of a record's meaning (title, rationale, affects): reformatting the file does not change it. */
export function recordFingerprint(record: ChangeRecord): string {
  const content = [record.id, foldSpace(record.title), foldSpace(record.rationale), [...new Set(record.affects)].sort()];
  return sha256(JSON.stringify(content));
}

export type RecordChangeKind = "added" | "modified" | "deleted" | "unchanged";

export function recordChangeKind(base: ChangeRecord | undefined, head: ChangeRecord | undefined): RecordChangeKind {
  if (!base && head) return "added";
  if (base && !head) return "deleted";
  if (base && head && recordFingerprint(base) !== recordFingerprint(head)) return "modified";
  return "unchanged";
}
