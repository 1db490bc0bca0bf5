// The trace graph of one requirement's subtree (SPEC 3, `trace --format md`, `report --root ID`):
// requirement → children → issues → evidence, as plain nodes and edges for render/mermaid.ts.
//
// Bounded: at most `maxNodes` nodes and `maxEdges` edges, taken breadth-first from the root (each
// requirement followed by its issues and evidence, so the top of the tree shows whole chains); what does
// not fit is counted in `omitted`, never silently dropped. Issues and evidence shared by several
// requirements are one node each.
import type { ReportRequirement, ReportWorkItem, TraceReport } from "./report.js";

/** Readable in a rendered Mermaid graph; larger subtrees get a note and a table elsewhere in the report. */
export const GRAPH_MAX_NODES = 120;
/** Mermaid refuses graphs over 500 edges by default (`maxEdges`). */
export const GRAPH_MAX_EDGES = 400;

export type GraphNodeKind = "requirement" | "issue" | "evidence";

export interface GraphNode {
  /** A Mermaid node ID: R0, I12, E3 (never derived from user text). */
  key: string;
  kind: GraphNodeKind;
  /** Plain text; the renderer escapes it. */
  label: string;
  /** Style class: the requirement's state (gap, baselined, draft, retired), the issue's state, the evidence status. */
  style: string;
}

export interface TraceGraph {
  root: string;
  nodes: GraphNode[];
  edges: Array<{ from: string; to: string }>;
  /** What did not fit, counted per kind (distinct items of the subtree). */
  omitted: { requirements: number; issues: number; evidence: number; edges: number };
  limits: { nodes: number; edges: number };
}

export function buildTraceGraph(report: TraceReport, root: string, limits: { nodes?: number; edges?: number } = {}): TraceGraph {
  const maxNodes = limits.nodes ?? GRAPH_MAX_NODES;
  const maxEdges = limits.edges ?? GRAPH_MAX_EDGES;
  const byId = new Map(report.requirements.map((r) => [r.id, r]));
  const items = new Map((report.workItems ?? []).map((i) => [i.number, i]));
  const graph: TraceGraph = { root, nodes: [], edges: [], omitted: { requirements: 0, issues: 0, evidence: 0, edges: 0 }, limits: { nodes: maxNodes, edges: maxEdges } };
  const keyOf = new Map<string, string>(); // "r:ID", "i:12", "e:file\0test" -> node key
  const unshown = { requirements: new Set<string>(), issues: new Set<string>(), evidence: new Set<string>() };
  let evidenceCount = 0;

  const node = (id: string, make: () => GraphNode, bucket: Set<string>): string | undefined => {
    const known = keyOf.get(id);
    if (known !== undefined) return known;
    if (graph.nodes.length >= maxNodes) {
      bucket.add(id);
      return undefined;
    }
    const n = make();
    graph.nodes.push(n);
    keyOf.set(id, n.key);
    return n.key;
  };
  const edge = (from: string | undefined, to: string | undefined) => {
    if (from === undefined || to === undefined) return;
    if (graph.edges.length >= maxEdges) graph.omitted.edges++;
    else graph.edges.push({ from, to });
  };

  // Breadth-first over children; a requirement reached twice (two parents, a cycle) is one node, with
  // an edge from every parent that is shown.
  const queue: string[] = [root];
  const queued = new Set<string>([root]);
  const parentsOf = new Map<string, string[]>();
  for (let at = 0; at < queue.length; at++) {
    const id = queue[at]!;
    const r = byId.get(id);
    if (!r) continue;
    const key = node(`r:${id}`, () => ({ key: `R${keyOf.size}`, kind: "requirement", label: `${r.id}: ${r.title}`, style: requirementStyle(r) }), unshown.requirements);
    for (const parent of parentsOf.get(id) ?? []) edge(parent, key);
    parentsOf.delete(id);
    for (const number of r.workItems) {
      const item = items.get(number);
      edge(key, node(`i:${number}`, () => ({ key: `I${number}`, kind: "issue", label: issueLabel(number, item), style: item?.state ?? "open" }), unshown.issues));
    }
    for (const e of r.evidence) {
      const test = (e as { test?: { name: string } }).test?.name;
      edge(key, node(`e:${e.file}\0${test ?? ""}`, () => ({ key: `E${evidenceCount++}`, kind: "evidence", label: test !== undefined ? `${e.file}: ${test}` : e.file, style: `ev-${evidenceStatus(r, e)}` }), unshown.evidence));
    }
    for (const child of r.children) {
      const placed = keyOf.get(`r:${child}`);
      if (placed !== undefined) {
        edge(key, placed);
        continue;
      }
      if (key !== undefined) {
        const list = parentsOf.get(child);
        if (list) list.push(key);
        else parentsOf.set(child, [key]);
      }
      if (!queued.has(child)) {
        queued.add(child);
        queue.push(child);
      }
    }
  }
  graph.omitted.requirements = unshown.requirements.size;
  graph.omitted.issues = unshown.issues.size;
  graph.omitted.evidence = unshown.evidence.size;
  return graph;
}

/** The outcome of the test results tied through this tag: failed over passed over skipped; else not run or tagged. */
function evidenceStatus(r: ReportRequirement, e: { file: string; line: number }): string {
  const statuses = new Set(r.results.filter((x) => x.tag?.file === e.file && x.tag.line === e.line).map((x) => x.status));
  for (const s of ["failed", "passed", "skipped"] as const) if (statuses.has(s)) return s;
  return r.verificationStatus === "tagged" ? "tagged" : "not-run";
}

function requirementStyle(r: ReportRequirement): string {
  if (r.status !== "active") return r.status;
  if (r.gaps.length > 0) return "gap";
  return r.baselined ? "baselined" : "active";
}

function issueLabel(number: number, item: ReportWorkItem | undefined): string {
  if (!item) return `#${number}`;
  return `#${number}${item.isPullRequest ? " PR" : ""} (${item.state}): ${item.title}`;
}
