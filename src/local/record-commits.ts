// Which commit applied each change record: the oldest commit in the lock's history that added the
// record's `{"applied":"CR-…"}` line (SPEC 1.2: `reqgate baseline` marks a record applied in the pull
// request that makes the change). ONE git process for every record: `git log -p --unified=0` of the
// lock file (its most recent MAX_LOCK_COMMITS commits), its output in a temporary file.
import { spawnGit, type GitRunner } from "./git.js";

/** Commits of the lock's history read: the most recent ones (a record applied earlier is "not found"). */
export const MAX_LOCK_COMMITS = 5000;

const APPLIED = /^\+\{"applied":"([^"\\]{1,200})"\}$/;

/**
 * Record ID -> the commit that applied it, among commits reachable from `to` (and not from `from`, when
 * given). Empty when git fails (outside git, an unknown revision): the caller then reports "unknown".
 */
export function appliedCommits(root: string, lockPath: string, range: { to: string; from?: string }, run: GitRunner = spawnGit): Map<string, string> {
  const revisions = range.from !== undefined ? [`${range.from}..${range.to}`] : [range.to];
  const result = run(["log", `--max-count=${MAX_LOCK_COMMITS}`, "--no-color", "--no-ext-diff", "--no-renames", "-p", "--unified=0", "--format=commit %H", ...revisions, "--", lockPath], { cwd: root, largeOutput: true });
  if (result.status !== 0 || result.error) return new Map();
  return parseAppliedLog(result.stdout.toString("utf8"));
}

/** `git log -p` output (newest first) -> record ID -> the oldest commit that added its applied line. */
export function parseAppliedLog(text: string): Map<string, string> {
  const found = new Map<string, string>();
  let commit: string | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("commit ")) {
      commit = line.slice(7).trim();
      continue;
    }
    const m = APPLIED.exec(line);
    // Newest first: a later (older) match replaces an earlier one.
    if (m && commit !== undefined) found.set(m[1]!, commit);
  }
  return found;
}
