// In-memory fakes of the engine's ports (as policy-bot's `pulltest` fakes its GitHub context): a
// repository is a set of commits, each a map of path -> text; the pull-request ports read from it and
// record what the pipeline publishes. No HTTP, no git: these tests are about the engine, not the wire.
import { createHash } from "node:crypto";
import { parseConfig, type Config } from "../../src/domain/config/config.js";
import { CONFIG_PATH } from "../../src/domain/config/config-path.js";
import { classifier } from "../../src/domain/config/paths.js";
import type { Diagnostic } from "../../src/domain/core/diagnostic.js";
import type { ChangedFile } from "../../src/domain/pulls/pull-facts.js";
import { loadYaml } from "../../src/domain/requirements/yaml.js";
import { lockBlob } from "../../src/engine/lock-blob.js";
import type { ChangeSource, CheckRunWrite, FileList, LockBlob, ObjectContent, ObjectRequest, PullContext, PullFacts, PullPorts, RunFacts } from "../../src/engine/ports.js";

export type Tree = Record<string, string>;

function oidOf(text: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
}

/** A repository of commits by name; every read is counted by kind. */
export class MemoryRepo {
  readonly commits = new Map<string, Tree>();
  readonly reads = { compare: 0, objects: 0, lockAt: 0, readLock: 0 };
  readonly #blobs = new Map<string, string>();

  commit(name: string, tree: Tree): this {
    this.commits.set(name, tree);
    for (const text of Object.values(tree)) this.#blobs.set(oidOf(text), text);
    return this;
  }

  tree(name: string): Tree {
    const tree = this.commits.get(name);
    if (!tree) throw new Error(`no commit ${name} in the fake repository`);
    return tree;
  }

  blob(oid: string): string | undefined {
    return this.#blobs.get(oid);
  }
}

/** The ChangeSource of the engine over a MemoryRepo. */
export function memoryChangeSource(repo: MemoryRepo): ChangeSource {
  return {
    compareFiles(before, after): Promise<FileList> {
      repo.reads.compare++;
      const a = repo.tree(before);
      const b = repo.tree(after);
      const files: ChangedFile[] = [];
      for (const [path, text] of Object.entries(b)) {
        if (a[path] === text) continue;
        files.push({ path, status: a[path] === undefined ? "added" : "modified", sha: oidOf(text) });
      }
      for (const path of Object.keys(a)) if (b[path] === undefined) files.push({ path, status: "removed" });
      return Promise.resolve({ files });
    },
    readObjects(requests: readonly ObjectRequest[]) {
      repo.reads.objects++;
      const out = new Map<string, ObjectContent>();
      for (const r of requests) {
        let text: string | undefined;
        if (r.oid !== undefined) text = repo.blob(r.oid);
        else {
          const [commit, ...rest] = (r.expression ?? "").split(":");
          text = repo.tree(commit!)[rest.join(":")];
        }
        out.set(r.key, text === undefined ? { kind: "absent" } : { kind: "file", content: text });
      }
      return Promise.resolve(out);
    },
    lockAt(commit, path) {
      repo.reads.lockAt++;
      const text = repo.tree(commit)[path];
      return Promise.resolve(text === undefined ? null : { oid: oidOf(text), size: Buffer.byteLength(text) });
    },
    readLock(oid): Promise<LockBlob | undefined> {
      repo.reads.readLock++;
      const text = repo.blob(oid);
      return Promise.resolve(text === undefined ? undefined : lockBlob(text));
    },
  };
}

/** The configuration of a commit, as the App reads it from the default branch. */
export function configAt(tree: Tree): { config?: Config; diagnostics: Diagnostic[] } {
  const text = tree[CONFIG_PATH];
  if (text === undefined) return parseConfig({});
  const loaded = loadYaml(CONFIG_PATH, text);
  if (loaded.value === undefined) return { diagnostics: loaded.diagnostics };
  return parseConfig(loaded.value, CONFIG_PATH);
}

export interface FakePull {
  number?: number;
  base: string;
  head: string;
  /** The default branch's commit, where the configuration is read (the base unless given). */
  defaultBranch?: string;
  author?: string;
  title?: string;
  body?: string;
}

/** The pull-request ports over a MemoryRepo: no reviews, comments or runs; publishes are recorded. */
export function memoryPullPorts(repo: MemoryRepo, pull: FakePull): PullPorts & { published: CheckRunWrite[] } {
  const facts: PullFacts = {
    number: pull.number ?? 1,
    state: "open",
    draft: false,
    title: pull.title ?? "Lower the lockout threshold",
    body: pull.body ?? "",
    author: pull.author ?? "octocat",
    labels: [],
    headSha: pull.head,
    baseSha: pull.base,
    baseRef: "main",
    changedFiles: 0,
    htmlUrl: "https://github.com/acme/widgets/pull/1",
  };
  const source = memoryChangeSource(repo);
  const published: CheckRunWrite[] = [];
  return {
    ...source,
    published,
    log: { info: () => undefined, warn: () => undefined },
    target: { owner: "acme", repo: "widgets", host: "github.com" },
    readPull: () => Promise.resolve(facts),
    readContext(): Promise<PullContext> {
      const config = configAt(repo.tree(pull.defaultBranch ?? pull.base));
      return Promise.resolve({
        config,
        baseLock: null,
        baseLockPath: "",
        reviews: [],
        comments: [],
        commits: [],
        headRuns: [] as RunFacts[],
        earlierRuns: [],
        reviewedSubjects: new Map(),
        issues: [],
        replied: new Set(),
        incomplete: [],
      });
    },
    listFiles: () => source.compareFiles(pull.base, pull.head),
    readEvidence(commit, config) {
      const roles = classifier(config);
      return Promise.resolve({ files: Object.entries(repo.tree(commit)).filter(([path]) => roles.isVerification(path)).map(([path, content]) => ({ path, content })) });
    },
    currentHead: () => Promise.resolve(pull.head),
    // No other pull request is open; the base branch's tip is the base.
    openClaims: () => Promise.resolve({ claims: [], pulls: [facts.number] }),
    permissionOf: () => Promise.resolve("read"),
    membership: () => Promise.resolve(false),
    publishCheck(write) {
      published.push(write);
      return Promise.resolve("created");
    },
    react: () => Promise.resolve(),
    addLabel: () => Promise.resolve(),
    removeLabel: () => Promise.resolve(),
    reply: () => Promise.resolve(),
  };
}
