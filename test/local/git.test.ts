import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ConfigSchema, DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import {
  GitError,
  parseCatFileBatch,
  readFileAtRef,
  readRepoFilesAtRef,
  resolveRef,
  spawnGit,
  type GitRunner,
} from "../../src/local/git.js";
import { readRepoFiles } from "../../src/local/repo-files.js";

let root: string;
let first: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: root } }).trim();
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A runner that records every git invocation. */
function counting(): { run: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  return { calls, run: (args, options) => (calls.push([...args]), spawnGit(args, options)) };
}

const text = (content: string | Uint8Array | undefined) => (content === undefined || typeof content === "string" ? content : Buffer.from(content).toString("utf8"));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "reqgate-git-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "Test");
  git("config", "commit.gpgsign", "false");
  write(".github/reqgate.yml", "requirements:\n  prefixes: [REQ]\n");
  write("requirements/REQ-001.yml", "id: REQ-001\ntitle: One\n");
  write("requirements/same-a.yml", "same\n");
  write("requirements/same-b.yml", "same\n");
  write("requirements/with space.yml", "spaced\n");
  write("requirements/changes/CR-0001.yml", "id: CR-0001\n");
  write("requirements/baseline.lock", "lock v1\n");
  write("tests/a.test.js", "// @verifies REQ-001\n");
  write("src/unrelated.ts", "export {};\n");
  symlinkSync("REQ-001.yml", join(root, "requirements/link.yml"));
  symlinkSync("/etc/hostname", join(root, "requirements/escape.yml"));
  git("add", "-A");
  git("commit", "-q", "-m", "first");
  first = git("rev-parse", "HEAD");
  // The working tree moves on: edits, an addition, a deletion.
  write("requirements/REQ-001.yml", "id: REQ-001\ntitle: One, changed\n");
  write("requirements/REQ-002.yml", "id: REQ-002\n");
  unlinkSync(join(root, "requirements/baseline.lock"));
  git("add", "-A");
  git("commit", "-q", "-m", "second");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveRef", () => {
  it("resolves branches, relative refs and SHAs to the full commit SHA", () => {
    expect(resolveRef(root, "HEAD~1")).toBe(first);
    expect(resolveRef(root, first.slice(0, 10))).toBe(first);
    expect(resolveRef(root, "main")).toBe(git("rev-parse", "HEAD"));
  });

  it("refuses refs that look like options without running git", () => {
    const { run, calls } = counting();
    expect(() => resolveRef(root, "--output=/tmp/x", run)).toThrow(GitError);
    expect(() => resolveRef(root, "", run)).toThrow(/not a git revision/);
    expect(() => resolveRef(root, "main\nHEAD", run)).toThrow(/not a git revision/);
    expect(calls).toEqual([]);
  });

  it("says what to do for an unknown ref", () => {
    let error: unknown;
    try {
      resolveRef(root, "no-such-branch");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).kind).toBe("unknown-ref");
    expect((error as GitError).message).toMatch(/unknown revision "no-such-branch".*fetch-depth: 0/);
  });

  it("does not take a shell: metacharacters are just an unknown ref", () => {
    expect(() => resolveRef(root, "main; touch pwned")).toThrow(/unknown revision/);
    expect(() => resolveRef(root, "$(touch pwned)")).toThrow(/unknown revision/);
  });

  it("names a directory that is not a repository", () => {
    const plain = mkdtempSync(join(tmpdir(), "reqgate-plain-"));
    try {
      expect(() => resolveRef(plain, "HEAD")).toThrow(expect.objectContaining({ kind: "not-a-repository" }));
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe("readRepoFilesAtRef", () => {
  it("reads the files as they are at the ref, not as they are now", () => {
    const files = readRepoFilesAtRef(root, first, DEFAULT_CONFIG);
    expect(files.requirements.map((f) => f.path)).toEqual([
      "requirements/REQ-001.yml",
      "requirements/link.yml",
      "requirements/same-a.yml",
      "requirements/same-b.yml",
      "requirements/with space.yml",
    ]);
    expect(text(files.requirements[0]!.content)).toBe("id: REQ-001\ntitle: One\n");
    expect(text(files.requirements[1]!.content)).toBe("id: REQ-001\ntitle: One\n"); // the link, followed
    expect(text(files.requirements[4]!.content)).toBe("spaced\n");
    expect(files.changes.map((f) => f.path)).toEqual(["requirements/changes/CR-0001.yml"]);
    expect(text(files.lock?.content)).toBe("lock v1\n");
    expect(files.verification.map((f) => f.path)).toEqual(["tests/a.test.js"]);
    expect(text(files.config?.content)).toBe("requirements:\n  prefixes: [REQ]\n");
    expect(files.diagnostics).toEqual([]);
  });

  it("sees what the working tree sees at HEAD", () => {
    const atHead = readRepoFilesAtRef(root, resolveRef(root, "HEAD"), DEFAULT_CONFIG);
    // The working tree refuses the link out of the repository (exit 2); git at a ref skips it, unread.
    expect(() => readRepoFiles(root, DEFAULT_CONFIG)).toThrow("a path leads outside the repository");
    unlinkSync(join(root, "requirements/escape.yml"));
    const local = readRepoFiles(root, DEFAULT_CONFIG);
    symlinkSync("/etc/hostname", join(root, "requirements/escape.yml"));
    const shape = (f: typeof local) => ({
      requirements: f.requirements.map((x) => [x.path, text(x.content)]),
      changes: f.changes.map((x) => [x.path, text(x.content)]),
      verification: f.verification.map((x) => [x.path, text(x.content)]),
      lock: f.lock?.path,
      config: text(f.config?.content),
    });
    expect(shape(atHead)).toEqual(shape(local));
    expect(atHead.lock).toBeUndefined();
  });

  it("uses one ls-tree and ONE cat-file process whatever the number of files", () => {
    const many = mkdtempSync(join(tmpdir(), "reqgate-many-"));
    try {
      const g = (...args: string[]) => execFileSync("git", args, { cwd: many, env: { ...process.env, HOME: many } });
      g("init", "-q");
      for (let i = 0; i < 300; i++) {
        mkdirSync(join(many, `requirements/g${i % 7}`), { recursive: true });
        writeFileSync(join(many, `requirements/g${i % 7}/REQ-${i}.yml`), `id: REQ-${i}\n`);
      }
      g("add", "-A");
      g("-c", "user.email=t@example.com", "-c", "user.name=T", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "many");
      const { run, calls } = counting();
      const files = readRepoFilesAtRef(many, resolveRef(many, "HEAD", run), DEFAULT_CONFIG, run);
      expect(files.requirements).toHaveLength(300);
      expect(text(files.requirements.find((f) => f.path === "requirements/g3/REQ-3.yml")?.content)).toBe("id: REQ-3\n");
      expect(calls.map((c) => c.find((a) => !a.startsWith("-")))).toEqual(["rev-parse", "rev-parse", "ls-tree", "cat-file"]);
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });

  it("limits the listing to the static prefixes of the globs", () => {
    const { run, calls } = counting();
    readRepoFilesAtRef(root, first, DEFAULT_CONFIG, run);
    const lsTree = calls.find((c) => c.includes("ls-tree"))!;
    expect(lsTree.slice(lsTree.indexOf("--") + 1)).toEqual(["lib", "requirements", "spec", "src", "test", "tests", ".github/reqgate.yml"]);
  });

  it("applies the given configuration", () => {
    const config = ConfigSchema.parse({ requirements: { paths: ["src/**/*.ts"] }, verification: { paths: [] } });
    const files = readRepoFilesAtRef(root, first, config);
    expect(files.requirements.map((f) => f.path)).toEqual(["src/unrelated.ts"]);
    expect(files.verification).toEqual([]);
  });

  it("reads a project that sits in a folder of the work tree", () => {
    const project = join(root, "examples/project");
    write("examples/project/.github/reqgate.yml", "requirements:\n  prefixes: [SYS]\n");
    write("examples/project/requirements/SYS-1.yml", "id: SYS-1\n");
    write("examples/project/requirements/changes/CR-1.yml", "id: CR-1\n");
    symlinkSync("SYS-1.yml", join(project, "requirements/link.yml"));
    git("add", "-A");
    git("commit", "-q", "-m", "project");
    const head = resolveRef(project, "HEAD");
    const files = readRepoFilesAtRef(project, head, DEFAULT_CONFIG);
    expect(files.requirements.map((f) => [f.path, text(f.content)])).toEqual([
      ["requirements/SYS-1.yml", "id: SYS-1\n"],
      ["requirements/link.yml", "id: SYS-1\n"],
    ]);
    expect(files.changes.map((f) => f.path)).toEqual(["requirements/changes/CR-1.yml"]);
    expect(files.config?.path).toBe(".github/reqgate.yml");
    expect(text(readFileAtRef(project, head, ".github/reqgate.yml"))).toContain("prefixes: [SYS]");
    expect(readRepoFiles(project, DEFAULT_CONFIG).requirements.map((f) => f.path)).toEqual(files.requirements.map((f) => f.path));
    git("rm", "-r", "-q", "examples");
    git("commit", "-q", "-m", "drop project");
  });

  it("reads single files and the configuration at a ref", () => {
    expect(text(readFileAtRef(root, first, "requirements/REQ-001.yml"))).toBe("id: REQ-001\ntitle: One\n");
    expect(readFileAtRef(root, first, "requirements/REQ-002.yml")).toBeUndefined();
    expect(text(readFileAtRef(root, first, ".github/reqgate.yml"))).toContain("prefixes: [REQ]");
  });

  it("fails closed on a git failure", () => {
    const broken: GitRunner = (args, options) =>
      args.includes("cat-file") ? { status: 128, stdout: Buffer.alloc(0), stderr: Buffer.from("fatal: bad object\n") } : spawnGit(args, options);
    expect(() => readRepoFilesAtRef(root, first, DEFAULT_CONFIG, broken)).toThrow(/git cat-file failed: fatal: bad object/);
  });

  it("reports a listed blob that git cannot produce", () => {
    const missing: GitRunner = (args, options) => {
      if (!args.includes("cat-file")) return spawnGit(args, options);
      const names = (options.input ?? "").split("\n").filter(Boolean);
      return { status: 0, stdout: Buffer.from(names.map((n) => `${n} missing\n`).join("")), stderr: Buffer.alloc(0) };
    };
    const files = readRepoFilesAtRef(root, first, DEFAULT_CONFIG, missing);
    expect(files.requirements).toEqual([]);
    expect(files.diagnostics.map((d) => d.file)).toContain("requirements/REQ-001.yml");
    expect(files.diagnostics.map((d) => d.file)).not.toContain("requirements/link.yml");
  });
});

describe("parseCatFileBatch", () => {
  it("parses blobs, binary content, missing objects and unfollowable links", () => {
    const binary = Buffer.from([0, 10, 255, 10]);
    const output = Buffer.concat([
      Buffer.from("aaaa blob 3\nabc\n"),
      Buffer.from("HEAD:gone.yml missing\n"),
      Buffer.from("bbbb blob 4\n"),
      binary,
      Buffer.from("\n"),
      Buffer.from("symlink 11\n/etc/passwd\n"),
      Buffer.from("cccc tree 0\n\n"),
    ]);
    const objects = parseCatFileBatch(output, 5);
    expect(objects.map((o) => (o === undefined ? undefined : Buffer.from(o).toString("latin1")))).toEqual([
      "abc",
      undefined,
      binary.toString("latin1"),
      undefined,
      undefined,
    ]);
  });

  it("throws on truncated output rather than returning partial files", () => {
    expect(() => parseCatFileBatch(Buffer.from("aaaa blob 30\nabc\n"), 1)).toThrow(GitError);
    expect(() => parseCatFileBatch(Buffer.from("aaaa blob 3\nabc\n"), 2)).toThrow(/1 of 2/);
  });
});
