// `reqgate trace ID --format md`: one requirement's chain as Markdown (for a pull request, an issue or a
// wiki page), with the Mermaid trace graph of its subtree (requirement → children → issues → evidence),
// which GitHub renders. User text is escaped as in the report.
import type { RequirementTrace, TraceNode, TraceResult } from "../report.js";
import { mermaidMarkdown } from "./mermaid.js";
import { describeEvidence, describeReference, describeResult, describeSuspect, EVIDENCE_LABELS, GAP_LABELS, LOCK_STATE_LABELS, PENDING_LABELS, TRACE_LABELS } from "./report-common.js";
import { escapeMarkdown } from "./report-markdown.js";

export function renderTraceMarkdown(trace: TraceResult): string {
  if (!trace.found) return `${escapeMarkdown(trace.id)} is not a requirement in this repository.${trace.suggestion ? ` Did you mean ${escapeMarkdown(trace.suggestion)}?` : ""}\n`;
  return found(trace).join("\n") + "\n";
}

function found(trace: RequirementTrace): string[] {
  const r = trace.requirement;
  const state = [r.status, r.baselined ? "baselined" : "not baselined"];
  if (r.pendingChange && PENDING_LABELS[r.pendingChange]) state.push(PENDING_LABELS[r.pendingChange]);
  const out = [`# ${escapeMarkdown(r.id)}: ${escapeMarkdown(r.title)}`, ""];
  if (r.text !== undefined) out.push(`> ${escapeMarkdown(r.text.trim())}`, "");
  out.push(`- Status: ${state.join(", ")}`, `- File: ${escapeMarkdown(r.file)}`, `- Verification: ${escapeMarkdown(r.verification ?? "not stated")}; evidence ${EVIDENCE_LABELS[r.verificationStatus]}`);
  if (r.owner) out.push(`- Owner: ${escapeMarkdown(r.owner)}`);
  if (r.supersededBy) out.push(`- Superseded by: ${escapeMarkdown(r.supersededBy)}`);
  if (r.gaps.length) out.push(`- Gaps: ${r.gaps.map((g) => GAP_LABELS[g]).join(", ")}`);
  for (const l of r.suspect ?? []) out.push(`- Suspect: ${escapeMarkdown(describeSuspect(l))}`);
  if (trace.lockState !== "current") out.push(`- Note: ${escapeMarkdown(LOCK_STATE_LABELS[trace.lockState])}`);
  out.push("");

  if (trace.graph) out.push("## Trace graph", "", ...mermaidMarkdown(trace.graph), "");

  out.push("## Parents", "", ...(trace.ancestors.length ? trace.ancestors.map(nodeLine) : [`_None: ${escapeMarkdown(r.id)} is a top-level requirement._`]), "");
  out.push("## Children", "", ...(trace.descendants.length ? trace.descendants.map(nodeLine) : ["_None._"]), "");
  out.push("## Change records", "");
  if (trace.records.length === 0) out.push("_None._");
  for (const rec of trace.records) {
    const notes = [rec.id === r.lastChange ? "last moved it" : "", rec.missing ? "no change record file" : rec.applied ? "applied" : "not applied yet"].filter(Boolean);
    out.push(`- **${escapeMarkdown(rec.id)}** ${escapeMarkdown(rec.title)} (${notes.join("; ")})${rec.rationale ? `: ${escapeMarkdown(rec.rationale)}` : ""}`);
  }
  out.push("", "## Tests (@verifies)", "", ...(r.evidence.length ? r.evidence.map((e) => `- ${escapeMarkdown(describeEvidence(e))}`) : ["_None found._"]));
  if (r.results.length) out.push("", "## Test results", "", ...r.results.map((x) => `- ${escapeMarkdown(describeResult(x))}`));
  out.push("", "## Implementation (@implements)", "", ...(r.implementations.length ? r.implementations.map((e) => `- ${escapeMarkdown(`${e.file}:${e.line}`)}`) : ["_None found._"]));
  out.push("", "## Work items", "");
  if (!trace.workItems) out.push("_Not read (pass `--github OWNER/REPO` or `--issues FILE`)._");
  else if (trace.workItems.length === 0) out.push(r.hasWork ? "_None directly; its children have work._" : "_None._");
  else {
    for (const item of trace.workItems) {
      const bad = item.references.filter((ref) => ref.problem !== undefined).map(describeReference);
      out.push(`- #${item.number} ${item.isPullRequest ? "PR " : ""}${item.state}: ${escapeMarkdown(item.title)} (${escapeMarkdown([TRACE_LABELS[item.trace], ...bad].join("; "))})`);
    }
  }
  return out;
}

function nodeLine(node: TraceNode): string {
  const indent = "  ".repeat(node.depth - 1);
  if (!node.known) return `${indent}- ${escapeMarkdown(node.id)} (not defined in any requirement file)`;
  if (node.repeated) return `${indent}- ${escapeMarkdown(node.id)} (see above)`;
  return `${indent}- **${escapeMarkdown(node.id)}** ${escapeMarkdown(node.title ?? "")} · ${[node.status!, ...(node.baselined ? ["baselined"] : [])].join(", ")}`;
}
