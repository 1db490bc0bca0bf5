// The `reqgate/baseline` check for a terminal (`reqgate check --base`): the same result the App
// publishes (title, verdict, changed requirements with their change records, rules with who may
// approve, the lock, before/after), as plain text. The problems are not repeated here: the CLI prints
// them as `file:line:col` lines (or Actions annotations) above this.
import type { ApprovalResult, MayStillApprove } from "../../approvals/approvals.js";
import { describeKind, needsChangeRecord } from "../../baseline/baseline.js";
import type { ChangedRequirement, ChangeEvaluation } from "../../baseline/evaluate-change.js";
import type { BaselineCheck } from "../baseline-check.js";
import { BASELINE_CHECK } from "../check-names.js";
import { joinFirst } from "../../core/lists.js";
import { diffLines } from "./baseline-check.js";

export interface BaselineTextInput {
  check: Pick<BaselineCheck, "title" | "conclusion" | "verdict">;
  evaluation: ChangeEvaluation;
  approvals: ApprovalResult;
  incomplete: readonly string[];
  /** What the change was compared with, as the user named it (`origin/main`). */
  base: string;
}

/** At most this many changed requirements get their before/after text; the rest are listed. */
const MAX_DETAILS = 50;
const MAX_ROWS = 500;

export function renderBaselineText(input: BaselineTextInput): string {
  const { check, evaluation, approvals } = input;
  const lines = [`${BASELINE_CHECK} against ${plain(input.base)}: ${plain(check.title)}`, `  conclusion on a pull request: ${check.conclusion}${check.verdict === "waiting" ? " (approvals are given on the pull request)" : ""}`];

  for (const reason of input.incomplete) lines.push(`  could not read everything: ${plain(reason)}`);

  const changed = evaluation.changes.filter((c) => needsChangeRecord(c.kind));
  const moved = evaluation.changes.filter((c) => !needsChangeRecord(c.kind));
  if (changed.length === 0 && moved.length === 0) lines.push("", "No baselined requirement changes.");
  if (changed.length > 0) {
    lines.push("", "Changed requirements:");
    for (const c of changed.slice(0, MAX_ROWS)) lines.push(`  ${c.id}  ${describeKind(c.kind)}  ${c.record ?? "no change record"}  ${plain(titleOf(c))}`);
    if (changed.length > MAX_ROWS) lines.push(`  … and ${changed.length - MAX_ROWS} more`);
  }
  if (moved.length > 0) lines.push("", `Moved between files (nothing to approve): ${list(moved.map((c) => c.id), 20)}`);
  if (evaluation.records.length > 0) {
    lines.push("", "Change records:");
    for (const r of evaluation.records.slice(0, MAX_ROWS)) lines.push(`  ${r.record.id}  ${r.kind}  ${plain(r.record.title)}  (affects ${list(r.record.affects, 10)})`);
  }

  const { reviews, added, cleared } = evaluation.links;
  const link = (l: (typeof reviews)[number]) => `${plain(l.item)} → ${l.moved} (${l.change})`;
  if (reviews.length > 0) {
    lines.push("", "Suspect links reviewed (they need approval like a change):");
    for (const l of reviews.slice(0, MAX_ROWS)) lines.push(`  ${link(l)}: reviewed by ${plain(l.review?.by ?? "")} at ${plain(l.review?.at ?? "")}`);
  }
  if (added.length > 0) lines.push("", `Suspect links this change makes: ${list(added.map(link), 20)}`);
  if (cleared.length > 0) lines.push("", `Suspect links this change clears: ${list(cleared.map(link), 20)}`);

  if (approvals.rules.length > 0) {
    lines.push("", "Approvals:");
    for (const r of approvals.rules) {
      const state = `${r.approvedBy.length} of ${r.needed}`;
      const by = r.approvedBy.length > 0 ? `, approved by ${list(r.approvedBy, 20)}` : "";
      lines.push(`  ${plain(r.rule.name)}: ${state} for ${list(r.requirements, 10)}${by}${r.satisfied ? "" : `; may approve: ${mayApprove(r.mayStillApprove)}`}`);
    }
  } else if (changed.length > 0) {
    lines.push("", "Approvals: no rule of change_control matches these requirements");
  }

  const lock = evaluation.lock.state;
  const lockFile = evaluation.diagnostics.find((d) => d.code === "lock-stale")?.file;
  if (lock === "stale" || lock === "missing") lines.push("", `Lock: ${lock === "missing" ? "missing" : "does not match the requirement files and change records"}: run \`reqgate baseline\` and commit ${lockFile ?? "the lock"}`);
  else lines.push("", `Lock: ${lock}`);

  if (changed.length > 0) {
    lines.push("", "Before and after:");
    for (const c of changed.slice(0, MAX_DETAILS)) {
      lines.push(`  ${c.id} ${describeKind(c.kind)}${c.record !== undefined ? ` (${c.record})` : ""}`);
      for (const line of diffLines(c.baseRequirement, c.headRequirement, c)) lines.push(`    ${plain(line, 2000)}`);
    }
    if (changed.length > MAX_DETAILS) lines.push(`  … and ${changed.length - MAX_DETAILS} more requirements (--format json lists them all)`);
  }
  return `${lines.join("\n")}\n`;
}

function titleOf(c: ChangedRequirement): string {
  return c.headRequirement?.title ?? c.after?.title ?? c.baseRequirement?.title ?? c.before?.title ?? "";
}

function mayApprove(m: MayStillApprove): string {
  const parts: string[] = [];
  if (m.users.length > 0) parts.push(list(m.users, 20));
  if (m.teams.length > 0) parts.push(`members of ${list(m.teams, 10)}`);
  if (m.permission !== undefined) parts.push(`anyone with ${m.permission} permission or higher`);
  if (parts.length === 0) return "nobody";
  const excluded = m.excludesAuthor && m.excludesContributors ? " (not the author or anyone who pushed commits)" : m.excludesAuthor ? " (not the author)" : m.excludesContributors ? " (not anyone who pushed commits)" : "";
  return parts.join("; ") + excluded;
}

function list(items: readonly string[], max: number): string {
  return joinFirst(items, max, (i) => plain(i, 100));
}

/** User text on one terminal line: control characters (escape sequences, line breaks) become "?". */
function plain(text: string, max = 300): string {
  let out = "";
  for (const ch of text.length > max ? `${text.slice(0, max)}…` : text) out += ch < " " || (ch >= "\x7f" && ch <= "\x9f") ? "?" : ch;
  return out;
}
