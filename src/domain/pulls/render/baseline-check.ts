// The words of the `reqgate/baseline` check: a title that says the state in one line, a summary with the
// approvals per rule, the problems, and each changed requirement with its change record and its
// before/after text. User text (titles, texts, logins, reasons, file paths) is escaped, or shown inside
// a code block that it cannot close. Everything is cut to GitHub's limits with a note.
import type { ApprovalResult, MayStillApprove, RuleApprovals } from "../../approvals/approvals.js";
import { describeKind, needsChangeRecord, type LockLink } from "../../baseline/baseline.js";
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "../../core/diagnostic.js";
import type { ChangedRequirement, ChangeEvaluation, LockState } from "../../baseline/evaluate-change.js";
import { bulletsWithMore, joinFirst } from "../../core/lists.js";
import { escapeInline, inlineCode, tableRow } from "../../core/markdown.js";
import type { Requirement } from "../../requirements/requirement.js";
import { MAX_CLAIMS, type BaseMove, type CollisionFindings, type CollisionReason } from "../collisions.js";
import {
  clampMarkdown,
  codeBlock,
  fitItems,
  MAX_OUTPUT_CHARS,
  MAX_TITLE_CHARS,
  toAnnotations,
  truncateChars,
  type CheckRunResult,
} from "./check-output.js";

/** What the check concluded, before words: `waiting` is reported as `action_required`. */
export type BaselineVerdict = "nothing-to-approve" | "approved" | "waiting" | "failure";

export interface BaselineRenderInput {
  verdict: BaselineVerdict;
  evaluation: ChangeEvaluation;
  approvals: ApprovalResult;
  /** Configuration and change diagnostics, positions resolved. */
  diagnostics: readonly Diagnostic[];
  incomplete: readonly string[];
  baseBranch: string;
  /** Data the App keeps in the check run (the approval ledger, the claims): hidden records at the start of the summary. */
  hidden?: string;
  /** Colliding pull requests (SPEC 2.7). */
  collisions?: CollisionFindings;
}

/** At most this many problems are listed in the summary; every one is an annotation anyway. */
const MAX_LISTED_PROBLEMS = 50;
/** At most this many logins per list in a rule's row. */
const MAX_LISTED_PEOPLE = 20;

export function renderBaselineCheck(input: BaselineRenderInput): Pick<CheckRunResult, "title" | "summary" | "text" | "annotations"> {
  const title = truncateChars(baselineTitle(input), MAX_TITLE_CHARS);
  const overview = [collisionsSection(input), statusSection(input), approvalsSection(input), problemsSection(input.diagnostics), changesTable(input.evaluation)].filter((s) => s !== "").join("\n\n");
  const details = input.evaluation.changes.filter((c) => needsChangeRecord(c.kind)).map(detailBlock);
  const local = `run ${inlineCode(`reqgate check --base origin/${input.baseBranch}`)} locally for the full list`;
  // The marker goes first, where `ledgerFromSummary` looks for it; user text further down cannot be there.
  const hidden = input.hidden !== undefined ? `${input.hidden}\n\n` : "";
  const split = splitDetails(overview, details, local, MAX_OUTPUT_CHARS - hidden.length);
  const summary = hidden + split.summary;
  const text = split.text;
  const result: Pick<CheckRunResult, "title" | "summary" | "text" | "annotations"> = {
    title,
    summary,
    annotations: toAnnotations(input.diagnostics),
  };
  if (text !== undefined) result.text = text;
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Title

function baselineTitle(input: BaselineRenderInput): string {
  const { verdict, evaluation, approvals } = input;
  const waiting = waitingPhrase(approvals);
  if (verdict === "failure") {
    const reason = failureReason(input);
    return evaluation.demands.length > 0 && waiting ? `${reason}; also ${lowerFirst(waiting)}` : reason;
  }
  if (verdict === "nothing-to-approve") {
    return evaluation.changes.length === 0 ? "No baseline change" : "No baseline change needs approval (files moved only)";
  }
  if (verdict === "approved") {
    const n = evaluation.changes.filter((c) => needsChangeRecord(c.kind)).length + evaluation.scope.length;
    const reviews = evaluation.links.reviews.length;
    const what = [...(n > 0 || reviews === 0 ? [`${n} requirement change${n === 1 ? "" : "s"}`] : []), ...(reviews > 0 ? [`${reviews} suspect link review${reviews === 1 ? "" : "s"}`] : [])].join(" and ");
    return `Approved: ${what} (${approvals.rules.map((r) => r.rule.name).join(", ")})`;
  }
  return waiting ?? "Waiting for approval";
}

/** "Waiting for 1 approval from requirements board and 2 from safety board". */
function waitingPhrase(approvals: ApprovalResult): string | undefined {
  if (approvals.missing.length === 0) return undefined;
  const [first, ...rest] = approvals.missing;
  const stale = approvals.rules.reduce((n, r) => n + (r.satisfied ? 0 : r.stale.length), 0);
  const staleNote = stale > 0 ? ` (${stale} stale)` : "";
  if (rest.length > 2) return `Waiting for approvals from ${approvals.missing.length} rules${staleNote}`;
  const parts = [`${first!.remaining} approval${first!.remaining === 1 ? "" : "s"} from ${first!.rule}`, ...rest.map((m) => `${m.remaining} from ${m.rule}`)];
  return `Waiting for ${parts.join(" and ")}${staleNote}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function failureReason(input: BaselineRenderInput): string {
  if (input.incomplete.length > 0) return `Could not evaluate: ${input.incomplete[0]}`;
  const errors = input.diagnostics.filter((d) => d.severity === "error");
  const config = errors.filter((d) => d.code.startsWith("config"));
  if (config.length > 0) return `Invalid configuration: ${config.length} problem${config.length === 1 ? "" : "s"} in ${config[0]!.file}`;
  const collision = collisionTitle(input);
  if (collision !== undefined) return collision;
  const lock = input.evaluation.lock.state;
  const others = errors.filter((d) => d.code !== "lock-stale");
  if (others.length === 0 && (lock === "stale" || lock === "missing")) return lockSentence(lock);
  if (others.length === 1) return others[0]!.message;
  return `${others.length} errors in requirement files, change records or the lock`;
}

function lockSentence(state: LockState): string {
  return state === "missing" ? "The baseline lock is missing: run `reqgate baseline`" : "The baseline lock is out of date: run `reqgate baseline`";
}

// ---------------------------------------------------------------------------------------------------
// Colliding pull requests (SPEC 2.7)

/** IDs are PREFIX-NUMBER (validated where they are read), shown as code all the same. */
function reasonPhrase(r: CollisionReason): string {
  if (r.kind === "adds") return `both add ${inlineCode(r.id, 40)}`;
  if (r.kind === "adds-record") return `both add change record ${inlineCode(r.id, 40)}`;
  return `both change ${inlineCode(r.id, 40)}: ${recordName(r.ours)} here, ${recordName(r.theirs)} there`;
}

function recordName(record: string): string {
  return record === "" ? "no change record" : inlineCode(record, 40);
}

function movePhrase(m: BaseMove, branch: string): string {
  if (m.kind === "added") return `${inlineCode(m.id, 40)} was added to ${inlineCode(branch, 100)} since this branch left it (by ${recordName(m.record)})`;
  if (m.kind === "record-applied") return `change record ${inlineCode(m.id, 40)} was applied on ${inlineCode(branch, 100)} since this branch left it`;
  return `${inlineCode(m.id, 40)} was changed on ${inlineCode(branch, 100)} since this branch left it (by ${recordName(m.record)})`;
}

/** The title of a collision: what to do first, then why. Plain words (a title renders no Markdown). */
function collisionTitle(input: BaselineRenderInput): string | undefined {
  const found = input.collisions;
  if (!found) return undefined;
  const plain = (s: string) => s.replace(/`/g, "");
  const first = found.moved[0];
  if (first !== undefined) {
    const more = found.moved.length > 1 ? ` (and ${found.moved.length - 1} more)` : "";
    const fix = first.kind === "changed" ? "rebase and review the change again" : "rebase and renumber";
    return `Rebase onto ${input.baseBranch}: ${plain(movePhrase(first, input.baseBranch))}${more}; ${fix}`;
  }
  const c = found.collisions[0];
  if (c === undefined) return undefined;
  const others = found.collisions.length - 1 + found.more;
  const who = others > 0 ? `#${c.pr} and ${others} more pull request${others === 1 ? "" : "s"}` : `#${c.pr}`;
  const fix = c.reasons.every((r) => r.kind === "changes") ? "one of them waits for the other to merge, then rebases" : "renumber in one of them";
  return `Collides with ${who} (${plain(reasonPhrase(c.reasons[0]!))}${c.reasons.length > 1 ? `, and ${c.reasons.length - 1} more` : ""}): ${fix}`;
}

const MAX_LISTED_REASONS = 20;

function collisionsSection(input: BaselineRenderInput): string {
  const found = input.collisions;
  if (!found) return "";
  const lines: string[] = [];
  if (found.moved.length > 0) {
    lines.push(`### Changed on ${inlineCode(input.baseBranch, 100)} since this branch left it`, "");
    lines.push("Another pull request merged first with the same IDs. Rebase onto the base branch: its lock then has them, and this check shows what is left to renumber or to change.", "");
    lines.push(...bulletsWithMore(found.moved, MAX_LISTED_REASONS, (m) => `❌ ${movePhrase(m, input.baseBranch)}`));
  }
  if (found.collisions.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push("### Colliding pull requests", "");
    lines.push(
      "Open pull requests into the same branch that add the same IDs or change the same requirements cannot both merge as they are. Whichever merges second must rebase and renumber (use a free ID or change record ID), or, for a requirement both change, rebase onto the other's change and have it approved again. This check is evaluated again when the other pull request changes, merges or closes.",
      "",
    );
    for (const c of found.collisions) {
      const shown = c.reasons.slice(0, MAX_LISTED_REASONS).map(reasonPhrase);
      if (c.reasons.length > MAX_LISTED_REASONS) shown.push(`and ${c.reasons.length - MAX_LISTED_REASONS} more`);
      lines.push(`- ❌ #${c.pr}: ${shown.join("; ")}`);
    }
    if (found.more > 0) lines.push(`- … and ${found.more} more pull request${found.more === 1 ? "" : "s"}`);
  } else if (found.checked !== undefined && found.moved.length === 0) {
    lines.push(`No other open pull request into ${inlineCode(input.baseBranch, 100)} adds the same IDs or changes the same requirements (${found.checked} read).`);
  }
  if (found.claims.cut) {
    if (lines.length > 0) lines.push("");
    lines.push(`⚠️ This pull request adds or changes more IDs than its check run can record (at most ${MAX_CLAIMS} of each kind): other pull requests compare theirs with the first ones only, while this check compares all of this one's.`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Summary sections

function statusSection(input: BaselineRenderInput): string {
  const lines: string[] = [];
  const { verdict, evaluation, approvals } = input;
  for (const reason of input.incomplete) lines.push(`- ❌ ${escapeInline(reason, 300)} — the check cannot pass until everything the change needs can be read.`);
  if (lines.length > 0) lines.unshift("**Could not evaluate the change completely.**", "");
  if (verdict === "nothing-to-approve") lines.push(evaluation.changes.length === 0 ? "This pull request does not change the baseline." : "This pull request only moves requirements between files; nothing needs approval.");
  if (verdict === "approved") lines.push("Every change-control rule that matches this change has its approvals.");
  if (evaluation.demands.length > 0 && !approvals.satisfied && verdict === "failure") {
    if (lines.length > 0) lines.push("");
    lines.push(`**Fix the problems below first.** The change then needs approval (${escapeInline(lowerFirst(waitingPhrase(approvals) ?? "waiting for approval"), 300)}); it cannot be approved while it fails.`);
  } else if (evaluation.demands.length > 0 && !approvals.satisfied) {
    if (lines.length > 0) lines.push("");
    lines.push(
      `**${escapeInline(waitingPhrase(approvals) ?? "Waiting for approval", 300)}.** To approve, approve the pull request in a review, comment ${inlineCode("/reqgate approve")}, or press **Approve** at the top of this check. An approval holds until the requirements or change records change.`,
    );
  }
  if (evaluation.lock.state === "stale" || evaluation.lock.state === "missing") {
    if (lines.length > 0) lines.push("");
    const lockFile = evaluation.diagnostics.find((d) => d.code === "lock-stale")?.file;
    const what = evaluation.lock.state === "missing" ? "The baseline lock is missing" : "The baseline lock does not match the requirement files and change records";
    lines.push(`❌ ${what}: run ${inlineCode("reqgate baseline")} and commit ${lockFile !== undefined ? inlineCode(lockFile) : "the lock"}.`);
  }
  for (const t of approvals.tampered) {
    if (lines.length > 0) lines.push("");
    lines.push(`⚠️ The approval comment of ${escapeInline(t.login)} was edited by ${escapeInline(t.editedBy)}; it does not count.`);
  }
  return lines.join("\n");
}

function approvalsSection(input: BaselineRenderInput): string {
  const { approvals } = input;
  if (approvals.rules.length === 0) return "";
  const lines = ["### Approvals", "", tableRow(["Rule", "Requirements", "Approvals", "Approved by", "May still approve"]), "|---|---|---|---|---|"];
  for (const r of approvals.rules) {
    lines.push(
      tableRow([
        escapeInline(r.rule.name, 100),
        people(r.requirements, 10),
        `${r.satisfied ? "✅" : "⏳"} ${r.approvedBy.length} of ${r.needed}`,
        r.approvedBy.length > 0 ? people(r.approvedBy, MAX_LISTED_PEOPLE) : "—",
        r.satisfied ? "—" : mayStill(r.mayStillApprove),
      ]),
    );
  }
  const notes: string[] = [];
  for (const r of approvals.rules) notes.push(...ruleNotes(r));
  if (notes.length > 0) lines.push("", ...notes);
  return lines.join("\n");
}

function people(list: readonly string[], max: number): string {
  const shown = list.slice(0, max).map((p) => escapeInline(p, 100));
  if (list.length > max) shown.push(`… and ${list.length - max} more`);
  return shown.join(", ");
}

function mayStill(m: MayStillApprove): string {
  const parts: string[] = [];
  if (m.users.length > 0) parts.push(people(m.users, MAX_LISTED_PEOPLE));
  if (m.teams.length > 0) parts.push(`members of ${people(m.teams, 10)}`);
  if (m.permission !== undefined) parts.push(`anyone with ${m.permission} permission or higher`);
  if (parts.length === 0) return "nobody else";
  const excluded = m.excludesAuthor && m.excludesContributors ? " (not the author or anyone who pushed commits)" : m.excludesAuthor ? " (not the author)" : m.excludesContributors ? " (not anyone who pushed commits)" : "";
  return parts.join("; ") + excluded;
}

function ruleNotes(r: RuleApprovals): string[] {
  const name = escapeInline(r.rule.name, 100);
  const notes: string[] = [];
  const list = <T extends { login: string; via: string; reason: string }>(items: readonly T[]) => {
    notes.push(...bulletsWithMore(items, MAX_LISTED_PEOPLE, (item) => `${escapeInline(item.login, 100)} (${item.via}): ${escapeInline(item.reason, 300)}`, { indent: "  " }));
  };
  if (r.stale.length > 0) {
    notes.push(`- **Stale approvals** for ${name} (made on different content; approve again):`);
    list(r.stale);
  }
  if (r.refused.length > 0) {
    notes.push(`- **Not counted** for ${name}:`);
    list(r.refused);
  }
  return notes;
}

function problemsSection(diagnostics: readonly Diagnostic[]): string {
  const sorted = sortDiagnostics(diagnostics);
  const errors = sorted.filter((d) => d.severity === "error");
  const warnings = sorted.filter((d) => d.severity === "warning");
  const block = (heading: string, items: readonly Diagnostic[]) => {
    if (items.length === 0) return [];
    return [heading, "", ...bulletsWithMore(items, MAX_LISTED_PROBLEMS, (d) => escapeInline(formatDiagnostic(d), 500), { more: " (each is an annotation on its file)" })];
  };
  const errorLines = block("### Errors", errors);
  const warningLines = block("### Warnings", warnings);
  return [...errorLines, ...(errorLines.length > 0 && warningLines.length > 0 ? [""] : []), ...warningLines].join("\n");
}

function changesTable(evaluation: ChangeEvaluation): string {
  const changed = evaluation.changes.filter((c) => needsChangeRecord(c.kind));
  const links = linksSection(evaluation);
  if (changed.length === 0 && evaluation.records.length === 0 && evaluation.scope.length === 0) return links.join("\n");
  const lines: string[] = [...links, ...(links.length > 0 ? [""] : [])];
  if (evaluation.scope.length > 0) {
    lines.push("### Scope changes", "", "A requirement that enters or leaves a rule's scope needs that rule's approval and a change record.", "");
    const scopeLine = (c: ChangeEvaluation["scope"][number]) => `${escapeInline(c.id)} ${c.direction} the scope of ${escapeInline(c.rules.join(", "), 200)} (${escapeInline(c.how, 300)}): ${c.record !== undefined ? escapeInline(c.record) : "❌ no change record"}`;
    lines.push(...bulletsWithMore(evaluation.scope, 100, scopeLine));
    if (changed.length > 0 || evaluation.records.length > 0) lines.push("");
  }
  if (changed.length > 0) {
    lines.push("### Changed requirements", "", tableRow(["Requirement", "Change", "Change record", "Title"]), "|---|---|---|---|");
    const shown = changed.slice(0, 100);
    for (const c of shown) {
      lines.push(tableRow([escapeInline(c.id), describeKind(c.kind), c.record !== undefined ? escapeInline(c.record) : "❌ none", escapeInline(titleOf(c), 100)]));
    }
    if (changed.length > shown.length) lines.push("", `… and ${changed.length - shown.length} more requirements.`);
  }
  if (evaluation.records.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push("### Change records", "", tableRow(["Record", "", "Title", "Affects"]), "|---|---|---|---|");
    for (const r of evaluation.records.slice(0, 100)) {
      lines.push(tableRow([escapeInline(r.record.id), r.kind, escapeInline(r.record.title, 100), people(r.record.affects, 10)]));
    }
    if (evaluation.records.length > 100) lines.push("", `… and ${evaluation.records.length - 100} more change records.`);
  }
  return lines.join("\n");
}

function titleOf(c: ChangedRequirement): string {
  return c.headRequirement?.title ?? c.after?.title ?? c.baseRequirement?.title ?? c.before?.title ?? "";
}

// ---------------------------------------------------------------------------------------------------
// Before and after

/**
 * One collapsible block per changed requirement. The `<summary>` holds only the ID (a validated
 * PREFIX-NUMBER) and words of ours, because Markdown escapes do not apply inside HTML; the texts are in
 * a diff code block, where nothing renders and which the text cannot close.
 */
function detailBlock(c: ChangedRequirement): string {
  const record = c.record !== undefined ? ` · ${c.record}` : "";
  const lines = [`<details><summary>${c.id} — ${describeKind(c.kind)}${record}</summary>`, ""];
  lines.push(`**${escapeInline(titleOf(c), 200)}**`, "");
  lines.push(codeBlock(diffLines(c.baseRequirement, c.headRequirement, c).join("\n"), "diff"));
  lines.push("", "</details>", "");
  return lines.join("\n");
}

const FIELDS: ReadonlyArray<[string, (r: Requirement) => string | undefined]> = [
  ["title", (r) => r.title],
  ["text", (r) => r.text],
  ["status", (r) => r.status],
  ["parents", (r) => (r.parents.length > 0 ? r.parents.join(", ") : undefined)],
  ["verification", (r) => r.verification],
  ["superseded_by", (r) => r.supersededBy],
  ["attributes", (r) => (Object.keys(r.attributes).length > 0 ? JSON.stringify(r.attributes) : undefined)],
];

/** `- field: old` / `+ field: new` for each normative field that differs; all fields for an added or removed requirement. */
/**
 * What the change does to the lock's suspect links (SPEC 2.5): reviews (who confirmed what; they need
 * the approval of the rules of the reviewed requirement, no change record), links its moves make, links
 * it clears by touching the child or the file.
 */
function linksSection(evaluation: ChangeEvaluation): string[] {
  const { reviews, added, cleared } = evaluation.links;
  if (reviews.length + added.length + cleared.length === 0) return [];
  const lines = ["### Suspect links", ""];
  const item = (l: LockLink) => `${escapeInline(l.item, 200)} → ${escapeInline(l.moved)} (${escapeInline(l.change)})`;
  if (reviews.length > 0) {
    lines.push("Reviewed in this pull request (a review needs the approval of the rules of the reviewed requirement, like a change):", "");
    lines.push(...bulletsWithMore(reviews, 50, (l) => `${item(l)}: reviewed by ${escapeInline(l.review?.by ?? "", 100)} at ${escapeInline(l.review?.at ?? "", 30)}`));
    lines.push("");
  }
  if (added.length > 0) {
    lines.push(`Made suspect by this change: ${added.length}`, "");
    lines.push(...bulletsWithMore(added, 20, item));
    lines.push("");
  }
  if (cleared.length > 0) {
    lines.push(`Cleared by this change (the child or the file is changed with it): ${cleared.length}`, "");
    lines.push(...bulletsWithMore(cleared, 20, item));
    lines.push("");
  }
  return lines.slice(0, -1);
}

export function diffLines(before: Requirement | undefined, after: Requirement | undefined, change?: ChangedRequirement): string[] {
  const out: string[] = [];
  const emit = (sign: "-" | "+", field: string, value: string) => {
    const [first, ...rest] = value.replace(/\r\n?/g, "\n").trimEnd().split("\n");
    out.push(`${sign} ${field}: ${first ?? ""}`);
    for (const line of rest) out.push(`${sign}   ${line}`);
  };
  for (const [field, get] of FIELDS) {
    const a = before ? get(before) : undefined;
    const b = after ? get(after) : undefined;
    if (a === b) {
      if (a !== undefined && field === "title" && before && after) out.push(`  title: ${a}`);
      continue;
    }
    if (a !== undefined) emit("-", field, a);
    if (b !== undefined) emit("+", field, b);
  }
  if (out.length === 0 && change) {
    // The requirement file was not readable on one side: the lock still knows the title and status.
    if (change.before) emit("-", "status", change.before.status);
    if (change.after) emit("+", "status", change.after.status);
  }
  return out;
}

/** The overview and the details in the summary; what does not fit continues in `text`, then a note. */
function splitDetails(overview: string, details: readonly string[], local: string, limit: number): { summary: string; text?: string } {
  if (details.length === 0) return { summary: clampMarkdown(overview, limit) };
  const heading = "### Before and after";
  const first = fitItems(`${overview}\n\n${heading}\n`, details, limit, (n) => `\n… ${n} more requirement${n === 1 ? "" : "s"} continued below.`);
  if (first.omitted === 0) return { summary: first.text };
  const rest = details.slice(details.length - first.omitted);
  const second = fitItems(`${heading} (continued)\n`, rest, MAX_OUTPUT_CHARS, (n) => `\n… and ${n} more requirement${n === 1 ? "" : "s"}; ${local}.`);
  return { summary: first.text, text: second.text };
}

// ---------------------------------------------------------------------------------------------------
// Drift on the default branch

export interface DriftRenderInput {
  state: LockState;
  /** Whether the expected lock could be computed at all. */
  expected: boolean;
  drifted: readonly string[];
  diagnostics: readonly Diagnostic[];
  /** The baseline moves of the push (when its lock is current): each requirement with its change record. */
  moves?: ReadonlyArray<{ id: string; kind: ChangedRequirement["kind"]; record?: string }>;
}

/** Moves listed in a drift summary; the rest are counted. */
const MAX_MOVES_LISTED = 100;

export function renderDriftCheck(input: DriftRenderInput): Pick<CheckRunResult, "title" | "summary" | "annotations"> {
  const { state, drifted } = input;
  const errors = input.diagnostics.filter((d) => d.severity === "error");
  let title: string;
  if (state === "current") title = errors.length > 0 ? `${errors.length} error${errors.length === 1 ? "" : "s"} in requirement files or change records` : "The baseline lock matches the requirement files";
  else if (drifted.length > 0) title = `Baseline drift: ${joinFirst(drifted, 5)} changed without a matching lock`;
  else title = state === "missing" ? "Baseline drift: the baseline lock is missing" : "Baseline drift: the lock does not match the requirement files";
  const lines: string[] = [];
  if (state !== "current") {
    lines.push(
      "Requirement files on this branch changed without the baseline lock that `reqgate baseline` writes: the change did not go through the `reqgate/baseline` check.",
      "",
      `Open a pull request with a change record for the change, and the lock from ${inlineCode("reqgate baseline")}.`,
    );
    if (drifted.length > 0) lines.push("", "Drifted requirements: " + people(drifted, 100));
  } else {
    // Never an empty summary: GitHub refuses a check run without one (422 "summary wasn't supplied").
    const moves = (input.moves ?? []).filter((m) => needsChangeRecord(m.kind));
    if (moves.length === 0) {
      lines.push("The baseline lock matches the requirement files and change records of this commit; the baseline did not move.");
    } else {
      lines.push(`The baseline lock matches the requirement files and change records of this commit. The baseline moved (${moves.length} requirement${moves.length === 1 ? "" : "s"}):`, "");
      lines.push(...bulletsWithMore(moves, MAX_MOVES_LISTED, (m) => `${inlineCode(m.id)} ${describeKind(m.kind)}${m.record !== undefined ? ` by ${inlineCode(m.record)}` : ""}`));
    }
  }
  const problems = problemsSection(input.diagnostics);
  if (problems !== "") lines.push("", problems);
  return {
    title: truncateChars(title, MAX_TITLE_CHARS),
    summary: clampMarkdown(lines.join("\n")),
    annotations: toAnnotations(input.diagnostics),
  };
}
