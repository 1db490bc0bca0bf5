// Whole-set checks over parsed requirements (SPEC 1.1): duplicate IDs, unknown parents, parent cycles,
// retired/superseded_by, active requirements refining inactive ones. Per-file checks (schema, ID shape,
// prefixes, self-parent) belong to parse-requirements.ts and are not repeated here.
// Everything is linear in requirements + parent edges: one ID index, one iterative SCC pass.
import { cmp, diagnostic, type Diagnostic, type YamlPath } from "../core/diagnostic.js";
import { closestId, idPrefix, isIdShape } from "./ids.js";
import type { Requirement } from "./requirement.js";

export interface ValidateOptions {
  /**
   * Configured requirement prefixes. When given, parents with another prefix are skipped: the parser has
   * already reported them as "unknown-prefix".
   */
  prefixes?: ReadonlySet<string>;
}

export interface ValidatedRequirements {
  /** Each ID's first definition. */
  byId: Map<string, Requirement>;
  diagnostics: Diagnostic[];
}

/** How to fix a duplicate requirement ID, wherever it is found. */
export const DUPLICATE_HINT = "IDs must be unique: give one of the two requirements a new ID";

/** A cycle message lists at most this many members; `related` still names every member. */
const MAX_CYCLE_MEMBERS_SHOWN = 50;

/** ID comparisons that all `closestId` edit-distance scans of one suggester may spend together. */
export const SUGGESTION_SCAN_BUDGET = 200_000;

export function validateRequirements(requirements: readonly Requirement[], options: ValidateOptions = {}): ValidatedRequirements {
  const diagnostics: Diagnostic[] = [];
  // One string-keyed index serves every check and the graph: map lookups dominate the cost at 100k items.
  const index = new Map<string, number>();
  const nodes: Requirement[] = []; // first definitions, in input order
  const byId = new Map<string, Requirement>();
  let edgeCount = 0;
  for (const r of requirements) {
    edgeCount += r.parents.length;
    const v = index.get(r.id);
    if (v === undefined) {
      index.set(r.id, nodes.length);
      nodes.push(r);
      byId.set(r.id, r);
      continue;
    }
    const first = nodes[v]!;
    diagnostics.push(
      diagnostic({
        code: "duplicate-id",
        file: r.origin.file,
        path: at(r, "id"),
        message: `${r.id} is already defined in ${first.origin.file}`,
        hint: DUPLICATE_HINT,
        related: [place(first, at(first, "id"))],
      }),
    );
  }

  // Parent edges of first definitions in compressed rows: node v's parents are edges[start[v] .. start[v + 1]).
  const graph: Graph = { start: new Int32Array(nodes.length + 1), edges: new Int32Array(edgeCount), slots: new Int32Array(edgeCount) };
  const suggest = idSuggester(byId);
  let e = 0;
  let next = 0; // first definitions come in the same order as `nodes`
  for (const r of requirements) {
    const isNode = nodes[next] === r;
    if (isNode) graph.start[next] = e;
    const parents = r.parents;
    for (let i = 0; i < parents.length; i++) {
      const parentId = parents[i]!;
      const w = index.get(parentId);
      // Self-parents are the parser's diagnostic ("parent-cycle"), and not an edge here.
      if (w === undefined) {
        checkUnknownParent(r, i, options.prefixes, suggest, diagnostics);
      } else if (parentId !== r.id) {
        checkParentStatus(r, i, nodes[w]!, diagnostics);
        if (isNode) {
          graph.edges[e] = w;
          graph.slots[e++] = i;
        }
      }
    }
    if (isNode) next++;
    if (r.status === "retired" && r.supersededBy !== undefined) checkSuperseded(r, byId, suggest, diagnostics);
  }
  graph.start[nodes.length] = e;
  reportCycles(nodes, graph, diagnostics);
  return { byId, diagnostics };
}

type Suggest = (wanted: string) => string | undefined;

/** What a check of references needs to know of the requirement referenced. */
export interface ReferencedRequirement {
  id: string;
  status: string;
  supersededBy?: string | undefined;
}

/** The requirements a reference may name, by ID (a Map, or a view over a lock that copies nothing). */
export interface KnownRequirements {
  get(id: string): ReferencedRequirement | undefined;
  keys(): Iterable<string>;
  /** At least the number of keys (it bounds the work of "did you mean" suggestions). */
  readonly size: number;
}

/**
 * The references of `requirements` (parents, `superseded_by`) checked against `known`, every requirement
 * the caller can see: the same diagnostics, in the same words, as `validateRequirements` gives for the
 * same facts. The change pipeline calls it for the changed requirements with the head's requirements and
 * the base lock (it reads no other file), so that the pull-request check and `check --base` agree.
 * Cycles need the whole graph and are left to `validateRequirements`.
 */
export function checkReferences(requirements: readonly Requirement[], known: KnownRequirements, options: ValidateOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const suggest = idSuggester(known);
  for (const r of requirements) {
    r.parents.forEach((parentId, i) => {
      const parent = known.get(parentId);
      if (parent === undefined) checkUnknownParent(r, i, options.prefixes, suggest, diagnostics);
      else if (parentId !== r.id) checkParentStatus(r, i, parent, diagnostics);
    });
    if (r.status === "retired" && r.supersededBy !== undefined) checkSuperseded(r, known, suggest, diagnostics);
  }
  return diagnostics;
}

function checkUnknownParent(r: Requirement, i: number, prefixes: ReadonlySet<string> | undefined, suggest: Suggest, out: Diagnostic[]): void {
  const parentId = r.parents[i]!;
  // Malformed IDs and unconfigured prefixes are the parser's diagnostics.
  if (!isIdShape(parentId)) return;
  if (prefixes !== undefined && !prefixes.has(idPrefix(parentId)!)) return;
  const near = suggest(parentId);
  out.push(
    diagnostic({
      code: "unknown-parent",
      file: r.origin.file,
      path: at(r, "parents", i),
      message: `${r.id} refines ${parentId}, which is not defined`,
      hint: near !== undefined ? `did you mean ${near}?` : `define ${parentId}, or remove it from parents`,
    }),
  );
}

function checkParentStatus(r: Requirement, i: number, parent: ReferencedRequirement, out: Diagnostic[]): void {
  if (r.status !== "active" || parent.status === "active") return;
  out.push(
    diagnostic({
      code: "parent-not-active",
      severity: "warning",
      file: r.origin.file,
      path: at(r, "parents", i),
      message: `${r.id} refines ${parent.id}, which is ${parent.status}`,
      hint:
        parent.status === "draft"
          ? `activate ${parent.id}, or make ${r.id} a draft too`
          : parent.supersededBy !== undefined
            ? `${parent.id} is superseded by ${parent.supersededBy}: refine that instead`
            : `refine an active requirement instead of ${parent.id}`,
    }),
  );
}

function checkSuperseded(r: Requirement, byId: KnownRequirements, suggest: Suggest, out: Diagnostic[]): void {
  // Only for retired requirements: superseded_by on others is the parser's "superseded-not-retired".
  const targetId = r.supersededBy!;
  const target = byId.get(targetId);
  const path = at(r, "superseded_by");
  if (targetId === r.id) {
    out.push(diagnostic({ code: "superseded-invalid", file: r.origin.file, path, message: `${r.id}: superseded_by must name an active requirement, not ${r.id} itself`, hint: "name the requirement that replaces it, or remove superseded_by" }));
  } else if (target === undefined) {
    // A retired requirement cannot be its own successor: never suggest it.
    const suggestion = suggest(targetId);
    const near = suggestion === r.id ? undefined : suggestion;
    out.push(
      diagnostic({
        code: "superseded-unknown",
        file: r.origin.file,
        path,
        message: `${r.id} is superseded by ${targetId}, which is not defined`,
        hint: near !== undefined ? `did you mean ${near}?` : "name the requirement that replaces it, or remove superseded_by if it was simply withdrawn",
      }),
    );
  } else if (target.status !== "active") {
    out.push(
      diagnostic({
        code: "superseded-invalid",
        file: r.origin.file,
        path,
        message: `${r.id}: superseded_by must name an active requirement; ${targetId} is ${target.status}`,
        hint:
          target.status === "retired" && target.supersededBy !== undefined
            ? `${targetId} is itself superseded by ${target.supersededBy}: name that instead`
            : `activate ${targetId}, or name another requirement`,
      }),
    );
  }
}

interface Graph {
  start: Int32Array;
  edges: Int32Array;
  /** For each edge, its index in the child's `parents`, to place diagnostics on the entry itself. */
  slots: Int32Array;
}

/**
 * Reports every parent cycle once: one diagnostic per strongly connected component with more than one
 * member (self-parents are not edges). Iterative Tarjan, so 100k-deep chains cannot overflow the stack.
 */
function reportCycles(nodes: readonly Requirement[], graph: Graph, out: Diagnostic[]): void {
  const n = nodes.length;
  const { start, edges } = graph;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let sp = 0;
  let cp = 0;
  let counter = 0;
  let components = 0;
  const cycles: number[][] = [];

  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    order[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[cp] = root;
    callEdge[cp] = start[root]!;
    cp++;
    while (cp > 0) {
      const v = callNode[cp - 1]!;
      const e = callEdge[cp - 1]!;
      if (e < start[v + 1]!) {
        callEdge[cp - 1] = e + 1;
        const w = edges[e]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[cp] = w;
          callEdge[cp] = start[w]!;
          cp++;
        } else if (onStack[w] === 1 && order[w]! < low[v]!) {
          low[v] = order[w]!;
        }
        continue;
      }
      cp--;
      if (cp > 0) {
        const u = callNode[cp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] !== order[v]) continue;
      const members: number[] = [];
      let w: number;
      do {
        w = stack[--sp]!;
        onStack[w] = 0;
        component[w] = components;
        members.push(w);
      } while (w !== v);
      if (members.length > 1) cycles.push(members);
      components++;
    }
  }
  if (cycles.length === 0) return;

  const previous = new Int32Array(n).fill(-1);
  const previousSlot = new Int32Array(n);
  for (const members of cycles) {
    const smallest = members.reduce((a, b) => (cmp(nodes[b]!.id, nodes[a]!.id) < 0 ? b : a));
    const cycle = shortestCycle(smallest, graph, component, previous, previousSlot);
    out.push(cycleDiagnostic(cycle, members, nodes));
  }
}

/**
 * The shortest cycle through `s` inside its component, by breadth-first search: each step is
 * [node, index in its `parents` of the edge to the next node]. Linear in the component's size.
 */
function shortestCycle(
  s: number,
  { start, edges, slots }: Graph,
  component: Int32Array,
  previous: Int32Array,
  previousSlot: Int32Array,
): Array<[number, number]> {
  const queue = [s];
  const visited: number[] = [];
  let last = -1;
  let lastSlot = -1;
  for (let head = 0; head < queue.length && last === -1; head++) {
    const v = queue[head]!;
    for (let e = start[v]!; e < start[v + 1]!; e++) {
      const w = edges[e]!;
      if (component[w] !== component[s]) continue;
      if (w === s) {
        last = v;
        lastSlot = slots[e]!;
        break;
      }
      if (previous[w] !== -1) continue;
      previous[w] = v;
      previousSlot[w] = slots[e]!;
      visited.push(w);
      queue.push(w);
    }
  }
  const steps: Array<[number, number]> = [[last, lastSlot]];
  for (let v = last; v !== s; v = previous[v]!) steps.push([previous[v]!, previousSlot[v]!]);
  for (const v of visited) previous[v] = -1; // reset only what was touched, for the next component
  return steps.reverse();
}

function cycleDiagnostic(cycle: Array<[number, number]>, members: readonly number[], nodes: readonly Requirement[]): Diagnostic {
  const ids = cycle.map(([v]) => nodes[v]!.id);
  const shown =
    ids.length <= MAX_CYCLE_MEMBERS_SHOWN
      ? ids
      : [...ids.slice(0, MAX_CYCLE_MEMBERS_SHOWN - 1), `… (${ids.length - MAX_CYCLE_MEMBERS_SHOWN} more) …`, ids.at(-1)!];
  const onCycle = new Set(cycle.map(([v]) => v));
  const others = members.filter((v) => !onCycle.has(v)).sort((a, b) => cmp(nodes[a]!.id, nodes[b]!.id));
  const otherIds = others.slice(0, MAX_CYCLE_MEMBERS_SHOWN).map((v) => nodes[v]!.id);
  const also =
    others.length === 0
      ? ""
      : `; ${otherIds.join(", ")}${others.length > MAX_CYCLE_MEMBERS_SHOWN ? ", …" : ""} ${others.length === 1 ? "is" : "are"} caught in it too`;
  const [[head, headSlot]] = cycle as [[number, number]];
  const first = nodes[head]!;
  const related = [
    ...cycle.slice(1).map(([v, slot]) => place(nodes[v]!, at(nodes[v]!, "parents", slot))),
    ...others.map((v) => place(nodes[v]!, at(nodes[v]!, "id"))),
  ];
  return diagnostic({
    code: "parent-cycle",
    file: first.origin.file,
    path: at(first, "parents", headSlot),
    message: `parent cycle: ${[...shown, ids[0]].join(" → ")}${also}`,
    hint: "a requirement cannot refine itself through its parents: remove one of these parent links",
    related,
  });
}

function at(r: Requirement, ...rest: Array<string | number>): YamlPath {
  return [...r.origin.path, ...rest];
}

function place(r: Requirement, path: YamlPath): { file: string; line: number; column: number; path: YamlPath } {
  return { file: r.origin.file, line: 0, column: 0, path };
}

/**
 * `closestId` over one fixed ID set, for many questions ("did you mean …?" for every unknown reference).
 * closestId scans every known ID (~0.2 s for 100k IDs), so a set where a missing file leaves thousands
 * of references dangling would take minutes. Here the zero-padding answers (REQ-12 → REQ-012, closestId's
 * first choice) come from an index in O(1); the edit-distance scan runs only while `scanBudget` ID
 * comparisons last, after which the answer is undefined (a generic hint). Answers are memoised.
 */
export function idSuggester(known: { keys(): Iterable<string>; readonly size: number }, scanBudget = SUGGESTION_SCAN_BUDGET): (wanted: string) => string | undefined {
  let padded: Map<string, string[]> | undefined;
  const memo = new Map<string, string | undefined>();
  let budget = scanBudget;
  const answer = (wanted: string): string | undefined => {
    const key = paddingKey(wanted);
    if (key !== undefined && padded === undefined) {
      padded = new Map();
      for (const id of known.keys()) {
        const k = paddingKey(id);
        if (k === undefined) continue;
        const list = padded.get(k);
        if (list) list.push(id);
        else padded.set(k, [id]);
      }
    }
    const variants = key === undefined ? undefined : padded?.get(key);
    let best: string | undefined;
    for (const id of variants ?? []) {
      if (id !== wanted && (best === undefined || cmp(id, best) < 0)) best = id;
    }
    if (best !== undefined) return best;
    if (budget < known.size) return undefined;
    budget -= known.size;
    return closestId(wanted, known.keys());
  };
  return (wanted) => {
    if (!memo.has(wanted)) memo.set(wanted, answer(wanted));
    return memo.get(wanted);
  };
}

/** PREFIX-NUMBER with the number's zero padding removed: the IDs closestId calls equal but for padding. */
function paddingKey(id: string): string | undefined {
  const prefix = idPrefix(id);
  return prefix === undefined ? undefined : `${prefix}-${Number(id.slice(prefix.length + 1))}`;
}
