// The Markdown of reqgate's one comment on an issue, and of its replies to commands. Every piece of
// user text (issue and requirement titles, file paths, configuration messages, logins, reasons) goes
// through domain/core/markdown.ts; IDs are shown as code.
import { MARKER, replyMarker, writeHidden } from "../core/hidden-data.js";
import type { CommandDecision, Command } from "../approvals/commands.js";
import { COMMAND_POLICY } from "../approvals/commands.js";
import type { Permission } from "../config/config.js";
import type { Diagnostic } from "../core/diagnostic.js";
import type { IssueResult, Reference, Suggestion, Waiver } from "./evaluate-issue.js";
import { escapeInline, inlineCode, tableRow } from "../core/markdown.js";
import { CONFIG_PATH } from "../config/config-path.js";

/** Marks reqgate's comment on an issue (together with the App's own login: a copied marker is ignored). */
export const ISSUE_MARKER = writeHidden(MARKER.issue);

const WAIVE_HINT = "Work that needs no requirement? Someone with the maintain or admin permission can reply `/reqgate waive <reason>`. `/reqgate help` lists the commands.";

/** The visible body of the issue's reqgate comment, starting with the marker. */
export function renderIssueComment(result: IssueResult): string {
  return `${ISSUE_MARKER}\n${renderBody(result)}`;
}

function renderBody(result: IssueResult): string {
  switch (result.verdict) {
    case "skip":
      return result.reason === "closed" ? "This issue is closed; reqgate no longer checks it." : "reqgate's issue checks are turned off for this repository (`issues.mode: off`).";
    case "config-invalid":
      return [
        "### ⚠️ reqgate cannot check this issue",
        "",
        `The configuration ${inlineCode(CONFIG_PATH)} on the default branch is invalid, so reqgate changed nothing on this issue:`,
        "",
        ...listDiagnostics(result.diagnostics),
        "",
        "Fix the file on the default branch; the next change to this issue checks it again (or reply `/reqgate recheck`).",
      ].join("\n");
    case "baseline-invalid":
      return [
        "### ⚠️ reqgate cannot check this issue",
        "",
        `The baseline lock ${inlineCode(result.config.requirements.lock)} on the default branch cannot be read, so reqgate changed nothing on this issue:`,
        "",
        ...listDiagnostics(result.diagnostics),
        "",
        "Regenerate the lock with `reqgate baseline` on the default branch.",
      ].join("\n");
    case "exempt": {
      const why = "label" in result.because ? `it has the label ${inlineCode(result.because.label, 50)}` : `its author ${inlineCode(result.because.author, 100)} is exempt`;
      return `### Exempt\n\nThis issue does not need a requirement: ${why}.`;
    }
    case "traced": {
      const lines = ["### ✅ Traced", "", "This issue is traced to baselined requirements:", "", ...result.references.map(describeReference)];
      if (result.waiver) lines.push("", `<sub>A waiver by ${escapeInline(result.waiver.by, 100)} is on record (${escapeInline(result.waiver.reason, 200)}); it applies again if this issue loses its references.</sub>`);
      return lines.join("\n");
    }
    case "unlinked":
      return renderUnlinked(result.suggestions, result.fixLine, result.baselineMissing, result.config.requirements.lock);
    case "bad-references":
      return [
        "### ⚠️ References that are not baselined",
        "",
        "This issue references requirements that cannot be the basis of work:",
        "",
        ...result.references.filter((r) => r.kind !== "baselined").map(describeReference),
        ...(result.omitted > 0 ? [`- … and ${result.omitted} more references (not checked).`] : []),
        "",
        "Reference baselined, active requirements instead, or have these baselined through a change record.",
        "",
        `<sub>${WAIVE_HINT}</sub>`,
      ].join("\n");
    case "waived":
      return renderWaived(result.waiver, result.problem, result.references);
  }
}

function renderUnlinked(suggestions: readonly Suggestion[], fixLine: string, baselineMissing: boolean, lockPath: string): string {
  const lines = [
    "### ⚠️ Not linked to a requirement",
    "",
    "This issue does not reference a baselined requirement. Every issue must name the requirement it serves.",
    "",
    "To fix it, add this line to the issue's description, with the ID of the requirement this work serves:",
    "",
    "```text",
    fixLine,
    "```",
  ];
  if (baselineMissing) {
    lines.push("", `This repository has no baseline yet: ${inlineCode(lockPath)} is missing on the default branch. Run \`reqgate baseline\` to create it.`);
  }
  if (suggestions.length > 0) {
    lines.push("", "Baselined requirements that may fit, by similarity to this issue's title and description:", "", tableRow(["Requirement", "Title"]), tableRow(["---", "---"]));
    for (const s of suggestions) lines.push(tableRow([inlineCode(s.id), escapeInline(s.title, 120)]));
  }
  lines.push("", `<sub>${WAIVE_HINT}</sub>`);
  return lines.join("\n");
}

function renderWaived(waiver: Waiver, problem: "unlinked" | "bad-references", references: readonly Reference[]): string {
  const lines = [
    "### Waived",
    "",
    `${escapeInline(waiver.by, 100)} accepted this issue ${problem === "unlinked" ? "without a requirement" : "with the references below"}:`,
    "",
    `> ${escapeInline(waiver.reason, 500)}`,
  ];
  const bad = references.filter((r) => r.kind !== "baselined");
  if (bad.length > 0) lines.push("", ...bad.map(describeReference));
  return lines.join("\n");
}

function describeReference(r: Reference): string {
  const id = inlineCode(r.id);
  switch (r.kind) {
    case "baselined":
      return `- ${id} ${escapeInline(r.title, 120)}`;
    case "retired":
      return r.supersededBy !== undefined
        ? `- ${id} is retired; it is superseded by ${inlineCode(r.supersededBy)}.`
        : `- ${id} is retired.`;
    case "draft":
      return `- ${id} is a draft (in ${inlineCode(r.file)}): it is not baselined yet.`;
    case "not-baselined":
      return `- ${id} is in ${inlineCode(r.file)} but not in the baseline lock yet.`;
    case "unknown": {
      const hint = r.closest !== undefined ? ` Did you mean ${inlineCode(r.closest)}?` : "";
      const caveat = r.lookupIncomplete ? " (reqgate could not read every requirement file to tell whether it is a draft)" : "";
      return `- ${id} is not a baselined requirement${caveat}.${hint}`;
    }
  }
}

function listDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  const shown = diagnostics.slice(0, 20).map((d) => {
    const where = d.line > 0 ? `line ${d.line}: ` : "";
    const hint = d.hint ? ` (${escapeInline(d.hint, 200)})` : "";
    return `- ${where}${escapeInline(d.message, 300)}${hint}`;
  });
  if (diagnostics.length > 20) shown.push(`- … and ${diagnostics.length - 20} more.`);
  return shown;
}

// ---------------------------------------------------------------------------------------------------
// Replies to commands


const WHO: Record<Permission, string> = {
  read: "anyone with read access",
  triage: "people with the triage, write, maintain or admin permission",
  write: "people with the write, maintain or admin permission",
  maintain: "people with the maintain or admin permission",
  admin: "repository admins",
};

const NEEDS: Record<Permission, string> = {
  read: "read access",
  triage: "the triage, write, maintain or admin permission",
  write: "the write, maintain or admin permission",
  maintain: "the maintain or admin permission",
  admin: "the admin permission",
};

/** A reply for the refused commands and help requests of one comment; undefined when none needs one. */
export function renderCommandReply(commentId: number, author: string, decisions: readonly CommandDecision[]): string | undefined {
  const parts: string[] = [];
  let help = false;
  for (const d of decisions) {
    if (d.accepted) {
      if (d.command.name === "help") help = true;
      continue;
    }
    parts.push(`- ${refusal(d, author)}`);
  }
  for (const d of decisions) {
    if (d.command.name === "help" && d.command.unknown !== undefined) {
      help = true;
      parts.push(d.command.unknown === "" ? "- `/reqgate` needs a command." : `- ${inlineCode(`/reqgate ${d.command.unknown}`, 60)} is not a reqgate command.`);
    }
  }
  if (parts.length === 0 && !help) return undefined;
  const lines = [replyMarker(commentId)];
  if (parts.length > 0) lines.push(...parts);
  if (help) lines.push(...(parts.length > 0 ? [""] : []), renderHelp());
  return lines.join("\n");
}

function refusal(d: Extract<CommandDecision, { accepted: false }>, author: string): string {
  const cmd = inlineCode(`/reqgate ${d.command.name}`);
  const who = escapeInline(author, 100);
  switch (d.refusal) {
    case "wrong-place":
      return `${cmd} works on ${d.places.map((p) => (p === "issue" ? "issues" : "pull requests")).join(" and ")} only.`;
    case "permission":
      // What is needed, not what the commenter has: a reply is public, a person's permission is not.
      return `${cmd} was refused: it needs ${NEEDS[d.required]} on this repository.`;
    case "permission-unknown":
      return `${cmd} was refused: reqgate could not read ${who}'s permission from GitHub, and does not guess. It is for ${WHO[d.required]}; try again later.`;
    case "missing-reason":
      return `${cmd} needs a reason: \`/reqgate waive <reason>\`.`;
  }
}

export function renderHelp(): string {
  const rows: Array<[Command["name"], string, string]> = [
    ["waive", "`/reqgate waive <reason>`", "accept unlinked work, recording who and why"],
    ["recheck", "`/reqgate recheck`", "check this issue again now"],
    ["reviewed", "`/reqgate reviewed`", "clear the suspect flag after a requirement changed"],
    ["approve", "`/reqgate approve [CR-…]`", "approve a pull request's baseline change"],
    ["revoke", "`/reqgate revoke`", "withdraw your approval"],
    ["help", "`/reqgate help`", "show this list"],
  ];
  const lines = ["reqgate commands (one per line, at the start of the line):", "", tableRow(["Command", "Where", "Who", "What"]), tableRow(["---", "---", "---", "---"])];
  for (const [name, usage, what] of rows) {
    const policy = COMMAND_POLICY[name];
    const where = policy.places.map((p) => (p === "issue" ? "issues" : "pull requests")).join(", ");
    const who = name === "approve" || name === "revoke" ? "approvers" : policy.minimum === "anyone" ? "anyone" : `${policy.minimum} and up`;
    lines.push(tableRow([usage, where, who, what]));
  }
  return lines.join("\n");
}
