// Who approved a change record (`report --github`, `diff --github`): the pull request that applied it and
// the people its `reqgate/baseline` check counted. Pure: the CLI finds the commit that applied each record
// (git) and reads the pull requests of those commits (src/github/record-pulls.ts); this joins them.
//
// What counts as "approved by" is what the App's check counted at the pull request's merged head: the
// "Approved by" column of the Approvals table in its summary (permissions, staleness and the author rule
// were applied by the App then; a review alone proves none of that). The approval ledger at the start of
// the summary (domain/approvals/ledger.ts) says how and when each approver acted. Reviews are shown
// besides, as GitHub has them. Anything that cannot be established is "unknown" with the reason, never an
// empty list.
import { ledgerFromSummary, type LedgerVia } from "../approvals/ledger.js";
import { MARKER, readHiddenAtStart } from "../core/hidden-data.js";
import { ZWJ } from "../core/markdown.js";

export const BASELINE_CHECK = "reqgate/baseline";

/** A `reqgate/baseline` check run on a pull request's head, as GitHub returns it. */
export interface CheckRunFacts {
  /** The app that wrote it (its slug); null when GitHub does not say. */
  app: string | null;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  url: string | null;
  completedAt: string | null;
}

export interface ReviewFacts {
  login: string;
  /** APPROVED or CHANGES_REQUESTED: each reviewer's latest opinion. */
  state: string;
  submittedAt: string | null;
  /** The commit the review was submitted on. */
  commit: string | null;
}

/** A pull request associated with a commit, with its head's `reqgate/baseline` runs and latest reviews. */
export interface PullFacts {
  number: number;
  url: string;
  title: string;
  mergedAt: string | null;
  mergedBy: string | null;
  baseRef: string;
  head: string | null;
  checkRuns: CheckRunFacts[];
  reviews: ReviewFacts[];
  /** More reviewers than were read. */
  reviewsTruncated: boolean;
}

export interface Approver {
  login: string;
  /** From the approval ledger: a review, a `/reqgate approve` comment, the check's Approve button. */
  via?: LedgerVia;
  at?: string;
}

export interface ApprovalPull {
  number: number;
  url: string;
  title: string;
  mergedAt: string | null;
  mergedBy: string | null;
}

export interface ApprovalCheck {
  conclusion: string | null;
  title: string | null;
  url: string | null;
  app: string | null;
}

export type RecordApproval =
  | {
      state: "known";
      /** The commit that applied the record to the lock. */
      commit: string;
      pull: ApprovalPull;
      check: ApprovalCheck;
      /** Empty when the check found nothing that needed approval (its title says so). */
      approvers: Approver[];
      /** Approvers the summary did not list by name ("… and 3 more"). */
      moreApprovers?: number;
      reviews: ReviewFacts[];
    }
  | {
      state: "unknown";
      reason: string;
      commit?: string;
      pull?: ApprovalPull;
      reviews?: ReviewFacts[];
    };

/** What the lookup knows about one commit: its pull requests, or why they could not be read. */
export type CommitLookup = { pulls: PullFacts[] } | { failure: string };

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** The logins of the "Approved by" column of a `reqgate/baseline` summary, in order, and how many were cut. */
export function approversFromSummary(summary: string | null): { table: boolean; logins: string[]; more: number } {
  const lines = (summary ?? "").split("\n");
  const start = lines.indexOf("### Approvals");
  if (start < 0) return { table: false, logins: [], more: 0 };
  const logins: string[] = [];
  let more = 0;
  // The heading, a blank line, the header row, the separator, then one row per rule.
  for (let i = start + 4; i < lines.length && lines[i]!.startsWith("| "); i++) {
    const cells = lines[i]!.slice(2, -2).split(/(?<!\\) \| /);
    if (cells.length !== 5) continue;
    for (const part of cells[3]!.split(", ")) {
      const text = unescapeInline(part);
      const cut = /^… and (\d+) more$/.exec(text);
      if (cut) more = Math.max(more, Number(cut[1]));
      else if (LOGIN.test(text) && !logins.some((l) => l.toLowerCase() === text.toLowerCase())) logins.push(text);
    }
  }
  return { table: true, logins, more };
}

/** The inverse of `escapeInline` for a login (letters, digits, `-`, `[bot]`). */
function unescapeInline(text: string): string {
  return text.split(ZWJ).join("").replace(/\\(.)/g, "$1").trim();
}

/**
 * The approval of the record applied by `commit`, from what the lookup found. The pull request is the
 * earliest merged one of those associated with the commit (the one that brought it into the branch).
 */
export function recordApproval(commit: string | undefined, lookup: CommitLookup | undefined): RecordApproval {
  if (commit === undefined) return { state: "unknown", reason: "no commit in the lock's history applied it" };
  if (lookup === undefined) return { state: "unknown", reason: "not looked up", commit };
  if ("failure" in lookup) return { state: "unknown", reason: lookup.failure, commit };
  const merged = lookup.pulls.filter((p) => p.mergedAt !== null).sort((a, b) => Date.parse(a.mergedAt!) - Date.parse(b.mergedAt!) || a.number - b.number);
  const pr = merged[0];
  if (!pr) {
    const open = lookup.pulls.map((p) => `#${p.number}`).join(", ");
    return { state: "unknown", reason: `no merged pull request contains commit ${commit.slice(0, 12)}${open ? ` (not merged: ${open})` : " (pushed without a pull request?)"}`, commit };
  }
  const pull: ApprovalPull = { number: pr.number, url: pr.url, title: pr.title, mergedAt: pr.mergedAt, mergedBy: pr.mergedBy };
  const run = pickRun(pr.checkRuns);
  if (!run) {
    return { state: "unknown", reason: `no ${BASELINE_CHECK} check run on the head of #${pr.number}${pr.head ? ` (${pr.head.slice(0, 12)})` : ""}`, commit, pull, reviews: pr.reviews };
  }
  const parsed = approversFromSummary(run.summary);
  if (!parsed.table && run.conclusion === "success" && !/^No baseline change/.test(run.title ?? "")) {
    return { state: "unknown", reason: `the ${BASELINE_CHECK} summary of #${pr.number} lists no approvals table`, commit, pull, reviews: pr.reviews };
  }
  const ledger = ledgerFromSummary(run.summary);
  const approvers = parsed.logins.map((login): Approver => {
    const entry = ledger.entries.find((e) => e.pr === pr.number && e.act === "approve" && e.by.toLowerCase() === login.toLowerCase());
    return entry ? { login, via: entry.via, at: entry.at } : { login };
  });
  const known: RecordApproval = { state: "known", commit, pull, check: { conclusion: run.conclusion, title: run.title, url: run.url, app: run.app }, approvers, reviews: pr.reviews };
  if (parsed.more > 0) known.moreApprovers = parsed.more;
  return known;
}

/** reqgate's own run first (its summary opens with the approval ledger), then the latest completed. */
function pickRun(runs: readonly CheckRunFacts[]): CheckRunFacts | undefined {
  const rank = (r: CheckRunFacts) => (readHiddenAtStart(r.summary, MARKER.approvals) !== undefined ? 2 : 0) + (r.status === "completed" ? 1 : 0);
  return [...runs].sort((a, b) => rank(b) - rank(a) || Date.parse(b.completedAt ?? "") - Date.parse(a.completedAt ?? "") || 0)[0];
}

/** One line for people: "#12 (merged 2026-11-02), approved by alice (review), bob (comment); reqgate/baseline success". */
export function describeApproval(a: RecordApproval): string {
  if (a.state === "unknown") return `${a.pull ? `#${a.pull.number}: ` : ""}approvers unknown (${a.reason})${reviewNote(a.reviews)}`;
  const when = a.pull.mergedAt ? ` (merged ${a.pull.mergedAt.slice(0, 10)})` : "";
  const who = a.approvers.map((p) => `${p.login}${p.via ? ` (${p.via})` : ""}`);
  if (a.moreApprovers) who.push(`${a.moreApprovers} more`);
  const approved = who.length > 0 ? `approved by ${who.join(", ")}` : a.check.conclusion === "success" ? "no approval needed" : "no approvals";
  const check = `${BASELINE_CHECK} ${a.check.conclusion ?? "not completed"}${a.check.conclusion !== "success" && a.check.title ? `: ${a.check.title}` : ""}`;
  return `#${a.pull.number}${when}, ${approved}; ${check}`;
}

function reviewNote(reviews: readonly ReviewFacts[] | undefined): string {
  const approving = (reviews ?? []).filter((r) => r.state === "APPROVED").map((r) => r.login);
  return approving.length > 0 ? `; approving reviews: ${approving.join(", ")}` : "";
}

/** The totals the CLI prints and the JSON carries. */
export interface ApprovalLookupSummary {
  repository: string;
  /** GitHub requests made (GraphQL queries). */
  requests: number;
  records: number;
  known: number;
  unknown: number;
}

/** "Approvals from GitHub (acme/widgets): 2 of 3 change records known, 1 unknown; 1 request". */
export function describeApprovalLookup(a: ApprovalLookupSummary): string {
  return `Approvals from GitHub (${a.repository}): ${a.known} of ${a.records} change record${a.records === 1 ? "" : "s"} known${a.unknown ? `, ${a.unknown} unknown` : ""}; ${a.requests} request${a.requests === 1 ? "" : "s"}`;
}
