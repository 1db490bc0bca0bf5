// The `reqgate/trace` check as data (SPEC 2.2): the pull request's own references and the issues it
// closes, is linked to or mentions, against the baseline of the default branch. render/trace-check.ts
// writes the words.
import type { Config } from "../config/config.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { closestId, findIds } from "../requirements/ids.js";
import { MAX_TITLE_CHARS, truncateChars, type CheckConclusion, type CheckRunResult } from "./render/check-output.js";
import { renderTraceCheck } from "./render/trace-check.js";
import { waiverMarker, type PullWaiver } from "./waiver.js";
import { CONFIG_PATH } from "../config/config-path.js";
import { MARKER, writeHidden } from "../core/hidden-data.js";
import { renderSuspectNote, suspectTitle } from "../suspect/render.js";
import { suspectsData, type PullSuspect, type SuspectState } from "../suspect/suspect.js";

export interface PullInfo {
  number: number;
  title: string;
  body: string;
  author: string;
  labels: readonly string[];
  draft?: boolean;
}

/** How a pull request points at an issue: a closing keyword, GitHub's linked issues, or a plain mention. */
export type IssueRelation = "closes" | "linked" | "mentions";

export interface LinkedIssue {
  number: number;
  relation: IssueRelation;
  state: "open" | "closed";
  title: string;
  labels: readonly string[];
  /** Requirement IDs the issue's title and body reference (ids.ts `findIds`). */
  requirementIds: readonly string[];
  /** Why the issue needs no requirement (a `/reqgate waive` reason), when it was waived. */
  exempt?: string;
}

export interface BaselineInfo {
  status: "active" | "retired";
  title: string;
  supersededBy?: string;
}

export interface TraceInput {
  config: Config;
  pull: PullInfo;
  /** The waiver on record for this pull request: an untraced pull request is then `neutral` with its reason. */
  waiver?: PullWaiver;
  /** The waivers to carry in the run (other pull requests sharing the head commit keep theirs); `waiver` alone unless given. */
  carry?: readonly PullWaiver[];
  /** Every issue the pull request closes, is linked to, or mentions; the App drops pull requests and missing issues. */
  linkedIssues: readonly LinkedIssue[];
  /** The baseline from the default branch's lock. */
  baseline: ReadonlyMap<string, BaselineInfo>;
  /** Requirement prefixes; `config.requirements.prefixes` unless given. */
  prefixes?: readonly string[];
  /** The pull request's suspect state (SPEC 2.5): open marks make a passing trace `neutral`, with a note. */
  suspect?: SuspectState;
  /** Other pull requests' suspect states carried by the run (they share the head commit): kept apart, never shown here. */
  suspectCarry?: readonly PullSuspect[];
}

export type ReferenceStatus = "active" | "retired" | "unknown";

export interface TraceReference {
  id: string;
  status: ReferenceStatus;
  title?: string;
  supersededBy?: string;
  /** For an unknown ID: the closest baselined one. */
  suggestion?: string;
}

export type RowVerdict = "traced" | "unlinked" | "bad-references" | "exempt";

/** One row of PR → issues → requirements: the pull request's own text, or one issue. */
export interface TraceRow {
  /** The pull request's own title and body, or an issue. */
  source: { kind: "pull"; number: number } | { kind: "issue"; number: number; relation: IssueRelation; state: "open" | "closed"; title: string };
  references: TraceReference[];
  verdict: RowVerdict;
  exemptReason?: string;
  /** Whether this row must be traced for the check to pass (closing and linked issues must; mentions need not). */
  required: boolean;
}

export interface TraceEvaluation {
  conclusion: Exclude<CheckConclusion, "action_required">;
  traced: boolean;
  /** Why the pull request is exempt, when it is. */
  exempt?: string;
  /** True when a failure was softened because of `trace: advisory` or a draft. */
  softened?: "advisory" | "draft";
  rows: TraceRow[];
  /** What keeps the pull request from being traced, one sentence each. */
  problems: string[];
}

export interface TraceCheck extends CheckRunResult, TraceEvaluation {
  conclusion: Exclude<CheckConclusion, "action_required">;
}

/**
 * The `reqgate/trace` check (SPEC 2.2); undefined when `pull_requests.trace` is `off`. Passes when the
 * pull request closes, is linked to or mentions at least one issue, every closing or linked issue is
 * traced (or waived), and at least one issue is traced — or when the pull request itself names only
 * baselined active requirements. A mentioned issue that is not traced is listed but does not fail the
 * check. `advisory` turns a failure into `neutral`, and so does a draft: `ready_for_review` re-evaluates.
 */
export function evaluateTrace(input: TraceInput): TraceCheck | undefined {
  const evaluation = traceEvaluation(input);
  if (!evaluation) return undefined;
  // The waivers and the suspect state are carried from run to run first in the summary, as the approval
  // ledger is; the suspect note comes before the table.
  const suspect = input.suspect;
  const carry = input.carry ?? (input.waiver ? [input.waiver] : []);
  const suspects = suspectsData([...(suspect ? [{ pr: input.pull.number, state: suspect }] : []), ...(input.suspectCarry ?? []).filter((s) => s.pr !== input.pull.number)]);
  const records = [...(carry.length > 0 ? [waiverMarker(carry)] : []), ...(suspects ? [writeHidden(MARKER.suspect, suspects)] : [])];
  const note = suspect ? renderSuspectNote(suspect) : [];
  const prefix = [...(records.length > 0 ? [records.join("\n"), ""] : []), ...note].join("\n").trimEnd();
  const rendered = renderTraceCheck(input.pull, evaluation, prefix === "" ? undefined : prefix);
  if (suspect && suspect.marks.length > 0 && evaluation.conclusion === "success") {
    // Neutral or worse while suspect: the work may no longer meet the requirement it traces to.
    return { ...evaluation, ...rendered, conclusion: "neutral", title: truncateChars(suspectTitle(suspect), MAX_TITLE_CHARS), actions: [] };
  }
  return { ...evaluation, ...rendered, actions: [] };
}

/**
 * The trace check while the configuration cannot be read: it cannot say anything, so it fails and
 * points at `reqgate/baseline`, which carries the problems as annotations.
 */
export function invalidConfigTrace(diagnostics: readonly Diagnostic[]): CheckRunResult {
  const first = diagnostics.find((d) => d.severity === "error") ?? diagnostics[0];
  const file = first?.file ?? CONFIG_PATH;
  return {
    conclusion: "failure",
    title: truncateChars(`Invalid configuration: ${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} in ${file}`, MAX_TITLE_CHARS),
    summary: "The pull request cannot be traced until the configuration on the default branch is fixed; the problems are listed in the `reqgate/baseline` check.",
    annotations: [],
    actions: [],
  };
}

function traceEvaluation(input: TraceInput): TraceEvaluation | undefined {
  const { config, pull, baseline } = input;
  const settings = config.pull_requests;
  if (settings.trace === "off") return undefined;

  const exempt = pullExemption(pull, settings);
  const rows: TraceRow[] = [];
  const prefixes = input.prefixes ?? config.requirements.prefixes;
  const own = findIds(`${pull.title}\n${pull.body}`, prefixes);
  if (own.length > 0) {
    const references = own.map((id) => reference(id, baseline));
    rows.push({ source: { kind: "pull", number: pull.number }, references, verdict: referencesVerdict(references), required: false });
  }
  const exemptLabels = new Set(config.issues.exempt_labels);
  for (const issue of dedupeIssues(input.linkedIssues)) {
    const references = issue.requirementIds.map((id) => reference(id, baseline));
    const label = issue.labels.find((l) => exemptLabels.has(l));
    const exemptReason = issue.exempt ?? (label !== undefined ? `labelled "${label}"` : undefined);
    const row: TraceRow = {
      source: { kind: "issue", number: issue.number, relation: issue.relation, state: issue.state, title: issue.title },
      references,
      verdict: exemptReason !== undefined ? "exempt" : referencesVerdict(references),
      required: issue.relation !== "mentions",
    };
    if (exemptReason !== undefined) row.exemptReason = exemptReason;
    rows.push(row);
  }

  if (exempt !== undefined) return { conclusion: "neutral", traced: false, exempt, rows, problems: [] };

  const issueRows = rows.filter((r) => r.source.kind === "issue");
  const good = (r: TraceRow) => r.verdict === "traced" || r.verdict === "exempt";
  const byIssues = issueRows.length > 0 && issueRows.filter((r) => r.required).every(good) && issueRows.some(good);
  const pullRow = rows.find((r) => r.source.kind === "pull");
  const byPull = pullRow?.verdict === "traced";
  const traced = byIssues || byPull;

  if (!traced && input.waiver) {
    return { conclusion: "neutral", traced, exempt: `waived by ${input.waiver.by}: ${input.waiver.reason}`, rows, problems: [] };
  }
  const problems: string[] = [];
  if (!traced) {
    if (rows.length === 0) problems.push("the pull request neither closes nor references an issue, and names no requirement");
    for (const row of rows) if (!good(row)) problems.push(describeProblem(row));
  }
  if (traced) return { conclusion: "success", traced, rows, problems };
  if (settings.trace === "advisory") return { conclusion: "neutral", traced, softened: "advisory", rows, problems };
  if (pull.draft === true) return { conclusion: "neutral", traced, softened: "draft", rows, problems };
  return { conclusion: "failure", traced, rows, problems };
}

function pullExemption(pull: PullInfo, settings: Config["pull_requests"]): string | undefined {
  const author = pull.author.toLowerCase();
  if (settings.exempt_authors.some((a) => a.toLowerCase() === author)) return `author ${pull.author} is exempt`;
  const labels = new Set(settings.exempt_labels);
  const label = pull.labels.find((l) => labels.has(l));
  return label !== undefined ? `labelled "${label}"` : undefined;
}

const RELATION_STRENGTH: Record<IssueRelation, number> = { closes: 2, linked: 1, mentions: 0 };

/** One row per issue, with its strongest relation; sorted by number. */
function dedupeIssues(issues: readonly LinkedIssue[]): LinkedIssue[] {
  const byNumber = new Map<number, LinkedIssue>();
  for (const issue of issues) {
    const seen = byNumber.get(issue.number);
    if (!seen || RELATION_STRENGTH[issue.relation] > RELATION_STRENGTH[seen.relation]) byNumber.set(issue.number, issue);
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function reference(id: string, baseline: ReadonlyMap<string, BaselineInfo>): TraceReference {
  const entry = baseline.get(id);
  if (!entry) {
    const ref: TraceReference = { id, status: "unknown" };
    const suggestion = closestId(id, activeIds(baseline));
    if (suggestion !== undefined) ref.suggestion = suggestion;
    return ref;
  }
  const ref: TraceReference = { id, status: entry.status, title: entry.title };
  if (entry.supersededBy !== undefined) ref.supersededBy = entry.supersededBy;
  return ref;
}

function* activeIds(baseline: ReadonlyMap<string, BaselineInfo>): Iterable<string> {
  for (const [id, entry] of baseline) if (entry.status === "active") yield id;
}

function referencesVerdict(references: readonly TraceReference[]): RowVerdict {
  if (references.length === 0) return "unlinked";
  return references.every((r) => r.status === "active") ? "traced" : "bad-references";
}

function describeProblem(row: TraceRow): string {
  const where = row.source.kind === "pull" ? "the pull request" : `#${row.source.number}`;
  const optional = row.required ? "" : " (mentioned only)";
  if (row.verdict === "unlinked") return `${where}${optional} references no requirement`;
  const bad = row.references.filter((r) => r.status !== "active").map(describeReference);
  return `${where}${optional}: ${bad.join("; ")}`;
}

/** "REQ-9 is not baselined (did you mean REQ-009?)", "REQ-5 is retired (superseded by REQ-7)". */
export function describeReference(ref: TraceReference): string {
  if (ref.status === "unknown") return `${ref.id} is not baselined (unknown or still a draft)${ref.suggestion ? `; did you mean ${ref.suggestion}?` : ""}`;
  if (ref.status === "retired") return `${ref.id} is retired${ref.supersededBy ? `; superseded by ${ref.supersededBy}` : ""}`;
  return `${ref.id} is baselined`;
}
