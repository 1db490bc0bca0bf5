// The report as one self-contained HTML page: inline CSS and a little inline JavaScript, no network,
// no external fonts or images. Every piece of text from users' files goes through `escapeHtml`, only
// http(s) work-item URLs become outside links, and a Content-Security-Policy that allows exactly the
// page's own style and script (by hash) stops anything that slipped through from loading or running.
import { createHash } from "node:crypto";
import { describeProvenance, type Provenance } from "../provenance.js";
import { describeApproval, describeApprovalLookup, type RecordApproval } from "../record-approvals.js";
import { REPORT_VERSION, type Coverage, type ReportRequirement, type ReportWorkItem, type TraceReport } from "../report.js";
import type { TraceGraph } from "../trace-graph.js";
import { describeOmitted, renderMermaid } from "./mermaid.js";
import { LAZY_FROM, LAZY_SCRIPT, lazyTreeData } from "./report-html-lazy.js";
import { describeEvidence, describeReference, describeSuspect, EVIDENCE_LABELS, formatCoverage, GAP_LABELS, LOCK_STATE_LABELS, PENDING_LABELS, plural, safeHttpUrl, TRACE_LABELS } from "./report-common.js";

export interface HtmlOptions {
  /** Shown in the page title, e.g. the repository's name. */
  title?: string;
  /** Render the tree lazily from embedded data from this many requirements on (default LAZY_FROM). */
  lazyFrom?: number;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
// Controls other than tab and line breaks are not allowed in HTML text; bidi overrides could disguise it.
// eslint-disable-next-line no-control-regex
const HTML_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!).replace(HTML_UNSAFE, "\uFFFD");
}

const CSS = `
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--accent:#0969da;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--info:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--accent:#4493f8;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--info:#ab7df8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main,footer{max-width:1200px;margin:0 auto;padding:16px 24px}
header{border-bottom:1px solid var(--line)}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:15px;margin:0}
a{color:var(--accent)}code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;margin:14px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:22px}
.meters{display:grid;grid-template-columns:max-content 1fr max-content;gap:6px 12px;align-items:center;max-width:720px}
meter{width:100%;height:14px}
.badge{display:inline-block;border:1px solid currentColor;border-radius:999px;padding:0 7px;font-size:11.5px;line-height:18px;margin-left:4px;white-space:nowrap}
.s-active{color:var(--ok)}.s-draft{color:var(--muted)}.s-retired{color:var(--warn)}.s-base{color:var(--accent)}.s-pend{color:var(--info)}
.gap,.t-unlinked,.t-bad-references{color:var(--bad)}.t-traced{color:var(--ok)}.t-exempt,.t-pull-request{color:var(--muted)}
.open{color:var(--ok)}.closed{color:var(--info)}
.ev-passed{color:var(--ok)}.ev-failed,.ev-missing{color:var(--bad)}.ev-skipped,.ev-not-run{color:var(--warn)}.ev-tagged{color:var(--muted)}
nav.tools{position:sticky;top:0;z-index:1;background:var(--bg);border-bottom:1px solid var(--line);padding:8px 24px;display:flex;gap:12px;flex-wrap:wrap;align-items:center;justify-content:center}
nav.tools input[type=search]{width:min(420px,100%);padding:5px 9px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg)}
button{padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg);cursor:pointer}
details.req{margin:2px 0}
details.req>summary{cursor:pointer;padding:3px 6px;border-radius:6px}
details.req>summary:hover{background:var(--card)}
details.req.hit>summary{outline:2px solid var(--accent)}
.kids{margin-left:22px;border-left:1px dotted var(--line);padding-left:8px}
.ref{padding:2px 6px 2px 22px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:4px 0 8px 22px;padding:8px 12px;background:var(--card);border-radius:6px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}.text{white-space:pre-line}
.hidden{display:none!important}
section.gaps details{margin:6px 0;border:1px solid var(--line);border-radius:8px;padding:6px 12px}
section.gaps summary{cursor:pointer}section.gaps summary h3{display:inline}
ul.plain{margin:6px 0;padding-left:20px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line)}th{color:var(--muted);font-weight:600}
footer{color:var(--muted);font-size:12px}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:6px 0;font-size:12.5px}dl.prov dt{color:var(--muted)}dl.prov dd{margin:0}
a.card{color:inherit;text-decoration:none}a.card:hover{border-color:var(--accent)}
.id{white-space:nowrap}
pre.mermaid{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 12px;overflow:auto;font-size:12px}
td.sev-error{color:var(--bad)}td.sev-warning{color:var(--warn)}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--card:#fff;--accent:#000}
body{font-size:10.5pt}
nav.tools{display:none}
header,main,footer{max-width:none;padding:0 0 8px}
a{color:inherit;text-decoration:none}
details>summary{list-style:none}details>summary::-webkit-details-marker{display:none}
details::details-content{content-visibility:visible;display:block}
.hidden{display:revert!important}
main>section+section{break-before:page}
pre.mermaid{white-space:pre-wrap;overflow:visible}
h2{break-after:avoid}
details.req>summary,dl.facts,tr,.card{break-inside:avoid}
.kids{border-left-color:#999}
meter{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
`;

// The filter: a requirement matches its ID, title, owner or tags; its ancestors stay visible (and open)
// so that a match is seen in place. Table rows with data-text filter on their own.
const SCRIPT = `
(function () {
  var q = document.getElementById("filter"), gapsOnly = document.getElementById("gaps-only");
  var reqs = Array.prototype.slice.call(document.querySelectorAll("details.req"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-text]"));
  function parentReq(el) { var p = el.parentElement; return p ? p.closest("details.req") : null; }
  function apply() {
    var term = q.value.trim().toLowerCase(), only = gapsOnly.checked, active = term !== "" || only;
    reqs.forEach(function (d) { d.classList.remove("hit"); d.classList.toggle("hidden", active); });
    rows.forEach(function (r) { r.classList.toggle("hidden", term !== "" && r.getAttribute("data-text").indexOf(term) < 0); });
    if (!active) return;
    reqs.forEach(function (d) {
      var textHit = term === "" || d.getAttribute("data-text").indexOf(term) >= 0;
      if (!textHit || (only && d.getAttribute("data-gaps") === "")) return;
      d.classList.add("hit");
      d.classList.remove("hidden");
      for (var a = parentReq(d); a && a.classList.contains("hidden"); a = parentReq(a)) { a.classList.remove("hidden"); a.open = true; }
    });
  }
  function setAll(open) { reqs.forEach(function (d) { d.open = open; }); }
  // Printing shows everything: every requirement open, no filter. The page is put back afterwards.
  var before = null;
  window.addEventListener("beforeprint", function () {
    before = { open: reqs.map(function (d) { return d.open; }), q: q.value, only: gapsOnly.checked };
    q.value = ""; gapsOnly.checked = false; apply(); setAll(true);
  });
  window.addEventListener("afterprint", function () {
    if (!before) return;
    var b = before; before = null;
    q.value = b.q; gapsOnly.checked = b.only; apply();
    reqs.forEach(function (d, i) { d.open = b.open[i]; });
  });
  q.addEventListener("input", apply);
  gapsOnly.addEventListener("change", apply);
  document.getElementById("expand").addEventListener("click", function () { setAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { setAll(false); });
  // Following a link to a requirement opens the folded parents around it.
  function reveal() {
    var id = location.hash.slice(1), el = null;
    try { el = id && document.getElementById(decodeURIComponent(id)); } catch (e) { el = null; }
    for (var a = el; a; a = parentReq(a)) if (a.tagName === "DETAILS") a.open = true;
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
`;

function cspHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;
}

// Nothing may load: no network, no other scripts or styles than the page's own, no forms, no <base>.
function csp(script: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspHash(CSS)}`,
    `script-src ${cspHash(script)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
const CSP = csp(SCRIPT);
const LAZY_CSP = csp(LAZY_SCRIPT);

const OPEN_ROOTS_UP_TO = 300;

export function renderReportHtml(report: TraceReport, options: HtmlOptions = {}): string {
  const byId = new Map(report.requirements.map((r) => [r.id, r]));
  const items = new Map((report.workItems ?? []).map((i) => [i.number, i]));
  // A large report builds its tree in the browser from compact data (report-html-lazy.ts).
  const lazy = report.requirements.length >= (options.lazyFrom ?? LAZY_FROM);
  const base = report.root !== undefined ? `Traceability report: ${report.root} and its descendants` : "Traceability report";
  const title = options.title ? `${base}: ${options.title}` : base;
  const out: string[] = [];
  out.push(
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(lazy ? LAZY_CSP : CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    ...(report.provenance ? [`<meta name="generator" content="reqgate ${escapeHtml(report.provenance.tool.version)}">`] : []),
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
  );
  out.push(header(report, title));
  out.push(
    '<nav class="tools" aria-label="Filter">',
    '<input type="search" id="filter" placeholder="Filter by ID, title, owner or tag" aria-label="Filter requirements">',
    '<label><input type="checkbox" id="gaps-only"> only requirements with gaps</label>',
    '<button type="button" id="expand">Expand all</button><button type="button" id="collapse">Collapse all</button>',
    '<span class="muted">' + (report.diagnostics.length ? '<a href="#problems">Problems</a> · ' : "") + '<a href="#gaps">Gaps</a> · <a href="#tree">Requirements</a> · <a href="#records">Change records</a>' +
      (report.workItems ? ' · <a href="#work">Work items</a>' : "") +
      "</span>",
    "</nav>",
    "<main>",
  );
  if (report.diagnostics.length > 0) out.push(problemsSection(report));
  out.push(gapsSection(report, byId, items, lazy ? LISTED_WHEN_LAZY : Infinity));
  if (report.graph) out.push(graphSection(report.graph));
  out.push(lazy ? lazyTreeSection(report) : treeSection(report, byId, items));
  out.push(recordsSection(report, lazy ? LISTED_WHEN_LAZY : Infinity));
  if (report.workItems) out.push(workSection(report.workItems));
  out.push(
    "</main>",
    `<footer>Generated by reqgate${report.provenance ? ` ${escapeHtml(report.provenance.tool.version)} on ${escapeHtml(report.provenance.generatedAt)}` : ""} · report format version ${REPORT_VERSION} · self-contained: this page loads nothing from the network.</footer>`,
    `<script>${lazy ? LAZY_SCRIPT : SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  );
  return out.join("\n");
}

function header(report: TraceReport, title: string): string {
  const s = report.summary;
  const r = s.requirements;
  const card = (value: number | string, label: string, detail = "") => `<div class="card"><b>${escapeHtml(String(value))}</b>${escapeHtml(label)}${detail ? `<div class="muted">${escapeHtml(detail)}</div>` : ""}</div>`;
  const w = s.workItems;
  const cards = [
    card(r.total, "requirements", `${r.active} active · ${r.draft} draft · ${r.retired} retired`),
    card(r.baselined, "baselined", r.pending ? `${r.pending} changed since the baseline` : "no pending changes"),
    card(s.records.total, "change records", `${s.records.applied} applied`),
    w ? card(w.total, "work items", `${w.open} open · ${w.closed} closed · ${plural(w.pullRequests, "pull request")}`) : card("–", "work items", "not read: pass --github OWNER/REPO or --issues FILE"),
    card(gapCount(report), "gaps", "see below"),
  ];
  if (s.diagnostics.errors || s.diagnostics.warnings) {
    // The card leads to the list of the findings themselves (the "Problems in the files" section).
    cards.push(card(s.diagnostics.errors, s.diagnostics.errors === 1 ? "error in the files" : "errors in the files", `${plural(s.diagnostics.warnings, "warning")} · listed below`).replace('<div class="card">', '<a class="card" href="#problems">').replace(/<\/div>$/, "</a>"));
  }
  const meters: string[] = [];
  if (s.coverage.work) meters.push(meter("Work", "baselined active requirements with a work item (directly or through a child)", s.coverage.work));
  meters.push(meter("Test evidence", "verification: test (and required) requirements with evidence", s.coverage.evidence));
  if (s.coverage.passing) meters.push(meter("Tests passing", "of those, the ones whose tied test results passed", s.coverage.passing));
  meters.push(meter("Implementation", "baselined active requirements named by @implements in source code", s.coverage.implementation));
  meters.push(meter("Decomposition", "higher-level requirements with active children", s.coverage.decomposition));
  const lockClass = s.lockState === "current" ? "s-active" : "gap";
  return [
    "<header>",
    `<h1>${escapeHtml(title)}</h1>`,
    ...(report.provenance ? [provenanceBlock(report.provenance)] : []),
    `<div>Baseline lock: <span class="badge ${lockClass}">${escapeHtml(s.lockState)}</span> <span class="muted">${escapeHtml(LOCK_STATE_LABELS[s.lockState])}</span></div>`,
    `<div class="cards">${cards.join("")}</div>`,
    `<div class="meters">${meters.join("")}</div>`,
    "</header>",
  ].join("\n");
}

function provenanceBlock(p: Provenance): string {
  const rows = describeProvenance(p).map((line) => {
    const at = line.indexOf(": ");
    return `<dt>${escapeHtml(line.slice(0, at))}</dt><dd>${escapeHtml(line.slice(at + 2))}</dd>`;
  });
  if (p.commit) rows.splice(2, 0, `<dt>Full commit</dt><dd><code>${escapeHtml(p.commit)}</code></dd>`);
  return `<dl class="prov" id="provenance">${rows.join("")}</dl>`;
}

const SHOWN_PROBLEMS = 200;

function problemsSection(report: TraceReport): string {
  // Errors first, each severity in file order: past the cap, what is left out is never an error hidden
  // behind warnings.
  const list = [...report.diagnostics.filter((d) => d.severity === "error"), ...report.diagnostics.filter((d) => d.severity !== "error")];
  const out = ['<section id="problems">', `<h2>Problems in the files <span class="muted">(${list.length})</span></h2>`];
  out.push("<table><thead><tr><th>Severity</th><th>Where</th><th>Problem</th></tr></thead><tbody>");
  for (const d of list.slice(0, SHOWN_PROBLEMS)) {
    const where = `${d.file}${d.line > 0 ? `:${d.line}${d.column > 0 ? `:${d.column}` : ""}` : ""}`;
    out.push(`<tr data-text="${escapeHtml(`${where} ${d.code} ${d.message}`.toLowerCase())}"><td class="sev-${d.severity}">${d.severity}</td><td><code>${escapeHtml(where)}</code></td><td>${escapeHtml(d.message)}${d.hint ? `<div class="muted">${escapeHtml(d.hint)}</div>` : ""} <span class="muted">(${escapeHtml(d.code)})</span></td></tr>`);
  }
  out.push("</tbody></table>");
  if (list.length > SHOWN_PROBLEMS) out.push(`<p class="muted">and ${list.length - SHOWN_PROBLEMS} more: run <code>reqgate check</code> for all of them.</p>`);
  out.push("</section>");
  return out.join("\n");
}

function gapCount(report: TraceReport): number {
  const g = report.gaps;
  return (g.noWork?.length ?? 0) + g.noEvidence.length + g.failedEvidence.length + g.notDecomposed.length + (g.unlinkedWork?.length ?? 0) + (g.badReferences?.length ?? 0);
}

function meter(label: string, what: string, c: Coverage): string {
  const value = c.percent ?? 100;
  return (
    `<span title="${escapeHtml(what)}">${escapeHtml(label)}</span>` +
    `<meter min="0" max="100" low="50" high="80" optimum="100" value="${value}" title="${escapeHtml(what)}">${value}%</meter>` +
    `<span>${escapeHtml(formatCoverage(c))}</span>`
  );
}

function reqLink(id: string, byId: ReadonlyMap<string, ReportRequirement>): string {
  return byId.has(id) ? `<a class="id" href="#${escapeHtml(anchor(id))}">${escapeHtml(id)}</a>` : `<span class="id" title="not defined">${escapeHtml(id)}</span>`;
}

/** Anchors are derived from IDs (which have the PREFIX-NUMBER shape); escaped all the same. */
function anchor(id: string): string {
  return `r-${id}`;
}

function itemLink(item: ReportWorkItem): string {
  const url = safeHttpUrl(item.url);
  const text = `#${item.number}`;
  return url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${text}</a>` : text;
}

function itemBadges(item: ReportWorkItem): string {
  return `<span class="badge ${item.state}">${item.isPullRequest ? "PR " : ""}${item.state}</span>`;
}

/** In a large report, each gap list and each record's `affects` list shows this many; the filter finds the rest. */
const LISTED_WHEN_LAZY = 200;

function gapsSection(report: TraceReport, byId: ReadonlyMap<string, ReportRequirement>, items: ReadonlyMap<number, ReportWorkItem>, listed: number): string {
  const g = report.gaps;
  const out = ['<section class="gaps" id="gaps">', "<h2>Gaps</h2>"];
  const block = (title: string, explain: string, lines: string[] | undefined) => {
    if (lines === undefined) return;
    out.push(
      `<details${lines.length ? " open" : ""}><summary><h3>${escapeHtml(title)} <span class="badge ${lines.length ? "gap" : "s-active"}">${lines.length}</span></h3></summary>`,
      `<p class="muted">${escapeHtml(explain)}</p>`,
      lines.length ? `<ul class="plain">${lines.slice(0, listed).map((l) => `<li>${l}</li>`).join("")}</ul>` : "<p>None.</p>",
      ...(lines.length > listed ? [`<p class="muted">and ${lines.length - listed} more: tick “only requirements with gaps” above to list them.</p>`] : []),
      "</details>",
    );
  };
  const reqLine = (id: string) => `${reqLink(id, byId)} ${escapeHtml(byId.get(id)?.title ?? "")}`;
  const itemLine = (n: number) => {
    const item = items.get(n)!;
    return `${itemLink(item)} ${escapeHtml(item.title)} ${itemBadges(item)}`;
  };
  block("At risk: no work", "Baselined active requirements that no issue or pull request names, directly or through an active child.", g.noWork?.map(reqLine));
  block("No test evidence", "Baselined active requirements with verification: test (or a method verification.required demands) and no @verifies line or test result naming them.", g.noEvidence.map(reqLine));
  block("Failed tests", "Baselined active requirements whose tied test results include a failure.", g.failedEvidence.map(reqLine));
  block("Not decomposed", `Baselined active requirements of a higher level (${report.higherLevelPrefixes.join(", ") || "none"}) that no active requirement refines.`, g.notDecomposed.map(reqLine));
  block("Unlinked work", "Issues that name no requirement: local interpretation of what to build.", g.unlinkedWork?.map(itemLine));
  block(
    "Bad references",
    "Work items naming unknown, draft, retired or not yet baselined requirements.",
    g.badReferences?.map((n) => {
      const bad = items.get(n)!.references.filter((ref) => ref.problem !== undefined);
      return `${itemLine(n)}<br><span class="gap">${bad.map((ref) => escapeHtml(describeReference(ref))).join("; ")}</span>`;
    }),
  );
  block("Suspect links", "Requirements whose parent moved, and @verifies evidence of a moved requirement, not yet reviewed (reqgate review).", g.suspect?.map((l) => escapeHtml(describeSuspect(l))));
  if (g.noWork === undefined) out.push('<p class="muted">Work items were not read, so work gaps are not assessed: pass --github OWNER/REPO or --issues FILE.</p>');
  out.push("</section>");
  return out.join("\n");
}

function treeSection(report: TraceReport, byId: ReadonlyMap<string, ReportRequirement>, items: ReadonlyMap<number, ReportWorkItem>): string {
  const out = ['<section id="tree">', `<h2>Requirements <span class="muted">(${report.requirements.length})</span></h2>`];
  if (report.tree.length === 0) out.push("<p>No requirements.</p>");
  // The tree arrives as a flat preorder list with depths: open and close <details> as the depth moves,
  // with no recursion (a long parent chain cannot exhaust the stack).
  let open = 0;
  for (const node of report.tree) {
    for (; open > node.depth; open--) out.push("</div></details>");
    const r = byId.get(node.id)!;
    if (node.repeated) {
      out.push(`<div class="ref">↳ ${reqLink(r.id, byId)} ${escapeHtml(r.title)} <span class="muted">(shown under another parent)</span></div>`);
      continue;
    }
    // A small report opens its top level, so the first screen shows two levels of the hierarchy.
    const open0 = node.depth === 0 && report.requirements.length <= OPEN_ROOTS_UP_TO;
    out.push(requirementCard(r, byId, items, report.workItems !== undefined, open0));
    open++;
  }
  for (; open > 0; open--) out.push("</div></details>");
  out.push("</section>");
  return out.join("\n");
}

/** Opens a <details> for one requirement and its facts; the caller closes it after the children. */
function requirementCard(r: ReportRequirement, byId: ReadonlyMap<string, ReportRequirement>, items: ReadonlyMap<number, ReportWorkItem>, workKnown: boolean, open: boolean): string {
  const text = [r.id, r.title, r.owner ?? "", ...r.tags].join(" ").toLowerCase();
  const badges = [`<span class="badge s-${r.status}">${r.status}</span>`];
  if (r.baselined) badges.push('<span class="badge s-base">baselined</span>');
  if (r.pendingChange && PENDING_LABELS[r.pendingChange]) badges.push(`<span class="badge s-pend">${escapeHtml(PENDING_LABELS[r.pendingChange])}</span>`);
  for (const g of r.gaps) badges.push(`<span class="badge gap">${escapeHtml(GAP_LABELS[g])}</span>`);

  const facts: Array<[string, string]> = [];
  if (r.text !== undefined) facts.push(["Text", `<span class="text">${escapeHtml(r.text.trim())}</span>`]);
  facts.push(["File", `<code>${escapeHtml(r.file)}</code>`]);
  if (r.parents.length) facts.push(["Parents", r.parents.map((p) => reqLink(p, byId)).join(", ")]);
  if (r.children.length) facts.push(["Children", `${r.children.length}: ${r.children.map((c) => reqLink(c, byId)).join(", ")}`]);
  facts.push(["Verification", r.verification ? escapeHtml(r.verification) : '<span class="muted">not stated</span>']);
  facts.push(["Evidence", `<span class="badge ev-${r.verificationStatus}">${escapeHtml(EVIDENCE_LABELS[r.verificationStatus])}</span>${r.evidence.map((e) => `<br><code>${escapeHtml(describeEvidence(e))}</code>`).join("")}`]);
  if (r.results.length) facts.push(["Test results", r.results.map((x) => `<span class="badge ev-${x.status}">${x.status}</span> ${escapeHtml(x.name)}${x.message && x.status !== "passed" ? ` <span class="muted">${escapeHtml(x.message)}</span>` : ""} <code>${escapeHtml(x.resultFile)}</code>`).join("<br>")]);
  if (r.implementations.length) facts.push(["Implementation", r.implementations.map((e) => `<code>${escapeHtml(`${e.file}:${e.line}`)}</code>`).join("<br>")]);
  const records = [
    ...(r.lastChange ? [`${recordLink(r.lastChange)} <span class="muted">(last moved it)</span>`] : []),
    ...r.changeRecords.filter((c) => c !== r.lastChange).map(recordLink),
  ];
  facts.push(["Change records", records.length ? records.join(", ") : '<span class="muted">none</span>']);
  if (workKnown) {
    facts.push([
      "Work items",
      r.workItems.length
        ? r.workItems.map((n) => (items.has(n) ? `${itemLink(items.get(n)!)} ${escapeHtml(items.get(n)!.title)} ${itemBadges(items.get(n)!)}` : `#${n}`)).join("<br>")
        : r.hasWork ? '<span class="muted">through its children</span>' : '<span class="muted">none</span>',
    ]);
  }
  if (r.supersededBy) facts.push(["Superseded by", reqLink(r.supersededBy, byId)]);
  if (r.owner) facts.push(["Owner", escapeHtml(r.owner)]);
  if (r.tags.length) facts.push(["Tags", r.tags.map(escapeHtml).join(", ")]);

  return (
    `<details class="req"${open ? " open" : ""} id="${escapeHtml(anchor(r.id))}" data-text="${escapeHtml(text)}" data-gaps="${escapeHtml(r.gaps.join(" "))}">` +
    `<summary><span class="id">${escapeHtml(r.id)}</span> ${escapeHtml(r.title)} ${badges.join("")}</summary>` +
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>` +
    '<div class="kids">'
  );
}

/**
 * The Mermaid source in a `<pre class="mermaid">`: the page loads no script, so it shows the source; a
 * reader renders it with their own Mermaid (or the Mermaid live editor), and printing keeps the source.
 */
function graphSection(graph: TraceGraph): string {
  const note = describeOmitted(graph);
  return [
    '<section id="graph">',
    "<h2>Trace graph</h2>",
    '<p class="muted">Requirement → children → issues → evidence, as Mermaid source: paste it into a Mermaid renderer (GitHub renders the same graph in <code>reqgate report --root ID --format md</code>).</p>',
    `<pre class="mermaid">${escapeHtml(renderMermaid(graph))}</pre>`,
    ...(note ? [`<p class="muted">${escapeHtml(note)}</p>`] : []),
    "</section>",
  ].join("\n");
}

function recordLink(id: string): string {
  return `<a class="id" href="#${escapeHtml(`cr-${id}`)}">${escapeHtml(id)}</a>`;
}

/** The tree of a large report: built in the browser from the embedded data (report-html-lazy.ts). */
function lazyTreeSection(report: TraceReport): string {
  return [
    '<section id="tree">',
    `<h2>Requirements <span class="muted">(${report.requirements.length})</span></h2>`,
    `<p class="muted">${report.requirements.length} requirements: each opens on demand (printing opens them all). The filter above searches them all.</p>`,
    '<div id="tree-found" class="hidden"></div>',
    '<div id="tree-root"></div>',
    `<script type="application/json" id="reqgate-data">${lazyTreeData(report)}</script>`,
    "<noscript><p>This large report builds its requirement tree with JavaScript; use <code>reqgate report --format md</code> or <code>--root ID</code> without it.</p></noscript>",
    "</section>",
  ].join("\n");
}

function recordsSection(report: TraceReport, listed: number): string {
  const out = ['<section id="records">', `<h2>Change records <span class="muted">(${report.records.length})</span></h2>`];
  if (report.records.length === 0) {
    out.push("<p>No change records.</p>");
  } else {
    const github = report.approvals !== undefined;
    if (report.approvals) out.push(`<p class="muted">${escapeHtml(describeApprovalLookup(report.approvals))}.</p>`);
    out.push(`<table><thead><tr><th>ID</th><th>Title</th><th>Applied</th><th>Affects</th><th>Rationale</th>${github ? "<th>Pull request and approval</th>" : ""}</tr></thead><tbody>`);
    const ids = new Set(report.requirements.map((r) => r.id));
    for (const rec of report.records) {
      const affects = rec.affects.slice(0, listed).map((id) => (ids.has(id) ? `<a class="id" href="#${escapeHtml(anchor(id))}">${escapeHtml(id)}</a>` : `<span class="id">${escapeHtml(id)}</span>`)).join(", ") + (rec.affects.length > listed ? ` <span class="muted">and ${rec.affects.length - listed} more</span>` : "");
      const text = [rec.id, rec.title, ...rec.affects].join(" ").toLowerCase();
      out.push(
        `<tr id="${escapeHtml(`cr-${rec.id}`)}" data-text="${escapeHtml(text)}"><td class="id">${escapeHtml(rec.id)}</td><td>${escapeHtml(rec.title)}<div class="muted"><code>${escapeHtml(rec.file)}</code></div></td>` +
          `<td>${rec.applied ? '<span class="badge s-active">applied</span>' : '<span class="badge s-pend">not yet</span>'}</td><td>${affects}</td><td>${escapeHtml(rec.rationale)}</td>${github ? `<td>${approvalHtml(rec.approval)}</td>` : ""}</tr>`,
      );
    }
    out.push("</tbody></table>");
  }
  out.push("</section>");
  return out.join("\n");
}

/** The pull request as a link (http(s) only), then the approvers and the check, or "approvers unknown (why)". */
function approvalHtml(a: RecordApproval | undefined): string {
  if (!a) return "";
  const text = escapeHtml(describeApproval(a));
  const url = a.pull ? safeHttpUrl(a.pull.url) : undefined;
  const cls = a.state === "unknown" ? ' class="gap"' : "";
  return url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer"${cls}>${text}</a>` : `<span${cls}>${text}</span>`;
}

function workSection(items: readonly ReportWorkItem[]): string {
  const out = ['<section id="work">', `<h2>Work items <span class="muted">(${items.length})</span></h2>`];
  if (items.length === 0) {
    out.push("<p>No work items.</p>");
  } else {
    out.push("<table><thead><tr><th>#</th><th>Title</th><th>State</th><th>Trace</th><th>Requirements</th></tr></thead><tbody>");
    for (const item of items) {
      const refs = item.references
        .map((ref) => (ref.problem ? `<span class="gap">${escapeHtml(describeReference(ref))}</span>` : `<a class="id" href="#${escapeHtml(anchor(ref.id))}">${escapeHtml(ref.id)}</a>`))
        .join("<br>");
      const text = [`#${item.number}`, item.title, ...item.requirementIds, ...item.labels].join(" ").toLowerCase();
      out.push(
        `<tr data-text="${escapeHtml(text)}"><td>${itemLink(item)}</td><td>${escapeHtml(item.title)}${item.labels.length ? `<div class="muted">${item.labels.map(escapeHtml).join(", ")}</div>` : ""}</td>` +
          `<td>${itemBadges(item)}</td><td><span class="badge t-${item.trace}">${escapeHtml(TRACE_LABELS[item.trace])}</span></td><td>${refs}</td></tr>`,
      );
    }
    out.push("</tbody></table>");
  }
  out.push("</section>");
  return out.join("\n");
}
