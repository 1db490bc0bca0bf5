// `reqgate diff REF1 REF2` (SPEC 3): what changed in the baseline between two commits or tags — the
// release note of the requirement set. The baselines compared are the committed locks at each ref (a
// requirement is baselined when the lock lists it, SPEC 1.2); the texts come from the requirement files
// at each ref, and each change names the change records that moved it: those applied between the two
// refs whose `affects` lists it, and the record the later lock credits.
import { diffBaselines, lockIndex, type ChangeKind, type Lock } from "../baseline/baseline.js";
import { cmp } from "../core/diagnostic.js";
import type { ChangeRecord, Requirement, Status } from "../requirements/requirement.js";
import type { Provenance } from "./provenance.js";
import type { ApprovalLookupSummary, RecordApproval } from "./record-approvals.js";
import { compareIds, REPORT_VERSION } from "./report.js";

export interface DiffSide {
  /** The ref as given (a tag, branch or commit). */
  ref: string;
  commit: string;
  lock: Lock;
  /** The requirements defined in the files at that ref, by ID. */
  requirements: ReadonlyMap<string, Requirement>;
  records: readonly ChangeRecord[];
}

export interface RequirementState {
  title: string;
  text?: string;
  status: Status;
  file: string;
  fingerprint: string;
  /** The change record the lock credits. */
  change: string;
}

export interface DiffRecord {
  id: string;
  title: string;
  rationale: string;
  /** The record's file is missing at the later ref (the lock still names it). */
  missing?: boolean;
  /** Set by the caller with --github: the pull request that applied it and who approved it. */
  approval?: RecordApproval;
}

export type DiffKind = Exclude<ChangeKind, "moved">;

export interface DiffChange {
  id: string;
  kind: DiffKind;
  title: string;
  before?: RequirementState;
  after?: RequirementState;
  /** IDs of the change records that moved it, sorted. */
  records: string[];
}

export interface BaselineDiff {
  from: { ref: string; commit: string };
  to: { ref: string; commit: string };
  summary: Record<DiffKind, number>;
  changes: DiffChange[];
  /** Change records applied between the two refs, sorted. */
  records: DiffRecord[];
  provenance?: Provenance;
  /** With --github: how the records' approvals were read. */
  approvals?: ApprovalLookupSummary;
}

export function diffBaselineRefs(before: DiffSide, after: DiffSide): BaselineDiff {
  const raw = diffBaselines(lockIndex(before.lock), lockIndex(after.lock));
  const beforeEntries = lockIndex(before.lock);
  const afterEntries = lockIndex(after.lock);
  const wasApplied = new Set(before.lock.applied);
  const appliedNow = after.lock.applied.filter((id) => !wasApplied.has(id)).sort(compareIds);
  const recordFiles = new Map(after.records.map((r) => [r.id, r]));
  const olderFiles = new Map(before.records.map((r) => [r.id, r]));
  const affects = new Map<string, Set<string>>();
  const records: DiffRecord[] = appliedNow.map((id) => {
    const r = recordFiles.get(id) ?? olderFiles.get(id);
    for (const a of r?.affects ?? []) {
      if (!affects.has(a)) affects.set(a, new Set());
      affects.get(a)!.add(id);
    }
    return r ? { id, title: r.title, rationale: r.rationale } : { id, title: "", rationale: "", missing: true };
  });

  const state = (side: DiffSide, entries: ReturnType<typeof lockIndex>, id: string): RequirementState | undefined => {
    const e = entries.get(id);
    if (!e) return undefined;
    const r = side.requirements.get(id);
    const s: RequirementState = { title: e.title, status: e.status, file: e.path, fingerprint: e.fingerprint, change: e.change };
    if (r) s.text = r.text;
    return s;
  };

  const changes: DiffChange[] = [];
  const summary: Record<DiffKind, number> = { added: 0, modified: 0, "status-changed": 0, retired: 0, removed: 0 };
  for (const c of raw) {
    if (c.kind === "moved") continue;
    const b = state(before, beforeEntries, c.id);
    const a = state(after, afterEntries, c.id);
    const ids = new Set(affects.get(c.id) ?? []);
    if (a && a.change !== b?.change) ids.add(a.change);
    const change: DiffChange = { id: c.id, kind: c.kind, title: a?.title ?? b!.title, records: [...ids].sort(compareIds) };
    if (b) change.before = b;
    if (a) change.after = a;
    changes.push(change);
    summary[c.kind]++;
  }
  changes.sort((x, y) => compareIds(x.id, y.id) || cmp(x.kind, y.kind));
  return { from: { ref: before.ref, commit: before.commit }, to: { ref: after.ref, commit: after.commit }, summary, changes, records };
}

export const DIFF_KIND_LABELS: Record<DiffKind, string> = {
  added: "Added",
  modified: "Modified",
  "status-changed": "Status changed",
  retired: "Retired",
  removed: "Removed",
};

export function renderDiffJson(diff: BaselineDiff): string {
  const { provenance, ...rest } = diff;
  return JSON.stringify({ version: REPORT_VERSION, kind: "reqgate-diff", ...(provenance ? { provenance } : {}), ...rest }, null, 2) + "\n";
}
