// `reqgate trace ID` for people: one requirement's chain, parents up to the roots, children down to the
// leaves, the change records that moved it, its tests and its work items. Text from users' files is
// printed through `oneLine`, so a title cannot move the cursor or recolour a terminal.
import type { RequirementTrace, TraceNode, TraceResult } from "../report.js";
import { describeEvidence, describeReference, describeResult, describeSuspect, EVIDENCE_LABELS, GAP_LABELS, LOCK_STATE_LABELS, oneLine, PENDING_LABELS, TRACE_LABELS } from "./report-common.js";

export function renderTraceText(trace: TraceResult): string {
  if (!trace.found) {
    const id = oneLine(trace.id);
    return `${id} is not a requirement in this repository.${trace.suggestion ? ` Did you mean ${trace.suggestion}?` : ""}\n`;
  }
  return found(trace).join("\n") + "\n";
}

function found(trace: RequirementTrace): string[] {
  const r = trace.requirement;
  const out: string[] = [];
  const state = [r.status, r.baselined ? "baselined" : "not baselined"];
  if (r.pendingChange && PENDING_LABELS[r.pendingChange]) state.push(PENDING_LABELS[r.pendingChange]);
  out.push(`${r.id}  ${oneLine(r.title)}`);
  if (r.text !== undefined) out.push(`  text:          ${oneLine(r.text).trim()}`);
  out.push(`  status:        ${state.join(", ")}`);
  out.push(`  file:          ${oneLine(r.file)}`);
  out.push(`  verification:  ${r.verification ?? "not stated"}; evidence ${EVIDENCE_LABELS[r.verificationStatus]}`);
  if (r.owner) out.push(`  owner:         ${oneLine(r.owner)}`);
  if (r.supersededBy) out.push(`  superseded by: ${r.supersededBy}`);
  if (r.gaps.length) out.push(`  gaps:          ${r.gaps.map((g) => GAP_LABELS[g]).join(", ")}`);
  for (const l of r.suspect ?? []) out.push(`  suspect:       ${oneLine(describeSuspect(l))}`);
  if (trace.lockState !== "current") out.push(`  note:          ${LOCK_STATE_LABELS[trace.lockState]}`);

  out.push("", "Parents (up to the roots)");
  out.push(...(trace.ancestors.length ? trace.ancestors.map(nodeLine) : [`  none: ${r.id} is a top-level requirement`]));
  out.push("", "Children");
  out.push(...(trace.descendants.length ? trace.descendants.map(nodeLine) : ["  none"]));

  out.push("", "Change records");
  if (trace.records.length === 0) out.push("  none");
  for (const rec of trace.records) {
    const notes = [rec.id === r.lastChange ? "last moved it" : "", rec.missing ? "no change record file" : rec.applied ? "applied" : "not applied yet"].filter(Boolean);
    out.push(`  ${rec.id}  ${oneLine(rec.title)}  (${notes.join("; ")})`);
    if (rec.rationale) out.push(`      why: ${oneLine(rec.rationale)}`);
  }

  out.push("", "Tests (@verifies)");
  out.push(...(r.evidence.length ? r.evidence.map((e) => `  ${oneLine(describeEvidence(e))}`) : ["  none found"]));
  if (r.results.length) {
    out.push("", "Test results");
    out.push(...r.results.map((x) => `  ${oneLine(describeResult(x))}`));
  }
  out.push("", "Implementation (@implements)");
  out.push(...(r.implementations.length ? r.implementations.map((e) => `  ${oneLine(e.file)}:${e.line}`) : ["  none found"]));

  out.push("", "Work items");
  if (!trace.workItems) {
    out.push("  not read (pass --github OWNER/REPO or --issues FILE)");
  } else if (trace.workItems.length === 0) {
    out.push(r.hasWork ? "  none directly; its children have work" : "  none");
  } else {
    for (const item of trace.workItems) {
      const bad = item.references.filter((ref) => ref.problem !== undefined).map(describeReference);
      const trail = [TRACE_LABELS[item.trace], ...bad].join("; ");
      out.push(`  #${item.number}  ${item.isPullRequest ? "PR " : ""}${item.state.padEnd(6)}  ${oneLine(item.title)}  (${oneLine(trail)})${item.url ? `  ${oneLine(item.url)}` : ""}`);
    }
  }
  return out;
}

function nodeLine(node: TraceNode): string {
  const indent = "  ".repeat(node.depth);
  if (!node.known) return `${indent}${node.id}  (not defined in any requirement file)`;
  if (node.repeated) return `${indent}${node.id}  (see above)`;
  const state = [node.status!, ...(node.baselined ? ["baselined"] : [])].join(", ");
  return `${indent}${node.id}  ${oneLine(node.title ?? "")}  [${state}]`;
}
