// The traceability dashboard (SPEC 2.6): one issue per repository that answers the control questions at a
// glance, rendered from the baseline (the lock of the default branch) and the repository's issues. Pure:
// the App gathers the snapshot (src/engine/dashboard.ts) and writes the body.
//
// Sections: the baseline (requirements by status, the change records that moved them, the last move),
// at risk (active requirements no issue references), split work (two or more issues), in progress,
// suspect work, unlinked issues. A Mermaid graph of coverage when there are at most MERMAID_MAX
// requirements, tables otherwise; every list is cut with "and N more" so that the body stays within
// GitHub's 65,536 characters at any size (`reqgate report` has the full lists).
import type { LockEntry, LockLink } from "../baseline/baseline.js";
import { cmp } from "../core/diagnostic.js";
import { MARKER, writeHidden } from "../core/hidden-data.js";
import { escapeInline, inlineCode } from "../core/markdown.js";

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
}

export function renderDashboard(input: DashboardInput): string {
  const active = input.entries.filter((e) => e.status === "active");
  const byId = new Map<string, DashboardIssue[]>();
  for (const issue of input.issues) {
    if (issue.pull) continue;
    for (const id of new Set(issue.ids)) {
      const list = byId.get(id);
      if (list) list.push(issue);
      else byId.set(id, [issue]);
    }
  }
  const partial = input.incomplete.length > 0;
  const lines = [DASHBOARD_MARKER, "This issue is kept current by reqgate: edits to it are overwritten. `reqgate report` has the full lists.", ""];
  if (input.incomplete.length > 0) {
    lines.push("> [!WARNING]", "> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:");
    for (const reason of input.incomplete.slice(0, 10)) lines.push(`> - ${escapeInline(reason, 300)}`);
    lines.push("");
  }

  // The baseline
  const retired = input.entries.length - active.length;
  const records = new Set(input.entries.map((e) => e.change));
  lines.push("## Baseline", "", `${active.length} active, ${retired} retired requirements; ${records.size} change records last moved them.`);
  if (input.lastMove) lines.push(`Last baseline move: ${list(input.lastMove.ids.map((id) => inlineCode(id)), 10)} in commit ${inlineCode(input.lastMove.commit.slice(0, 7))}.`);
  lines.push("");

  const atRisk = active.filter((e) => !byId.has(e.id));
  const split = active.filter((e) => (byId.get(e.id)?.length ?? 0) >= 2);
  const inProgress = active.filter((e) => byId.get(e.id)?.some((i) => i.state === "open"));
  const open = input.issues.filter((i) => i.state === "open" && !i.pull);
  const suspect = input.issues.filter((i) => i.state === "open" && i.labels.includes(input.labels.suspect));
  const unlinked = open.filter((i) => i.labels.includes(input.labels.unlinked));

  lines.push(...section(`At risk: ${atRisk.length}`, "Active requirements that no issue references (open or closed).", atRisk.map((e) => `- ${inlineCode(e.id)} ${escapeInline(e.title, 100)}`), partial));
  lines.push(
    ...section(
      `Split work: ${split.length}`,
      "Requirements referenced by two or more issues; done when every issue is closed.",
      split.map((e) => {
        const issues = byId.get(e.id)!;
        const done = issues.every((i) => i.state === "closed");
        return `- ${inlineCode(e.id)} ${escapeInline(e.title, 80)}: ${issues.map((i) => `#${i.number} (${i.state})`).join(", ")} — ${done ? "done" : `${issues.filter((i) => i.state === "open").length} open`}`;
      }),
      partial,
    ),
  );
  lines.push(...section(`In progress: ${inProgress.length}`, "Active requirements with at least one open issue.", inProgress.map((e) => `- ${inlineCode(e.id)}: ${byId.get(e.id)!.filter((i) => i.state === "open").map((i) => `#${i.number}`).join(", ")}`), partial));
  lines.push(...section(`Suspect work: ${suspect.length}`, `Open work labelled ${inlineCode(input.labels.suspect)}: a requirement it references changed.`, suspect.map((i) => `- #${i.number} ${escapeInline(i.title, 100)}`), partial));
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
  lines.push(...section(`Unlinked issues: ${unlinked.length}`, `Open issues labelled ${inlineCode(input.labels.unlinked)}.`, unlinked.map((i) => `- #${i.number} ${escapeInline(i.title, 100)}`), partial));

  if (active.length > 0 && active.length <= MERMAID_MAX) {
    lines.push("## Coverage", "", "```mermaid", "graph LR");
    for (const e of [...active].sort((a, b) => cmp(a.id, b.id))) {
      const issues = byId.get(e.id) ?? [];
      const cls = issues.length === 0 ? "risk" : issues.every((i) => i.state === "closed") ? "done" : "work";
      const node = e.id.replace(/[^A-Za-z0-9]/g, "_");
      lines.push(`  ${node}["${e.id}"]:::${cls}`);
      for (const i of issues.slice(0, 5)) lines.push(`  ${node} --> I${i.number}["#${i.number}"]`);
    }
    lines.push("  classDef risk fill:#f8d7da", "  classDef work fill:#fff3cd", "  classDef done fill:#d4edda", "```", "");
  }
  return clamp(lines.join("\n"));
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

function clamp(body: string): string {
  if (body.length <= MAX_BODY) return body;
  const note = "\n\n… cut to fit GitHub's issue size limit; `reqgate report` has the full lists.";
  return body.slice(0, MAX_BODY - note.length) + note;
}
