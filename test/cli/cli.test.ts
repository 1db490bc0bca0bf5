// The real `reqgate` binary against repositories on disk: exit codes, and the file:line of each finding.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { commitAll, git } from "../helpers/git-repo.js";

const BIN = resolve("bin/reqgate.js");
const FIXTURES = resolve("test/fixtures/repos");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function reqgate(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...options.env };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? scratch, env, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let copies = 0;
function copyOf(fixture: string): string {
  const dir = join(scratch, `${fixture}-${++copies}`);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

type JsonDiagnostic = { severity: string; code: string; file: string; line: number; message: string };
function diagnosticsOf(run: Run): JsonDiagnostic[] {
  return (JSON.parse(run.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

describe("reqgate check on a valid repository", () => {
  it("exits 0 and says so", () => {
    const run = reqgate(["check", "--repo", copyOf("valid")]);
    expect(run).toMatchObject({ status: 0, stderr: "" });
    expect(run.stdout).toContain("no problems found");
    expect(run.stdout).toContain("5 requirements, 1 change records, lock current");
  });

  it("finds the repository from a subfolder", () => {
    const repo = copyOf("valid");
    const run = reqgate(["check"], { cwd: join(repo, "requirements") });
    expect(run.status).toBe(0);
  });

  it("prints GitHub Actions annotations inside Actions", () => {
    const repo = copyOf("valid");
    writeFileSync(join(repo, "requirements/REQ-002.yml"), "id: REQ-002\ntitle: Log failed logins\ntext: Changed.\nparents: [SYS-099]\n");
    const run = reqgate(["check", "--repo", repo], { env: { GITHUB_ACTIONS: "true" } });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("::error file=requirements/REQ-002.yml,line=4,col=11,title=reqgate unknown-parent::REQ-002 refines SYS-099, which is not defined");
  });
});

describe("reqgate check on hostile and invalid input", () => {
  const repo = copyOf("invalid");
  // Inputs that are better made than committed: binary, not UTF-8, oversized, 10,000-deep.
  writeFileSync(join(repo, "requirements/binary.yml"), Buffer.from([0x69, 0x64, 0x3a, 0x20, 0x00, 0x01, 0x02]));
  writeFileSync(join(repo, "requirements/latin1.yml"), Buffer.from("id: REQ-020\ntitle: Caf\xe9\ntext: x\n", "latin1"));
  writeFileSync(join(repo, "requirements/huge.yml"), `id: REQ-021\ntitle: Huge\ntext: ${"x".repeat(600 * 1024)}\n`);
  writeFileSync(join(repo, "requirements/deep.yml"), `id: REQ-022\ntitle: Deep\ntext: x\nattributes:\n  deep: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);

  const run = reqgate(["check", "--repo", repo, "--format", "json"]);
  const found = diagnosticsOf(run);
  const at = (file: string) => found.filter((d) => d.file === `requirements/${file}`).map((d) => [d.line, d.code]);

  it("exits 1 and never crashes (a hang would be killed by spawnSync's timeout: status null)", () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("");
  });

  it.each([
    ["typo.yml", [[1, "missing-field"], [2, "unknown-key"]]],
    ["unknown-parent.yml", [[4, "unknown-parent"]]],
    ["cycle.yml", [[5, "parent-cycle"]]],
    ["retired.yml", [[5, "superseded-unknown"]]],
    ["duplicate-key.yml", [[3, "yaml-syntax"]]],
    ["custom-tag.yml", [[2, "yaml-syntax"]]],
    ["proto.yml", [[7, "unknown-key"]]],
    ["alias-bomb.yml", [[2, "yaml-alias-limit"]]],
    ["syntax.yml", [[3, "yaml-syntax"]]],
    ["binary.yml", [[0, "binary-file"]]],
    ["latin1.yml", [[0, "not-utf8"]]],
    ["huge.yml", [[0, "file-too-large"]]],
    ["deep.yml", [[5, "yaml-too-deep"]]],
  ])("reports %s at its line", (file, expected) => {
    // Lock findings (no change record for new requirements) are asserted below, not here.
    expect(at(file).filter(([, code]) => code !== "change-without-record")).toEqual(expected);
  });

  it("names both places of a duplicate ID", () => {
    const dup = found.find((d) => d.code === "duplicate-id")!;
    expect(dup).toMatchObject({ file: "requirements/ok.yml", line: 5, message: "REQ-001 is already defined in requirements/duplicate.yml" });
  });

  it("checks change records and evidence", () => {
    expect(found.filter((d) => d.file.startsWith("requirements/changes/")).map((d) => [d.file, d.line, d.code])).toEqual([
      ["requirements/changes/CR-0001.yml", 3, "empty-field"],
      ["requirements/changes/CR-0001.yml", 4, "invalid-id"],
    ]);
    expect(found.filter((d) => d.file.startsWith("tests/")).map((d) => [d.line, d.severity, d.code])).toEqual([[2, "warning", "unknown-evidence"]]);
  });

  it("prints the same findings for people as file:line:col lines", () => {
    const text = reqgate(["check", "--repo", repo]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('requirements/typo.yml:2:1: error: unknown key "titel" (did you mean "title"?)');
    expect(text.stdout).toMatch(/\d+ errors, 1 warning in \d+ files/);
  });
});

describe("reqgate baseline and check --base", () => {
  function gitRepo(): string {
    const repo = copyOf("valid");
    commitAll(repo);
    return repo;
  }

  it("says the lock is up to date and writes nothing", () => {
    const repo = gitRepo();
    const before = readFileSync(join(repo, "requirements/baseline.lock"), "utf8");
    const run = reqgate(["baseline", "--repo", repo]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("requirements/baseline.lock is up to date (4 baselined requirements, relative to the merge base with main at ");
    expect(readFileSync(join(repo, "requirements/baseline.lock"), "utf8")).toBe(before);
  });

  it("walks a change through: refused without a record, credited with one, then clean", () => {
    const repo = gitRepo();
    const file = join(repo, "requirements/REQ-001.yml");
    writeFileSync(file, readFileSync(file, "utf8").replace("5 consecutive", "3 consecutive"));

    const stale = reqgate(["check", "--repo", repo]);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain("requirements/REQ-001.yml:1:1: error: REQ-001 is modified, but no unapplied change record lists it in `affects`");

    const refused = reqgate(["baseline", "--repo", repo]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("the lock was not written");

    writeFileSync(join(repo, "requirements/changes/CR-0002.yml"), "id: CR-0002\ntitle: Lower the threshold\nrationale: PT-19 showed 5 attempts allow credential stuffing.\naffects: [REQ-001]\n");
    const pending = reqgate(["check", "--repo", repo, "--base", "main"]);
    expect(pending.status).toBe(1);
    expect(pending.stdout).toContain("requirements/baseline.lock:1:1: error: the baseline lock does not match");
    // The `reqgate/baseline` check the pull request would get, as text: its title, then the same facts.
    expect(pending.stdout).toContain("reqgate/baseline against main: The baseline lock is out of date: run `reqgate baseline`; also waiting for 1 approval from requirements board and 2 from safety board\n  conclusion on a pull request: failure\n");
    expect(pending.stdout).toContain("Changed requirements:\n  REQ-001  modified  CR-0002  Lock account after repeated failed logins\n");
    expect(pending.stdout).toContain("  requirements board: 0 of 1 for REQ-001; may approve: anyone with maintain permission or higher (not the author or anyone who pushed commits)\n");
    expect(pending.stdout).toContain("  safety board: 0 of 2 for REQ-001; may approve: members of acme/safety (not the author or anyone who pushed commits)\n");
    expect(pending.stdout).toContain("  REQ-001 modified (CR-0002)\n      title: Lock account after repeated failed logins\n    - text: The system shall lock a user account for 15 minutes after 5 consecutive failed login attempts.\n    + text: The system shall lock a user account for 15 minutes after 3 consecutive failed login attempts.\n");

    const written = reqgate(["baseline", "--repo", repo]);
    expect(written.status).toBe(0);
    expect(written.stdout).toContain("CR-0002: REQ-001");
    expect(written.stdout).toContain("wrote requirements/baseline.lock: 1 modified");
    expect(readFileSync(join(repo, "requirements/baseline.lock"), "utf8")).toMatch(/"id":"REQ-001","status":"active","fingerprint":"sha256:[0-9a-f]{64}","change":"CR-0002"/);

    const json = reqgate(["check", "--repo", repo, "--base", "main", "--format", "json"]);
    expect(json.status).toBe(0);
    const change = (JSON.parse(json.stdout) as { change: { changes: unknown[]; lock: string; records: unknown[] } }).change;
    expect(change).toMatchObject({ changes: [{ id: "REQ-001", kind: "modified", record: "CR-0002" }], lock: "current", records: [{ id: "CR-0002", kind: "added" }] });
  });

  it("exits 2 for an unknown revision", () => {
    const run = reqgate(["check", "--repo", gitRepo(), "--base", "no-such-branch"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no-such-branch/);
  });
});

describe("reqgate init", () => {
  it("adopts an existing requirement set in one command, then baselines it", () => {
    const repo = copyOf("valid");
    rmSync(join(repo, "requirements/baseline.lock"));
    rmSync(join(repo, "requirements/changes"), { recursive: true });
    const missing = reqgate(["check", "--repo", repo]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain("there is no baseline yet for 4 requirements");

    const adopt = reqgate(["init", "--adopt", "--repo", repo]);
    expect(adopt.status).toBe(0);
    expect(adopt.stdout).toContain("wrote requirements/changes/CR-0001.yml: the first baseline, affecting 4 requirements");
    expect(reqgate(["baseline", "--repo", repo]).status).toBe(0);
    expect(reqgate(["check", "--repo", repo]).status).toBe(0);
  });

  it("writes a starter set that checks clean once baselined", () => {
    const repo = join(scratch, "fresh");
    git(scratch, "init", "-q", repo);
    const init = reqgate(["init", "--repo", repo]);
    expect(init.status).toBe(0);
    expect(init.stdout).toContain("wrote .github/reqgate.yml");
    expect(reqgate(["baseline", "--repo", repo]).status).toBe(0);
    expect(reqgate(["check", "--repo", repo]).status).toBe(0);
    expect(reqgate(["init", "--repo", repo]).stdout).toContain("skipped .github/reqgate.yml (it exists)");
  });
});

describe("reqgate report and trace", () => {
  it("renders every format", () => {
    const repo = copyOf("valid");
    for (const format of ["md", "json", "csv", "html"]) {
      const run = reqgate(["report", "--repo", repo, "--format", format]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("REQ-001");
    }
  });

  it("traces one requirement and exits 1 for an unknown ID", () => {
    const repo = copyOf("valid");
    const run = reqgate(["trace", "REQ-001", "--repo", repo]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("SYS-001");
    expect(run.stdout).toContain("tests/login.test.js:1");
    const unknown = reqgate(["trace", "REQ-01", "--repo", repo]);
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toContain("REQ-001");
  });

  it("exits 2 on usage errors and a bad configuration", () => {
    expect(reqgate(["chek"]).status).toBe(2);
    const repo = copyOf("valid");
    writeFileSync(join(repo, ".github/reqgate.yml"), "requirements:\n  prefixes: [req]\nissues:\n  mode: loud\n");
    const run = reqgate(["check", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(".github/reqgate.yml:2:");
    expect(run.stdout).toContain("issues.mode: must be one of");
  });
});
