// One entry point per command for the CLI: `reqgate report --format …` and `reqgate trace ID [--format json]`.
import type { TraceReport, TraceResult } from "../report.js";
import { renderReportCsv } from "./report-csv.js";
import { renderReportHtml, type HtmlOptions } from "./report-html.js";
import { renderReportJson, renderTraceJson } from "./report-json.js";
import { renderReportMarkdown } from "./report-markdown.js";
import { renderTraceMarkdown } from "./trace-markdown.js";
import { renderTraceText } from "./trace-text.js";

export const REPORT_FORMATS = ["md", "json", "csv", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const TRACE_FORMATS = ["text", "json", "md"] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export function renderReport(report: TraceReport, format: ReportFormat, options: HtmlOptions = {}): string {
  switch (format) {
    case "md": return renderReportMarkdown(report);
    case "json": return renderReportJson(report);
    case "csv": return renderReportCsv(report);
    case "html": return renderReportHtml(report, options);
  }
}

export function renderTrace(trace: TraceResult, format: TraceFormat): string {
  switch (format) {
    case "json": return renderTraceJson(trace);
    case "md": return renderTraceMarkdown(trace);
    case "text": return renderTraceText(trace);
  }
}
