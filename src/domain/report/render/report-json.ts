// The report and the trace as JSON, for tools. The shape is the TraceReport / TraceResult types of
// domain/report/report.ts wrapped in an envelope:
//
//   { "version": 1, "kind": "reqgate-report", "provenance": {…}?, "summary": …, "requirements": […],
//     "tree": […], "records": […], "workItems": […]?, "gaps": {…}, "higherLevelPrefixes": […],
//     "root": "ID"? and "graph": {nodes, edges, omitted, limits}? (report --root),
//     "diagnostics": […] }
//   { "version": 1, "kind": "reqgate-trace", "found": true, "id": …, "requirement": …, "ancestors": […],
//     "descendants": […], "records": […], "workItems": […]? }
//   { "version": 1, "kind": "reqgate-trace", "found": false, "id": …, "suggestion": …? }
//
// `version` changes only when a field is removed or changes meaning; new fields may appear within a
// version. Optional fields are left out rather than null; `workItems` and the work gaps are absent when
// no work items were read. The one timestamp is provenance.generatedAt: with SOURCE_DATE_EPOCH set, the
// same repository gives byte-identical output.
import { REPORT_VERSION, type TraceReport, type TraceResult } from "../report.js";

export function renderReportJson(report: TraceReport): string {
  const { provenance, ...rest } = report;
  return JSON.stringify({ version: REPORT_VERSION, kind: "reqgate-report", ...(provenance ? { provenance } : {}), ...rest }, null, 2) + "\n";
}

export function renderTraceJson(trace: TraceResult): string {
  return JSON.stringify({ version: REPORT_VERSION, kind: "reqgate-trace", ...trace }, null, 2) + "\n";
}
