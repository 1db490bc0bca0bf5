// The traceability report as Markdown: for a file in the repository, a job summary or a wiki page.
// Text from users' files is escaped so that it cannot open a link, an HTML tag or a new table cell.
import { breakMentions } from "../../core/markdown.js";
import { describeProvenance } from "../provenance.js";
import { describeApproval, describeApprovalLookup } from "../record-approvals.js";
import type { ReportRequirement, ReportWorkItem, TraceReport } from "../report.js";
import { mermaidMarkdown } from "./mermaid.js";
import { describeReference, describeSuspect, EVIDENCE_LABELS, formatCoverage, GAP_LABELS, LOCK_STATE_LABELS, oneLine, PENDING_LABELS, plural, safeHttpUrl, TRACE_LABELS } from "./report-common.js";

/** Markdown-escapes text for inline use (table cells, list items); mentions are broken (an owner `@team`). */
export function escapeMarkdown(text: string): string {
  return breakMentions(oneLine(text).replace(/[\\`*_[\]<>|&~]/g, "\\$&"));
}

export function renderReportMarkdown(report: TraceReport): string {
  const { summary, gaps } = report;
  const byId = new Map(report.requirements.map((r) => [r.id, r]));
  const items = new Map((report.workItems ?? []).map((i) => [i.number, i]));
  const reqLine = (id: string) => `**${escapeMarkdown(id)}** ${escapeMarkdown(byId.get(id)?.title ?? "")}`;
  const itemLine = (i: ReportWorkItem) => `${itemRef(i)} ${escapeMarkdown(i.title)} (${i.isPullRequest ? "pull request, " : ""}${i.state})`;
  const out: string[] = [];
  const r = summary.requirements;

  out.push(report.root !== undefined ? `# Traceability report: ${escapeMarkdown(report.root)} and its descendants` : "# Traceability report", "");
  if (report.provenance) out.push(...describeProvenance(report.provenance).map((l, i, all) => `${escapeMarkdown(l)}${i < all.length - 1 ? "  " : ""}`), "");
  out.push(`Lock: ${LOCK_STATE_LABELS[summary.lockState]}.`, "");
  out.push(
    `- **${r.total}** requirements: ${r.active} active, ${r.draft} draft, ${r.retired} retired; **${r.baselined}** baselined` +
      (r.pending ? `, ${r.pending} with changes not yet baselined` : ""),
    `- **${summary.records.total}** change records, ${summary.records.applied} applied`,
  );
  if (report.approvals) out.push(`- ${escapeMarkdown(describeApprovalLookup(report.approvals))}`);
  const w = summary.workItems;
  out.push(
    w
      ? `- **${w.total}** work items (${w.open} open, ${w.closed} closed, ${plural(w.pullRequests, "pull request")}): ${w.traced} traced, ${w.unlinked} unlinked, ${w.badReferences} with bad references, ${w.exempt} exempt`
      : "- Work items were not read (pass `--github OWNER/REPO` or `--issues FILE`)",
  );
  if (summary.diagnostics.errors || summary.diagnostics.warnings) {
    out.push(`- The files have ${plural(summary.diagnostics.errors, "error")} and ${plural(summary.diagnostics.warnings, "warning")} (run \`reqgate check\`)`);
  }
  out.push("", "## Coverage", "", "| measure | covered |", "|---|---:|");
  if (summary.coverage.work) out.push(`| Baselined active requirements with work | ${formatCoverage(summary.coverage.work)} |`);
  out.push(`| \`verification: test\` (and required) requirements with evidence | ${formatCoverage(summary.coverage.evidence)} |`);
  if (summary.coverage.passing) out.push(`| … whose tests passed | ${formatCoverage(summary.coverage.passing)} |`);
  out.push(`| Baselined active requirements with \`@implements\` in source code | ${formatCoverage(summary.coverage.implementation)} |`);
  out.push(`| Higher-level requirements with children | ${formatCoverage(summary.coverage.decomposition)} |`, "");

  out.push("## Gaps", "");
  const section = (title: string, lines: string[] | undefined) => {
    if (lines === undefined) return;
    out.push(`### ${title} (${lines.length})`, "");
    out.push(...(lines.length ? lines.map((l) => `- ${l}`) : ["_None._"]), "");
  };
  section("At risk: no work", gaps.noWork?.map(reqLine));
  section("No test evidence", gaps.noEvidence.map(reqLine));
  section("Failed tests", gaps.failedEvidence.map(reqLine));
  section("Not decomposed", gaps.notDecomposed.map(reqLine));
  section("Unlinked work", gaps.unlinkedWork?.map((n) => itemLine(items.get(n)!)));
  section(
    "Bad references",
    gaps.badReferences?.map((n) => {
      const item = items.get(n)!;
      const bad = item.references.filter((ref) => ref.problem !== undefined).map((ref) => escapeMarkdown(describeReference(ref)));
      return `${itemLine(item)}: ${bad.join("; ")}`;
    }),
  );

  section("Suspect links", gaps.suspect?.map((l) => escapeMarkdown(describeSuspect(l))));
  if (report.graph) out.push("## Trace graph", "", "Requirement → children → issues → evidence.", "", ...mermaidMarkdown(report.graph), "");

  out.push("## Hierarchy", "");
  if (report.tree.length === 0) out.push("_No requirements._");
  for (const node of report.tree) {
    const req = byId.get(node.id)!;
    const indent = "  ".repeat(node.depth);
    out.push(node.repeated ? `${indent}- ${escapeMarkdown(node.id)} (see above)` : `${indent}- ${reqLine(node.id)} · ${statusText(req)}`);
  }
  out.push("");

  out.push("## Requirements", "");
  out.push("| ID | Title | Status | Parents | Children | Verification | Evidence | Implementation | Change records | Work items | Gaps |");
  out.push("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const req of report.requirements) {
    const changes = req.changeRecords.filter((c) => c !== req.lastChange);
    const cells = [
      `**${escapeMarkdown(req.id)}**`,
      escapeMarkdown(req.title),
      statusText(req),
      list(req.parents),
      list(req.children),
      escapeMarkdown(req.verification ?? ""),
      (req.verificationStatus !== "missing" && req.verificationStatus !== "tagged" ? `${EVIDENCE_LABELS[req.verificationStatus]}: ` : "") + req.evidence.map((e) => escapeMarkdown(`${e.file}:${e.line}`)).join("<br>"),
      req.implementations.map((e) => escapeMarkdown(`${e.file}:${e.line}`)).join("<br>"),
      [...(req.lastChange ? [`${escapeMarkdown(req.lastChange)} (last)`] : []), ...changes.map(escapeMarkdown)].join(", "),
      req.workItems.map((n) => (items.has(n) ? `${itemRef(items.get(n)!)} ${items.get(n)!.state}` : `#${n}`)).join(", "),
      req.gaps.map((g) => GAP_LABELS[g]).join(", "),
    ];
    out.push(`| ${cells.join(" | ")} |`);
  }
  out.push("");

  out.push("## Change records", "");
  if (report.records.length === 0) out.push("_None._");
  else {
    // With --github, one more column: the pull request that applied the record and who approved it.
    const github = report.approvals !== undefined;
    out.push(`| ID | Title | Applied | Affects | Rationale |${github ? " Pull request and approval |" : ""}`, `|---|---|---|---|---|${github ? "---|" : ""}`);
    for (const rec of report.records) {
      const approval = github ? ` ${rec.approval ? escapeMarkdown(describeApproval(rec.approval)) : ""} |` : "";
      out.push(`| **${escapeMarkdown(rec.id)}** | ${escapeMarkdown(rec.title)} | ${rec.applied ? "yes" : "not yet"} | ${list(rec.affects)} | ${escapeMarkdown(rec.rationale)} |${approval}`);
    }
  }
  out.push("");

  if (report.workItems) {
    out.push("## Work items", "");
    if (report.workItems.length === 0) out.push("_None._");
    else {
      out.push("| # | Title | State | Trace | Requirements |", "|---|---|---|---|---|");
      for (const item of report.workItems) {
        const refs = item.references.map((ref) => escapeMarkdown(describeReference(ref))).join("; ");
        out.push(`| ${itemRef(item)} | ${escapeMarkdown(item.title)} | ${item.isPullRequest ? "PR " : ""}${item.state} | ${TRACE_LABELS[item.trace]} | ${refs} |`);
      }
    }
    out.push("");
  }
  return out.join("\n");
}

function list(ids: readonly string[]): string {
  return ids.map(escapeMarkdown).join(", ");
}

function statusText(req: ReportRequirement): string {
  const parts: string[] = [req.status];
  if (req.baselined) parts.push("baselined");
  if (req.pendingChange && PENDING_LABELS[req.pendingChange]) parts.push(PENDING_LABELS[req.pendingChange]);
  return parts.join(", ");
}

/** `#12`, linked when the item has an http(s) URL. */
function itemRef(item: ReportWorkItem): string {
  const url = safeHttpUrl(item.url);
  // Parentheses and spaces in a URL would end the link early: such URLs stay plain text.
  return url && !/[\s()<>]/.test(url) ? `[#${item.number}](${url})` : `#${item.number}`;
}
