// The traceability dashboard (SPEC 2.6): one issue per repository that answers the control questions at a
// glance, rendered from the baseline (the lock of the default branch) and the repository's issues. Pure:
// the App gathers the snapshot (src/engine/dashboard.ts) and writes the body.
//
// Sections: the baseline (requirements by status, the change records that moved them, the last move),
// at risk (active requirements that no issue references, directly or through a descendant), split work
// (two or more issues: the owner, each issue's state, the roll-up), in progress, done without evidence,
// suspect work, unlinked issues, waivers. A Mermaid graph of coverage when there are at most MERMAID_MAX
// requirements, tables otherwise; every list is cut with "and N more" so that the body stays within
// GitHub's 65,536 characters at any size (`reqgate report` has the full lists).
import type { LockEntry, LockLink } from "../baseline/baseline.js";
import { cmp } from "../core/diagnostic.js";
import { MARKER, writeHidden } from "../core/hidden-data.js";
import { escapeInline, inlineCode } from "../core/markdown.js";
import type { DashboardWaiver } from "./dashboard-state.js";

export const DASHBOARD_TITLE = "reqgate: traceability dashboard";
export const DASHBOARD_LABEL = "reqgate-dashboard";
export const DASHBOARD_MARKER = writeHidden(MARKER.dashboard);
/** GitHub's limit for an issue body. */
export const MAX_BODY = 65_536;
/** A Mermaid graph up to this many requirements; a table beyond. */
export const MERMAID_MAX = 50;
/** Items listed per section; the rest are counted. */
const MAX_LISTED = 40;

export interface DashboardIssue {
  number: number;
  title: string;
  state: "open" | "closed";
  /** Requirement IDs its title and body name. */
  ids: readonly string[];
  labels: readonly string[];
  pull: boolean;
}

/** What the requirement files say beyond the lock: parents (for descendants) and owners. */
export interface RequirementFacts {
  byId: ReadonlyMap<string, { parents: readonly string[]; owner?: string }>;
  /** False when some files were not read: coverage through a descendant, and owners, may be missing. */
  complete: boolean;
}

/** The IDs that `@verifies` lines of the evidence files name, or why they could not be read. */
export type EvidenceFacts = { verified: ReadonlySet<string> } | { unreadable: string };

/**
 * How far a read of the issue list got: `first`, the whole list read for the first time; `again`, read
 * again because GitHub counts a different number of issues than the list holds (deleted or transferred
 * ones); `since`, the issues updated since the last read. `about`: GitHub's count when the read began.
 */
export interface IssueRead {
  kind: "first" | "again" | "since";
  read: number;
  about?: number;
}

export interface DashboardInput {
  entries: readonly LockEntry[];
  /** The lock's suspect links (SPEC 2.5): children of moved requirements, evidence of moved ones. */
  links?: readonly LockLink[];
  issues: readonly DashboardIssue[];
  labels: { unlinked: string; suspect: string };
  /** The last baseline move seen by this process, if any. */
  lastMove?: { commit: string; ids: readonly string[] };
  /** Why the issue list or the suspect search may be incomplete: said on the dashboard, never hidden. */
  incomplete: readonly string[];
  /** Absent: no requirement file was read (no descendant coverage, owners unknown). */
  facts?: RequirementFacts;
  /** Absent: the evidence was not read. */
  evidence?: EvidenceFacts;
  /**
   * Present while the issue list is not read in full (the App reads a bounded number of pages per update):
   * how far the read got. Sections that a missing issue could change say so, and none claims a requirement
   * is at risk or done.
   */
  issueRead?: IssueRead;
  waivers?: readonly DashboardWaiver[];
  /** The hidden record that ends the body (the dashboard's state); the visible part is cut to leave it room. */
  record?: string;
}

export function renderDashboard(input: DashboardInput): string {
  const active = input.entries.filter((e) => e.status === "active");
  // By number, whatever order they were read in: the same issues give the same body (no edit for nothing).
  const issues = [...input.issues].sort((a, b) => a.number - b.number);
  const byId = new Map<string, DashboardIssue[]>();
  for (const issue of issues) {
    if (issue.pull) continue;
    for (const id of new Set(issue.ids)) {
      const list = byId.get(id);
      if (list) list.push(issue);
      else byId.set(id, [issue]);
    }
  }
  const issuesPartial = input.issueRead !== undefined;
  const partial = input.incomplete.length > 0 || issuesPartial;
  const lines = [DASHBOARD_MARKER, "This issue is kept current by reqgate: edits to it are overwritten. `reqgate report` has the full lists.", ""];
  if (partial) {
    lines.push("> [!WARNING]", "> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:");
    if (input.issueRead) lines.push(`> - ${issueReadLine(input.issueRead)}`);
    for (const reason of input.incomplete.slice(0, 10)) lines.push(`> - ${escapeInline(reason, 300)}`);
    lines.push("");
  }

  // The baseline
  const retired = input.entries.length - active.length;
  const records = new Set(input.entries.map((e) => e.change));
  lines.push("## Baseline", "", `${active.length} active, ${retired} retired requirements; ${records.size} change records last moved them.`);
  if (input.lastMove) lines.push(`Last baseline move: ${list(input.lastMove.ids.map((id) => inlineCode(id)), 10)} in commit ${inlineCode(input.lastMove.commit.slice(0, 7))}.`);
  lines.push("");

  const covered = coveredIds(byId, input.facts);
  const atRisk = active.filter((e) => !covered.has(e.id));
  const split = active.filter((e) => (byId.get(e.id)?.length ?? 0) >= 2);
  const evidence = input.evidence ?? { unreadable: "the evidence files were not read" };
  const verified = "verified" in evidence ? evidence.verified : undefined;
  const closed = active.filter((e) => byId.get(e.id)?.every((i) => i.state === "closed"));
  const inProgress = active.filter((e) => byId.get(e.id)?.some((i) => i.state === "open"));
  const open = issues.filter((i) => i.state === "open" && !i.pull);
  const suspect = issues.filter((i) => i.state === "open" && i.labels.includes(input.labels.suspect));
  const unlinked = open.filter((i) => i.labels.includes(input.labels.unlinked));

  // At risk needs every issue (any one may reference a requirement) and every file up the tree from the
  // referenced requirements (a descendant's `parents` may cover one): otherwise it is not known, never guessed.
  const atRiskWhy = "Active requirements that no issue references (open or closed), directly or through a descendant.";
  if (active.length > 0 && issuesPartial) {
    lines.push(`## At risk: not known yet`, "", atRiskWhy, "", "The issue list is not read in full yet (see above): a requirement that no issue read so far references may be referenced by one not read yet. Listed once the list is read.", "");
  } else if (active.length > 0 && input.facts?.complete !== true) {
    const direct = active.filter((e) => !byId.has(e.id)).length;
    lines.push(`## At risk: not known yet`, "", atRiskWhy, "", `${direct} active requirements are referenced by no issue directly; whether a descendant covers them is known once the requirement files are read (see above). Listed then.`, "");
  } else {
    lines.push(...section(`At risk: ${atRisk.length}`, atRiskWhy, atRisk.map((e) => `- ${inlineCode(e.id)} ${escapeInline(e.title, 100)}`), partial));
  }
  // With part of the issue list, what is listed is so (two issues read do reference it), but there may be more.
  const count = (n: number) => (issuesPartial ? `at least ${n}` : String(n));
  lines.push(
    ...section(
      `Split work: ${count(split.length)}`,
      "Requirements referenced by two or more issues, with the requirement's owner; done when every issue is closed and evidence (a `@verifies` line) exists.",
      split.map((e) => {
        const issues = byId.get(e.id)!;
        const open = issues.filter((i) => i.state === "open").length;
        const rollUp = open > 0 ? `${open} open` : issuesPartial ? "the issues read so far are closed (the list is not read in full yet)" : !verified ? "all closed, evidence not checked" : verified.has(e.id) ? "done" : "all closed, **no evidence**";
        return `- ${inlineCode(e.id)} ${escapeInline(e.title, 80)} (${ownerOf(e.id, input.facts)}): ${issues.map((i) => `#${i.number} (${i.state})`).join(", ")} — ${rollUp}`;
      }),
      partial,
    ),
  );
  lines.push(...section(`In progress: ${count(inProgress.length)}`, "Active requirements with at least one open issue.", inProgress.map((e) => `- ${inlineCode(e.id)}: ${byId.get(e.id)!.filter((i) => i.state === "open").map((i) => `#${i.number}`).join(", ")}`), partial));
  if (issuesPartial) {
    lines.push(`## Done without evidence: not known yet`, "", "Active requirements whose issues are all closed, and that no `@verifies` line under `verification.paths` names. The issue list is not read in full yet (see above): an issue not read yet may still be open.", "");
  } else if (verified) {
    const unverified = closed.filter((e) => !verified.has(e.id));
    lines.push(...section(`Done without evidence: ${unverified.length}`, "Active requirements whose issues are all closed, and that no `@verifies` line under `verification.paths` names.", unverified.map((e) => `- ${inlineCode(e.id)} ${escapeInline(e.title, 80)}: ${byId.get(e.id)!.map((i) => `#${i.number}`).join(", ")} closed`), partial));
  } else {
    lines.push(`## Done without evidence: not known`, "", `Active requirements whose issues are all closed: ${closed.length}. Their evidence could not be read: ${escapeInline("unreadable" in evidence ? evidence.unreadable : "", 300)}.`, "");
  }
  lines.push(...section(`Suspect work: ${count(suspect.length)}`, `Open work labelled ${inlineCode(input.labels.suspect)}: a requirement it references changed.`, suspect.map((i) => `- #${i.number} ${escapeInline(i.title, 100)}`), partial));
  const openLinks = (input.links ?? []).filter((l) => !l.review);
  // Shown when the lock has open links: most repositories never have one.
  if (openLinks.length > 0) lines.push(
    ...section(
      `Suspect links: ${openLinks.length}`,
      "Requirements whose parent moved, and `@verifies` evidence of a moved requirement, not reviewed yet (`reqgate review ID` records the review in the lock).",
      openLinks.map((l) => `- ${l.kind === "child" ? inlineCode(l.item) : inlineCode(l.item, 200)}: ${l.kind === "child" ? "its parent" : "evidence of"} ${inlineCode(l.moved)} moved (${inlineCode(l.change)})`),
      false,
    ),
  );
  lines.push(...section(`Unlinked issues: ${count(unlinked.length)}`, `Open issues labelled ${inlineCode(input.labels.unlinked)}.`, unlinked.map((i) => `- #${i.number} ${escapeInline(i.title, 100)}`), partial));
  const waivers = input.waivers ?? [];
  lines.push(
    ...section(
      `Waivers: ${waivers.length}`,
      "Work accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.",
      waivers.map((w) => `- ${w.kind === "pull" ? "pull request" : "issue"} #${w.number}: waived by ${inlineCode(`@${w.by}`, 60)} on ${w.at.slice(0, 10)}: ${escapeInline(w.reason, 300)}`),
      false,
    ),
  );

  if (active.length > 0 && active.length <= MERMAID_MAX) {
    // Red (at risk) and green or orange (done) are claims: grey where the reads so far cannot make them.
    const riskKnown = !issuesPartial && input.facts?.complete === true;
    const legend = `Red: no issue; blue: covered through a descendant; yellow: in progress; orange: closed without evidence; green: done.${riskKnown ? "" : " Grey: not known yet (see above)."}`;
    lines.push("## Coverage", "", legend, "", "```mermaid", "graph LR");
    const node = (id: string) => id.replace(/[^A-Za-z0-9]/g, "_");
    const shown = new Set(active.map((e) => e.id));
    for (const e of [...active].sort((a, b) => cmp(a.id, b.id))) {
      const issues = byId.get(e.id) ?? [];
      const allClosed = issues.length > 0 && issues.every((i) => i.state === "closed");
      const cls = issues.length === 0 ? (covered.has(e.id) ? "sub" : riskKnown ? "risk" : "unknown") : !allClosed ? "work" : issuesPartial ? "unknown" : verified?.has(e.id) ? "done" : "closed";
      lines.push(`  ${node(e.id)}["${e.id}"]:::${cls}`);
      // The tree: each parent points at its children.
      for (const parent of input.facts?.byId.get(e.id)?.parents ?? []) if (shown.has(parent)) lines.push(`  ${node(parent)} --> ${node(e.id)}`);
      for (const i of issues.slice(0, 5)) lines.push(`  ${node(e.id)} --> I${i.number}["#${i.number}"]`);
    }
    // risk: no issue; sub: covered through a descendant; work: an issue open; closed: all closed, evidence missing or not read; done: closed with evidence.
    lines.push("  classDef risk fill:#f8d7da", "  classDef sub fill:#dbeafe", "  classDef work fill:#fff3cd", "  classDef closed fill:#ffe5b4", "  classDef done fill:#d4edda", ...(riskKnown ? [] : ["  classDef unknown fill:#e5e7eb"]), "```", "");
  }
  return input.record ? `${clamp(lines.join("\n"), input.record.length + 1)}\n${input.record}` : clamp(lines.join("\n"), 0);
}

/** What the dashboard says of an issue list read in part (reqgate's own words: numbers only). */
function issueReadLine(r: IssueRead): string {
  const of = r.about !== undefined ? ` of about ${r.about.toLocaleString("en")}` : "";
  const read = r.read.toLocaleString("en");
  switch (r.kind) {
    case "first":
      return `issues read: ${read}${of}; the rest in the next updates`;
    case "again":
      return `the issue list is read again (GitHub counts another number of issues than reqgate holds: some were deleted or transferred): issues read: ${read}${of}; the rest in the next updates`;
    case "since":
      return r.read === 0 && r.about === undefined ? "issues updated while the list was read: read in the next update" : `issues updated since the last read: ${read}${of} read; the rest in the next updates`;
  }
}

/** The requirements an issue references, and their ancestors (through `parents`, as far as the files read say). */
function coveredIds(byId: ReadonlyMap<string, readonly DashboardIssue[]>, facts: RequirementFacts | undefined): Set<string> {
  const covered = new Set(byId.keys());
  const queue = [...covered];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const parent of facts?.byId.get(id)?.parents ?? []) {
      if (covered.has(parent)) continue;
      covered.add(parent);
      queue.push(parent);
    }
  }
  return covered;
}

function ownerOf(id: string, facts: RequirementFacts | undefined): string {
  const known = facts?.byId.get(id);
  if (!known) return "owner not read yet";
  // In code: the owner is named, not mentioned (no notification on every edit of the dashboard).
  return known.owner ? `owner ${inlineCode(known.owner, 100)}` : "**no owner**";
}

function section(heading: string, why: string, items: readonly string[], incomplete: boolean): string[] {
  const out = [`## ${heading}`, "", why, ""];
  if (items.length === 0) return [...out, incomplete ? "None found, but the dashboard may be incomplete (see above)." : "None.", ""];
  const shown = items.slice(0, MAX_LISTED);
  const more = items.length > MAX_LISTED ? [`- … and ${items.length - MAX_LISTED} more (see \`reqgate report\`)`] : [];
  // Long lists are collapsed: the headline counts stay readable.
  if (items.length > 10) return [...out, `<details><summary>${items.length} items</summary>`, "", ...shown, ...more, "", "</details>", ""];
  return [...out, ...shown, ...more, ""];
}

function list(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(", ")} and ${items.length - max} more` : items.join(", ");
}

function clamp(body: string, reserve: number): string {
  const max = MAX_BODY - reserve;
  if (body.length <= max) return body;
  const note = "\n\n… cut to fit GitHub's issue size limit; `reqgate report` has the full lists.";
  return body.slice(0, max - note.length) + note;
}
