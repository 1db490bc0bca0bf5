// The words of the `reqgate/trace` check: a one-line title, and a summary whose table reads
// PR → issues → requirements. Every piece of user text (issue titles, requirement titles, labels, logins)
// goes through `escapeInline`, so it cannot ping, cross-reference or break the table.
import type { PullInfo, TraceEvaluation, TraceReference, TraceRow } from "../trace-check.js";
import { bulletsWithMore, joinFirst } from "../../core/lists.js";
import { escapeInline, tableRow } from "../../core/markdown.js";
import { fitItems, MAX_OUTPUT_CHARS, truncateChars, MAX_TITLE_CHARS, type CheckRunResult } from "./check-output.js";

const VERDICT_WORDS: Record<TraceRow["verdict"], string> = {
  traced: "✅ traced",
  unlinked: "❌ no requirement",
  "bad-references": "❌ bad reference",
  exempt: "➖ exempt",
};

const RELATION_WORDS = { closes: "closes", linked: "linked", mentions: "mentions" } as const;

/** `hidden`: data the App keeps in the check run (the waiver), a marker at the very start of the summary. */
export function renderTraceCheck(pull: PullInfo, evaluation: TraceEvaluation, hidden?: string): Pick<CheckRunResult, "title" | "summary" | "annotations"> {
  const prefix = hidden !== undefined ? `${hidden}\n\n` : "";
  return { title: truncateChars(traceTitle(evaluation), MAX_TITLE_CHARS), summary: prefix + traceSummary(pull, evaluation, MAX_OUTPUT_CHARS - prefix.length), annotations: [] };
}

function traceTitle(e: TraceEvaluation): string {
  if (e.exempt !== undefined) return `Exempt: ${e.exempt}`;
  if (e.traced) {
    const ids = [...new Set(e.rows.filter((r) => r.verdict === "traced").flatMap((r) => r.references.map((ref) => ref.id)))];
    const issues = e.rows.filter((r) => r.source.kind === "issue" && r.verdict === "exempt").length;
    if (ids.length === 0) return `Traced: ${issues} waived issue${issues === 1 ? "" : "s"}`;
    return `Traced to ${joinFirst(ids, 5)}`;
  }
  const prefix = e.softened === "advisory" ? "Advisory: not traced" : e.softened === "draft" ? "Draft, not traced yet" : "Not traced";
  if (e.problems.length === 1) return `${prefix}: ${e.problems[0]}`;
  return `${prefix}: ${e.problems.length} problems`;
}


function traceSummary(pull: PullInfo, e: TraceEvaluation, limit: number): string {
  const head: string[] = [];
  if (e.exempt !== undefined) {
    head.push(`This pull request is exempt from tracing: ${escapeInline(e.exempt)}.`, "");
  } else if (e.traced) {
    head.push("This pull request is traced to baselined requirements.", "");
  } else {
    head.push("This pull request is **not traced** to a baselined requirement:", "");
    head.push(...bulletsWithMore(e.problems, 20, (p) => escapeInline(p, 300)));
    head.push("", howToFix());
    if (e.softened === "advisory") head.push("", "_Tracing is advisory in this repository (`pull_requests.trace: advisory`), so this check does not block merging._");
    if (e.softened === "draft") head.push("", "_This is a draft: the check becomes binding when the pull request is ready for review._");
    head.push("");
  }
  if (e.rows.length === 0) return head.join("\n").trimEnd();
  head.push("| Pull request | Issue | Requirements | |", "|---|---|---|---|");
  const rows = e.rows.map((row) => tableRow([`#${pull.number}`, issueCell(row), referencesCell(row.references), verdictCell(row)]));
  return fitItems(head.join("\n"), rows, limit, (n) => `\n… and ${n} more rows.`).text;
}

function howToFix(): string {
  return "To fix it, add `Fixes #<issue>` to the description for an issue that references a baselined requirement, or name a baselined requirement's ID in the description.";
}

function issueCell(row: TraceRow): string {
  if (row.source.kind === "pull") return "(its own title and description)";
  const state = row.source.state === "closed" ? ", closed" : "";
  return `#${row.source.number} ${escapeInline(row.source.title, 80)} (${RELATION_WORDS[row.source.relation]}${state})`;
}

function referencesCell(references: readonly TraceReference[]): string {
  if (references.length === 0) return "—";
  const shown = references.slice(0, 10).map((ref) => {
    if (ref.status === "active") return `${escapeInline(ref.id)} ${escapeInline(ref.title ?? "", 60)}`;
    if (ref.status === "retired") return `${escapeInline(ref.id)} (retired${ref.supersededBy ? `, superseded by ${escapeInline(ref.supersededBy)}` : ""})`;
    return `${escapeInline(ref.id)} (not baselined${ref.suggestion ? `; did you mean ${escapeInline(ref.suggestion)}?` : ""})`;
  });
  if (references.length > 10) shown.push(`… and ${references.length - 10} more`);
  return shown.join("<br>");
}

function verdictCell(row: TraceRow): string {
  const words = VERDICT_WORDS[row.verdict];
  if (row.verdict === "exempt" && row.exemptReason !== undefined) return `${words}: ${escapeInline(row.exemptReason, 100)}`;
  if (row.source.kind === "issue" && !row.required && row.verdict !== "traced") return `${words} (mentioned only; does not block)`;
  return words;
}
