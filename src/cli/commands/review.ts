// `reqgate review ID…` (SPEC 2.5): confirms the open suspect links of these requirements (or evidence
// files) in the lock, with who (git's user) and when. The lock is the record: its pull request shows the
// review, and the rules of the reviewed requirement approve it (the App's reqgate/baseline).
import { existsSync } from "node:fs";
import { parseLock, renderLock } from "../../domain/baseline/baseline.js";
import { describeLink, reviewLinks } from "../../domain/baseline/links.js";
import { MAX_LOCK_BYTES } from "../../domain/core/limits.js";
import { readBounded } from "../../local/bounded-read.js";
import { GitError, gitUser } from "../../local/git.js";
import { writableTarget } from "../../local/safe-paths.js";
import { EXIT } from "../args.js";
import type { Io } from "../main.js";
import type { Env, OutputFormat } from "../output.js";
import { writeLock } from "./baseline.js";
import { loadWorktreeConfig } from "../../local/config.js";
import { printDiagnostics, usable } from "./read.js";

/** `configFile`: `--config FILE` (absolute), where the lock is named instead of `.github/reqgate.yml`. */
export async function review(root: string, targets: readonly string[], format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  const config = usable(await loadWorktreeConfig(root, configFile));
  const lockPath = config.requirements.lock;
  const target = writableTarget(root, lockPath, "requirements.lock");
  if (!existsSync(target)) {
    io.stderr.write(`reqgate: there is no baseline lock at ${lockPath}: nothing to review\n`);
    return EXIT.usage;
  }
  const read = readBounded(target, lockPath, MAX_LOCK_BYTES, "the lock holds one line per requirement; a lock this large is not one `reqgate baseline` wrote");
  const parsed = read.kind === "refused" ? { diagnostics: [read.diagnostic] } : parseLock(lockPath, typeof read.content === "string" ? read.content : new TextDecoder().decode(read.content));
  if (!parsed.lock) {
    printDiagnostics(parsed.diagnostics, format, io);
    return EXIT.problems;
  }
  let by: string | undefined;
  try {
    by = gitUser(root);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
  }
  if (by === undefined) {
    io.stderr.write("reqgate: a review records who made it: set git's user.name and user.email (git config user.name \"Your Name\")\n");
    return EXIT.usage;
  }
  const at = reviewTime(io.env);
  const result = reviewLinks(parsed.lock, targets, by.slice(0, 200), at);
  if (result.reviewed.length > 0) writeLock(target, lockPath, renderLock(result.lock));
  if (format === "json") {
    io.stdout.write(`${JSON.stringify({ version: 1, kind: "reqgate-review", lock: lockPath, by, at, reviewed: result.reviewed.map((l) => ({ kind: l.kind, item: l.item, moved: l.moved, change: l.change })), unknown: result.unknown }, null, 2)}\n`);
  } else {
    for (const l of result.reviewed) io.stdout.write(`reviewed ${describeLink(l)}\n`);
    for (const t of result.unknown) io.stderr.write(`reqgate: ${t.replace(/[^\x20-\x7e]/g, "?")} has no open suspect link in ${lockPath}\n`);
    if (result.reviewed.length > 0) io.stdout.write(`wrote ${lockPath}: ${result.reviewed.length} suspect link${result.reviewed.length === 1 ? "" : "s"} reviewed by ${by}; commit it: the pull request's check shows the review\n`);
  }
  return result.unknown.length > 0 ? EXIT.problems : EXIT.clean;
}

/** Now, or SOURCE_DATE_EPOCH (reproducible runs), as an ISO time to the second. */
function reviewTime(env: Env): string {
  const epoch = env.SOURCE_DATE_EPOCH !== undefined && /^\d{1,12}$/.test(env.SOURCE_DATE_EPOCH) ? Number(env.SOURCE_DATE_EPOCH) * 1000 : Date.now();
  return new Date(epoch).toISOString().replace(/\.\d{3}Z$/, "Z");
}
