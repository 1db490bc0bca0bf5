// The report as CSV: one row per requirement, for spreadsheets. RFC 4180: CRLF line ends, fields
// quoted when they hold a quote, comma or line break, quotes doubled. Cells that a spreadsheet would
// take for a formula (starting with = + - @, or tab / carriage return, as OWASP lists) get a leading
// single quote: a requirement title must not run code in the reader's spreadsheet. Columns are only
// ever added at the end, so that a spreadsheet reading them by position keeps working.
import { describeProvenance } from "../provenance.js";
import type { RecordApproval } from "../record-approvals.js";
import type { ReportSuspectLink, TraceReport } from "../report.js";
import { PENDING_LABELS } from "./report-common.js";

export const CSV_COLUMNS = [
  "id",
  "title",
  "text",
  "status",
  "baselined",
  "pending_change",
  "file",
  "parents",
  "children",
  "verification",
  "evidence",
  "evidence_status",
  "test_results",
  "implementations",
  "last_change",
  "change_records",
  "work_items",
  "has_work",
  "gaps",
  "superseded_by",
  "owner",
  "tags",
  "suspect",
] as const;

/** One CSV field: formula-neutralised, then quoted when needed. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_GITHUB_COLUMNS = ["last_change_pull", "last_change_approvers"] as const;

function approvalCells(a: RecordApproval | undefined): string[] {
  if (!a) return ["", ""];
  const pull = a.pull ? `#${a.pull.number}` : "";
  if (a.state === "unknown") return [pull, `unknown (${a.reason})`];
  if (a.approvers.length === 0) return [pull, a.check.conclusion === "success" ? "none needed" : `none (reqgate/baseline ${a.check.conclusion ?? "not completed"})`];
  return [pull, a.approvers.map((p) => p.login).join("; ") + (a.moreApprovers ? `; ${a.moreApprovers} more` : "")];
}

/** A suspect link of a requirement's row: "parent SYS-1 moved (CR-2)", or "evidence tests/a.test.js (CR-2)". */
function suspectCell(l: ReportSuspectLink): string {
  return l.kind === "child" ? `parent ${l.moved} moved (${l.change})` : `evidence ${l.item} (${l.change})`;
}

export function renderReportCsv(report: TraceReport): string {
  const items = new Map((report.workItems ?? []).map((i) => [i.number, i]));
  const known = report.workItems !== undefined;
  // Provenance first, as `# ` comment lines (pandas `comment="#"`, csvkit and most importers skip them).
  const preamble = report.provenance ? describeProvenance(report.provenance).map((l) => csvField(`# ${l}`)) : [];
  // With --github, two more columns: the pull request that applied the requirement's last change record
  // and who approved it ("unknown (why)" when that could not be read).
  const github = report.approvals !== undefined;
  const approvals = new Map(report.records.map((r) => [r.id, r.approval]));
  const rows: string[][] = [[...CSV_COLUMNS, ...(github ? CSV_GITHUB_COLUMNS : [])]];
  for (const r of report.requirements) {
    rows.push([
      r.id,
      r.title,
      r.text ?? "",
      r.status,
      r.baselined ? "yes" : "no",
      r.pendingChange ? PENDING_LABELS[r.pendingChange] : "",
      r.file,
      r.parents.join(" "),
      r.children.join(" "),
      r.verification ?? "",
      r.evidence.map((e) => `${e.file}:${e.line}`).join("; "),
      r.verificationStatus,
      r.results.map((x) => `${x.status} ${x.name}`).join("; "),
      r.implementations.map((e) => `${e.file}:${e.line}`).join("; "),
      r.lastChange ?? "",
      r.changeRecords.join(" "),
      r.workItems.map((n) => `#${n}${items.has(n) ? ` ${items.get(n)!.state}` : ""}`).join("; "),
      known ? (r.hasWork ? "yes" : "no") : "",
      r.gaps.join(" "),
      r.supersededBy ?? "",
      r.owner ?? "",
      r.tags.join("; "),
      (r.suspect ?? []).map(suspectCell).join("; "),
      ...(github ? approvalCells(r.lastChange !== undefined ? approvals.get(r.lastChange) : undefined) : []),
    ]);
  }
  return [...preamble, ...rows.map((row) => row.map(csvField).join(","))].join("\r\n") + "\r\n";
}
