// The reads of a change (a pull request, a push, a merge group) that the engine's `evaluateChange`
// needs, and only those: the requirement files and change records the change touches, at both sides,
// and the two locks. Whatever cannot be read is named in `incomplete` (the check then fails closed).
import type { Config } from "../domain/config/config.js";
import type { ChangeInput, FileVersions } from "../domain/baseline/evaluate-change.js";
import type { FileRead, ReadPlan } from "../domain/pulls/pull-facts.js";
import type { ChangeSource, LockBlob, ObjectContent, ObjectRequest } from "./ports.js";

export interface ChangeReads {
  input: ChangeInput;
  baseLock?: LockBlob;
  headLock?: LockBlob;
  incomplete: string[];
}

/**
 * `baseLockRef`: the lock blob at the base as already known (null: none there), or undefined to look
 * it up at `base`.
 */
export async function readChange(
  ports: ChangeSource,
  config: Config,
  lockPath: string,
  plan: ReadPlan,
  sides: { base: string; head: string },
  baseLockRef: { oid: string } | null | undefined,
): Promise<ChangeReads> {
  const incomplete: string[] = [];
  const maxBytes = config.requirements.max_file_kb * 1024;

  const requests: ObjectRequest[] = [];
  for (const f of [...plan.requirements, ...plan.records]) {
    if (f.base) requests.push({ key: `base:${f.path}`, expression: `${sides.base}:${f.path}`, maxBytes });
    if (f.head) requests.push(f.headSha !== undefined ? { key: `head:${f.path}`, oid: f.headSha, maxBytes } : { key: `head:${f.path}`, expression: `${sides.head}:${f.path}`, maxBytes });
  }
  const [contents, baseLock, headLock] = await Promise.all([
    requests.length > 0 ? ports.readObjects(requests) : Promise.resolve(new Map<string, ObjectContent>()),
    (async () => readLock(ports, baseLockRef === undefined ? await ports.lockAt(sides.base, lockPath) : baseLockRef, "at the base", lockPath, incomplete))(),
    (async () => {
      if (plan.lock.change !== "written") return undefined;
      const ref = plan.lock.headSha !== undefined ? { oid: plan.lock.headSha } : await ports.lockAt(sides.head, lockPath);
      return readLock(ports, ref, "at the head", lockPath, incomplete);
    })(),
  ]);

  const versions = (reads: readonly FileRead[]): FileVersions[] =>
    reads.flatMap((f) => {
      const v: FileVersions = { path: f.path };
      for (const side of ["base", "head"] as const) {
        if (!f[side]) continue;
        const got = contents.get(`${side}:${f.path}`);
        if (!got || got.kind === "unreadable") {
          incomplete.push(got?.kind === "unreadable" ? got.reason : `could not read ${f.path} at the ${side}`);
          continue;
        }
        if (got.kind === "file") v[side] = got.content;
      }
      return v.base === undefined && v.head === undefined ? [] : [v];
    });

  const input: ChangeInput = {
    config,
    requirementFiles: versions(plan.requirements),
    recordFiles: versions(plan.records),
  };
  if (baseLock) input.baseLock = { path: lockPath, text: baseLock.text, parsed: baseLock.parsed(lockPath) };
  const head = plan.lock.change === "same" ? baseLock : plan.lock.change === "removed" ? undefined : headLock;
  if (head) input.headLock = { path: lockPath, text: head.text, parsed: head.parsed(lockPath) };
  const reads: ChangeReads = { input, incomplete };
  if (baseLock) reads.baseLock = baseLock;
  if (head) reads.headLock = head;
  return reads;
}

async function readLock(ports: ChangeSource, ref: { oid: string; size?: number } | null, side: string, path: string, incomplete: string[]): Promise<LockBlob | undefined> {
  if (!ref) return undefined;
  const lock = await ports.readLock(ref.oid, ref.size);
  if (!lock) incomplete.push(`the lock ${side} (${path}) is not UTF-8 text`);
  return lock;
}
