// `check --base` and `reqgate baseline` through the engine's one change pipeline, over real git
// checkouts, with the CLI run in-process through `main()`: the amend-during-review flow end to end (the
// App's pull-request pipeline judging what the CLI wrote), the base's configuration, the lock never
// written over a broken file, and the git processes a run costs.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import { evaluatePullNow } from "../../src/engine/pulls.js";
import { memoryPullPorts, MemoryRepo, type Tree } from "../engine/fakes.js";
import { fixtureRepo, git } from "../helpers/git-repo.js";

const FIXTURES = resolve("test/fixtures/repos");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-pipeline-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** The `valid` fixture as a git repository: `main` with one commit, and a branch `change` checked out. */
function branchOfValid(): string {
  return fixtureRepo("valid", join(scratch, `valid-${++copies}`), { branch: "change" });
}

async function reqgate(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { NO_COLOR: "1" }, cwd });
  return { status, stdout, stderr };
}

function edit(dir: string, path: string, from: string, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
}

/** Every file of a commit, as the App's in-memory ports see a tree. */
function treeAt(dir: string, commit: string): Tree {
  const tree: Tree = {};
  for (const path of git(dir, "ls-tree", "-r", "--name-only", commit).split("\n")) tree[path] = git(dir, "show", `${commit}:${path}`) + "\n";
  return tree;
}

const CR2 = "id: CR-0002\ntitle: Lower the threshold\nrationale: PT-19 showed 5 attempts allow credential stuffing.\naffects: [REQ-001]\n";

describe("amending a change during review", () => {
  it("baseline, amend, baseline again: the lock is the one the pull-request check expects", async () => {
    const dir = branchOfValid();
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "3 consecutive");
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), CR2);
    const first = await reqgate(["baseline"], dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^CR-0002: REQ-001\nwrote requirements\/baseline\.lock: 1 modified \(4 baselined requirements, relative to the merge base with main at [0-9a-f]{12}\)\n$/);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "lower the threshold");

    // Review asks for 4 instead of 3: amend the requirement, baseline again.
    edit(dir, "requirements/REQ-001.yml", "3 consecutive", "4 consecutive");
    const again = await reqgate(["baseline"], dir);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^CR-0002: REQ-001\nwrote requirements\/baseline\.lock: 1 modified \(4 baselined requirements, relative to the merge base with main at [0-9a-f]{12}\)\n$/);
    expect(readFileSync(join(dir, "requirements/baseline.lock"), "utf8")).toMatch(/\{"applied":"CR-0001"\}\n\{"applied":"CR-0002"\}\n/);
    git(dir, "commit", "-qam", "four attempts");

    // The pull-request check over the same two commits: the lock is current, the change credited once.
    const repo = new MemoryRepo().commit("main", treeAt(dir, "main")).commit("head", treeAt(dir, "change"));
    const ports = memoryPullPorts(repo, { base: "main", head: "head", body: "Implements REQ-001." });
    await evaluatePullNow(ports);
    const check = ports.published.find((w) => w.name === "reqgate/baseline")!.result;
    expect([check.conclusion, check.title]).toEqual(["action_required", "Waiting for 1 approval from requirements board and 2 from safety board"]);
    expect(check.annotations).toEqual([]);

    // And the CLI's preview of it says the same.
    const preview = await reqgate(["check", "--base", "main", "--format", "json"], dir);
    expect(preview.status).toBe(0);
    expect((JSON.parse(preview.stdout) as { check: unknown }).check).toMatchObject({ name: "reqgate/baseline", conclusion: "action_required", title: "Waiting for 1 approval from requirements board and 2 from safety board" });
  });

  it("credits against --base REF when given", async () => {
    const dir = branchOfValid();
    git(dir, "tag", "v1");
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "3 consecutive");
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), CR2);
    const run = await reqgate(["baseline", "--base", "v1", "--format", "json"], dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ lock: "requirements/baseline.lock", written: true, base: git(dir, "rev-parse", "v1"), changes: [{ id: "REQ-001", kind: "modified", change: "CR-0002" }], applied: ["CR-0002"] });
  });

  it("outside git, credits against the lock in the working tree", async () => {
    const dir = join(scratch, `plain-${++copies}`);
    cpSync(join(FIXTURES, "valid"), dir, { recursive: true });
    mkdirSync(join(dir, ".git")); // the repository root for the CLI, but no repository for git
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "3 consecutive");
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), CR2);
    const run = await reqgate(["baseline"], dir);
    expect(run.stdout).toBe("CR-0002: REQ-001\nwrote requirements/baseline.lock: 1 modified (4 baselined requirements)\n");
  });
});

describe("check --base", () => {
  it("takes the rules from the base's configuration, not the working tree's", async () => {
    const dir = branchOfValid();
    // The change drops the safety board and edits a safety requirement.
    writeFileSync(join(dir, ".github/reqgate.yml"), "requirements:\n  prefixes: [SYS, REQ]\nchange_control:\n  rules:\n    - name: open door\n      match: [\"**\"]\n      approvers: { permission: read }\n");
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "3 consecutive");
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), CR2);
    await reqgate(["baseline"], dir);
    const run = await reqgate(["check", "--base", "main"], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("reqgate/baseline against main: Waiting for 1 approval from requirements board and 2 from safety board\n  conclusion on a pull request: action_required (approvals are given on the pull request)\n");
    expect(run.stdout).not.toContain("open door");
  });

  it("says what the pull-request check would say when no change record claims a change", async () => {
    const dir = branchOfValid();
    edit(dir, "requirements/REQ-002.yml", "title: ", "title: Audit ");
    const run = await reqgate(["check", "--base", "main", "--format", "json"], dir);
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as { diagnostics: Array<{ code: string; file: string; line: number }>; check: { conclusion: string; title: string } };
    expect(out.check).toMatchObject({ conclusion: "failure", title: "REQ-002 is modified, but no unapplied change record lists it in `affects`; also waiting for 1 approval from requirements board" });
    // Which lock would be right cannot be said until a record claims the change: no lock finding yet.
    expect(out.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([["change-without-record", "requirements/REQ-002.yml", 1]]);
  });
});

describe("baseline refuses to write over a broken file", () => {
  it("leaves the lock as it was when a requirement file does not parse", async () => {
    const dir = branchOfValid();
    const before = readFileSync(join(dir, "requirements/baseline.lock"), "utf8");
    // REQ-003 no longer parses: it must not look like a removed requirement.
    writeFileSync(join(dir, "requirements/REQ-003.yml"), "id: REQ-003\ntitle: [unclosed\n");
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), "id: CR-0002\ntitle: Drop REQ-003\nrationale: Obsolete.\naffects: [REQ-003]\n");
    const run = await reqgate(["baseline"], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("requirements/REQ-003.yml:3:1: error: invalid YAML: unexpected end of the stream within a flow collection\n\n1 error in 1 file\n");
    expect(run.stderr).toBe("reqgate: the lock was not written: fix the errors above first\n");
    expect(readFileSync(join(dir, "requirements/baseline.lock"), "utf8")).toBe(before);
  });
});

describe("git processes", () => {
  it("check --base reads the base tree with one ls-tree and one cat-file --batch", () => {
    const dir = branchOfValid();
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "3 consecutive");
    // A git on PATH that records each command before running the real one.
    const bin = join(scratch, `bin-${++copies}`);
    const log = join(bin, "git.log");
    mkdirSync(bin);
    const real = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(join(bin, "git"), `#!/bin/sh\necho "$1 $2" >> "${log}"\nexec "${real}" "$@"\n`);
    chmodSync(join(bin, "git"), 0o755);
    const run = spawnSync(process.execPath, [resolve("bin/reqgate.js"), "check", "--base", "main"], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ""}`, NO_COLOR: "1" }, encoding: "utf8" });
    expect(run.stdout).toContain("REQ-001  modified  no change record");
    const commands = readFileSync(log, "utf8").trim().split("\n").map((l) => l.replace(/^--literal-pathspecs /, "").split(" ")[0]).sort();
    expect(commands).toEqual(["cat-file", "ls-tree", "rev-parse", "rev-parse"]);
  });
});

describe("a configuration that extends another repository's", () => {
  it("is an exit-2 error naming the key, never the defaults in its place", async () => {
    const dir = branchOfValid();
    writeFileSync(join(dir, ".github/reqgate.yml"), "# shared rules\n_extends: policies\nrequirements:\n  prefixes: [SYS, REQ]\n");
    const run = await reqgate(["check"], dir);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('.github/reqgate.yml:2:1: error: _extends: "policies" names another repository, and the command line reads only this one (pass the configuration to use with --config FILE, or extend a file of this repository: _extends: ./path/to/file.yml)\n');
  });
});
