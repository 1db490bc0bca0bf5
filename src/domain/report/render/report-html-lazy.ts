// The requirement tree of a large HTML report (over LAZY_FROM requirements), rendered in the browser
// from compact embedded data instead of as 50,000 nested <details>: the page holds one JSON array per
// requirement in a `<script type="application/json">` (never executed; `<` written as \u003c so no
// text can close the element), the top level of the tree is built on load, and a requirement's facts
// and children are built the first time it is opened. Every piece of user text reaches the page through
// `textContent`, never as markup; links are made only to `#r-ID` anchors and to work-item URLs that
// passed `safeHttpUrl` on the server. The filter searches the data and lists the matches; following a
// link opens the requirement's ancestors on the way. Printing (beforeprint) builds and opens everything.
import type { ReportRequirement, ReportWorkItem, TraceReport } from "../report.js";
import { describeEvidence, EVIDENCE_LABELS, GAP_LABELS, PENDING_LABELS, safeHttpUrl } from "./report-common.js";

/** From this many requirements on, the tree is rendered lazily. */
export const LAZY_FROM = 2000;

type Row = [
  id: string, title: string, status: string, flags: number, pending: string, gaps: string[], text: string, file: string,
  parents: string[], verification: string, evidence: string, refs: string[], results: Array<[string, string, string, string]>,
  implementations: string[], lastChange: string, records: string[], workItems: number[], supersededBy: string, owner: string, tags: string[],
];

const BASELINED = 1;
const HAS_WORK = 2;
const WORK_KNOWN = 4;

function row(r: ReportRequirement, workKnown: boolean): Row {
  return [
    r.id, r.title, r.status,
    (r.baselined ? BASELINED : 0) | (r.hasWork ? HAS_WORK : 0) | (workKnown ? WORK_KNOWN : 0),
    r.pendingChange ? PENDING_LABELS[r.pendingChange] : "",
    r.gaps.map((g) => GAP_LABELS[g]),
    r.text?.trim() ?? "", r.file, r.parents, r.verification ?? "", r.verificationStatus,
    r.evidence.map(describeEvidence),
    r.results.map((x) => [x.status, x.name, x.message && x.status !== "passed" ? x.message : "", x.resultFile]),
    r.implementations.map((e) => `${e.file}:${e.line}`),
    r.lastChange ?? "", r.changeRecords.filter((c) => c !== r.lastChange),
    r.workItems, r.supersededBy ?? "", r.owner ?? "", r.tags,
  ];
}

function item(i: ReportWorkItem): [string, string, number, string] {
  return [i.title, i.state, i.isPullRequest ? 1 : 0, safeHttpUrl(i.url) ?? ""];
}

/** The embedded data: rows, the tree as [row, depth, repeated] triples, work items, labels. JSON with `<` escaped. */
export function lazyTreeData(report: TraceReport): string {
  const index = new Map(report.requirements.map((r, i) => [r.id, i]));
  const workKnown = report.workItems !== undefined;
  const data = {
    r: report.requirements.map((r) => row(r, workKnown)),
    t: report.tree.flatMap((n) => [index.get(n.id)!, n.depth, n.repeated ? 1 : 0]),
    w: Object.fromEntries((report.workItems ?? []).map((i) => [i.number, item(i)])),
    e: EVIDENCE_LABELS,
  };
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export const LAZY_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("reqgate-data").textContent);
  var R = data.r, T = data.t, W = data.w, EV = data.e, n = T.length / 3;
  var kids = [], parent = [], first = {}, roots = [], stack = [], elOf = [];
  for (var p = 0; p < n; p++) {
    var depth = T[3 * p + 1];
    while (stack.length > depth) stack.pop();
    parent[p] = stack.length ? stack[stack.length - 1] : -1;
    if (parent[p] >= 0) (kids[parent[p]] = kids[parent[p]] || []).push(p); else roots.push(p);
    var id = R[T[3 * p]][0];
    if (!T[3 * p + 2] && first[id] === undefined) first[id] = p;
    stack.push(p);
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function txt(t) { return document.createTextNode(t); }
  function link(id) {
    if (first[id] === undefined) { var s = el("span", "id", id); s.title = "not defined"; return s; }
    var a = el("a", "id", id); a.href = "#r-" + id; return a;
  }
  function badge(cls, text) { return el("span", "badge " + cls, text); }
  function itemLink(num) {
    var w = W[num], t = "#" + num;
    if (!w || !w[3]) return txt(t);
    var a = el("a", null, t); a.href = w[3]; a.rel = "noopener noreferrer"; return a;
  }
  function summary(r) {
    var s = el("summary"); s.appendChild(el("span", "id", r[0])); s.appendChild(txt(" " + r[1] + " "));
    s.appendChild(badge("s-" + r[2], r[2]));
    if (r[3] & 1) s.appendChild(badge("s-base", "baselined"));
    if (r[4]) s.appendChild(badge("s-pend", r[4]));
    r[5].forEach(function (g) { s.appendChild(badge("gap", g)); });
    return s;
  }
  function list(dd, xs, make, sep) { xs.forEach(function (x, i) { if (i) dd.appendChild(sep ? el(sep) : txt(", ")); dd.appendChild(make(x)); }); }
  function facts(r, p) {
    var dl = el("dl", "facts");
    function fact(name, fill) { dl.appendChild(el("dt", null, name)); var dd = el("dd"); fill(dd); dl.appendChild(dd); }
    if (r[6]) fact("Text", function (dd) { dd.appendChild(el("span", "text", r[6])); });
    fact("File", function (dd) { dd.appendChild(el("code", null, r[7])); });
    if (r[8].length) fact("Parents", function (dd) { list(dd, r[8], link); });
    var ks = (kids[p] || []).map(function (c) { return R[T[3 * c]][0]; });
    if (ks.length) fact("Children", function (dd) { dd.appendChild(txt(ks.length + ": ")); list(dd, ks, link); });
    fact("Verification", function (dd) { if (r[9]) dd.textContent = r[9]; else dd.appendChild(el("span", "muted", "not stated")); });
    fact("Evidence", function (dd) { dd.appendChild(badge("ev-" + r[10], EV[r[10]])); r[11].forEach(function (e) { dd.appendChild(el("br")); dd.appendChild(el("code", null, e)); }); });
    if (r[12].length) fact("Test results", function (dd) { list(dd, r[12], function (x) { var f = document.createDocumentFragment(); f.appendChild(badge("ev-" + x[0], x[0])); f.appendChild(txt(" " + x[1] + " ")); if (x[2]) { f.appendChild(el("span", "muted", x[2])); f.appendChild(txt(" ")); } f.appendChild(el("code", null, x[3])); return f; }, "br"); });
    if (r[13].length) fact("Implementation", function (dd) { list(dd, r[13], function (x) { return el("code", null, x); }, "br"); });
    fact("Change records", function (dd) {
      var recs = (r[14] ? [r[14]] : []).concat(r[15]);
      if (!recs.length) { dd.appendChild(el("span", "muted", "none")); return; }
      list(dd, recs, function (c) { var f = document.createDocumentFragment(); var a = el("a", "id", c); a.href = "#cr-" + c; f.appendChild(a); if (c === r[14]) f.appendChild(el("span", "muted", " (last moved it)")); return f; });
    });
    if (r[3] & 4) fact("Work items", function (dd) {
      if (!r[16].length) { dd.appendChild(el("span", "muted", r[3] & 2 ? "through its children" : "none")); return; }
      list(dd, r[16], function (num) { var f = document.createDocumentFragment(); f.appendChild(itemLink(num)); var w = W[num]; if (w) { f.appendChild(txt(" " + w[0] + " ")); f.appendChild(badge(w[1], (w[2] ? "PR " : "") + w[1])); } return f; }, "br");
    });
    if (r[17]) fact("Superseded by", function (dd) { dd.appendChild(link(r[17])); });
    if (r[18]) fact("Owner", function (dd) { dd.textContent = r[18]; });
    if (r[19].length) fact("Tags", function (dd) { dd.textContent = r[19].join(", "); });
    return dl;
  }
  function fill(d) {
    if (d.filled) return;
    d.filled = true;
    var p = d.pos, box = el("div", "kids");
    d.appendChild(facts(R[T[3 * p]], p));
    (kids[p] || []).forEach(function (c) { box.appendChild(node(c)); });
    d.appendChild(box);
  }
  function node(p) {
    var r = R[T[3 * p]];
    if (T[3 * p + 2]) {
      var ref = el("div", "ref", "\\u21b3 "); ref.appendChild(link(r[0])); ref.appendChild(txt(" " + r[1] + " ")); ref.appendChild(el("span", "muted", "(shown under another parent)"));
      return ref;
    }
    var d = el("details", "req"); d.id = "r-" + r[0]; d.pos = p; d.appendChild(summary(r));
    d.addEventListener("toggle", function () { if (d.open) fill(d); });
    elOf[p] = d;
    return d;
  }
  var tree = document.getElementById("tree-root"), found = document.getElementById("tree-found");
  var frag = document.createDocumentFragment();
  roots.forEach(function (p) { frag.appendChild(node(p)); });
  tree.appendChild(frag);

  function reveal(id) {
    var p = first[id];
    if (p === undefined) return null;
    var chain = [];
    for (var q = p; q >= 0; q = parent[q]) chain.unshift(q);
    var e = null;
    chain.forEach(function (c) { e = elOf[c]; if (e) { fill(e); e.open = true; } });
    return e;
  }
  function fromHash() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (x) { return; }
    if (id.indexOf("r-") !== 0) return;
    clearFilter();
    var e = reveal(id.slice(2));
    if (e) e.scrollIntoView();
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  var q = document.getElementById("filter"), gapsOnly = document.getElementById("gaps-only");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-text]"));
  var hay = null, SHOWN = 200;
  function clearFilter() { if (q.value || gapsOnly.checked) { q.value = ""; gapsOnly.checked = false; apply(); } }
  function apply() {
    var term = q.value.trim().toLowerCase(), only = gapsOnly.checked;
    rows.forEach(function (r) { r.classList.toggle("hidden", term !== "" && r.getAttribute("data-text").indexOf(term) < 0); });
    var active = term !== "" || only;
    tree.classList.toggle("hidden", active);
    found.classList.toggle("hidden", !active);
    if (!active) return;
    if (!hay) hay = R.map(function (r) { return [r[0], r[1], r[18]].concat(r[19]).join(" ").toLowerCase(); });
    var hits = [];
    for (var i = 0; i < R.length; i++) if ((term === "" || hay[i].indexOf(term) >= 0) && (!only || R[i][5].length)) hits.push(i);
    found.textContent = "";
    found.appendChild(el("p", "muted", hits.length + " matching requirement" + (hits.length === 1 ? "" : "s") + (hits.length > SHOWN ? "; the first " + SHOWN + " are listed" : "") + ". Follow one to see it in the tree."));
    var ul = el("ul", "plain");
    hits.slice(0, SHOWN).forEach(function (i) { var li = el("li"); li.appendChild(link(R[i][0])); li.appendChild(txt(" " + R[i][1] + " ")); R[i][5].forEach(function (g) { li.appendChild(badge("gap", g)); }); ul.appendChild(li); });
    found.appendChild(ul);
  }
  q.addEventListener("input", apply);
  gapsOnly.addEventListener("change", apply);
  function all(open) {
    if (open) { for (var p = 0; p < n; p++) { var e = elOf[p]; if (e) { fill(e); e.open = true; } } }
    else elOf.forEach(function (e) { e.open = false; });
  }
  document.getElementById("expand").addEventListener("click", function () { all(true); });
  document.getElementById("collapse").addEventListener("click", function () { all(false); });
  // Printing shows everything: the filter cleared, every requirement built and open.
  window.addEventListener("beforeprint", function () { clearFilter(); all(true); });
})();
`;
