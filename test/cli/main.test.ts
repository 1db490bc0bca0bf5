// `main()` in-process, with its Io: every command and exit code of the CLI as the binary runs them
// (cli.test.ts runs the real binary; this runs the same entry inside jest, so it is covered).
import { afterAll, describe, expect, it } from "@jest/globals";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import { commitAll } from "../helpers/git-repo.js";

const FIXTURES = resolve("test/fixtures/repos");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-main-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { NO_COLOR: "1", ...options.env },
    cwd: options.cwd ?? scratch,
  });
  return { code, stdout, stderr };
}

let copies = 0;
function copyOf(fixture: string): string {
  const dir = join(scratch, `${fixture}-${++copies}`);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

describe("main: help, version and usage", () => {
  it("--version prints the package's version, exit 0", async () => {
    const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
    expect(await run(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help and help COMMAND print usage, exit 0", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: reqgate <command>");
    const check = await run(["help", "check"]);
    expect(check.code).toBe(0);
    expect(check.stdout.startsWith("Usage: reqgate check [--base REF]\n")).toBe(true);
  });

  it("an unknown command or option is exit 2 on stderr", async () => {
    const unknown = await run(["chek"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toContain('unknown command "chek"');
    const option = await run(["check", "--frobnicate"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("--frobnicate");
  });
});

describe("main: check", () => {
  it("a valid repository: exit 0 and the counts", async () => {
    const result = await run(["check", "--repo", copyOf("valid")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("no problems found");
    expect(result.stdout).toContain("5 requirements, 1 change records, lock current\n");
  });

  it("problems: exit 1, as JSON with --format json", async () => {
    const result = await run(["check", "--repo", copyOf("invalid"), "--format", "json"]);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { diagnostics: Array<{ code: string; file: string }> };
    expect(parsed.diagnostics).toContainEqual(expect.objectContaining({ code: "duplicate-id" }));
  });

  it("inside Actions: workflow-command annotations", async () => {
    const repo = copyOf("valid");
    writeFileSync(join(repo, "requirements/REQ-002.yml"), "id: REQ-002\ntitle: Log failed logins\ntext: Changed.\nparents: [SYS-099]\n");
    const result = await run(["check", "--repo", repo], { env: { GITHUB_ACTIONS: "true" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error file=requirements/REQ-002.yml,line=4,col=11,title=reqgate unknown-parent::REQ-002 refines SYS-099, which is not defined");
  });

  it("an invalid configuration is exit 2 with its file and line", async () => {
    const repo = copyOf("valid");
    writeFileSync(join(repo, ".github/reqgate.yml"), "requirements:\n  prefixes: [req]\nissues:\n  mode: loud\n");
    const result = await run(["check", "--repo", repo]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(".github/reqgate.yml:4:");
  });

  it("a folder with no requirements and no configuration is exit 2, not a pass", async () => {
    const empty = join(scratch, `empty-${++copies}`);
    mkdirSync(empty);
    const result = await run(["check", "--repo", empty]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("no requirements here");
  });
});

describe("main: baseline and check --base", () => {
  it("baseline of a current lock writes nothing (exit 0); check --base refuses a change without a record (exit 1); with one, baseline writes the lock", async () => {
    const repo = copyOf("valid");
    commitAll(repo);

    const upToDate = await run(["baseline", "--repo", repo]);
    expect(upToDate.code).toBe(0);
    // In a git checkout the lock is judged relative to the merge base with the default branch.
    expect(upToDate.stdout).toMatch(/^requirements\/baseline\.lock is up to date \(4 baselined requirements, relative to the merge base with main at [0-9a-f]{12}\)\n$/);

    // A changed meaning without a change record: check --base refuses it, baseline does not credit it.
    const path = join(repo, "requirements/REQ-001.yml");
    writeFileSync(path, readFileSync(path, "utf8").replace(/text: .*/, "text: The system shall lock an account after 3 failed logins."));
    const refused = await run(["check", "--repo", repo, "--base", "main"]);
    expect(refused.code).toBe(1);
    const json = await run(["check", "--repo", repo, "--base", "main", "--format", "json"]);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { change: { changes: unknown[] } }).change.changes).toEqual([{ id: "REQ-001", kind: "modified", record: null }]);

    // With a change record, baseline writes the lock and says what moved.
    writeFileSync(join(repo, "requirements/changes/CR-0002.yml"), "id: CR-0002\ntitle: Lower the lockout threshold\nrationale: Penetration test PT-19.\naffects: [REQ-001]\n");
    const wrote = await run(["baseline", "--repo", repo]);
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toMatch(/^CR-0002: REQ-001\nwrote requirements\/baseline\.lock: 1 modified \(4 baselined requirements, relative to the merge base with main at [0-9a-f]{12}\)\n$/);
    expect(await run(["check", "--repo", repo])).toMatchObject({ code: 0 });
  });

  it("check --base with an unknown revision is exit 2 on stderr", async () => {
    const repo = copyOf("valid");
    commitAll(repo);
    const result = await run(["check", "--repo", repo, "--base", "no-such-ref"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^reqgate: .*no-such-ref/);
  });

  it("baseline with errors writes nothing and is exit 1", async () => {
    const repo = copyOf("invalid");
    const before = existsSync(join(repo, "requirements/baseline.lock")) ? readFileSync(join(repo, "requirements/baseline.lock"), "utf8") : undefined;
    const result = await run(["baseline", "--repo", repo]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("reqgate: the lock was not written: fix the errors above first\n");
    expect(existsSync(join(repo, "requirements/baseline.lock")) ? readFileSync(join(repo, "requirements/baseline.lock"), "utf8") : undefined).toBe(before);
  });
});

describe("main: report and trace", () => {
  it("report writes each format to --output, exit 0", async () => {
    const repo = copyOf("valid");
    for (const format of ["md", "json", "csv", "html"]) {
      const out = join(repo, `report.${format}`);
      const result = await run(["report", "--repo", repo, "--format", format, "--output", out]);
      expect(result).toEqual({ code: 0, stdout: "", stderr: `wrote ${out}\n` });
      expect(readFileSync(out, "utf8")).toContain("REQ-001");
    }
  });

  it("report to stdout, with work items from an exported issue list", async () => {
    const repo = copyOf("valid");
    const issues = join(repo, "issues.json");
    writeFileSync(issues, JSON.stringify([{ number: 12, title: "Lockout", body: "Implements REQ-001", state: "open", html_url: "https://github.com/acme/app/issues/12", labels: [] }]));
    const result = await run(["report", "--repo", repo, "--format", "json", "--issues", issues]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"number": 12');
  });

  it("an issue list that is not JSON is exit 2", async () => {
    const repo = copyOf("valid");
    const issues = join(repo, "issues.json");
    writeFileSync(issues, "not json");
    const result = await run(["report", "--repo", repo, "--issues", issues]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read ${issues} as JSON`);
  });

  it("trace ID: exit 0 for a known requirement, 1 for an unknown one", async () => {
    const repo = copyOf("valid");
    const known = await run(["trace", "REQ-001", "--repo", repo]);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain("REQ-001");
    const json = await run(["trace", "REQ-001", "--repo", repo, "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(expect.objectContaining({ found: true }));
    const unknown = await run(["trace", "REQ-999", "--repo", repo]);
    expect(unknown.code).toBe(1);
  });

  it("trace --format md and report --root ID carry the Mermaid trace graph; an unknown root is exit 2", async () => {
    const repo = copyOf("verified");
    const md = await run(["trace", "REQ-1", "--repo", repo, "--format", "md"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## Trace graph\n\n```mermaid\ngraph LR\n  R0["REQ-1: Lock after failures"]:::baselined\n');
    const html = await run(["report", "--repo", repo, "--format", "html", "--root", "REQ-1"]);
    expect(html.stdout).toContain('<pre class="mermaid">graph LR\n');
    expect(html.stdout).toContain("<title>Traceability report: REQ-1 and its descendants</title>");
    const unknown = await run(["report", "--repo", repo, "--root", "REQ-10"]);
    expect(unknown).toEqual({ code: 2, stdout: "", stderr: 'reqgate: --root: REQ-10 is not a requirement in this repository (did you mean REQ-1?)\nRun "reqgate report --help" for usage.\n' });
    const bad = await run(["report", "--repo", repo, "--root", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--root: "nope" is not a requirement ID');
  });
});

describe("main: init", () => {
  it("writes a starter set (exit 0), skips it all the second time, and --action adds the workflow", async () => {
    const repo = join(scratch, `init-${++copies}`);
    mkdirSync(repo);
    const first = await run(["init", "--repo", repo]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("wrote .github/reqgate.yml");
    const again = await run(["init", "--repo", repo]);
    expect(again.stdout).toContain("skipped .github/reqgate.yml (it exists)");
    const action = await run(["init", "--action", "--repo", repo]);
    expect(action.stdout).toContain("wrote .github/workflows/reqgate.yml");
  });

  it("--adopt writes the first change record (exit 0); with a lock present it is exit 2", async () => {
    const repo = copyOf("valid");
    const withLock = await run(["init", "--adopt", "--repo", repo]);
    expect(withLock.code).toBe(2);
    expect(withLock.stderr).toContain("requirements/baseline.lock exists already");
    rmSync(join(repo, "requirements/baseline.lock"));
    const adopted = await run(["init", "--adopt", "--repo", repo]);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toMatch(/^wrote requirements\/changes\/CR-\d+\.yml: the first baseline, affecting 4 requirements\n/);
  });
});
