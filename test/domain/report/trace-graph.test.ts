import { describe, expect, it } from "@jest/globals";
import { buildReport, traceRequirement } from "../../../src/domain/report/report.js";
import { buildTraceGraph } from "../../../src/domain/report/trace-graph.js";
import { describeOmitted, mermaidLabel, mermaidMarkdown, renderMermaid } from "../../../src/domain/report/render/mermaid.js";
import { renderReportHtml } from "../../../src/domain/report/render/report-html.js";
import { renderReportMarkdown } from "../../../src/domain/report/render/report-markdown.js";
import { renderTraceMarkdown } from "../../../src/domain/report/render/trace-markdown.js";
import { ITEMS, referenceRepo, repo, yaml } from "./report-fixture.js";

const check = referenceRepo();
const report = buildReport(check, ITEMS, { exemptLabels: ["question"] });

describe("buildTraceGraph", () => {
  it("walks requirement → children → issues → evidence breadth-first, shared issues and tests once", () => {
    const graph = buildTraceGraph(report, "SYS-1");
    expect(graph.nodes.map((n) => `${n.key} ${n.kind} ${n.style} ${n.label}`)).toEqual([
      "R0 requirement baselined SYS-1: Secure login",
      "R1 requirement baselined REQ-1: Lock after failures",
      "I1 issue open #1 (open): Implement lockout",
      "I9 issue open #9 (open): Rate limiter",
      "E0 evidence ev-tagged test/login.test.ts: locks",
      "E1 evidence ev-tagged test/login.test.ts",
      "R6 requirement gap REQ-2: Log logins",
      "R7 requirement draft REQ-3: Passkeys",
      "I3 issue open #3 (open): Passkey spike",
      "R9 requirement active REQ-6: Rate limit",
      "R10 requirement baselined REQ-5: Unlock by email",
      "I8 issue closed #8 (closed): Mail unlock link",
    ]);
    expect(graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual([
      "R0>R1", "R1>I1", "R1>I9", "R1>E0", "R1>E1", "R0>R6", "R0>R7", "R7>I3", "R0>R9", "R9>I9", "R9>E1", "R1>R10", "R10>I8",
    ]);
    expect(graph.omitted).toEqual({ requirements: 0, issues: 0, evidence: 0, edges: 0 });
    expect(describeOmitted(graph)).toBeUndefined();
  });

  it("stops at the node cap and counts what it left out, per kind", () => {
    const graph = buildTraceGraph(report, "SYS-1", { nodes: 4 });
    expect(graph.nodes.map((n) => n.key)).toEqual(["R0", "R1", "I1", "I9"]);
    expect(graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual(["R0>R1", "R1>I1", "R1>I9"]);
    expect(graph.omitted).toEqual({ requirements: 4, issues: 2, evidence: 2, edges: 0 });
    expect(describeOmitted(graph)).toBe(
      "Left out of the graph (it shows at most 4 nodes and 400 links): 4 requirements, 2 issues, 2 pieces of evidence. The tables list everything; a deeper requirement as the root shows its part in full.",
    );
  });

  it("stops at the edge cap too", () => {
    const graph = buildTraceGraph(report, "SYS-1", { edges: 2 });
    expect(graph.edges).toHaveLength(2);
    expect(graph.omitted).toEqual({ requirements: 0, issues: 0, evidence: 0, edges: 11 });
  });

  it("draws a parent cycle once, with both edges", () => {
    const cyc = repo({ "requirements/a.yml": yaml({ id: "REQ-1", title: "A", text: "a", parents: ["REQ-2"] }), "requirements/b.yml": yaml({ id: "REQ-2", title: "B", text: "b", parents: ["REQ-1"] }) }, {});
    const graph = buildTraceGraph(buildReport(cyc), "REQ-1");
    expect(graph.nodes.map((n) => n.label)).toEqual(["REQ-1: A", "REQ-2: B"]);
    expect(graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual(["R0>R1", "R1>R0"]);
  });
});

describe("Mermaid source", () => {
  it("escapes quotes, brackets, <, #, ;, backticks and % as entity codes, and cuts long labels", () => {
    expect(mermaidLabel('Say "hi" [now] <script>x</script> #1; `code` 100%')).toBe("Say #34;hi#34; #91;now#93; #60;script#62;x#60;/script#62; #35;1#59; #96;code#96; 100#37;");
    expect(mermaidLabel("Zeile\nzwei: Ünïcode")).toBe("Zeile zwei: Ünïcode");
    expect(mermaidLabel("x".repeat(70))).toBe(`${"x".repeat(59)}…`);
    expect(mermaidLabel("```\n%%{init: {}}%%")).toBe("#96;#96;#96; #37;#37;#123;init: #123;#125;#125;#37;#37;");
  });

  it("renders nodes, edges and only the classes in use", () => {
    const graph = buildTraceGraph(report, "REQ-1", { nodes: 3 });
    expect(renderMermaid(graph)).toBe([
      "graph LR",
      '  R0["REQ-1: Lock after failures"]:::baselined',
      '  I1(["#35;1 #40;open#41;: Implement lockout"]):::open',
      '  I9(["#35;9 #40;open#41;: Rate limiter"]):::open',
      "  R0 --> I1",
      "  R0 --> I9",
      "  classDef baselined fill:#d4edda,stroke:#1a7f37",
      "  classDef open fill:#ddf4ff,stroke:#0969da",
    ].join("\n"));
    expect(mermaidMarkdown(graph).slice(-1)[0]).toBe(
      "_Left out of the graph (it shows at most 3 nodes and 400 links): 1 requirement, 1 issue, 2 pieces of evidence. The tables list everything; a deeper requirement as the root shows its part in full._",
    );
  });

  it("a hostile title cannot end the label or the fence", () => {
    const evil = repo({ "requirements/a.yml": yaml({ id: "REQ-1", title: '"] --> X[click X call alert()] ```', text: "a" }) }, {});
    const source = renderMermaid(buildTraceGraph(buildReport(evil), "REQ-1"));
    expect(source).toBe('graph LR\n  R0["REQ-1: #34;#93; --#62; X#91;click X call alert#40;#41;#93; #96;#96;#96;"]:::active\n  classDef active fill:#fff3cd,stroke:#9a6700');
  });
});

describe("the graph in the reports", () => {
  it("report --root: the subtree only, with the records and work items that name it, and its graph", () => {
    const sub = buildReport(check, ITEMS, { exemptLabels: ["question"], root: "REQ-1" });
    expect(sub.root).toBe("REQ-1");
    expect(sub.requirements.map((r) => r.id)).toEqual(["REQ-1", "REQ-5"]);
    expect(sub.tree).toEqual([{ id: "REQ-1", depth: 0, repeated: false }, { id: "REQ-5", depth: 1, repeated: false }]);
    expect(sub.records.map((r) => r.id)).toEqual(["CR-1"]);
    expect(sub.workItems!.map((i) => i.number)).toEqual([1, 8, 9]);
    expect(sub.summary.requirements).toEqual({ total: 2, active: 2, draft: 0, retired: 0, baselined: 2, pending: 0 });
    expect(sub.graph!.nodes.map((n) => n.key)).toEqual(["R0", "I1", "I9", "E0", "E1", "R5", "I8"]);
    const md = renderReportMarkdown(sub);
    expect(md.startsWith("# Traceability report: REQ-1 and its descendants\n")).toBe(true);
    expect(md).toContain('## Trace graph\n\nRequirement → children → issues → evidence.\n\n```mermaid\ngraph LR\n  R0["REQ-1: Lock after failures"]:::baselined\n');
    const html = renderReportHtml(sub);
    expect(html).toContain('<pre class="mermaid">graph LR\n  R0[&quot;REQ-1: Lock after failures&quot;]:::baselined\n');
    expect(html).toContain("  R0 --&gt; I1\n");
    expect(html).not.toContain("<script src");
  });

  it("a whole report has no graph", () => {
    expect(report.graph).toBeUndefined();
    expect(renderReportMarkdown(report)).not.toContain("```mermaid");
  });

  it("trace --format md: the chain as Markdown, with the graph", () => {
    const trace = traceRequirement(check, "REQ-1", ITEMS, { graph: true });
    const md = renderTraceMarkdown(trace);
    expect(md.startsWith("# REQ-1: Lock after failures\n\n> Lock after 5 failures.\n\n- Status: active, baselined\n")).toBe(true);
    expect(md).toContain("## Trace graph\n\n```mermaid\ngraph LR\n");
    expect(md).toContain("## Children\n\n- **REQ-5** Unlock by email · active, baselined\n");
    expect(md).toContain("## Work items\n\n- #1 open: Implement lockout (traced)\n- #9 open: Rate limiter (bad references; REQ-6: active but not in the baseline lock yet)\n");
    expect(renderTraceMarkdown(traceRequirement(check, "REQ-01"))).toBe("REQ-01 is not a requirement in this repository. Did you mean REQ-1?\n");
  });
});
