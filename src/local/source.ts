// The CLI's ChangeSource (engine/ports.ts): the same reads the App makes through GitHub's API, made
// through git and the working tree, so that `check --base` and `reqgate baseline` run the engine's one
// change pipeline (engine/change.ts). A revision is a commit SHA, or WORKTREE for the files on disk.
//
// Per revision read: ONE `ls-tree` (the blobs under the configured roots, with their object IDs), and
// for the whole run ONE `git cat-file --batch` process (local/cat-file.ts) that serves the
// configuration, the changed files and the locks. The working tree is compared with a revision by
// object ID: each file read from disk is hashed as git hashes a blob, so only the files that differ are
// ever read from git.
import { createHash, hash } from "node:crypto";
import type { Lock } from "../domain/baseline/baseline.js";
import type { Config } from "../domain/config/config.js";
import { classifier, type PathClassifier } from "../domain/config/paths.js";
import type { ChangedFile } from "../domain/pulls/pull-facts.js";
import { MAX_LOCK_BYTES } from "../domain/core/limits.js";
import { lockBlob, oversizedLock } from "../engine/lock-blob.js";
import type { ChangeSource, FileList, LockBlob, ObjectContent, ObjectRequest } from "../engine/ports.js";
import { CatFileBatch } from "./cat-file.js";
import { listTree, spawnGit, type GitRunner } from "./git.js";
import type { RepoFiles } from "./repo-files.js";

/** The files on disk, as a revision name. Not a valid commit SHA, so it cannot be taken for one. */
export const WORKTREE = "WORKTREE";

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

export interface LocalSourceOptions {
  /** The repository root (a project may sit inside a larger work tree: see `prefix`). */
  root: string;
  /** Where `root` sits in its git work tree (`worktreePrefix`): "" at the top. */
  prefix: string;
  /** The configuration whose roots are listed (the base's: the change is classified by it). */
  config: Config;
  /** The working tree's files, read with the same configuration. */
  worktree?: RepoFiles;
  /** The working tree's lock as the full check parsed it (`worktree.lock`, text): not parsed a second time. */
  worktreeLock?: Lock;
  run?: GitRunner;
  batch?: CatFileBatch;
}

interface Side {
  /** Object ID by path (repository-relative), for requirement files, change records and the lock. */
  oids: Map<string, string>;
  /** Symlinks are named by `<commit>:<path>`, which cat-file follows; other blobs by ID. */
  names: Map<string, string>;
}

export class LocalSource implements ChangeSource {
  readonly #root: string;
  readonly #prefix: string;
  readonly #roles: PathClassifier;
  readonly #run: GitRunner;
  readonly #batch: CatFileBatch;
  readonly #worktree: RepoFiles | undefined;
  readonly #worktreeLock: Lock | undefined;
  readonly #sides = new Map<string, Side>();
  /** Working-tree contents by object ID (computed once, for the files compared). */
  readonly #worktreeObjects = new Map<string, string | Uint8Array>();
  readonly #locks = new Map<string, LockBlob | undefined>();
  #hash: "sha1" | "sha256" = "sha1";

  constructor(options: LocalSourceOptions) {
    this.#root = options.root;
    this.#prefix = options.prefix;
    this.#roles = classifier(options.config);
    this.#run = options.run ?? spawnGit;
    this.#batch = options.batch ?? new CatFileBatch(options.root);
    this.#worktree = options.worktree;
    this.#worktreeLock = options.worktreeLock;
  }

  /** Ends the cat-file process. */
  close(): void {
    this.#batch.close();
  }

  /** The files of `base` and `head` that differ, as GitHub's compare lists them (no renames: a rename is a removal and an addition, paired by path as the App pairs them). */
  compareFiles(base: string, head: string): Promise<FileList> {
    const before = this.#side(base);
    const after = this.#side(head);
    const files: ChangedFile[] = [];
    for (const [path, oid] of after.oids) {
      const old = before.oids.get(path);
      if (old === oid) continue;
      files.push(old === undefined ? { path, status: "added", sha: oid } : { path, status: "modified", sha: oid });
    }
    for (const path of before.oids.keys()) if (!after.oids.has(path)) files.push({ path, status: "removed" });
    return Promise.resolve({ files });
  }

  async readObjects(requests: readonly ObjectRequest[]): Promise<Map<string, ObjectContent>> {
    const out = new Map<string, ObjectContent>();
    const names: string[] = [];
    const keys: string[] = [];
    for (const request of requests) {
      const local = request.oid !== undefined ? this.#worktreeObjects.get(request.oid) : undefined;
      if (local !== undefined) {
        out.set(request.key, { kind: "file", content: local, oid: request.oid! });
        continue;
      }
      const name = request.oid ?? this.#nameOf(request.expression ?? "");
      if (name === undefined) {
        out.set(request.key, { kind: "absent" });
        continue;
      }
      names.push(name);
      keys.push(request.key);
    }
    const objects = await this.#batch.read(names);
    keys.forEach((key, i) => {
      const content = objects[i];
      out.set(key, content === undefined ? { kind: "absent" } : { kind: "file", content });
    });
    return out;
  }

  lockAt(commit: string, path: string): Promise<{ oid: string; size: number } | null> {
    const side = this.#side(commit);
    const oid = side.oids.get(path);
    if (oid === undefined) return Promise.resolve(null);
    return Promise.resolve({ oid: side.names.get(path) ?? oid, size: 0 });
  }

  async readLock(oid: string): Promise<LockBlob | undefined> {
    if (this.#locks.has(oid)) return this.#locks.get(oid);
    const local = this.#worktreeObjects.get(oid);
    let content: string | Uint8Array | undefined = local;
    if (content === undefined) [content] = await this.#batch.read([oid]);
    const size = content === undefined ? 0 : typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    if (size > MAX_LOCK_BYTES) {
      const refused = oversizedLock(size);
      this.#locks.set(oid, refused);
      return refused;
    }
    let text: string | undefined;
    try {
      text = content === undefined ? undefined : typeof content === "string" ? content : STRICT_UTF8.decode(content);
    } catch {
      text = undefined;
    }
    // The working tree's lock, read as text, parses as the full check parsed it (a lock that parses has no diagnostics).
    const worktreeLock = this.#worktree?.lock;
    const known = this.#worktreeLock && worktreeLock && typeof local === "string" && local === worktreeLock.content ? { path: worktreeLock.path, result: { lock: this.#worktreeLock, diagnostics: [] } } : undefined;
    const lock = text === undefined ? undefined : lockBlob(text, known);
    this.#locks.set(oid, lock);
    return lock;
  }

  /** `<commit>:<path>` as git names it (from the top of the work tree); undefined for the working tree's missing files. */
  #nameOf(expression: string): string | undefined {
    const colon = expression.indexOf(":");
    const revision = expression.slice(0, colon);
    const path = expression.slice(colon + 1);
    if (revision === WORKTREE) {
      const oid = this.#side(WORKTREE).oids.get(path);
      return oid;
    }
    return `${revision}:${this.#prefix}${path}`;
  }

  #side(revision: string): Side {
    let side = this.#sides.get(revision);
    if (side) return side;
    side = revision === WORKTREE ? this.#worktreeSide() : this.#commitSide(revision);
    this.#sides.set(revision, side);
    return side;
  }

  #commitSide(commit: string): Side {
    const entries = listTree(this.#root, commit, this.#prefix, this.#roles.roots, this.#run);
    const side: Side = { oids: new Map(), names: new Map() };
    for (const [path, entry] of entries) {
      if (!this.#wanted(path)) continue;
      side.oids.set(path, entry.object);
      if (entry.mode === "120000") side.names.set(path, `${commit}:${entry.path}`);
      if (entry.object.length === 64) this.#hash = "sha256";
    }
    return side;
  }

  #worktreeSide(): Side {
    const side: Side = { oids: new Map(), names: new Map() };
    const files = this.#worktree;
    if (!files) return side;
    // The object format is the repository's: list a commit first (`compareFiles(base, WORKTREE)` does).
    for (const file of [...files.requirements, ...files.changes, ...(files.lock ? [files.lock] : [])]) {
      if (side.oids.has(file.path)) continue;
      const oid = blobId(file.content, this.#hash);
      side.oids.set(file.path, oid);
      this.#worktreeObjects.set(oid, file.content);
    }
    return side;
  }

  #wanted(path: string): boolean {
    return path === this.#roles.lockPath || this.#roles.isChange(path) || this.#roles.isRequirement(path);
  }
}

/** The object ID git gives `content` as a blob: the hash of `blob <size>\0<bytes>`. */
export function blobId(content: string | Uint8Array, algorithm: "sha1" | "sha256" = "sha1"): string {
  // A string is hashed as UTF-8 directly, header and text in one call: no Hash object and no copy of
  // every working-tree file into a Buffer.
  if (typeof content === "string") return hash(algorithm, `blob ${Buffer.byteLength(content, "utf8")}\0${content}`, "hex");
  return createHash(algorithm).update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

