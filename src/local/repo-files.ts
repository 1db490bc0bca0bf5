// The local Source: the files of a checkout that the engine reads, as bytes, by category. No parsing here.
// Built for large trees (55k files in well under a second): only the static directory prefix of each
// glob is walked, globs are compiled once, and each file is read with a bound (bounded-read.ts). Nothing
// outside the repository is read: configured paths and links that lead out are refused (safe-paths.ts).
import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import type { Config } from "../domain/config/config.js";
import { classifier, type PathClassifier } from "../domain/config/paths.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import type { SourceFile } from "../domain/check/check-repository.js";
import { cmp, diagnostic, type Diagnostic } from "../domain/core/diagnostic.js";
import { MAX_CONFIG_BYTES, MAX_EVIDENCE_BYTES, MAX_LOCK_BYTES } from "../domain/core/limits.js";
import { resolvePositions } from "../domain/requirements/yaml.js";
import { readBounded, readListedFile } from "./bounded-read.js";
import { configPathProblems, escapingLink, escapingLinkDiagnostic, isInside, OutsideRepositoryError } from "./safe-paths.js";


export interface RepoFiles {
  requirements: SourceFile[];
  changes: SourceFile[];
  /** Absent when the repository has no lock yet. */
  lock?: SourceFile;
  verification: SourceFile[];
  /** Source files under `verification.implementation_paths` (for `@implements`). */
  implementation: SourceFile[];
  /** JUnit XML files matching `verification.results`. */
  results: SourceFile[];
  /** `.github/reqgate.yml`, when present. */
  config?: SourceFile;
  /** Files that exist but could not be read: the caller must not report success over them. */
  diagnostics: Diagnostic[];
}

const SKIPPED_DIRS = new Set([".git", "node_modules"]);

/**
 * Reads `.github/reqgate.yml` (or `path`, a file of a local `_extends`, repository-relative) from the
 * working tree; undefined when there is none. A configuration that is there but cannot be used (a link
 * out of the repository, a special or huge file, unreadable) throws OutsideRepositoryError: falling back
 * to the defaults would check against rules nobody wrote.
 */
export function readLocalConfig(root: string, path = CONFIG_PATH): SourceFile | undefined {
  const rootReal = realpathSync(root);
  const link = escapingLink(rootReal, path);
  if (link) throw new OutsideRepositoryError([escapingLinkDiagnostic(link[0], link[1])]);
  let read;
  try {
    read = readBounded(join(rootReal, path), path, MAX_CONFIG_BYTES, "keep the configuration short; it holds rules, not data");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OutsideRepositoryError([unreadable(path, error)]);
  }
  if (read.kind === "refused") throw new OutsideRepositoryError([read.diagnostic]);
  return { path, content: read.content };
}

export interface ReadOptions {
  /** Called now and then with the number of files read so far (for a progress indicator). */
  onProgress?: (filesRead: number) => void;
}

/** Lists and reads every file the engine needs from the working tree at `root`. */
export function readRepoFiles(root: string, config: Config, options: ReadOptions = {}): RepoFiles {
  const classify = classifier(config);
  const rootReal = realpathSync(root);
  const configFile = readLocalConfig(rootReal);
  const outside = configPathProblems(rootReal, config);
  if (outside.length > 0) throw new OutsideRepositoryError(placed(outside, configFile));
  const diagnostics: Diagnostic[] = [];
  const paths: string[] = [];
  const escaping = new Map<string, string>();
  const unlisted = new Set<string>();
  for (const start of classify.roots) walk(rootReal, start, paths, diagnostics, escaping, unlisted);
  const plan = planRepoFiles(paths, classify);
  // A link out of the repository is an error only where reqgate would read it.
  for (const p of plan) if (escaping.has(p.path)) outside.push(escapingLinkDiagnostic(p.path, escaping.get(p.path)!));
  if (outside.length > 0) throw new OutsideRepositoryError(outside);
  const maxFileBytes = config.requirements.max_file_kb * 1024;

  // The roots do not overlap, so each path is listed, and each file read, once.
  let filesRead = 0;
  const files = buildRepoFiles(plan, diagnostics, (path, planned) => {
    try {
      const [limit, hint] = limitOf(planned, maxFileBytes);
      const absPath = `${rootReal}/${path}`;
      // A regular file by the listing is read without a second look at its type (readListedFile).
      const read = unlisted.has(path) ? readBounded(absPath, path, limit, hint) : readListedFile(absPath, path, limit, hint);
      if (++filesRead % 1000 === 0) options.onProgress?.(filesRead);
      if (read.kind === "refused") {
        diagnostics.push(read.diagnostic);
        return undefined;
      }
      return read.content;
    } catch (error) {
      diagnostics.push(unreadable(path, error));
      return undefined;
    }
  });
  if (configFile) files.config = configFile;
  options.onProgress?.(filesRead);
  return files;
}

/** Diagnostics on configuration keys, with the line of the key. */
function placed(diagnostics: Diagnostic[], config: SourceFile | undefined): Diagnostic[] {
  const text = config && typeof config.content === "string" ? config.content : undefined;
  return resolvePositions(diagnostics, (file) => (file === CONFIG_PATH ? text : undefined));
}

/** The largest size a planned file may have (the largest of its categories' bounds), and how to get under it. */
function limitOf(file: PlannedFile, maxFileBytes: number): [number, string] {
  if (file.lock) return [MAX_LOCK_BYTES, "the lock holds one line per requirement: split the requirement set over repositories, or remove what is not a lock from this path"];
  if (file.requirement || file.change) return [Math.max(maxFileBytes, file.verification ? MAX_EVIDENCE_BYTES : 0), "split it into smaller files, or raise requirements.max_file_kb in .github/reqgate.yml"];
  return [MAX_EVIDENCE_BYTES, "split the file, or narrow verification.paths in .github/reqgate.yml"];
}

/** A file the engine needs, with the categories it belongs to (a file may be in more than one). */
export interface PlannedFile {
  path: string;
  lock: boolean;
  change: boolean;
  requirement: boolean;
  verification: boolean;
  implementation: boolean;
  result: boolean;
}

/** Classifies distinct `paths` once, keeping the wanted ones, sorted. Shared by both Sources. */
export function planRepoFiles(paths: readonly string[], classify: PathClassifier): PlannedFile[] {
  const plan: PlannedFile[] = [];
  for (const path of paths) {
    const lock = path === classify.lockPath;
    const change = !lock && classify.isChange(path);
    const requirement = !lock && !change && classify.isRequirement(path);
    const verification = !lock && classify.isVerification(path);
    const implementation = !lock && classify.isImplementation(path);
    const result = !lock && classify.isResult(path);
    if (lock || change || requirement || verification || implementation || result) plan.push({ path, lock, change, requirement, verification, implementation, result });
  }
  // Already in order when `paths` is sorted (it is, for both Sources): checking is cheaper than sorting.
  return plan.every((p, i) => i === 0 || plan[i - 1]!.path < p.path) ? plan : plan.sort((a, b) => cmp(a.path, b.path));
}

/** Reads each planned file once through `read` (undefined: unreadable or skipped, already reported). */
export function buildRepoFiles(
  plan: readonly PlannedFile[],
  diagnostics: Diagnostic[],
  read: (path: string, planned: PlannedFile) => string | Uint8Array | undefined,
): RepoFiles {
  const result: RepoFiles = { requirements: [], changes: [], verification: [], implementation: [], results: [], diagnostics };
  for (const planned of plan) {
    const { path, lock, change, requirement, verification, implementation, result: isResult } = planned;
    const content = read(path, planned);
    if (content === undefined) continue;
    if (lock) result.lock = { path, content };
    if (change) result.changes.push({ path, content });
    if (requirement) result.requirements.push({ path, content });
    if (verification) result.verification.push({ path, content });
    if (implementation) result.implementation.push({ path, content });
    if (isResult) result.results.push({ path, content });
  }
  return result;
}

/**
 * Collects the files under `start` (a repository-relative directory or file) into `out`. Symlinked
 * directories are not entered (no loops, no duplicates), which matches what the git Source sees at a
 * ref; symlinks that resolve outside the repository are listed and recorded in `escaping` (with their
 * target), never read. Paths the listing does not give as regular files (links, special files, a file
 * named as a root) are recorded in `unlisted`: their type is looked at when read.
 */
function walk(rootReal: string, start: string, out: string[], diagnostics: Diagnostic[], escaping: Map<string, string>, unlisted: Set<string>): void {
  const startAbs = start === "" ? rootReal : join(rootReal, start);
  let startStat;
  try {
    startStat = statSync(startAbs);
  } catch {
    return; // the prefix does not exist: nothing to read
  }
  if (!startStat.isDirectory()) {
    // Special files (a FIFO, a device) are listed too: reading refuses them by type, with a diagnostic.
    const target = safeRealpath(startAbs);
    if (target !== undefined && isInside(rootReal, target)) {
      out.push(start);
      unlisted.add(start);
    }
    return;
  }
  const stack = [start];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir === "" ? rootReal : join(rootReal, dir), { withFileTypes: true });
    } catch (error) {
      diagnostics.push(unreadable(dir, error));
      continue;
    }
    for (const entry of entries) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) stack.push(path);
      } else if (entry.isSymbolicLink()) {
        const target = safeRealpath(join(rootReal, path));
        if (target === undefined) continue; // dangling: nothing to read
        unlisted.add(path);
        if (!isInside(rootReal, target)) {
          escaping.set(path, target);
          out.push(path);
        } else if (!isDirectory(target)) {
          out.push(path);
        }
      } else {
        out.push(path); // a file, or a special file that reading refuses by type
        if (!entry.isFile()) unlisted.add(path);
      }
    }
  }
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function unreadable(path: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return diagnostic({
    code: "unreadable-file",
    file: path,
    message: `the file could not be read${code ? ` (${code})` : ""}`,
    hint: "check its permissions",
  });
}
