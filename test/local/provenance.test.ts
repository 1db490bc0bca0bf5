import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeProvenance, repositoryName } from "../../src/domain/report/provenance.js";
import { readProvenance } from "../../src/local/provenance.js";
import { gitOutput } from "../helpers/git-repo.js";

const scratch = mkdtempSync(join(tmpdir(), "reqgate-provenance-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** git with the commits' dates fixed, so the commit is the same on every run. */
function git(cwd: string, ...args: string[]): string {
  return gitOutput(cwd, args, { ...process.env, GIT_COMMITTER_DATE: "2026-11-30T12:00:00+00:00", GIT_AUTHOR_DATE: "2026-11-30T12:00:00+00:00" }).trim();
}

describe("repositoryName", () => {
  it.each<[string, string | undefined]>([
    ["https://github.com/acme/widgets.git", "github.com/acme/widgets"],
    ["https://x-access-token:ghs_secret@github.com/acme/widgets", "github.com/acme/widgets"],
    ["git@github.com:acme/widgets.git", "github.com/acme/widgets"],
    ["ssh://git@ghe.example.com:2222/acme/widgets.git", "ghe.example.com:2222/acme/widgets"],
    ["file:///srv/repos/widgets.git", undefined],
    ["/srv/repos/widgets.git", undefined],
  ])("names %s as %s, never with credentials", (remote, expected) => {
    expect(repositoryName(remote)).toBe(expected);
  });
});

describe("readProvenance", () => {
  const repo = join(scratch, "widgets");
  spawnSync("mkdir", ["-p", repo]);
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "a.txt"), "a\n");
  git(repo, "add", "a.txt");
  git(repo, "commit", "-qm", "first");
  git(repo, "remote", "add", "origin", "https://user:token@github.com/acme/widgets.git");
  const commit = git(repo, "rev-parse", "HEAD");
  const config = { path: ".github/reqgate.yml", content: "requirements:\n  prefixes: [REQ]\n" };

  it("describes a clean checkout on a branch", () => {
    const p = readProvenance({ root: repo, version: "1.2.3", config, sourceDateEpoch: "1767225600" });
    expect(p).toEqual({
      repository: "github.com/acme/widgets",
      commit,
      branch: "main",
      commitDate: "2026-11-30T12:00:00+00:00",
      dirty: false,
      generatedAt: "2026-01-01T00:00:00Z",
      tool: { name: "reqgate", version: "1.2.3" },
      configuration: { file: ".github/reqgate.yml", sha256: "e3676ef8ae2f281661dd5b744ab81588f1a926ba7013df87f524fdb6e40ce5c7" },
    });
    expect(describeProvenance(p)).toEqual([
      "Repository: github.com/acme/widgets",
      `Commit: ${commit.slice(0, 12)} (main; 2026-11-30T12:00:00+00:00)`,
      "Generated: 2026-01-01T00:00:00Z by reqgate 1.2.3",
      "Configuration: .github/reqgate.yml (sha256 e3676ef8ae2f2816)",
    ]);
  });

  it("says when tracked files differ, on a detached HEAD, and names the repository given with --github", () => {
    writeFileSync(join(repo, "a.txt"), "changed\n");
    git(repo, "checkout", "-q", "--detach");
    const p = readProvenance({ root: repo, version: "1.2.3", github: { owner: "acme", repo: "app" }, now: new Date("2026-12-03T10:00:00.123Z") });
    expect([p.repository, p.branch, p.dirty, p.generatedAt, p.configuration]).toEqual(["acme/app", null, true, "2026-12-03T10:00:00Z", { file: null, sha256: null }]);
    expect(describeProvenance(p)[1]).toBe(`Commit: ${commit.slice(0, 12)} with uncommitted changes (detached HEAD; 2026-11-30T12:00:00+00:00)`);
  });

  it("leaves the git fields empty outside git", () => {
    const plain = join(scratch, "plain");
    spawnSync("mkdir", ["-p", plain]);
    const p = readProvenance({ root: plain, version: "1.2.3", sourceDateEpoch: "0" });
    expect(p).toMatchObject({ repository: "plain", commit: null, branch: null, commitDate: null, dirty: null, generatedAt: "1970-01-01T00:00:00Z" });
  });
});
