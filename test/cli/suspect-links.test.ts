// Requirement-level suspect links (SPEC 2.5) on the command line, over real git checkouts: `reqgate
// baseline` records in the lock the children of a moved requirement and the `@verifies` evidence of it;
// `check`, `trace` and `report` list them; `reqgate review` records who confirmed them and when; a later
// baseline move that touches the child or the test file clears them; and the change pipeline (the App's
// judgement, here through `check --base`) refuses a lock that drops a link without cause and asks for
// approval of a review.
import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { fixtureRepo, git } from "../helpers/git-repo.js";

const scratch = mkdtempSync(join(tmpdir(), "reqgate-links-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** The `valid` fixture on `main` (one commit), a branch `change` checked out, the git user Ann Lee (who reviews). */
function repo(): string {
  const dir = fixtureRepo("valid", join(scratch, `valid-${++copies}`), { branch: "change" });
  git(dir, "config", "user.name", "Ann Lee");
  git(dir, "config", "user.email", "ann@example.com");
  return dir;
}

async function reqgate(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  // 2026-12-03T10:00:00Z: the review's time, reproducibly.
  const status = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { NO_COLOR: "1", SOURCE_DATE_EPOCH: "1796292000" }, cwd });
  return { status, stdout, stderr };
}

function edit(dir: string, path: string, from: string, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
}

const lockOf = (dir: string) => readFileSync(join(dir, "requirements/baseline.lock"), "utf8");
const linkLines = (dir: string) => lockOf(dir).split("\n").filter((l) => l.startsWith('{"suspect"'));

/** Moves SYS-001 (the parent of REQ-001) under CR-0002, baselined and merged into main; a new branch `next`. */
async function parentMoved(): Promise<string> {
  const dir = repo();
  edit(dir, "requirements/system.yml", "resist online password guessing", "resist online and offline password guessing");
  writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), "id: CR-0002\ntitle: Offline guessing too\nrationale: The threat model now covers stolen hashes.\naffects: [SYS-001]\n");
  const run = await reqgate(["baseline"], dir);
  expect(run.status).toBe(0);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "SYS-001 covers offline guessing");
  git(dir, "checkout", "-q", "main");
  git(dir, "merge", "-q", "--ff-only", "change");
  git(dir, "checkout", "-qb", "next");
  return dir;
}

describe("reqgate baseline records suspect links", () => {
  it("a moved parent makes its baselined children suspect (drafts are not baselined); the lock is version 2 only then", async () => {
    const dir = await parentMoved();
    expect(lockOf(dir).split("\n")[1]).toBe('{"lock":2}');
    // REQ-003 names SYS-001 too, but it is a draft: not in the baseline, so no link.
    expect(linkLines(dir)).toEqual(['{"suspect":"REQ-001","parent":"SYS-001","change":"CR-0002"}']);
  });

  it("a lock without links stays version 1, byte for byte", async () => {
    const dir = repo();
    const before = lockOf(dir);
    const run = await reqgate(["baseline"], dir);
    expect(run.stdout).toBe("requirements/baseline.lock is up to date (4 baselined requirements, relative to the merge base with main at " + git(dir, "rev-parse", "HEAD").slice(0, 12) + ")\n");
    expect(lockOf(dir)).toBe(before);
  });

  it("check warns (exit 0), trace and report list the link", async () => {
    const dir = await parentMoved();
    const check = await reqgate(["check"], dir);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain("requirements/baseline.lock:9:1: warning: suspect: REQ-001: its parent SYS-001 moved (CR-0002) (check REQ-001 against the current SYS-001, then run `reqgate review REQ-001` and commit the lock (or change REQ-001 in a baseline move))\n");
    const trace = await reqgate(["trace", "REQ-001"], dir);
    expect(trace.stdout).toContain("  suspect:       REQ-001: its parent SYS-001 moved (CR-0002); review with reqgate review REQ-001\n");
    const report = await reqgate(["report", "--format", "json"], dir);
    const json = JSON.parse(report.stdout) as { gaps: { suspect?: unknown }; requirements: Array<{ id: string; suspect?: unknown }> };
    expect(json.gaps.suspect).toEqual([{ kind: "child", item: "REQ-001", moved: "SYS-001", change: "CR-0002" }]);
    expect(json.requirements.find((r) => r.id === "REQ-001")?.suspect).toEqual([{ kind: "child", item: "REQ-001", moved: "SYS-001", change: "CR-0002" }]);
    const md = await reqgate(["report"], dir);
    expect(md.stdout).toContain("### Suspect links (1)\n\n- REQ-001: its parent SYS-001 moved (CR-0002); review with reqgate review REQ-001\n");

    // The spreadsheet has the link in the child's row (last column), and trace's Markdown in its header list.
    const csv = (await reqgate(["report", "--format", "csv"], dir)).stdout.split("\r\n");
    expect(csv.find((l) => l.startsWith("id,"))?.endsWith(",tags,suspect")).toBe(true);
    expect(csv.find((l) => l.startsWith("REQ-001,"))?.endsWith(",parent SYS-001 moved (CR-0002)")).toBe(true);
    expect(csv.find((l) => l.startsWith("SYS-001,"))?.endsWith(",")).toBe(true);
    const traceMd = await reqgate(["trace", "REQ-001", "--format", "md"], dir);
    expect(traceMd.stdout).toContain("- Owner: @\u200dacme/security\n- Suspect: REQ-001: its parent SYS-001 moved (CR-0002); review with reqgate review REQ-001\n");
  });

  it("a moved requirement makes its @verifies evidence suspect, unless the same move touches the test file", async () => {
    const dir = repo();
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "3 consecutive");
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), "id: CR-0002\ntitle: Lower the threshold\nrationale: PT-19.\naffects: [REQ-001]\n");
    expect((await reqgate(["baseline"], dir)).status).toBe(0);
    expect(linkLines(dir)).toEqual(['{"suspect":"tests/login.test.js","verifies":"REQ-001","change":"CR-0002"}']);
    const csv = (await reqgate(["report", "--format", "csv"], dir)).stdout.split("\r\n");
    expect(csv.find((l) => l.startsWith("REQ-001,"))?.endsWith(",evidence tests/login.test.js (CR-0002)")).toBe(true);
    // The same move, now with the test brought up to date in the branch: nothing is suspect.
    edit(dir, "tests/login.test.js", "@verifies REQ-001", "@verifies REQ-001 (3 attempts)");
    expect((await reqgate(["baseline"], dir)).status).toBe(0);
    expect(linkLines(dir)).toEqual([]);
    expect(lockOf(dir).split("\n")[1]).toBe('{"lock":1}');
  });
});

describe("reqgate review", () => {
  it("records who and when in the lock; baseline keeps it; check no longer warns", async () => {
    const dir = await parentMoved();
    const review = await reqgate(["review", "REQ-001"], dir);
    expect(review.status).toBe(0);
    expect(review.stdout).toBe("reviewed REQ-001: its parent SYS-001 moved (CR-0002)\nwrote requirements/baseline.lock: 1 suspect link reviewed by Ann Lee <ann@example.com>; commit it: the pull request's check shows the review\n");
    expect(linkLines(dir)).toEqual(['{"suspect":"REQ-001","parent":"SYS-001","change":"CR-0002","reviewed_by":"Ann Lee <ann@example.com>","reviewed_at":"2026-12-03T10:00:00Z"}']);
    const again = await reqgate(["baseline"], dir);
    expect(again.status).toBe(0);
    expect(linkLines(dir)).toEqual(['{"suspect":"REQ-001","parent":"SYS-001","change":"CR-0002","reviewed_by":"Ann Lee <ann@example.com>","reviewed_at":"2026-12-03T10:00:00Z"}']);
    expect((await reqgate(["check"], dir)).stdout).not.toContain("suspect-link");
  });

  it("the change pipeline shows the review and asks the rules of the reviewed requirement to approve it (no change record)", async () => {
    const dir = await parentMoved();
    await reqgate(["review", "REQ-001"], dir);
    const text = await reqgate(["check", "--base", "main"], dir);
    expect(text.stdout).toContain("\nSuspect links reviewed (they need approval like a change):\n  REQ-001 → SYS-001 (CR-0002): reviewed by Ann Lee <ann@example.com> at 2026-12-03T10:00:00Z\n");
    const json = await reqgate(["check", "--base", "main", "--format", "json"], dir);
    const out = JSON.parse(json.stdout) as { check: { verdict: string; title: string }; change: { approvals: Array<{ rule: string; requirements: string[] }> } };
    expect(out.check.verdict).toBe("waiting");
    // REQ-001 carries the tag `safety`: the safety board, which selects by tag only, approves its review too.
    expect(out.change.approvals).toEqual([
      { rule: "requirements board", count: 1, requirements: ["REQ-001"], approvers: { teams: [], users: [], permission: "maintain" } },
      { rule: "safety board", count: 2, requirements: ["REQ-001"], approvers: { teams: ["@acme/safety"], users: [] } },
    ]);
  });

  it("an ID with no open link is exit 1 and writes nothing; without a git user it is exit 2", async () => {
    const dir = await parentMoved();
    const before = lockOf(dir);
    const none = await reqgate(["review", "REQ-002"], dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe("reqgate: REQ-002 has no open suspect link in requirements/baseline.lock\n");
    expect(lockOf(dir)).toBe(before);
    git(dir, "config", "--unset", "user.name");
    git(dir, "config", "--unset", "user.email");
    // No global or system configuration either: git knows no user.
    const saved = { global: process.env.GIT_CONFIG_GLOBAL, system: process.env.GIT_CONFIG_NOSYSTEM };
    process.env.GIT_CONFIG_GLOBAL = "/dev/null";
    process.env.GIT_CONFIG_NOSYSTEM = "1";
    try {
      const anonymous = await reqgate(["review", "REQ-001"], dir);
      expect(anonymous.status).toBe(2);
      expect(anonymous.stderr).toBe('reqgate: a review records who made it: set git\'s user.name and user.email (git config user.name "Your Name")\n');
    } finally {
      if (saved.global === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved.global;
      if (saved.system === undefined) delete process.env.GIT_CONFIG_NOSYSTEM;
      else process.env.GIT_CONFIG_NOSYSTEM = saved.system;
    }
    expect(lockOf(dir)).toBe(before);
  });
});

describe("the change pipeline judges the links a change writes", () => {
  it("a link dropped by hand fails the check, naming it", async () => {
    const dir = await parentMoved();
    const lock = lockOf(dir).split("\n").filter((l) => !l.startsWith('{"suspect"')).join("\n").replace('{"lock":2}', '{"lock":1}');
    writeFileSync(join(dir, "requirements/baseline.lock"), lock);
    const run = await reqgate(["check", "--base", "main"], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("the lock drops the suspect link REQ-001 → SYS-001 (CR-0002), but the change neither touches REQ-001 nor reviews it");
  });

  it("touching the child in a later baseline move clears its link", async () => {
    const dir = await parentMoved();
    edit(dir, "requirements/REQ-001.yml", "5 consecutive", "5 consecutive (or offline)");
    writeFileSync(join(dir, "requirements/changes/CR-0003.yml"), "id: CR-0003\ntitle: Follow SYS-001\nrationale: SYS-001 now covers offline guessing.\naffects: [REQ-001]\n");
    expect((await reqgate(["baseline"], dir)).status).toBe(0);
    // REQ-001's own move makes its evidence suspect; its link to SYS-001 is cleared.
    expect(linkLines(dir)).toEqual(['{"suspect":"tests/login.test.js","verifies":"REQ-001","change":"CR-0003"}']);
    const text = await reqgate(["check", "--base", "main"], dir);
    expect(text.stdout).toContain("\nSuspect links this change makes: tests/login.test.js → REQ-001 (CR-0003)\n\nSuspect links this change clears: REQ-001 → SYS-001 (CR-0002)\n");
  });
});
