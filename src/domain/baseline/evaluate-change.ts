// A proposed change to the requirements (a pull request, or `reqgate check --base REF`) evaluated against
// the baseline it starts from (SPEC 2.3 steps 1-3 and the rule matching of step 4). Only the files that
// differ between base and head are read: the rest of the baseline comes from the base lock, so the cost
// does not grow with the repository.
import { minimatch } from "minimatch";
import {
  advanceBaseline,
  diffBaselines,
  heldEntries,
  lockEntriesByPath,
  lockIndex,
  baselineItem,
  needsChangeRecord,
  parseLock,
  renderLock,
  sameLock,
  sha256,
  type BaselineItem,
  type Lock,
  type RequirementChange,
} from "./baseline.js";
import { judgeLinks, linkMoves, reviewSubject, type LinkChange } from "./links.js";
import { recordChangeKind, recordFingerprint, type RecordChangeKind } from "./change-record.js";
import type { ChangeRule, Config } from "../config/config.js";
import { cmp, diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { parseChangeRecordFile, parseRequirementFile } from "../requirements/parse-requirements.js";
import type { ChangeRecord, Requirement } from "../requirements/requirement.js";
import { checkReferences, DUPLICATE_HINT, type KnownRequirements, type ReferencedRequirement } from "../requirements/validate.js";

/** One file as it is at the base and at the head; undefined where the file does not exist. */
export interface FileVersions {
  path: string;
  base?: string | Uint8Array;
  head?: string | Uint8Array;
}

/**
 * A lock file as read. `parsed` is what `parseLock(path, text)` gives, when the caller has it already
 * (the App parses each lock version once): the result is the same, without parsing again.
 */
export interface LockFile {
  path: string;
  text: string;
  parsed?: ReturnType<typeof parseLock>;
}

export interface ChangeInput {
  config: Config;
  /** The lock at the base; undefined when the base has none (a first baseline). */
  baseLock?: LockFile;
  /** The lock at the head; undefined when the head has none. */
  headLock?: LockFile;
  /** Requirement files that differ between base and head. */
  requirementFiles: readonly FileVersions[];
  /** Change-record files that differ between base and head. */
  recordFiles: readonly FileVersions[];
  /** Every path the change touches (both sides of a rename); undefined when not known. */
  changedPaths?: readonly string[];
  /**
   * Files the change does not touch, read at the head for the tags of the requirements whose suspect
   * links it reviews (`reviewTagFiles`): a rule that selects by tag approves those reviews too.
   */
  reviewedFiles?: ReadonlyArray<{ path: string; text: string | Uint8Array }>;
}

export interface ChangedRequirement extends RequirementChange {
  /** Full requirements, for before/after text; absent where the side does not exist. */
  baseRequirement?: Requirement;
  headRequirement?: Requirement;
  /** The change record credited with this change, when exactly one claims it. */
  record?: string;
}

export interface RecordInPull {
  record: ChangeRecord;
  kind: RecordChangeKind;
  fingerprint: string;
}

export type LockState = "current" | "stale" | "missing" | "undetermined";

export interface RuleDemand {
  rule: ChangeRule;
  /** The changed requirements this rule matches, sorted. */
  requirements: string[];
}

/**
 * A requirement that enters or leaves a rule's scope without a change of meaning: its file moved across
 * the rule's globs, or the tag the rule selects on was added or removed. It needs the rule's approval
 * and a change record (SPEC 2.3 step 4), else it could leave a board's scope in one pull request and be
 * changed freely in the next.
 */
export interface ScopeChange {
  id: string;
  /** The rules whose scope it enters or leaves. */
  rules: string[];
  /** "leaves" when a rule matched it at the base and not at the head; "enters" otherwise (first rule). */
  direction: "leaves" | "enters";
  /** How: "moved from A to B", "tag safety removed". */
  how: string;
  /** The change record that lists it, when one does. */
  record?: string;
}

export interface ChangeEvaluation {
  changes: ChangedRequirement[];
  /** Requirements that only enter or leave a rule's scope (their meaning did not change). */
  scope: ScopeChange[];
  records: RecordInPull[];
  /** `expected`: the lock `reqgate baseline` would write, given when the committed one is stale or missing. */
  lock: { state: LockState; expected?: string };
  /** Rules that match at least one changed requirement: each needs its `count` of approvals. */
  demands: RuleDemand[];
  /** What an approval binds to: changes in requirement meaning or record content change it. */
  subject: string;
  /** What the change does to the lock's suspect links (SPEC 2.5): reviews need approval like changes. */
  links: LinkChange;
  diagnostics: Diagnostic[];
  /** Decoded head text of every file read, to place diagnostics. */
  texts: Map<string, string>;
  /**
   * IDs the head's changed files define that neither the base's versions of them nor the base lock know,
   * drafts included (two pull requests that both introduce one collide, SPEC 2.7). Sorted.
   */
  introduced?: string[];
}

export function evaluateChange(input: ChangeInput): ChangeEvaluation {
  const { config } = input;
  const prefixes = new Set(config.requirements.prefixes);
  const maxBytes = config.requirements.max_file_kb * 1024;
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();

  // The base lock is trusted only as far as it parses; the head lock is the PR's claim, checked below.
  let baseLock: Lock = { applied: [], entries: [] };
  if (input.baseLock) {
    const parsed = input.baseLock.parsed ?? parseLock(input.baseLock.path, input.baseLock.text);
    if (parsed.lock) baseLock = parsed.lock;
    else diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, severity: "warning" as const, message: `at the base: ${d.message}` })));
  }

  // Requirements of the changed files, at both sides.
  const baseReqs = new Map<string, Requirement>();
  const headReqs = new Map<string, Requirement>();
  const changedPaths = new Set<string>();
  const brokenPaths = new Set<string>();
  for (const file of input.requirementFiles) {
    changedPaths.add(file.path);
    if (file.base !== undefined) {
      for (const r of parseRequirementFile(file.path, file.base, { prefixes, maxBytes }).requirements) if (!baseReqs.has(r.id)) baseReqs.set(r.id, r);
    }
    if (file.head !== undefined) {
      const parsed = parseRequirementFile(file.path, file.head, { prefixes, maxBytes });
      if (parsed.text !== undefined) texts.set(file.path, parsed.text);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.diagnostics.some((d) => d.severity === "error")) brokenPaths.add(file.path);
      for (const r of parsed.requirements) {
        const first = headReqs.get(r.id);
        if (first) {
          diagnostics.push(diagnostic({ code: "duplicate-id", file: r.origin.file, path: [...r.origin.path, "id"], message: `${r.id} is already defined in ${first.origin.file}`, hint: DUPLICATE_HINT, related: [{ file: first.origin.file, line: 0, column: 0, path: [...first.origin.path, "id"] }] }));
        } else {
          headReqs.set(r.id, r);
        }
      }
    }
  }

  // Only what the changed files touch is compared: the base entries that lived in them and the head
  // requirements they hold. Everything else stays as the base lock has it, so the cost follows the
  // size of the change, not of the baseline.
  const baseIndex = lockIndex(baseLock);
  const before = new Map<string, BaselineItem>();
  const byPath = lockEntriesByPath(baseLock);
  for (const path of changedPaths) for (const entry of byPath.get(path) ?? []) before.set(entry.id, entry);
  const after = new Map<string, BaselineItem>();
  const draftIds = new Set<string>();
  for (const r of headReqs.values()) {
    const other = baseIndex.get(r.id);
    if (other && !changedPaths.has(other.path)) {
      diagnostics.push(diagnostic({ code: "duplicate-id", file: r.origin.file, path: [...r.origin.path, "id"], message: `${r.id} is already defined in ${other.path}`, hint: DUPLICATE_HINT }));
      continue;
    }
    if (r.status === "draft") draftIds.add(r.id);
    else after.set(r.id, baselineItem(r));
  }
  // A requirement whose file has an error at the head is unreadable, not removed: it stays as based.
  const held = heldEntries(baseLock, brokenPaths, new Set(headReqs.keys()));
  for (const entry of held) if (!after.has(entry.id) && !draftIds.has(entry.id)) after.set(entry.id, entry);

  // What the changed requirements refer to (parents, superseded_by), checked against everything this
  // change can see: the head's requirements, and the base lock for the files it does not change.
  // A view, not a copy: the cost stays with the size of the change (the lock is walked only to suggest a near ID).
  const seen = new Map<string, ReferencedRequirement>([...held.map((e) => [e.id, e] as const), ...headReqs]);
  const unchanged = (entry: BaselineItem | undefined) => (entry !== undefined && !changedPaths.has(entry.path) ? entry : undefined);
  const known: KnownRequirements = {
    get: (id) => seen.get(id) ?? unchanged(baseIndex.get(id)),
    *keys() {
      yield* seen.keys();
      for (const entry of baseLock.entries) if (!seen.has(entry.id) && unchanged(entry)) yield entry.id;
    },
    size: seen.size + baseLock.entries.length,
  };
  diagnostics.push(...checkReferences([...headReqs.values()], known, { prefixes }));

  // Change records the change adds or modifies; applied records are history and may not change.
  const applied = new Set(baseLock.applied);
  const records: RecordInPull[] = [];
  const options = { changePrefix: config.requirements.change_prefix, prefixes, maxBytes };
  for (const file of input.recordFiles) {
    const base = file.base === undefined ? undefined : parseChangeRecordFile(file.path, file.base, options).record;
    const head = file.head === undefined ? undefined : parseChangeRecordFile(file.path, file.head, options);
    if (head?.text !== undefined) texts.set(file.path, head.text);
    // A decision whose rationale nobody wrote cannot be approved: a failure here, a warning in `check`.
    if (head) for (const d of head.diagnostics) diagnostics.push(d.code === "placeholder-rationale" ? { ...d, severity: "error" } : d);
    const kind = recordChangeKind(base, head?.record);
    if (base && applied.has(base.id) && (kind === "modified" || kind === "deleted")) {
      diagnostics.push(diagnostic({
        code: "applied-record-changed",
        file: file.path,
        ...(kind === "modified" ? { path: [] } : {}),
        message: `${base.id} is already applied to the baseline; a decision that was applied cannot be ${kind === "deleted" ? "deleted" : "rewritten"}`,
        hint: "restore it, and write a new change record for the new decision",
      }));
    }
    if (head?.record && kind !== "unchanged") records.push({ record: head.record, kind, fingerprint: recordFingerprint(head.record) });
  }
  records.sort((x, y) => cmp(x.record.id, y.record.id));

  const result = advanceBaseline(baseLock, diffBaselines(before, after, draftIds), records.map((r) => r.record));
  const changedIds = new Set(result.changes.filter((c) => needsChangeRecord(c.kind)).map((c) => c.id));
  const scope = scopeChanges(config.change_control.rules, baseReqs, headReqs, changedIds, records.filter((r) => !applied.has(r.record.id)));
  // A record that lists a requirement only for its scope change does announce a change; one that lists a
  // requirement whose file has an error cannot be judged (the file's error says why), not "unused".
  const scoped = new Set([...scope.filter((c) => c.record !== undefined).map((c) => c.id), ...held.map((e) => e.id)]);
  diagnostics.push(...result.diagnostics.filter((d) => !(d.code === "change-record-unused" && [...scoped].some((id) => d.message.includes(` lists ${id},`)))));
  for (const c of scope) {
    if (c.record !== undefined) continue;
    const r = headReqs.get(c.id)!;
    diagnostics.push(diagnostic({
      code: "scope-change-without-record",
      file: r.origin.file,
      path: [...r.origin.path, "id"],
      message: `${c.id} ${c.direction} the scope of ${c.rules.join(", ")} (${c.how}), but no unapplied change record lists it in \`affects\``,
      hint: `add ${c.id} to the affects of a new change record: leaving or entering a rule's scope needs that rule's approval`,
    }));
  }
  const creditOf = new Map<string, string>();
  for (const [recordId, ids] of result.credited) for (const id of ids) creditOf.set(id, recordId);

  const changes: ChangedRequirement[] = result.changes.map((c) => {
    const detail: ChangedRequirement = { ...c };
    const before = baseReqs.get(c.id);
    const after = headReqs.get(c.id);
    if (before) detail.baseRequirement = before;
    if (after) detail.headRequirement = after;
    const record = creditOf.get(c.id);
    if (record) detail.record = record;
    return detail;
  });

  // The head lock is the change's claim: why it cannot be read (too large, broken lines) is a finding.
  if (input.headLock) {
    const parsed = input.headLock.parsed ?? parseLock(input.headLock.path, input.headLock.text);
    for (const d of parsed.diagnostics) diagnostics.push(d);
  }
  const lock = lockState(input, result.lock);
  const headParsed = input.headLock ? (input.headLock.parsed ?? parseLock(input.headLock.path, input.headLock.text)).lock : undefined;
  const links = judgeLinks({
    base: baseLock.links ?? [],
    // No head lock, or one that does not parse: its findings say so; its links are not judged.
    head: input.headLock ? (headParsed?.links ?? []) : (baseLock.links ?? []),
    moves: linkMoves(changes, () => undefined),
    touchedIds: new Set(changes.map((c) => c.id)),
    ...(input.changedPaths ? { touchedFiles: new Set(input.changedPaths) } : {}),
    lockPath: input.headLock?.path ?? config.requirements.lock,
  });
  if (input.headLock && !headParsed) links.diagnostics.length = 0;
  diagnostics.push(...links.diagnostics);
  if (lock.state === "stale" || lock.state === "missing") {
    const file = input.headLock?.path ?? config.requirements.lock;
    diagnostics.push(diagnostic({
      code: "lock-stale",
      file,
      ...(lock.state === "stale" ? { line: 1, column: 1 } : {}),
      message: lock.state === "missing" ? "the baseline lock is missing" : "the baseline lock does not match the requirement files and change records",
      hint: "run `reqgate baseline` and commit the lock",
    }));
  }

  return {
    changes,
    records,
    lock,
    scope,
    demands: withReviews(withScope(matchRules(config.change_control.rules, changes), config.change_control.rules, scope), config.change_control.rules, links, baseIndex, headParsed, reviewedTags(input, baseReqs, headReqs)),
    subject: approvalSubject(changes, records, scope, reviewSubject(links.reviews)),
    links,
    diagnostics,
    texts,
    introduced: [...headReqs.keys()].filter((id) => !baseReqs.has(id) && !baseIndex.has(id)).sort(cmp),
  };
}

function lockState(input: ChangeInput, expected: Lock | undefined): ChangeEvaluation["lock"] {
  if (!expected) return { state: "undetermined" };
  // The text is rendered only for a stale or missing lock, whose fix it is; a current one needs none.
  const withText = (state: LockState) => ({ state, expected: renderLock(expected) });
  if (!input.headLock) return expected.entries.length === 0 && expected.applied.length === 0 ? { state: "current" } : withText("missing");
  // The same comparison as the CLI's check: equal content, whatever the formatting.
  const head = (input.headLock.parsed ?? parseLock(input.headLock.path, input.headLock.text)).lock;
  return head && sameLock(head, expected) ? { state: "current" } : withText("stale");
}

/** True when `rule` selects a requirement in one of `paths` (its globs) or carrying one of `tags`: the one test of a rule's scope. */
function ruleSelects(rule: ChangeRule, paths: readonly string[], tags: readonly string[]): boolean {
  return paths.some((p) => rule.match.some((glob) => minimatch(p, glob, { dot: true }))) || tags.some((t) => rule.tags.includes(t));
}

function ruleMatches(rule: ChangeRule, r: Requirement): boolean {
  return ruleSelects(rule, [r.origin.file], r.tags);
}

/**
 * Requirements of the changed files, at both sides and not otherwise changed, that a rule matches at one
 * side only: they enter or leave its scope. Drafts at the head need nothing, as for other changes.
 */
function scopeChanges(
  rules: readonly ChangeRule[],
  baseReqs: ReadonlyMap<string, Requirement>,
  headReqs: ReadonlyMap<string, Requirement>,
  changed: ReadonlySet<string>,
  records: readonly RecordInPull[],
): ScopeChange[] {
  const out: ScopeChange[] = [];
  for (const [id, head] of headReqs) {
    const base = baseReqs.get(id);
    if (!base || changed.has(id) || head.status === "draft") continue;
    const leaves = rules.filter((rule) => ruleMatches(rule, base) && !ruleMatches(rule, head)).map((r) => r.name);
    const enters = rules.filter((rule) => !ruleMatches(rule, base) && ruleMatches(rule, head)).map((r) => r.name);
    if (leaves.length === 0 && enters.length === 0) continue;
    const how: string[] = [];
    if (base.origin.file !== head.origin.file) how.push(`moved from ${base.origin.file} to ${head.origin.file}`);
    const removed = base.tags.filter((t) => !head.tags.includes(t));
    const added = head.tags.filter((t) => !base.tags.includes(t));
    if (removed.length > 0) how.push(`tag${removed.length === 1 ? "" : "s"} ${removed.join(", ")} removed`);
    if (added.length > 0) how.push(`tag${added.length === 1 ? "" : "s"} ${added.join(", ")} added`);
    const record = records.find((r) => r.record.affects.includes(id))?.record.id;
    out.push({ id, rules: [...leaves, ...enters], direction: leaves.length > 0 ? "leaves" : "enters", how: how.join(", "), ...(record !== undefined ? { record } : {}) });
  }
  return out.sort((a, b) => cmp(a.id, b.id));
}

/** The demands with each scope change added to the rules whose scope it enters or leaves. */
function withScope(demands: RuleDemand[], rules: readonly ChangeRule[], scope: readonly ScopeChange[]): RuleDemand[] {
  if (scope.length === 0) return demands;
  return rules.flatMap((rule): RuleDemand[] => {
    const known = demands.find((d) => d.rule === rule);
    const ids = new Set([...(known?.requirements ?? []), ...scope.filter((c) => c.rules.includes(rule.name)).map((c) => c.id)]);
    return ids.size > 0 ? [{ rule, requirements: [...ids].sort(cmp) }] : [];
  });
}

/**
 * The demands with each review of a suspect link added to the rules that match the reviewed requirement
 * (the child, or the requirement the evidence verifies) by its file or by its tags, at the base or the
 * head: a review clears a control flag, so the people who approve changes of that requirement approve
 * it too. It needs no change record: no requirement's meaning changes.
 */
function withReviews(demands: RuleDemand[], rules: readonly ChangeRule[], links: LinkChange, base: ReadonlyMap<string, BaselineItem>, head: Lock | undefined, tagsOf: (id: string) => readonly string[]): RuleDemand[] {
  if (links.reviews.length === 0) return demands;
  const headIndex = head ? lockIndex(head) : new Map<string, BaselineItem>();
  return rules.flatMap((rule): RuleDemand[] => {
    const known = demands.find((d) => d.rule === rule);
    const ids = new Set(known?.requirements ?? []);
    for (const id of reviewedIds(links)) {
      const paths = [headIndex.get(id)?.path, base.get(id)?.path].filter((p): p is string => p !== undefined);
      if (ruleSelects(rule, paths, tagsOf(id))) ids.add(id);
    }
    return ids.size > 0 ? [{ rule, requirements: [...ids].sort(cmp) }] : [];
  });
}

/** The requirements whose suspect links a change reviews: the child, or the requirement the evidence verifies. */
function reviewedIds(links: LinkChange): string[] {
  return [...new Set(links.reviews.map((l) => (l.kind === "child" ? l.item : l.moved)))];
}

/** The tags of a requirement as the change's files say, at the head and the base, and the reviewed files. */
function reviewedTags(input: ChangeInput, baseReqs: ReadonlyMap<string, Requirement>, headReqs: ReadonlyMap<string, Requirement>): (id: string) => readonly string[] {
  const prefixes = new Set(input.config.requirements.prefixes);
  const maxBytes = input.config.requirements.max_file_kb * 1024;
  const others = new Map<string, Requirement>();
  for (const f of input.reviewedFiles ?? []) for (const r of parseRequirementFile(f.path, f.text, { prefixes, maxBytes }).requirements) if (!others.has(r.id)) others.set(r.id, r);
  return (id) => [...(headReqs.get(id)?.tags ?? []), ...(baseReqs.get(id)?.tags ?? []), ...(others.get(id)?.tags ?? [])];
}

/**
 * The files to read at the head so that rules selecting by tag see the tags of every reviewed
 * requirement: where the base lock (trusted) and the head lock (the pull request's claim) put a reviewed
 * requirement, unless the change touches that file (it was read). A head lock that names another file
 * cannot hide the real one. None when no rule selects by tag. At most `max`; `more` counts the rest.
 */
export function reviewTagFiles(input: ChangeInput, evaluation: ChangeEvaluation, max: number): { paths: string[]; more: number } {
  if (evaluation.links.reviews.length === 0 || !input.config.change_control.rules.some((r) => r.tags.length > 0)) return { paths: [], more: 0 };
  const read = new Set(input.requirementFiles.map((f) => f.path));
  const indexOf = (file: LockFile | undefined) => {
    const lock = file ? (file.parsed ?? parseLock(file.path, file.text)).lock : undefined;
    return lock ? lockIndex(lock) : new Map<string, BaselineItem>();
  };
  const indexes = [indexOf(input.baseLock), indexOf(input.headLock)];
  const paths = new Set<string>();
  for (const id of reviewedIds(evaluation.links)) {
    for (const index of indexes) {
      const path = index.get(id)?.path;
      if (path !== undefined && !read.has(path)) paths.add(path);
    }
  }
  const sorted = [...paths].sort(cmp);
  return { paths: sorted.slice(0, max), more: Math.max(0, sorted.length - max) };
}

/** Rules that match a changed requirement by its file (at either side) or by a tag (at either side). */
export function matchRules(rules: readonly ChangeRule[], changes: readonly ChangedRequirement[]): RuleDemand[] {
  const demands: RuleDemand[] = [];
  for (const rule of rules) {
    const matched = changes.filter((c) => {
      if (!needsChangeRecord(c.kind)) return false;
      const paths = [c.after?.path, c.before?.path].filter((p): p is string => p !== undefined);
      return ruleSelects(rule, paths, [...(c.headRequirement?.tags ?? []), ...(c.baseRequirement?.tags ?? [])]);
    });
    if (matched.length > 0) demands.push({ rule, requirements: matched.map((c) => c.id).sort(cmp) });
  }
  return demands;
}

/**
 * The digest an approval binds to: what the approver was shown. Every changed requirement's meaning at
 * the base and at the head (so a new base that changes the diff is other content), and every change
 * record's content. A push that leaves these alone keeps approvals; any other push, or a change of the
 * base that changes them, voids them.
 */
export function approvalSubject(changes: readonly RequirementChange[], records: readonly RecordInPull[], scope: readonly ScopeChange[] = [], reviews: readonly string[] = []): string {
  const parts = [
    ...reviews,
    ...scope.map((c) => `${c.id}~${c.direction} ${c.rules.join(",")} (${c.how})`),
    ...changes.filter((c) => needsChangeRecord(c.kind)).map((c) => `${c.id}=${c.before?.fingerprint ?? "new"}>${c.after?.fingerprint ?? "removed"}`),
    ...records.map((r) => `${r.record.id}=${r.fingerprint}`),
  ].sort(cmp);
  return sha256(parts.join("\n"));
}

