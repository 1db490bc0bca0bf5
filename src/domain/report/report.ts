// The traceability model behind `reqgate report` and `reqgate trace ID` (SPEC 3): requirements, their
// hierarchy, the change records that moved them, verification evidence and work items, and the gaps
// between them. Pure and plain data: the renderers in render/ turn it into Markdown, JSON, CSV or HTML.
//
// Every index (children, records by requirement, work items by requirement, lock entries) is built once;
// nothing here loops over items inside a loop over items, and graph walks are iterative (no recursion
// depth limit on long parent chains).
//
// Gap rules (what the report calls at risk):
// - no-work: a baselined active requirement that no work item names, directly or through an active
//   descendant (a system requirement is worked on through the requirements that refine it). Only
//   assessed when work items were given; open and closed items both count (closed is done work).
// - no-evidence: a baselined active requirement with `verification: test` (or a method that
//   `verification.required` demands) and no evidence: no `@verifies` line and no test result naming it.
//   Analysis, inspection and demonstration are otherwise verified by documents and reviews, not by test
//   code, so a missing `@verifies` there is not a gap (their evidence is still shown when present).
// - failed-evidence: a baselined active requirement whose tied test results include a failure.
// - not-decomposed: a baselined active requirement of a higher level with no active child. A prefix is
//   a higher level when a requirement of another prefix names a parent of that prefix (SYS when a REQ
//   refines SYS-1); refinement inside one prefix does not make every leaf of that prefix a gap.
// - unlinked work: an issue (not a pull request) that names no requirement, unless it carries an exempt
//   label. Pull requests are traced through the issues they resolve, which an issue list does not show.
// - bad references: a work item naming an unknown ID (with the closest ID), a draft, a retired
//   requirement (with superseded_by), or an active requirement that is not in the baseline lock yet.
//
// "Baselined" follows SPEC 1.2: the committed lock lists the requirement as active.
import type { ChangeKind, LockEntry } from "../baseline/baseline.js";
import { openLinks } from "../baseline/links.js";
import type { RepoCheck, RepoLockState } from "../check/check-repository.js";
import { cmp, type Diagnostic } from "../core/diagnostic.js";
import type { EvidenceRef } from "../requirements/evidence.js";
import { closestId, idPrefix } from "../requirements/ids.js";
import type { Requirement, Status, VerificationMethod } from "../requirements/requirement.js";
import { idSuggester } from "../requirements/validate.js";
import type { EvidenceStatus, TestResultRef } from "../verification/verification.js";
import type { Provenance } from "./provenance.js";
import type { ApprovalLookupSummary, RecordApproval } from "./record-approvals.js";
import { buildTraceGraph, type TraceGraph } from "./trace-graph.js";
import type { WorkItem } from "./work-items.js";

export const REPORT_VERSION = 1;

export type GapKind = "no-work" | "no-evidence" | "failed-evidence" | "not-decomposed";

export interface ReportRequirement {
  id: string;
  title: string;
  /** The normative statement; absent for a requirement left only in the lock. */
  text?: string;
  status: Status;
  /** The file that defines it; for a requirement left only in the lock, the path the lock records. */
  file: string;
  parents: string[];
  /** IDs of the requirements that name this one as a parent, sorted. */
  children: string[];
  /** The committed lock lists it as active. */
  baselined: boolean;
  /** How the files differ from the lock until the next `reqgate baseline` (removed: only the lock has it). */
  pendingChange?: ChangeKind;
  /** The change record that last moved its lock entry. */
  lastChange?: string;
  /** Every change record whose `affects` lists it, sorted. */
  changeRecords: string[];
  verification?: VerificationMethod;
  supersededBy?: string;
  owner?: string;
  tags: string[];
  /** `@verifies` lines naming it (with the test each belongs to, when one was recognised). */
  evidence: EvidenceRef[];
  /** `@implements` lines naming it, in source code. */
  implementations: EvidenceRef[];
  /** passed / failed / skipped / not-run (test results configured), tagged (not configured), missing. */
  verificationStatus: EvidenceStatus;
  /** Test cases from the JUnit results tied to it. */
  results: TestResultRef[];
  /** Numbers of the work items that name it, ascending. */
  workItems: number[];
  /** True when it has work, directly or through an active descendant (false when no work items were given). */
  hasWork: boolean;
  /** Open suspect links that concern it: as the child, or as the requirement its evidence verifies. Absent: none. */
  suspect?: ReportSuspectLink[];
  gaps: GapKind[];
}

/** A suspect link of the lock not yet reviewed (SPEC 2.5): a child whose parent moved, or evidence of a moved requirement. */
export interface ReportSuspectLink {
  kind: "child" | "evidence";
  /** The child's ID, or the evidence file. */
  item: string;
  /** The parent, or the requirement the evidence verifies. */
  moved: string;
  change: string;
}

export interface ReportRecord {
  id: string;
  title: string;
  rationale: string;
  file: string;
  affects: string[];
  /** The lock lists it as applied. */
  applied: boolean;
  /** The lock names it, but no change record file defines it any more. */
  missing?: boolean;
  /** With --github: the pull request that applied it and who approved it (applied records only). */
  approval?: RecordApproval;
}

export type ReferenceProblem = "unknown" | "draft" | "retired" | "not-baselined";

export interface ReportReference {
  id: string;
  problem?: ReferenceProblem;
  /** For unknown IDs: the closest existing ID. */
  suggestion?: string;
  /** For retired requirements. */
  supersededBy?: string;
}

/**
 * traced: names requirements, all baselined and active. unlinked: an issue naming none. bad-references:
 * names an unknown, draft, retired or unbaselined ID. exempt: carries an exempt label. pull-request: a
 * pull request naming no requirement (traced through the issues it resolves).
 */
export type WorkItemTrace = "traced" | "unlinked" | "bad-references" | "exempt" | "pull-request";

export interface ReportWorkItem extends WorkItem {
  trace: WorkItemTrace;
  references: ReportReference[];
}

export interface TreeNode {
  id: string;
  depth: number;
  /** Already shown under another parent (or part of a cycle): render a reference, not the subtree. */
  repeated: boolean;
}

export interface Coverage {
  covered: number;
  total: number;
  /** One decimal; null when there is nothing to cover. */
  percent: number | null;
}

export interface ReportSummary {
  lockState: RepoLockState;
  requirements: { total: number; active: number; draft: number; retired: number; baselined: number; pending: number };
  records: { total: number; applied: number };
  /** Absent when no work items were given. */
  workItems?: { total: number; open: number; closed: number; pullRequests: number; traced: number; unlinked: number; badReferences: number; exempt: number };
  coverage: {
    /** Baselined active requirements with work; absent when no work items were given. */
    work?: Coverage;
    /** Baselined active requirements with `verification: test` (or a required method) that have evidence. */
    evidence: Coverage;
    /** Of those, the ones whose evidence passed; absent when no test results are configured. */
    passing?: Coverage;
    /** Baselined active requirements named by `@implements` in source code. */
    implementation: Coverage;
    /** Baselined active higher-level requirements with an active child. */
    decomposition: Coverage;
  };
  /** Baselined active requirements that need evidence, by the status of their evidence. */
  verification: Record<EvidenceStatus, number>;
  diagnostics: { errors: number; warnings: number };
}

export interface ReportGaps {
  /** Absent when no work items were given. */
  noWork?: string[];
  noEvidence: string[];
  failedEvidence: string[];
  notDecomposed: string[];
  /** Issue numbers; absent when no work items were given. */
  unlinkedWork?: number[];
  badReferences?: number[];
  /** Open suspect links of the lock (absent when the lock has none). */
  suspect?: ReportSuspectLink[];
}

export interface TraceReport {
  summary: ReportSummary;
  /** Sorted by ID, numbers in numeric order (REQ-2 before REQ-10). */
  requirements: ReportRequirement[];
  /** The hierarchy in display order: roots first, each followed by its subtree. */
  tree: TreeNode[];
  records: ReportRecord[];
  /** Sorted by number; absent when no work items were given. */
  workItems?: ReportWorkItem[];
  gaps: ReportGaps;
  /** Prefixes treated as higher levels (the not-decomposed rule). */
  higherLevelPrefixes: string[];
  /** The findings of `reqgate check` on the same snapshot, in its order. */
  diagnostics: ReportDiagnostic[];
  /** Where the report came from; set by the caller that knows (the CLI). */
  provenance?: Provenance;
  /** With --github: how the records' approvals were read (set by the CLI with each record's `approval`). */
  approvals?: ApprovalLookupSummary;
  /** `report --root ID`: the report covers this requirement and its descendants only. */
  root?: string;
  /** The trace graph of `root`'s subtree (requirement → children → issues → evidence), bounded. */
  graph?: TraceGraph;
}

/** A diagnostic as the report carries it: where and what, without the YAML path and related places. */
export type ReportDiagnostic = Pick<Diagnostic, "severity" | "code" | "file" | "line" | "column" | "message" | "hint">;

export interface ReportOptions {
  /** Issues with any of these labels are never unlinked work (config `issues.exempt_labels`). */
  exemptLabels?: readonly string[];
  /** Verification methods whose evidence is demanded (config `verification.required`). */
  requiredMethods?: readonly VerificationMethod[];
  /**
   * Only this requirement and its descendants, with the change records and work items that name them
   * (the caller checks that the ID exists), and their trace graph.
   */
  root?: string;
}

export function buildReport(check: RepoCheck, workItems?: readonly WorkItem[], options: ReportOptions = {}): TraceReport {
  const lockEntries = new Map<string, LockEntry>((check.lock?.entries ?? []).map((e) => [e.id, e]));
  const applied = new Set(check.lock?.applied ?? []);
  const pending = new Map(check.baseline.changes.map((c) => [c.id, c.kind]));

  // Requirements from the files (first definition of each ID), then those only the lock still has.
  const reqs = new Map<string, Requirement>(check.byId);
  const ids = [...reqs.keys()];
  for (const id of lockEntries.keys()) if (!reqs.has(id)) ids.push(id);
  ids.sort(compareIds);

  const children = new Map<string, string[]>();
  const higher = new Set<string>();
  // Prefix -> the other prefixes it refines (REQ -> SYS): the levels of the hierarchy.
  const refines = new Map<string, Set<string>>();
  for (const r of reqs.values()) {
    const own = idPrefix(r.id);
    for (const parent of new Set(r.parents)) {
      push(children, parent, r.id);
      const prefix = idPrefix(parent);
      if (prefix !== undefined && own !== undefined && prefix !== own) {
        higher.add(prefix);
        if (!refines.has(own)) refines.set(own, new Set());
        refines.get(own)!.add(prefix);
      }
    }
  }
  for (const list of children.values()) list.sort(compareIds);

  const recordsByReq = new Map<string, string[]>();
  for (const record of check.records) for (const id of new Set(record.affects)) push(recordsByReq, id, record.id);
  for (const list of recordsByReq.values()) list.sort(compareIds);

  const items = workItems ? [...workItems].sort((a, b) => a.number - b.number) : undefined;
  const workByReq = new Map<string, number[]>();
  for (const item of items ?? []) for (const id of new Set(item.requirementIds)) push(workByReq, id, item.number);

  const isActive = (id: string) => (reqs.get(id)?.status ?? lockEntries.get(id)?.status) === "active";
  const activeChildren = (id: string) => (children.get(id) ?? []).filter((c) => reqs.get(c)?.status === "active");
  const covered = items ? workCoverage(ids, activeChildren, (id) => workByReq.has(id)) : new Set<string>();
  const demanded = new Set<VerificationMethod>(["test", ...(options.requiredMethods ?? [])]);

  const allRequirements: ReportRequirement[] = ids.map((id) => {
    const r = reqs.get(id);
    const entry = lockEntries.get(id);
    const baselined = entry?.status === "active";
    const row: ReportRequirement = {
      id,
      title: r?.title ?? entry!.title,
      status: r?.status ?? entry!.status,
      file: r?.origin.file ?? entry!.path,
      parents: r ? [...r.parents] : [],
      children: children.get(id) ?? [],
      baselined,
      changeRecords: recordsByReq.get(id) ?? [],
      tags: r ? [...r.tags] : [],
      evidence: check.evidence.get(id) ?? [],
      implementations: check.implementations.get(id) ?? [],
      verificationStatus: check.verification.get(id)?.status ?? "missing",
      results: check.verification.get(id)?.results ?? [],
      workItems: workByReq.get(id) ?? [],
      hasWork: covered.has(id),
      gaps: [],
    };
    const kind = pending.get(id);
    if (kind !== undefined) row.pendingChange = kind;
    if (r) row.text = r.text;
    if (entry) row.lastChange = entry.change;
    if (r?.verification) row.verification = r.verification;
    const supersededBy = r?.supersededBy ?? entry?.supersededBy;
    if (supersededBy !== undefined) row.supersededBy = supersededBy;
    if (r?.owner !== undefined) row.owner = r.owner;
    if (baselined && isActive(id)) {
      if (items && !row.hasWork) row.gaps.push("no-work");
      if (row.verification !== undefined && demanded.has(row.verification) && row.verificationStatus === "missing") row.gaps.push("no-evidence");
      if (row.verificationStatus === "failed") row.gaps.push("failed-evidence");
      const prefix = idPrefix(id);
      if (prefix !== undefined && higher.has(prefix) && activeChildren(id).length === 0) row.gaps.push("not-decomposed");
    }
    return row;
  });

  // A subtree: the root and its descendants, and only what names them.
  const inScope = options.root !== undefined ? subtreeOf(options.root, children) : undefined;
  const requirements = inScope ? allRequirements.filter((r) => inScope.has(r.id)) : allRequirements;
  const scopedRecords = inScope ? check.records.filter((r) => r.affects.some((id) => inScope.has(id))) : check.records;
  const scopedItems = inScope ? items?.filter((i) => i.requirementIds.some((id) => inScope.has(id))) : items;

  const links = openLinks(check.lock)
    .filter((l) => !inScope || inScope.has(l.kind === "child" ? l.item : l.moved))
    .map((l): ReportSuspectLink => ({ kind: l.kind, item: l.item, moved: l.moved, change: l.change }));
  const linksOf = new Map<string, ReportSuspectLink[]>();
  for (const l of links) push(linksOf, l.kind === "child" ? l.item : l.moved, l);
  for (const row of requirements) {
    const own = linksOf.get(row.id);
    if (own) row.suspect = own;
  }

  const records: ReportRecord[] = [...scopedRecords].sort((a, b) => compareIds(a.id, b.id)).map((r) => ({ id: r.id, title: r.title, rationale: r.rationale, file: r.origin.file, affects: [...r.affects], applied: applied.has(r.id) }));

  const classify = referenceClassifier(reqs, lockEntries);
  const exempt = new Set(options.exemptLabels ?? []);
  const reportItems = scopedItems?.map((item): ReportWorkItem => {
    const references = item.requirementIds.map(classify);
    return { ...item, trace: traceOf(item, references, exempt), references };
  });

  const byId = new Map(requirements.map((r) => [r.id, r]));
  const gaps: ReportGaps = {
    noEvidence: requirements.filter((r) => r.gaps.includes("no-evidence")).map((r) => r.id),
    failedEvidence: requirements.filter((r) => r.gaps.includes("failed-evidence")).map((r) => r.id),
    notDecomposed: requirements.filter((r) => r.gaps.includes("not-decomposed")).map((r) => r.id),
  };
  if (reportItems) {
    gaps.noWork = requirements.filter((r) => r.gaps.includes("no-work")).map((r) => r.id);
    gaps.unlinkedWork = reportItems.filter((i) => i.trace === "unlinked").map((i) => i.number);
    gaps.badReferences = reportItems.filter((i) => i.trace === "bad-references").map((i) => i.number);
  }
  if (links.length > 0) gaps.suspect = links;

  const report: TraceReport = {
    summary: summarize(check, requirements, records, reportItems, higher, demanded),
    requirements,
    // Higher levels first (SYS before REQ), so the tree reads top-down; a subtree starts at its root.
    tree: options.root !== undefined
      ? buildTree([options.root], (id) => id === options.root, children)
      : buildTree(treeOrder(ids, refines), (id) => byId.get(id)!.parents.filter((p) => byId.has(p)).length === 0, children),
    records,
    ...(reportItems ? { workItems: reportItems } : {}),
    gaps,
    higherLevelPrefixes: [...higher].sort(cmp),
    diagnostics: check.diagnostics.map((d) => ({ severity: d.severity, code: d.code, file: d.file, line: d.line, column: d.column, message: d.message, ...(d.hint !== undefined ? { hint: d.hint } : {}) })),
  };
  if (options.root !== undefined) {
    report.root = options.root;
    report.graph = buildTraceGraph(report, options.root);
  }
  return report;
}

/** A requirement and its descendants (iterative; a cycle ends where it closes). */
function subtreeOf(root: string, children: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>([root]);
  const stack = [root];
  while (stack.length > 0) for (const kid of children.get(stack.pop()!) ?? []) if (!seen.has(kid)) { seen.add(kid); stack.push(kid); }
  return seen;
}

/** People read REQ-2 before REQ-10: prefix, then number, then the exact string (REQ-012 vs REQ-12). */
export function compareIds(a: string, b: string): number {
  const pa = idPrefix(a);
  const pb = idPrefix(b);
  if (pa === undefined || pb === undefined) return cmp(a, b);
  return cmp(pa, pb) || Number(a.slice(pa.length + 1)) - Number(b.slice(pb.length + 1)) || cmp(a, b);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * IDs with work: those named by a work item, and those with an active child that has work. One iterative
 * post-order walk; a node met again while still open (a cycle, already reported by validation) counts
 * with what it has so far.
 */
function workCoverage(ids: readonly string[], activeChildren: (id: string) => string[], direct: (id: string) => boolean): Set<string> {
  const covered = new Set<string>();
  const state = new Map<string, "open" | "done">();
  for (const start of ids) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number; kids: string[] }> = [{ id: start, next: 0, kids: activeChildren(start) }];
    state.set(start, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kid = top.kids[top.next++];
      if (kid !== undefined) {
        if (!state.has(kid)) {
          state.set(kid, "open");
          stack.push({ id: kid, next: 0, kids: activeChildren(kid) });
        }
        continue;
      }
      stack.pop();
      state.set(top.id, "done");
      if (direct(top.id) || top.kids.some((k) => covered.has(k))) covered.add(top.id);
    }
  }
  return covered;
}

/**
 * IDs ordered by the level of their prefix, then by ID: a prefix refined by no other prefix is level 0
 * (STK), one that refines it level 1 (SYS), and so on (REQ). The prefix graph has a handful of nodes.
 */
function treeOrder(ids: readonly string[], refines: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const level = new Map<string, number>();
  const levelOf = (prefix: string, seen: Set<string>): number => {
    const known = level.get(prefix);
    if (known !== undefined) return known;
    if (seen.has(prefix)) return 0; // prefixes refining each other: no order between them
    seen.add(prefix);
    let value = 0;
    for (const parent of refines.get(prefix) ?? []) value = Math.max(value, levelOf(parent, seen) + 1);
    level.set(prefix, value);
    return value;
  };
  const rank = new Map(ids.map((id) => [id, levelOf(idPrefix(id) ?? "", new Set())]));
  return [...ids].sort((a, b) => rank.get(a)! - rank.get(b)! || compareIds(a, b));
}

/**
 * The hierarchy as a flat preorder list. Roots are requirements without a known parent; members of a
 * parent cycle (reachable from no root) become roots in ID order. A requirement with several parents is
 * shown in full once and as a reference under its other parents, so the list stays linear in size.
 */
function buildTree(ids: readonly string[], isRoot: (id: string) => boolean, children: ReadonlyMap<string, string[]>): TreeNode[] {
  const tree: TreeNode[] = [];
  const shown = new Set<string>();
  const walk = (root: string) => {
    const stack: Array<{ id: string; depth: number }> = [{ id: root, depth: 0 }];
    while (stack.length > 0) {
      const { id, depth } = stack.pop()!;
      const repeated = shown.has(id);
      tree.push({ id, depth, repeated });
      if (repeated) continue;
      shown.add(id);
      const kids = children.get(id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ id: kids[i]!, depth: depth + 1 });
    }
  };
  for (const id of ids) if (isRoot(id)) walk(id);
  for (const id of ids) if (!shown.has(id)) walk(id);
  return tree;
}

function referenceClassifier(reqs: ReadonlyMap<string, Requirement>, lock: ReadonlyMap<string, LockEntry>): (id: string) => ReportReference {
  // idSuggester: memoised, padding answers from an index, edit-distance scans within a budget.
  const known = new Map<string, true>();
  for (const id of reqs.keys()) known.set(id, true);
  for (const id of lock.keys()) known.set(id, true);
  const suggest = idSuggester(known);
  return (id) => {
    const entry = lock.get(id);
    if (entry?.status === "active") return { id };
    const r = reqs.get(id);
    if (entry?.status === "retired" || r?.status === "retired") {
      const supersededBy = r?.supersededBy ?? entry?.supersededBy;
      return supersededBy !== undefined ? { id, problem: "retired", supersededBy } : { id, problem: "retired" };
    }
    if (r?.status === "draft") return { id, problem: "draft" };
    if (r) return { id, problem: "not-baselined" };
    const suggestion = suggest(id);
    return suggestion !== undefined ? { id, problem: "unknown", suggestion } : { id, problem: "unknown" };
  };
}

function traceOf(item: WorkItem, references: readonly ReportReference[], exempt: ReadonlySet<string>): WorkItemTrace {
  if (item.labels.some((l) => exempt.has(l))) return "exempt";
  if (references.length === 0) return item.isPullRequest ? "pull-request" : "unlinked";
  return references.some((r) => r.problem !== undefined) ? "bad-references" : "traced";
}

function coverage(covered: number, total: number): Coverage {
  return { covered, total, percent: total === 0 ? null : Math.floor((covered * 1000) / total) / 10 };
}

function summarize(check: RepoCheck, requirements: readonly ReportRequirement[], records: readonly ReportRecord[], items: readonly ReportWorkItem[] | undefined, higher: ReadonlySet<string>, demanded: ReadonlySet<VerificationMethod>): ReportSummary {
  const count = <T>(list: readonly T[], test: (x: T) => boolean) => list.reduce((n, x) => (test(x) ? n + 1 : n), 0);
  const live = requirements.filter((r) => r.baselined && r.status === "active");
  const tested = live.filter((r) => r.verification !== undefined && demanded.has(r.verification));
  const byStatus: Record<EvidenceStatus, number> = { passed: 0, failed: 0, skipped: 0, "not-run": 0, tagged: 0, missing: 0 };
  for (const r of tested) byStatus[r.verificationStatus]++;
  const upper = live.filter((r) => higher.has(idPrefix(r.id) ?? ""));
  const summary: ReportSummary = {
    lockState: check.lockState,
    requirements: {
      total: requirements.length,
      active: count(requirements, (r) => r.status === "active"),
      draft: count(requirements, (r) => r.status === "draft"),
      retired: count(requirements, (r) => r.status === "retired"),
      baselined: count(requirements, (r) => r.baselined),
      pending: count(requirements, (r) => r.pendingChange !== undefined && r.pendingChange !== "moved"),
    },
    records: { total: records.length, applied: count(records, (r) => r.applied) },
    coverage: {
      evidence: coverage(count(tested, (r) => r.verificationStatus !== "missing"), tested.length),
      ...(check.testCases !== undefined ? { passing: coverage(byStatus.passed, tested.length) } : {}),
      implementation: coverage(count(live, (r) => r.implementations.length > 0), live.length),
      decomposition: coverage(count(upper, (r) => !r.gaps.includes("not-decomposed")), upper.length),
    },
    verification: byStatus,
    diagnostics: { errors: count(check.diagnostics, (d) => d.severity === "error"), warnings: count(check.diagnostics, (d) => d.severity === "warning") },
  };
  if (items) {
    summary.workItems = {
      total: items.length,
      open: count(items, (i) => i.state === "open"),
      closed: count(items, (i) => i.state === "closed"),
      pullRequests: count(items, (i) => i.isPullRequest),
      traced: count(items, (i) => i.trace === "traced"),
      unlinked: count(items, (i) => i.trace === "unlinked"),
      badReferences: count(items, (i) => i.trace === "bad-references"),
      exempt: count(items, (i) => i.trace === "exempt"),
    };
    summary.coverage.work = coverage(count(live, (r) => r.hasWork), live.length);
  }
  return summary;
}

// ---------------------------------------------------------------------------------------------------
// The trace of one requirement

export interface TraceNode {
  id: string;
  /** 1 for direct parents (ancestors) or children (descendants). */
  depth: number;
  /** False for an ID named as a parent that no file defines. */
  known: boolean;
  title?: string;
  status?: Status;
  baselined: boolean;
  /** Shown already higher in the list: not expanded again. */
  repeated: boolean;
}

export interface RequirementTrace {
  found: true;
  id: string;
  requirement: ReportRequirement;
  lockState: RepoLockState;
  /** Parents, their parents, up to the roots; preorder. */
  ancestors: TraceNode[];
  /** Children, their children, down to the leaves; preorder. */
  descendants: TraceNode[];
  /** The change record that last moved it first, then every other record that lists it. */
  records: ReportRecord[];
  /** Work items naming it; absent when no work items were given. */
  workItems?: ReportWorkItem[];
  /** Its subtree as a trace graph, when asked for (`trace --format md`). */
  graph?: TraceGraph;
}

export interface UnknownTrace {
  found: false;
  id: string;
  /** The closest existing ID, for "did you mean …?". */
  suggestion?: string;
}

export type TraceResult = RequirementTrace | UnknownTrace;

export function traceRequirement(check: RepoCheck, id: string, workItems?: readonly WorkItem[], options: ReportOptions & { graph?: boolean } = {}): TraceResult {
  const wanted = id.trim();
  const report = buildReport(check, workItems, { ...(options.exemptLabels ? { exemptLabels: options.exemptLabels } : {}), ...(options.requiredMethods ? { requiredMethods: options.requiredMethods } : {}) });
  const byId = new Map(report.requirements.map((r) => [r.id, r]));
  const requirement = byId.get(wanted);
  if (!requirement) {
    // IDs are exact, but `reqgate trace req-12` is an obvious slip worth pointing at.
    const upper = wanted.toUpperCase();
    const suggestion = byId.has(upper) ? upper : closestId(wanted, byId.keys());
    return suggestion !== undefined ? { found: false, id: wanted, suggestion } : { found: false, id: wanted };
  }

  const node = (nid: string, depth: number, repeated: boolean): TraceNode => {
    const r = byId.get(nid);
    return r ? { id: nid, depth, known: true, title: r.title, status: r.status, baselined: r.baselined, repeated } : { id: nid, depth, known: false, baselined: false, repeated };
  };
  const walk = (next: (nid: string) => readonly string[]): TraceNode[] => {
    const out: TraceNode[] = [];
    const seen = new Set<string>([wanted]);
    const stack = [...next(wanted)].reverse().map((nid) => ({ nid, depth: 1 }));
    while (stack.length > 0) {
      const { nid, depth } = stack.pop()!;
      const repeated = seen.has(nid);
      out.push(node(nid, depth, repeated));
      if (repeated) continue;
      seen.add(nid);
      const more = next(nid);
      for (let i = more.length - 1; i >= 0; i--) stack.push({ nid: more[i]!, depth: depth + 1 });
    }
    return out;
  };

  const recordIds = [...new Set([...(requirement.lastChange ? [requirement.lastChange] : []), ...requirement.changeRecords])];
  const recordsById = new Map(report.records.map((r) => [r.id, r]));
  const records = recordIds.map((rid) => recordsById.get(rid) ?? { id: rid, title: "", rationale: "", file: "", affects: [], applied: true, missing: true });
  const numbers = new Set(requirement.workItems);

  const trace: RequirementTrace = {
    found: true,
    id: wanted,
    requirement,
    lockState: report.summary.lockState,
    ancestors: walk((nid) => byId.get(nid)?.parents ?? []),
    descendants: walk((nid) => byId.get(nid)?.children ?? []),
    records,
  };
  if (report.workItems) trace.workItems = report.workItems.filter((i) => numbers.has(i.number));
  if (options.graph) trace.graph = buildTraceGraph(report, wanted);
  return trace;
}
