// Words and small helpers shared by the report and trace renderers, so that every format names the
// same thing the same way.
import type { ChangeKind } from "../../baseline/baseline.js";
import type { RepoLockState } from "../../check/check-repository.js";
import type { EvidenceRef } from "../../requirements/evidence.js";
import type { EvidenceStatus, TestResultRef } from "../../verification/verification.js";
import type { Coverage, GapKind, ReportReference, ReportSuspectLink, WorkItemTrace } from "../report.js";

export const EVIDENCE_LABELS: Record<EvidenceStatus, string> = {
  passed: "passed",
  failed: "failed",
  skipped: "skipped",
  "not-run": "not run",
  tagged: "tagged (no test results read)",
  missing: "no evidence",
};

/** `tests/login.test.js:7 (locks the account)`. */
export function describeEvidence(e: EvidenceRef & { test?: { name: string } }): string {
  return `${e.file}:${e.line}${e.test ? ` (${e.test.name})` : ""}`;
}

/** `failed: lockout logs every login (reports/jest.xml)`. */
export function describeResult(r: TestResultRef): string {
  return `${r.status}: ${r.name}${r.message && r.status !== "passed" ? ` (${r.message})` : ""} [${r.resultFile}${r.via !== "tag" ? `, by ${r.via}` : ""}]`;
}

export const GAP_LABELS: Record<GapKind, string> = {
  "no-work": "at risk: no work",
  "no-evidence": "no test evidence",
  "failed-evidence": "test failed",
  "not-decomposed": "not decomposed",
};

export const TRACE_LABELS: Record<WorkItemTrace, string> = {
  traced: "traced",
  unlinked: "unlinked",
  "bad-references": "bad references",
  exempt: "exempt",
  "pull-request": "pull request (traced through its issues)",
};

export const LOCK_STATE_LABELS: Record<RepoLockState, string> = {
  current: "the baseline lock is current",
  stale: "the baseline lock is out of date (run `reqgate baseline`)",
  missing: "there is no baseline lock yet (run `reqgate baseline`)",
  invalid: "the baseline lock is invalid (run `reqgate check`)",
  undetermined: "the baseline lock cannot be recomputed (run `reqgate check`)",
};

/** How the files differ from the lock; "moved" (file only) is not worth a word. */
export const PENDING_LABELS: Record<ChangeKind, string> = {
  added: "not yet baselined",
  modified: "modified since the baseline",
  retired: "retired since the baseline",
  "status-changed": "status changed since the baseline",
  removed: "removed from the files, still in the lock",
  moved: "",
};

/** "REQ-9: unknown ID (did you mean REQ-009?)", "REQ-5: draft, not baselined", … */
export function describeReference(ref: ReportReference): string {
  switch (ref.problem) {
    case undefined: return ref.id;
    case "unknown": return `${ref.id}: unknown ID${ref.suggestion ? ` (did you mean ${ref.suggestion}?)` : ""}`;
    case "draft": return `${ref.id}: draft, not baselined`;
    case "retired": return `${ref.id}: retired${ref.supersededBy ? ` (superseded by ${ref.supersededBy})` : ""}`;
    case "not-baselined": return `${ref.id}: active but not in the baseline lock yet`;
    default: return ref.id;
  }
}

export function formatCoverage(c: Coverage): string {
  return c.percent === null ? `${c.covered}/${c.total} (n/a)` : `${c.covered}/${c.total} (${c.percent}%)`;
}

// C0/C1 controls (a title must not move a terminal's cursor or recolour it) and the bidirectional
// overrides that can make text read differently from what it is ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from users' files, safe to print: unsafe characters become U+FFFD, line breaks become spaces. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n|\t/g, " ").replace(UNSAFE_CHARS, "\uFFFD");
}

/** An http(s) URL as a normalised string, or undefined: nothing else may become a link. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  // Credentials in a link would be shown to everyone who opens the report.
  if (parsed.username !== "" || parsed.password !== "") return undefined;
  return parsed.href;
}

/** "1 warning", "2 warnings". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "REQ-002: its parent REQ-001 moved (CR-0003); review with `reqgate review REQ-002`". */
export function describeSuspect(l: ReportSuspectLink): string {
  const why = l.kind === "child" ? `its parent ${l.moved} moved` : `evidence of ${l.moved}, which moved`;
  return `${l.item}: ${why} (${l.change}); review with reqgate review ${l.item}`;
}
