// The Source at a git ref, for `reqgate check --base REF`. A constant number of git processes whatever
// the number of files: `rev-parse` for the ref and for where the project sits in the work tree,
// `ls-tree` for the listing, and ONE `cat-file --batch` fed every blob on stdin. Git is run without a shell (REF is user input) and with its output in Buffers.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../domain/config/config.js";
import { diagnostic, type Diagnostic } from "../domain/core/diagnostic.js";
import { classifier } from "../domain/config/paths.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { buildRepoFiles, planRepoFiles, type RepoFiles } from "./repo-files.js";

export interface GitResult {
  status: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Set when git could not be started or its output exceeded the buffer. */
  error?: Error;
}

export interface GitRunOptions {
  cwd: string;
  input?: string;
  /** Output of many MB: written to a temporary file, which is ~2x faster than a pipe of 64 KiB. */
  largeOutput?: boolean;
}

/** Runs `git <args>` in `cwd`; injectable so tests can count and fake processes. */
export type GitRunner = (args: readonly string[], options: GitRunOptions) => GitResult;

const MAX_OUTPUT = 1024 * 1024 * 1024;

/** C locale: the few stderr texts we recognise are stable; no prompt may block a CLI run. */
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C", LANGUAGE: "C", GIT_TERMINAL_PROMPT: "0" };
}

export function spawnGit(args: readonly string[], options: GitRunOptions): GitResult {
  const spawnOptions = {
    cwd: options.cwd,
    input: options.input ?? "",
    maxBuffer: MAX_OUTPUT,
    env: gitEnv(),
    windowsHide: true,
  };
  if (!options.largeOutput) {
    const result = spawnSync("git", args, spawnOptions);
    return toResult(result, result.stdout);
  }
  const dir = mkdtempSync(join(tmpdir(), "reqgate-git-"));
  try {
    const fd = openSync(join(dir, "out"), "w+", 0o600);
    let result;
    try {
      result = spawnSync("git", args, { ...spawnOptions, stdio: ["pipe", fd, "pipe"] });
    } finally {
      closeSync(fd);
    }
    return toResult(result, result.error ? Buffer.alloc(0) : readFileSync(join(dir, "out")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function toResult(result: SpawnSyncReturns<Buffer>, stdout: Buffer | null): GitResult {
  const out: GitResult = { status: result.status, stdout: stdout ?? Buffer.alloc(0), stderr: result.stderr ?? Buffer.alloc(0) };
  if (result.error) out.error = result.error;
  return out;
}

export type GitErrorKind = "invalid-ref" | "unknown-ref" | "not-a-repository" | "git-missing" | "git-failed";

/** A problem with the ref or the repository, for the CLI to report as a usage error (exit code 2). */
export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "GitError";
  }
}

/**
 * The full commit SHA that `ref` names. Throws GitError for refs that could be taken for options,
 * unknown refs and directories that are not git repositories.
 */
export function resolveRef(root: string, ref: string, run: GitRunner = spawnGit): string {
  if (ref === "" || ref.startsWith("-") || ref.length > 200 || printable(ref) !== ref) {
    throw new GitError("invalid-ref", `"${printable(ref)}" is not a git revision: give a branch, tag or commit, e.g. --base origin/main`);
  }
  const result = run(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root });
  failIfNotRun(result, root);
  const sha = result.stdout.toString("utf8").trim();
  if (result.status === 0 && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  const stderr = result.stderr.toString("utf8");
  if (/not a git repository/i.test(stderr)) {
    throw new GitError("not-a-repository", `${root} is not a git repository, and --base reads files at a git revision`);
  }
  // --verify --quiet exits 1 for an unknown name; anything else (dubious ownership, corruption) is git's own message.
  if (result.status !== 1) throw new GitError("git-failed", `git rev-parse failed in ${root}: ${firstLine(result.stderr)}`);
  throw new GitError(
    "unknown-ref",
    `unknown revision "${printable(ref)}": no commit by that name in ${root} (give a branch, tag or commit; in a shallow CI clone fetch it first, e.g. \`git fetch origin main\` or actions/checkout with fetch-depth: 0)`,
  );
}

/** The bytes of one file at `commit`, or undefined when the commit has no such file. */
export function readFileAtRef(root: string, commit: string, path: string, run: GitRunner = spawnGit): Uint8Array | undefined {
  if (/[\n\r]/.test(path)) return undefined;
  const [object] = catFileBatch(root, [`${commit}:${worktreePrefix(root, run)}${path}`], run);
  return object;
}

export interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  path: string;
}

/**
 * The same categories of files as `readRepoFiles`, as they are at `commit` (a resolved SHA): one
 * `ls-tree` limited to the static prefixes of the globs, then one `cat-file --batch` for every blob.
 * Symlinks are followed inside the repository by git itself (`--follow-symlinks`); links that leave it,
 * dangle or name a directory are skipped, as in the working tree.
 */
export function readRepoFilesAtRef(root: string, commit: string, config: Config, run: GitRunner = spawnGit): RepoFiles {
  const classify = classifier(config);
  const prefix = worktreePrefix(root, run);
  const entries = listTree(root, commit, prefix, [...classify.roots, CONFIG_PATH], run);
  const plan = planRepoFiles([...entries.keys()], classify);
  const configEntry = entries.get(CONFIG_PATH);

  // One request per distinct blob; links by name, so that --follow-symlinks resolves them.
  const requests: string[] = [];
  const requestOf = new Map<string, number>();
  const indexOfPath = new Map<string, number>();
  const wanted = [...plan.map((p) => p.path), ...(configEntry ? [CONFIG_PATH] : [])];
  for (const path of wanted) {
    const e = entries.get(path)!;
    const name = e.mode === "120000" ? `${commit}:${e.path}` : e.object;
    let index = requestOf.get(name);
    if (index === undefined) {
      index = requests.push(name) - 1;
      requestOf.set(name, index);
    }
    indexOfPath.set(path, index);
  }
  const objects = catFileBatch(root, requests, run);

  const diagnostics: Diagnostic[] = [];
  const read = (path: string): Uint8Array | undefined => {
    const content = objects[indexOfPath.get(path)!];
    if (content === undefined && entries.get(path)?.mode !== "120000") {
      // A listed blob that git cannot produce (corrupt or partial clone) must not pass as absent.
      diagnostics.push(diagnostic({ code: "unreadable-file", file: path, message: `the file could not be read from git at ${commit.slice(0, 12)}`, hint: "check the clone (git fsck), or fetch the missing objects" }));
    }
    return content;
  };
  const files = buildRepoFiles(plan, diagnostics, read);
  const configContent = configEntry ? read(CONFIG_PATH) : undefined;
  if (configContent !== undefined) files.config = { path: CONFIG_PATH, content: configContent };
  return files;
}

/**
 * The blobs at `commit` under `roots` (paths relative to `root`, "" for everything), by path relative
 * to `root`: ONE `ls-tree`. `prefix` is where `root` sits in its work tree (`worktreePrefix`).
 */
export function listTree(root: string, commit: string, prefix: string, roots: readonly string[], run: GitRunner = spawnGit): Map<string, TreeEntry> {
  // Git names files from the top of its work tree; `root` may be a project inside it.
  const pathspecs = roots.includes("") ? (prefix ? [prefix] : []) : roots.map((p) => prefix + p);
  const listing = run(["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--", ...pathspecs], { cwd: root, largeOutput: true });
  failIfNotRun(listing, root);
  if (listing.status !== 0) {
    throw new GitError("git-failed", `git ls-tree failed at ${commit}: ${firstLine(listing.stderr)}`);
  }
  const entries = new Map<string, TreeEntry>();
  for (const e of parseLsTree(listing.stdout)) {
    // A symlink's blob is its target's name: git resolves it when it is read. A name with a line break
    // cannot be written on cat-file's line-based input, so such a link is skipped.
    if (e.type !== "blob" || !e.path.startsWith(prefix) || (e.mode === "120000" && /[\n\r]/.test(e.path))) continue;
    entries.set(e.path.slice(prefix.length), e);
  }
  return entries;
}

/** Where `root` is inside its git work tree: "" at the top, else "dir/sub/". */
export function worktreePrefix(root: string, run: GitRunner = spawnGit): string {
  const result = run(["rev-parse", "--show-prefix"], { cwd: root });
  failIfNotRun(result, root);
  if (result.status !== 0) throw new GitError("not-a-repository", `${root} is not inside a git repository: ${firstLine(result.stderr)}`);
  return result.stdout.toString("utf8").replace(/\n$/, "");
}

/** `<mode> SP <type> SP <object> TAB <path> NUL`, repeated. */
export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let start = 0;
  while (start < output.length) {
    let end = output.indexOf(0, start);
    if (end === -1) end = output.length;
    const record = output.toString("utf8", start, end);
    start = end + 1;
    const tab = record.indexOf("\t");
    if (tab === -1) continue;
    const [mode, type, object] = record.slice(0, tab).split(" ");
    if (mode === undefined || type === undefined || object === undefined) continue;
    entries.push({ mode, type, object, path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * Runs ONE `git cat-file --batch` for all `names` (object IDs or `<rev>:<path>`) and returns, in the
 * same order, each blob's bytes or undefined (missing, not a blob, or a symlink leaving the repository).
 */
export function catFileBatch(root: string, names: readonly string[], run: GitRunner = spawnGit): Array<Uint8Array | undefined> {
  if (names.length === 0) return [];
  const result = run(["cat-file", "--batch", "--buffer", "--follow-symlinks"], { cwd: root, input: `${names.join("\n")}\n`, largeOutput: true });
  failIfNotRun(result, root);
  if (result.status !== 0) {
    throw new GitError("git-failed", `git cat-file failed: ${firstLine(result.stderr)}`);
  }
  return parseCatFileBatch(result.stdout, names.length);
}

/**
 * Parses `--batch` output: `<oid> <type> <size>\n<content>\n`; `<name> missing\n` (also "ambiguous");
 * and with --follow-symlinks `symlink|dangling|loop|notdir <size>\n<text>\n` for links git could not
 * follow inside the repository.
 */
export function parseCatFileBatch(output: Buffer, count: number): Array<Uint8Array | undefined> {
  const objects: Array<Uint8Array | undefined> = [];
  let pos = 0;
  while (objects.length < count && pos < output.length) {
    const eol = output.indexOf(10, pos);
    if (eol === -1) break;
    const header = output.toString("utf8", pos, eol);
    pos = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      objects.push(undefined);
      continue;
    }
    const parts = header.split(" ");
    const size = Number(parts.at(-1));
    if (!Number.isSafeInteger(size) || size < 0 || pos + size > output.length) {
      throw new GitError("git-failed", `unexpected output from git cat-file: ${JSON.stringify(header.slice(0, 100))}`);
    }
    const isBlob = parts.length === 3 && parts[1] === "blob";
    objects.push(isBlob ? output.subarray(pos, pos + size) : undefined);
    pos += size + 1; // the content, then its LF
  }
  if (objects.length < count) {
    throw new GitError("git-failed", `git cat-file returned ${objects.length} of ${count} objects`);
  }
  return objects;
}

function failIfNotRun(result: GitResult, root: string): void {
  if (!result.error) return;
  const code = (result.error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    if (!existsSync(root)) throw new GitError("not-a-repository", `${root} does not exist`);
    throw new GitError("git-missing", "git was not found on PATH; --base needs git installed");
  }
  if (code === "ENOBUFS") {
    throw new GitError("git-failed", `the files read from git in ${root} exceed ${MAX_OUTPUT / 1024 / 1024} MiB`);
  }
  throw new GitError("git-failed", `git could not be run in ${root}: ${result.error.message}`);
}

function firstLine(stderr: Buffer): string {
  return stderr.toString("utf8").split("\n")[0]?.trim() || "no message";
}

function printable(text: string): string {
  let out = "";
  for (const ch of text.slice(0, 200)) out += ch < " " || ch === "\x7f" ? "?" : ch;
  return out;
}

/**
 * The default branch, as git knows it: `origin/HEAD` (what a clone sets), else a local `main`, else
 * `master`. Undefined when there is none (a repository without commits, or with other branch names).
 */
export function defaultBranch(root: string, run: GitRunner = spawnGit): string | undefined {
  const candidates = ["refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master"];
  const result = run(["for-each-ref", "--format=%(refname)", ...candidates], { cwd: root });
  failIfNotRun(result, root);
  if (result.status !== 0) {
    if (/not a git repository/i.test(result.stderr.toString("utf8"))) return undefined;
    throw new GitError("git-failed", `git for-each-ref failed in ${root}: ${firstLine(result.stderr)}`);
  }
  const found = new Set(result.stdout.toString("utf8").split("\n").filter((l) => l !== ""));
  const ref = candidates.find((c) => found.has(c));
  return ref === undefined ? undefined : ref.replace(/^refs\/remotes\//, "").replace(/^refs\/heads\//, "");
}

/** The commit where HEAD left `commit`; undefined when HEAD has no commit yet or the histories share none. */
export function mergeBase(root: string, commit: string, run: GitRunner = spawnGit): string | undefined {
  const result = run(["merge-base", "HEAD", commit], { cwd: root });
  failIfNotRun(result, root);
  const sha = result.stdout.toString("utf8").trim();
  if (result.status === 0 && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  // 1: no common ancestor; 128 with an unborn HEAD. A shallow clone that lacks the ancestor also says 1.
  if (result.status === 1 || /unknown revision|bad revision|not a valid|ambiguous argument 'HEAD'/i.test(result.stderr.toString("utf8"))) return undefined;
  throw new GitError("git-failed", `git merge-base failed in ${root}: ${firstLine(result.stderr)}`);
}


/** The URL of the `origin` remote; undefined when there is none, outside git, or when git cannot run. */
export function originUrl(root: string, run: GitRunner = spawnGit): string | undefined {
  const result = run(["remote", "get-url", "origin"], { cwd: root });
  const url = result.status === 0 && !result.error ? result.stdout.toString("utf8").trim() : "";
  return url === "" ? undefined : url;
}

/** `Name <email>` from git's user.name and user.email; undefined when neither is set (or outside git). */
export function gitUser(root: string, run: GitRunner = spawnGit): string | undefined {
  const value = (key: string) => {
    const result = run(["config", "--get", key], { cwd: root });
    failIfNotRun(result, root);
    return result.status === 0 ? result.stdout.toString("utf8").trim() : "";
  };
  const name = value("user.name");
  const email = value("user.email");
  if (name === "" && email === "") return undefined;
  return email === "" ? name : name === "" ? `<${email}>` : `${name} <${email}>`;
}

/**
 * Paths (repository-relative) that differ between `commit` and the working tree, untracked files
 * included: what a baseline move on this branch touches.
 */
export function changedSince(root: string, commit: string, run: GitRunner = spawnGit): Set<string> {
  const prefix = worktreePrefix(root, run);
  const out = new Set<string>();
  for (const args of [["diff", "--name-only", "-z", "--no-renames", commit, "--", "."], ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", "."]]) {
    const result = run(args, { cwd: root });
    failIfNotRun(result, root);
    if (result.status !== 0) throw new GitError("git-failed", `git ${args[0]} failed in ${root}: ${firstLine(result.stderr)}`);
    for (const name of result.stdout.toString("utf8").split("\0")) {
      if (name === "") continue;
      // Paths relative to the repository of the requirements (a subfolder of a larger repository).
      if (prefix === "" || name.startsWith(prefix)) out.add(name.slice(prefix.length));
    }
  }
  return out;
}
