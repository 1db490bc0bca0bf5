// `reqgate diff REF1 REF2` for people: Markdown (a release note to paste or commit) and a
// self-contained HTML page (inline style allowed by its hash, no script, nothing loaded). User text is
// escaped for each format; before/after texts are shown whole, side by side.
import { createHash } from "node:crypto";
import { DIFF_KIND_LABELS, type BaselineDiff, type DiffChange, type DiffKind, type DiffRecord, type RequirementState } from "../baseline-diff.js";
import { describeProvenance } from "../provenance.js";
import { describeApproval, describeApprovalLookup } from "../record-approvals.js";
import { safeHttpUrl } from "./report-common.js";
import { escapeHtml } from "./report-html.js";
import { escapeMarkdown } from "./report-markdown.js";

const ORDER: DiffKind[] = ["added", "modified", "status-changed", "retired", "removed"];

function short(commit: string): string {
  return commit.slice(0, 12);
}

function counts(diff: BaselineDiff): string {
  const parts = ORDER.map((k) => `${diff.summary[k]} ${DIFF_KIND_LABELS[k].toLowerCase()}`);
  return `${parts.join(", ")}; ${diff.records.length} change record${diff.records.length === 1 ? "" : "s"} applied`;
}

function pullText(r: DiffRecord): string | undefined {
  return r.approval ? describeApproval(r.approval) : undefined;
}

export function renderDiffMarkdown(diff: BaselineDiff): string {
  const out: string[] = [];
  const records = new Map(diff.records.map((r) => [r.id, r]));
  out.push(`# Baseline changes: ${escapeMarkdown(diff.from.ref)} → ${escapeMarkdown(diff.to.ref)}`, "");
  if (diff.provenance) out.push(...describeProvenance(diff.provenance).filter((l) => !l.startsWith("Commit:")).map((l) => `${escapeMarkdown(l)}  `));
  out.push(`From: ${escapeMarkdown(diff.from.ref)} (${short(diff.from.commit)})  `, `To: ${escapeMarkdown(diff.to.ref)} (${short(diff.to.commit)})`, "");
  out.push(`${counts(diff)}.`, "");
  if (diff.approvals) out.push(`${escapeMarkdown(describeApprovalLookup(diff.approvals))}.`, "");
  if (diff.changes.length === 0) out.push("_The baseline did not change._", "");
  for (const kind of ORDER) {
    const list = diff.changes.filter((c) => c.kind === kind);
    if (list.length === 0) continue;
    out.push(`## ${DIFF_KIND_LABELS[kind]} (${list.length})`, "");
    for (const c of list) {
      out.push(`### ${escapeMarkdown(c.id)} ${escapeMarkdown(c.title)}`, "");
      out.push(...stateMarkdown(c));
      out.push(`Change records: ${c.records.length ? c.records.map((id) => recordMarkdown(id, records.get(id))).join("; ") : "_none_"}`, "");
    }
  }
  out.push("## Change records applied", "");
  if (diff.records.length === 0) out.push("_None._", "");
  else {
    out.push("| ID | Title | Rationale | Pull request |", "|---|---|---|---|");
    for (const r of diff.records) out.push(`| **${escapeMarkdown(r.id)}** | ${escapeMarkdown(r.missing ? "(no change record file)" : r.title)} | ${escapeMarkdown(r.rationale)} | ${escapeMarkdown(pullText(r) ?? "")} |`);
    out.push("");
  }
  return out.join("\n");
}

function recordMarkdown(id: string, r: DiffRecord | undefined): string {
  if (!r) return `**${escapeMarkdown(id)}**`;
  const pull = pullText(r);
  return `**${escapeMarkdown(id)}**${r.missing ? "" : ` ${escapeMarkdown(r.title)}`}${pull ? ` (${escapeMarkdown(pull)})` : ""}`;
}

function stateMarkdown(c: DiffChange): string[] {
  const b = c.before;
  const a = c.after;
  if (b && a) {
    const rows: string[] = ["| | before | after |", "|---|---|---|"];
    const row = (label: string, x: string, y: string) => rows.push(`| ${label} | ${escapeMarkdown(x)} | ${escapeMarkdown(y)} |`);
    if (b.title !== a.title) row("Title", b.title, a.title);
    row("Text", b.text ?? "(not in the files)", a.text ?? "(not in the files)");
    if (b.status !== a.status) row("Status", b.status, a.status);
    if (b.file !== a.file) row("File", b.file, a.file);
    return [...rows, ""];
  }
  const s = (a ?? b)!;
  return [`${a ? "" : "Was: "}${escapeMarkdown(s.text ?? "(not in the files)")}`, "", `File: ${escapeMarkdown(s.file)} · status ${s.status}`, ""];
}

const CSS = `
body{margin:0 auto;max-width:1100px;padding:16px 24px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #d1d9e0;padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:18px 0 6px}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}.muted{color:#59636e}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #d1d9e0}
td.before{background:#ffebe9}td.after{background:#dafbe1}.text{white-space:pre-line}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;font-size:12.5px}dl.prov dt{color:#59636e}dl.prov dd{margin:0}
@media print{section+section{break-before:page}.change{break-inside:avoid}}
`;

const CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(CSS, "utf8").digest("base64")}'; base-uri 'none'; form-action 'none'`;

export function renderDiffHtml(diff: BaselineDiff): string {
  const records = new Map(diff.records.map((r) => [r.id, r]));
  const title = `Baseline changes: ${diff.from.ref} → ${diff.to.ref}`;
  const out: string[] = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`,
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
  ];
  const prov: Array<[string, string]> = [];
  if (diff.provenance) for (const line of describeProvenance(diff.provenance).filter((l) => !l.startsWith("Commit:"))) prov.push([line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]);
  prov.push(["From", `${diff.from.ref} (${diff.from.commit})`], ["To", `${diff.to.ref} (${diff.to.commit})`]);
  out.push(`<dl class="prov">${prov.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`);
  out.push(`<p>${escapeHtml(counts(diff))}.</p>`);
  if (diff.approvals) out.push(`<p>${escapeHtml(describeApprovalLookup(diff.approvals))}.</p>`);
  if (diff.changes.length === 0) out.push("<p>The baseline did not change.</p>");
  for (const kind of ORDER) {
    const list = diff.changes.filter((c) => c.kind === kind);
    if (list.length === 0) continue;
    out.push(`<section><h2>${DIFF_KIND_LABELS[kind]} (${list.length})</h2>`);
    for (const c of list) {
      out.push(`<div class="change"><h3><span class="id">${escapeHtml(c.id)}</span> ${escapeHtml(c.title)}</h3>`);
      out.push(stateHtml(c.before, c.after));
      out.push(`<p>Change records: ${c.records.length ? c.records.map((id) => recordHtml(id, records.get(id))).join("; ") : '<span class="muted">none</span>'}</p></div>`);
    }
    out.push("</section>");
  }
  out.push("<section><h2>Change records applied</h2>");
  if (diff.records.length === 0) out.push("<p>None.</p>");
  else {
    out.push("<table><thead><tr><th>ID</th><th>Title</th><th>Rationale</th><th>Pull request</th></tr></thead><tbody>");
    for (const r of diff.records) {
      const url = r.approval?.pull ? safeHttpUrl(r.approval.pull.url) : undefined;
      const pull = pullText(r);
      out.push(`<tr><td class="id">${escapeHtml(r.id)}</td><td>${escapeHtml(r.missing ? "(no change record file)" : r.title)}</td><td>${escapeHtml(r.rationale)}</td><td>${pull ? (url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(pull)}</a>` : escapeHtml(pull)) : ""}</td></tr>`);
    }
    out.push("</tbody></table>");
  }
  out.push("</section>", "</body></html>", "");
  return out.join("\n");
}

function recordHtml(id: string, r: DiffRecord | undefined): string {
  const pull = r ? pullText(r) : undefined;
  return `<span class="id">${escapeHtml(id)}</span>${r && !r.missing ? ` ${escapeHtml(r.title)}` : ""}${pull ? ` <span class="muted">(${escapeHtml(pull)})</span>` : ""}`;
}

function stateHtml(b: RequirementState | undefined, a: RequirementState | undefined): string {
  if (b && a) {
    const rows: string[] = [];
    const row = (label: string, x: string, y: string) => rows.push(`<tr><th>${label}</th><td class="before text">${escapeHtml(x)}</td><td class="after text">${escapeHtml(y)}</td></tr>`);
    if (b.title !== a.title) row("Title", b.title, a.title);
    row("Text", b.text ?? "(not in the files)", a.text ?? "(not in the files)");
    if (b.status !== a.status) row("Status", b.status, a.status);
    if (b.file !== a.file) row("File", b.file, a.file);
    return `<table><thead><tr><th></th><th>before</th><th>after</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  }
  const s = (a ?? b)!;
  return `<p class="text">${a ? "" : "Was: "}${escapeHtml(s.text ?? "(not in the files)")}</p><p class="muted">${escapeHtml(s.file)} · ${s.status}</p>`;
}
