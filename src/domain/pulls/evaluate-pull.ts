// The two pull-request checks as data (SPEC 2.2, 2.3 step 7 and the drift check of 2.5): a plain snapshot
// in, the check run's conclusion, title, Markdown and annotations out. The App fetches, this decides,
// render/ writes the words.
import { ledgerMarker, type ApprovalLedger, type ApprovalResult } from "../approvals/approvals.js";
import { needsChangeRecord, parseLock } from "../baseline/baseline.js";
import type { Config } from "../config/config.js";
import { cmp, hasErrors, type Diagnostic } from "../core/diagnostic.js";
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import { closestId, findIds } from "../requirements/ids.js";
import { escapeInline, hiddenData } from "../core/markdown.js";
import { renderBaselineCheck, renderDriftCheck, type BaselineVerdict } from "./render/baseline-check.js";
import { MAX_TITLE_CHARS, truncateChars, type CheckConclusion, type CheckRunResult } from "./render/check-output.js";
import { renderTraceCheck } from "./render/trace-check.js";
import { resolvePositions } from "../requirements/yaml.js";

export { batchAnnotations, toAnnotations, type Annotation, type CheckRunResult } from "./render/check-output.js";

export const TRACE_CHECK = "reqgate/trace";
export const BASELINE_CHECK = "reqgate/baseline";

// ---------------------------------------------------------------------------------------------------
// References in a pull request's body

export interface RepoName {
  owner: string;
  repo: string;
  /** The web host, "github.com" unless GitHub Enterprise Server. */
  host?: string;
}

export interface PullReferences {
  /** Issues after a closing keyword (`Fixes #12`), in order of first mention. */
  closes: number[];
  /** Other issues mentioned (`#12`, `GH-12`, `owner/repo#12`, an issue URL), not in `closes`. */
  mentions: number[];
}

// Linear patterns only: bounded repetitions, no nested quantifiers, so hostile bodies cannot backtrack.
const SLUG = "[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}";
const ISSUE_URL = "https?://([^\\s/]{1,253})/([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100})/issues/([0-9]{1,9})";
const CLOSING = new RegExp(
  `(?<![A-Za-z0-9_])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?::?[ \\t]+|:)(?:(${SLUG})?#([0-9]{1,9})|${ISSUE_URL})(?![A-Za-z0-9_/#-])`,
  "gi",
);
const MENTION = new RegExp(`(?<![A-Za-z0-9_&/#-])(?:(${SLUG})?#([0-9]{1,9})|GH-([0-9]{1,9}))(?![A-Za-z0-9_])`, "gi");
const URL_MENTION = new RegExp(`${ISSUE_URL}(?![0-9])`, "gi");

/**
 * The issues a pull request's body closes (GitHub's closing keywords: close, closes, closed, fix, fixes,
 * fixed, resolve, resolves, resolved; any case; an optional colon) and the ones it only mentions. Only
 * references to `repo` count; code and HTML comments (a template's `<!-- Fixes #123 -->`) do not.
 */
export function closingReferences(body: string, repo: RepoName): PullReferences {
  const text = proseOnly(body);
  const host = (repo.host ?? "github.com").toLowerCase();
  const same = (slug: string | undefined) => slug === undefined || slug.toLowerCase() === `${repo.owner}/${repo.repo}`.toLowerCase();
  const sameUrl = (h: string, o: string, r: string) => h.toLowerCase() === host && same(`${o}/${r}`);

  const closes = new Set<number>();
  for (const m of text.matchAll(CLOSING)) {
    if (m[2] !== undefined && same(m[1])) closes.add(Number(m[2]));
    else if (m[6] !== undefined && sameUrl(m[3]!, m[4]!, m[5]!)) closes.add(Number(m[6]));
  }
  const mentions = new Set<number>();
  for (const m of text.matchAll(MENTION)) {
    if (m[2] !== undefined && same(m[1])) mentions.add(Number(m[2]));
    else if (m[3] !== undefined) mentions.add(Number(m[3]));
  }
  for (const m of text.matchAll(URL_MENTION)) if (sameUrl(m[1]!, m[2]!, m[3]!)) mentions.add(Number(m[4]));
  return { closes: [...closes].filter((n) => n > 0), mentions: [...mentions].filter((n) => n > 0 && !closes.has(n)) };
}

/** The body without fenced code, inline code and HTML comments; one pass over the text. */
function proseOnly(body: string): string {
  // HTML comments first, by index: a lazy regex would rescan the rest of the text for every `<!--`.
  let noComments = "";
  let at = 0;
  for (;;) {
    const open = body.indexOf("<!--", at);
    if (open < 0) {
      noComments += body.slice(at);
      break;
    }
    noComments += body.slice(at, open) + " ";
    const close = body.indexOf("-->", open + 4);
    if (close < 0) break;
    at = close + 3;
  }
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of noComments.split(/\r\n|\r|\n/)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (marker && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && line.slice(marker[0].length).trim() === "") fence = undefined;
      continue;
    }
    if (marker) {
      fence = { char: marker[1]![0]!, length: marker[1]!.length };
      continue;
    }
    out.push(line.replace(/`[^`]*`/g, " "));
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// reqgate/trace

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

/** A `/reqgate waive <reason>` accepted on the pull request itself (SPEC 2.4). */
export interface PullWaiver {
  by: string;
  reason: string;
  /** ISO time of the waiving comment. */
  at: string;
  comment: number;
}

export interface TraceInput {
  config: Config;
  pull: PullInfo;
  /** The waiver on record for this pull request: an untraced pull request is then `neutral` with its reason. */
  waiver?: PullWaiver;
  /** Every issue the pull request closes, is linked to, or mentions; the App drops pull requests and missing issues. */
  linkedIssues: readonly LinkedIssue[];
  /** The baseline from the default branch's lock. */
  baseline: ReadonlyMap<string, BaselineInfo>;
  /** Requirement prefixes; `config.requirements.prefixes` unless given. */
  prefixes?: readonly string[];
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
  // The waiver is carried from run to run first in the summary, as the approval ledger is.
  const hidden = input.waiver ? waiverMarker(input.waiver) : undefined;
  return { ...evaluation, ...renderTraceCheck(input.pull, evaluation, hidden), actions: [] };
}

export const WAIVER_MARKER = "reqgate:waiver";

/** The waiver as the first line of the trace check's summary (an HTML comment nothing inside can end). */
export function waiverMarker(waiver: PullWaiver): string {
  return hiddenData(WAIVER_MARKER, { by: waiver.by, reason: waiver.reason, at: waiver.at, comment: waiver.comment });
}

/**
 * The waiver carried by a trace check run's summary (of a run this App created: only it can write
 * one). Only a marker at the very start counts; anything malformed is no waiver. Never throws.
 */
export function waiverFromSummary(summary: string | null | undefined): PullWaiver | undefined {
  const prefix = `<!-- ${WAIVER_MARKER} `;
  if (typeof summary !== "string" || !summary.startsWith(prefix)) return undefined;
  const end = summary.indexOf(" -->", prefix.length);
  if (end < 0) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(summary.slice(prefix.length, end));
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object") return undefined;
  const w = data as Record<string, unknown>;
  const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length > 0 && x.length <= max;
  if (!str(w.by, 100) || !str(w.reason, 2000) || !str(w.at, 40) || typeof w.comment !== "number" || !Number.isSafeInteger(w.comment) || w.comment <= 0) return undefined;
  return { by: w.by, reason: w.reason, at: w.at, comment: w.comment };
}

/**
 * The trace check while the configuration cannot be read: it cannot say anything, so it fails and
 * points at `reqgate/baseline`, which carries the problems as annotations.
 */
export function invalidConfigTrace(diagnostics: readonly Diagnostic[]): CheckRunResult {
  const first = diagnostics.find((d) => d.severity === "error") ?? diagnostics[0];
  const file = first?.file ?? ".github/reqgate.yml";
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

// ---------------------------------------------------------------------------------------------------
// reqgate/baseline

export interface BaselineCheckInput {
  evaluation: ChangeEvaluation;
  approvals: ApprovalResult;
  /** Problems in `.github/reqgate.yml`, positions already resolved by the caller. */
  configDiagnostics?: readonly Diagnostic[];
  /** Why the App could not read everything the change needs (over 3,000 files, an unreadable file). Fails closed. */
  incomplete?: readonly string[];
  /** The base branch, for the "run it locally" hint; "main" unless given. */
  baseBranch?: string;
  /** Comment subjects and button presses to carry to the next evaluation (approvals.ts `ApprovalLedger`). */
  ledger?: ApprovalLedger;
}

export type { BaselineVerdict } from "./render/baseline-check.js";

export interface BaselineCheck extends CheckRunResult {
  verdict: BaselineVerdict;
  /** What approvals made on this check run bind to: the App stores it as the run's `external_id`. */
  subject: string;
}

export const APPROVE_ACTION = { label: "Approve", description: "Approve this baseline change", identifier: "approve" } as const;

/**
 * The `reqgate/baseline` check result (SPEC 2.3 step 7). `failure` for violations: an incomplete
 * snapshot, configuration errors, validation errors (including uncovered changes) and a stale or missing
 * lock. Otherwise `success` when nothing needs approval or every rule is met. While approvals are missing
 * the conclusion is `action_required` with an "Approve" button: `neutral` would let a required check pass
 * branch protection (GitHub treats success, neutral and skipped as passing), and a run left `in_progress`
 * looks like a hung evaluator. GitHub asks for a `details_url` with `action_required`; the App sets it.
 */
export function evaluateBaselineCheck(input: BaselineCheckInput): BaselineCheck {
  const { evaluation, approvals } = input;
  const configDiagnostics = input.configDiagnostics ?? [];
  const diagnostics = resolvePositions([...evaluation.diagnostics], (file) => evaluation.texts.get(file));
  const incomplete = input.incomplete ?? [];
  const violated = incomplete.length > 0 || hasErrors(configDiagnostics) || hasErrors(diagnostics) || evaluation.lock.state === "stale" || evaluation.lock.state === "missing";
  const needsApproval = evaluation.demands.length > 0;
  const verdict: BaselineVerdict = violated ? "failure" : !needsApproval ? "nothing-to-approve" : approvals.satisfied ? "approved" : "waiting";
  const conclusion: CheckConclusion = verdict === "failure" ? "failure" : verdict === "waiting" ? "action_required" : "success";
  const rendered = renderBaselineCheck({
    verdict,
    evaluation,
    approvals,
    diagnostics: [...configDiagnostics, ...diagnostics],
    incomplete,
    baseBranch: input.baseBranch ?? "main",
    ...(input.ledger ? { hidden: ledgerMarker(input.ledger) } : {}),
  });
  const waiting = needsApproval && !approvals.satisfied;
  return { ...rendered, conclusion, verdict, subject: evaluation.subject, actions: waiting ? [{ ...APPROVE_ACTION }] : [] };
}

// ---------------------------------------------------------------------------------------------------
// Drift on the default branch (SPEC 2.5)

export interface DriftCheck extends CheckRunResult {
  /** Requirements whose lock entry differs from what `reqgate baseline` would write, sorted. */
  drifted: string[];
}

/**
 * A push to the default branch, evaluated with `evaluateChange` against the lock before the push: when
 * the pushed lock does not match the requirement files, the check fails and names what drifted.
 */
export function evaluateDriftCheck(evaluation: ChangeEvaluation, headLockText?: string, incomplete: readonly string[] = []): DriftCheck {
  if (incomplete.length > 0) {
    // Fail closed: what could not be read may be exactly the drift.
    const summary = ["**Could not evaluate the push completely.**", "", ...incomplete.map((r) => `- ❌ ${escapeInline(r, 300)}`)].join("\n");
    return { conclusion: "failure", title: truncateChars(`Could not evaluate: ${incomplete[0]}`, MAX_TITLE_CHARS), summary, annotations: [], actions: [], drifted: [] };
  }
  const diagnostics = resolvePositions([...evaluation.diagnostics], (file) => evaluation.texts.get(file));
  const { state, expected } = evaluation.lock;
  const drifted = state === "current" ? [] : driftedRequirements(evaluation, headLockText);
  const failed = state !== "current" || hasErrors(diagnostics);
  return { ...renderDriftCheck({ state, expected: expected !== undefined, drifted, diagnostics }), conclusion: failed ? "failure" : "success", drifted, actions: [] };
}

function driftedRequirements(evaluation: ChangeEvaluation, headLockText: string | undefined): string[] {
  const changed = evaluation.changes.filter((c) => needsChangeRecord(c.kind)).map((c) => c.id);
  const expected = evaluation.lock.expected === undefined ? undefined : parseLock("expected", evaluation.lock.expected).lock;
  const head = headLockText === undefined ? undefined : parseLock("head", headLockText).lock;
  if (!expected || !head) return [...new Set(changed)].sort(cmp);
  const key = (e: object) => JSON.stringify(e);
  const headEntries = new Map(head.entries.map((e) => [e.id, key(e)]));
  const expectedEntries = new Map(expected.entries.map((e) => [e.id, key(e)]));
  const ids = new Set<string>();
  for (const [id, entry] of expectedEntries) if (headEntries.get(id) !== entry) ids.add(id);
  for (const id of headEntries.keys()) if (!expectedEntries.has(id)) ids.add(id);
  return [...ids].sort(cmp);
}
