// The one change pipeline (SPEC 1.2, 2.3 steps 1-3, 2.5): from a base snapshot and a head snapshot, both
// read through a ChangeSource, to the evaluation of the change. The App's pull-request check, its drift
// check on pushes and merge groups, the CLI's `check --base` and `reqgate baseline` on a branch all call
// `evaluateChangeBetween`; only the Source differs (GitHub's API, or git and the working tree).
import { evaluateApprovals, type ApprovalResult } from "../domain/approvals/approvals.js";
import type { Config } from "../domain/config/config.js";
import { classifier } from "../domain/config/paths.js";
import { evaluateChange, reviewTagFiles, type ChangeEvaluation } from "../domain/baseline/evaluate-change.js";
import { evaluateBaselineCheck, type BaselineCheck } from "../domain/pulls/baseline-check.js";
import { planReads, type ReadPlan } from "../domain/pulls/pull-facts.js";
import { readChange } from "./change-reads.js";
import type { ChangeSource, FileList, LockBlob } from "./ports.js";

/** Files of reviewed requirements read for their tags, at most (each a small request batched with the others). */
const MAX_REVIEWED_FILES = 100;

/** The two snapshots, as revisions the Source understands (commit SHAs; the CLI's working tree too). */
export interface ChangeSides {
  base: string;
  head: string;
}

export interface ChangeOptions {
  /** The changed files when the caller has them already (a pull request's file list); else `compareFiles(base, head)`. */
  files?: FileList;
  /** The lock blob at the base as already known (null: none there); else it is looked up at `base`. */
  baseLock?: { oid: string } | null;
}

export interface ChangeOutcome {
  evaluation: ChangeEvaluation;
  /** Why the snapshot is not the whole change (the evaluation then fails closed). */
  incomplete: string[];
  /** What was read: the plan, and the locks at both sides. */
  plan: ReadPlan;
  baseLock?: LockBlob;
  headLock?: LockBlob;
}

/**
 * The change from `sides.base` to `sides.head` under `config` (the base's configuration: rules never
 * come from the change). Only the requirement files, change records and locks the change touches are
 * read; an incomplete file list is evaluated as nothing and named in `incomplete`.
 */
export async function evaluateChangeBetween(source: ChangeSource, config: Config, sides: ChangeSides, options: ChangeOptions = {}): Promise<ChangeOutcome> {
  const roles = classifier(config);
  const list = options.files ?? (await source.compareFiles(sides.base, sides.head));
  const incomplete: string[] = list.incomplete !== undefined ? [list.incomplete] : [];
  // An incomplete list fails the check whatever the listed files say: they are not read.
  const plan = planReads(list.incomplete === undefined ? list.files : [], roles);
  const reads = await readChange(source, config, roles.lockPath, plan, sides, options.baseLock);
  incomplete.push(...reads.incomplete);
  // Which files the change touches: a suspect link of an evidence file it touches may be cleared.
  if (list.incomplete === undefined) reads.input.changedPaths = list.files.flatMap((f) => (f.previousPath !== undefined ? [f.path, f.previousPath] : [f.path]));
  let evaluation = evaluateChange(reads.input);
  // Reviews of suspect links are approved by the rules that match the reviewed requirement, by tag too:
  // the files of reviewed requirements the change does not touch are read at the head, then it is evaluated again.
  const tagFiles = reviewTagFiles(reads.input, evaluation, MAX_REVIEWED_FILES);
  if (tagFiles.more > 0) incomplete.push(`the change reviews the suspect links of requirements in more than ${MAX_REVIEWED_FILES} files; reqgate reads at most that many to see their tags`);
  if (tagFiles.paths.length > 0) {
    const maxBytes = config.requirements.max_file_kb * 1024;
    const got = await source.readObjects(tagFiles.paths.map((path) => ({ key: path, expression: `${sides.head}:${path}`, maxBytes })));
    const reviewedFiles: Array<{ path: string; text: string | Uint8Array }> = [];
    for (const path of tagFiles.paths) {
      const content = got.get(path);
      if (content?.kind === "file") reviewedFiles.push({ path, text: content.content });
      else incomplete.push(content?.kind === "unreadable" ? content.reason : `could not read ${path} at the head`);
    }
    reads.input.reviewedFiles = reviewedFiles;
    evaluation = evaluateChange(reads.input);
  }
  const outcome: ChangeOutcome = { evaluation, incomplete, plan };
  if (reads.baseLock) outcome.baseLock = reads.baseLock;
  if (reads.headLock) outcome.headLock = reads.headLock;
  return outcome;
}

/** True when the plan reads nothing of reqgate's: no requirement file, change record or lock changed. */
export function touchesNothing(plan: ReadPlan): boolean {
  return plan.requirements.length === 0 && plan.records.length === 0 && plan.lock.change === "same";
}

/**
 * The `reqgate/baseline` check of a change before anyone approved it: what `check --base` shows. The
 * same `evaluateBaselineCheck` as the App's, with no approval events (approvals are given on GitHub).
 */
export function previewBaselineCheck(change: ChangeOutcome, config: Config, baseBranch: string): { check: BaselineCheck; approvals: ApprovalResult } {
  const approvals = evaluateApprovals({
    evaluation: change.evaluation,
    author: "",
    contributors: [],
    changeControl: config.change_control,
    events: [],
    permissions: new Map(),
    memberships: new Map(),
  });
  const check = evaluateBaselineCheck({ evaluation: change.evaluation, approvals, incomplete: change.incomplete, baseBranch });
  return { check, approvals };
}
