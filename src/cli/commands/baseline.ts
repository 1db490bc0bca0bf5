// `reqgate baseline`: writes the lock, relative to the base's lock through the change pipeline in a git
// checkout, relative to the working tree's own lock outside git.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { computeBaseline, EMPTY_LOCK, parseLock, renderLock, type Lock, type RequirementChange } from "../../domain/baseline/baseline.js";
import { linkMoves, nextLinks, withLinks, type NextLinksInput } from "../../domain/baseline/links.js";
import { diagnostic, sortDiagnostics } from "../../domain/core/diagnostic.js";
import { joinFirst } from "../../domain/core/lists.js";
import { resolvePositions } from "../../domain/requirements/yaml.js";
import { EVIDENCE_CODES } from "../../domain/verification/verification.js";
import { changedSince, defaultBranch, GitError, mergeBase, resolveRef, worktreePrefix } from "../../local/git.js";
import { writableTarget } from "../../local/safe-paths.js";
import { EXIT } from "../args.js";
import { ConfigError } from "../errors.js";
import type { Io } from "../main.js";
import { formatCount, formatJson, type OutputFormat } from "../output.js";
import { changeAgainst } from "./change.js";
import { decodeIfText, LOCK_RELATIVE, printDiagnostics, readAndCheck, type Checked } from "./read.js";

/**
 * `reqgate baseline`. In a git checkout the lock is written relative to the lock at the merge base
 * with the default branch (or `--base REF`), through the same change pipeline as the pull-request
 * check, so it is the lock that check expects however often the change was amended (SPEC 1.2).
 * Outside git, or before the first commit, relative to the lock in the working tree.
 */
export async function baseline(root: string, baseRef: string | undefined, format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  const head = await readAndCheck(root, io, configFile);
  const base = baselineBase(root, baseRef);
  if (!base) return baselineInPlace(head, root, format, io);

  const { change, baseConfig, own } = await changeAgainst(root, base.commit, base.name, head);
  // A first baseline (no lock at the base): every requirement of the working tree is new.
  if (!change.baseLock && change.incomplete.length === 0) return baselineInPlace(head, root, format, io, EMPTY_LOCK);
  const { evaluation } = change;
  const lockPath = baseConfig.requirements.lock;
  // What the lock would be written over: the head's errors (a file that does not parse would look like
  // removed requirements) and the change's (a change no record claims). The working tree's own lock is
  // replaced, so its problems do not block.
  // The working tree's suspect links are rewritten here (`check` lists them), and so is its judgement.
  const fromHead = head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code) && d.code !== "lock-invalid" && d.code !== "suspect-link");
  const diagnostics = sortDiagnostics([...fromHead, ...own.filter((d) => d.code !== "lock-stale" && d.code !== "lock-link-invalid")]);
  const blocking = diagnostics.filter((d) => d.severity === "error" && !EVIDENCE_CODES.has(d.code));
  if (blocking.length > 0 || change.incomplete.length > 0 || evaluation.lock.state === "undetermined") {
    printDiagnostics(blocking.length > 0 ? blocking : diagnostics, format, io);
    for (const reason of change.incomplete) io.stderr.write(`reqgate: ${reason}\n`);
    io.stderr.write("reqgate: the lock was not written: fix the errors above first\n");
    return EXIT.problems;
  }
  // The entries as the change pipeline computes them; the suspect links from the whole checkout.
  const entriesLock = evaluation.lock.expected !== undefined ? parseLock(lockPath, evaluation.lock.expected).lock : head.check.lock;
  const baseLinks = change.baseLock?.parsed(lockPath).lock?.links ?? [];
  const next = entriesLock ? withLinks(entriesLock, nextLinks({ ...linkInputs(head, evaluation.changes, changedSince(root, base.commit)), previous: baseLinks, reviewed: head.check.lock?.links ?? [] })) : undefined;
  const expected = next ? renderLock(next) : undefined;
  const target = writableTarget(root, lockPath, "requirements.lock");
  const written = expected !== undefined && (!existsSync(target) || readFileSync(target, "utf8") !== expected);
  if (written) writeLock(target, lockPath, expected);
  const credited = new Map<string, string[]>();
  for (const c of evaluation.changes) if (c.record !== undefined) credited.set(c.record, [...(credited.get(c.record) ?? []), c.id]);

  if (format === "json") {
    io.stdout.write(formatJson(diagnostics, { lock: lockPath, written, base: base.commit, changes: evaluation.changes.map((c) => ({ id: c.id, kind: c.kind, change: c.record ?? null })), applied: [...credited.keys()] }, "reqgate-baseline"));
    return EXIT.clean;
  }
  if (diagnostics.length > 0) printDiagnostics(diagnostics, format, io);
  const entries = countEntries(expected ?? change.headLock?.text ?? "");
  const against = `relative to ${base.name} at ${base.commit.slice(0, 12)}`;
  if (!written) {
    io.stdout.write(`${lockPath} is up to date (${formatCount(entries)} baselined requirements, ${against})\n`);
    return EXIT.clean;
  }
  for (const [record, ids] of credited) io.stdout.write(`${record}: ${joinFirst(ids, 8)}\n`);
  const counts = countKinds(evaluation.changes.filter((c) => c.kind !== "moved").map((c) => c.kind));
  io.stdout.write(`wrote ${lockPath}: ${counts || "reformatted"} (${formatCount(entries)} baselined requirements, ${against})\n`);
  return EXIT.clean;
}

/** Which commit `baseline` credits against; undefined outside git or before the first commit. */
function baselineBase(root: string, ref: string | undefined): { commit: string; name: string } | undefined {
  if (ref !== undefined) return { commit: resolveRef(root, ref), name: ref };
  try {
    worktreePrefix(root);
  } catch (error) {
    if (error instanceof GitError && (error.kind === "not-a-repository" || error.kind === "git-missing")) return undefined;
    throw error;
  }
  const branch = defaultBranch(root);
  if (branch === undefined) return undefined;
  const commit = mergeBase(root, branch);
  return commit === undefined ? undefined : { commit, name: `the merge base with ${branch}` };
}

/**
 * `baseline` from the whole working tree: outside git relative to the lock in it (`against` absent);
 * on a branch whose base has no lock yet (a first baseline), relative to that empty lock.
 */
function baselineInPlace(head: Checked, root: string, format: OutputFormat, io: Io, against?: Lock): number {
  const { config } = head;
  const result = against ? computeBaseline(against, head.check.requirements, head.check.records) : head.check.baseline;
  const check = { baseline: result };
  const texts = new Map([...head.files.requirements, ...head.files.changes].map((f) => [f.path, f.content]));
  const diagnostics = against
    ? sortDiagnostics([...head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code) && d.code !== "lock-invalid" && d.code !== "suspect-link"), ...resolvePositions(result.diagnostics, (f) => decodeIfText(texts.get(f)))])
    : head.diagnostics;
  // A file that does not parse would look like removed requirements: never rewrite the lock over it.
  const blocking = diagnostics.filter((d) => d.severity === "error" && d.code !== "lock-stale" && d.code !== "lock-missing" && !EVIDENCE_CODES.has(d.code));
  if (blocking.length > 0 || !check.baseline.lock) {
    printDiagnostics(blocking.length > 0 ? blocking : diagnostics, format, io);
    io.stderr.write("reqgate: the lock was not written: fix the errors above first\n");
    return EXIT.problems;
  }
  const creditOf = new Map(check.baseline.lock.entries.map((e) => [e.id, e.change]));
  const moved = withCredit(check.baseline.changes, (id) => creditOf.get(id));
  const links = nextLinks({ ...linkInputs(head, moved, new Set()), previous: (against ?? head.check.lock)?.links ?? [], reviewed: head.check.lock?.links ?? [] });
  const text = renderLock(withLinks(check.baseline.lock, links));
  const lockPath = config.requirements.lock;
  const target = writableTarget(root, lockPath, "requirements.lock");
  const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
  const changed = current !== text;
  if (changed) writeLock(target, lockPath, text);

  const changes = check.baseline.changes;
  if (format === "json") {
    const credit = new Map(check.baseline.lock.entries.map((e) => [e.id, e.change]));
    io.stdout.write(formatJson(diagnostics, { lock: lockPath, written: changed, changes: changes.map((c) => ({ id: c.id, kind: c.kind, change: credit.get(c.id) ?? null })), applied: [...check.baseline.credited.keys()] }, "reqgate-baseline"));
    return EXIT.clean;
  }
  const shown = diagnostics.filter((d) => d.code !== "lock-stale" && d.code !== "lock-missing" && d.code !== "suspect-link");
  if (shown.length > 0) printDiagnostics(shown, format, io);
  if (!changed) {
    io.stdout.write(`${lockPath} is up to date (${formatCount(check.baseline.lock.entries.length)} baselined requirements)\n`);
    return EXIT.clean;
  }
  for (const [record, ids] of check.baseline.credited) {
    io.stdout.write(`${record}: ${joinFirst(ids, 8)}\n`);
  }
  const counts = countKinds(changes.map((c) => c.kind));
  io.stdout.write(`wrote ${lockPath}: ${counts || "reformatted"} (${formatCount(check.baseline.lock.entries.length)} baselined requirements)\n`);
  return EXIT.clean;
}

/** What `nextLinks` needs from the whole checkout and a change's list of requirement changes. */
function linkInputs(head: Checked, changed: readonly (RequirementChange & { record?: string })[], touchedFiles: ReadonlySet<string>): Omit<NextLinksInput, "previous" | "reviewed"> {
  const requirements = new Map<string, { parents: readonly string[] }>();
  for (const r of head.check.requirements) if (r.status !== "draft" && !requirements.has(r.id)) requirements.set(r.id, r);
  return { moves: linkMoves(changed, () => undefined), touchedIds: new Set(changed.map((c) => c.id)), touchedFiles, requirements, evidence: head.check.evidence };
}

/** The changes of an in-place baseline, each with the record the new lock credits it to. */
function withCredit(list: readonly RequirementChange[], credit: (id: string) => string | undefined): Array<RequirementChange & { record?: string }> {
  return list.map((c) => {
    const record = credit(c.id);
    return record !== undefined ? { ...c, record } : c;
  });
}

/** Writes the lock; a folder that is missing or a file that cannot be written is exit 2 with a message. */
export function writeLock(target: string, lockPath: string, text: string): void {
  if (!existsSync(dirname(target))) {
    throw new ConfigError([diagnostic({ code: "lock-unwritable", file: lockPath, message: `the folder of requirements.lock (${dirname(lockPath)}) does not exist`, hint: "run `reqgate init`, or create the folder, or set requirements.lock in .github/reqgate.yml" })]);
  }
  try {
    writeFileSync(target, text);
  } catch (error) {
    throw new ConfigError([diagnostic({ code: "lock-unwritable", file: lockPath, message: `the lock could not be written (${(error as NodeJS.ErrnoException).code ?? "error"})`, hint: "check that requirements.lock names a writable file" })]);
  }
}

/** Requirements in a lock's text: one line each (renderLock). */
function countEntries(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n{"id":'); at !== -1; at = text.indexOf('\n{"id":', at + 1)) n++;
  return n;
}

function countKinds(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}
