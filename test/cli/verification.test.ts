// `verification.required` and `verification.results` end to end: the real binary on a repository whose
// JUnit files were written by jest (jest-junit) and pytest from the tests beside them.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve("bin/reqgate.js");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-verified-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
function copy(): string {
  const dir = join(scratch, `verified-${++copies}`);
  cpSync(resolve("test/fixtures/repos/verified"), dir, { recursive: true });
  return dir;
}

function reqgate(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: scratch, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type JsonDiagnostic = { severity: string; code: string; file: string; line: number; message: string };

describe("check with verification.required: [test] and JUnit results", () => {
  const repo = copy();
  const run = reqgate(["check", "--repo", repo, "--format", "json"]);
  const found = (JSON.parse(run.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.code}`);

  it("has the version/kind header", () => {
    expect(Object.keys(JSON.parse(run.stdout) as object).slice(0, 3)).toEqual(["version", "kind", "diagnostics"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 1, kind: "reqgate-check" });
  });

  it("fails on missing and failed evidence, and warns of skipped and unrun tests", () => {
    expect(run.status).toBe(1);
    expect(found).toEqual([
      "requirements/audit.yml:6 warning verification-skipped", // REQ-4: pytest skip
      "requirements/audit.yml:16 warning verification-skipped", // REQ-6: test.skip in jest
      "requirements/audit.yml:21 warning verification-not-run", // REQ-7: tests/export.test.js was not run
      "requirements/login.yml:11 error verification-failed", // REQ-2: its jest test fails
      "requirements/login.yml:16 error verification-missing", // REQ-3: no test at all
    ]);
  });

  it("keeps today's behaviour with the default `required: []` and no results", () => {
    const plain = copy();
    writeFileSync(join(plain, ".github/reqgate.yml"), "requirements:\n  prefixes: [SYS, REQ]\nverification:\n  paths: [\"tests/**\"]\n");
    const again = reqgate(["check", "--repo", plain]);
    expect(again.stdout).toContain("no problems found");
    expect(again.status).toBe(0);
  });

  it("says when verification.results matches no file", () => {
    const none = copy();
    rmSync(join(none, "reports"), { recursive: true });
    const again = reqgate(["check", "--repo", none]);
    expect(again.stdout).toContain('.github/reqgate.yml:7:3: warning: verification.results (reports/*.xml) matches no file, so no test result was read');
    expect(again.stdout).toContain("REQ-1: no test result covers the tests that name it");
  });

  it("reports a broken results file with its line", () => {
    const broken = copy();
    writeFileSync(join(broken, "reports/jest-junit.xml"), '<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="x">\n</testsuites>\n');
    const again = reqgate(["check", "--repo", broken]);
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/^reports\/jest-junit\.xml:4:\d+: error: the test results file is not well-formed XML/m);
  });
});

describe("report and trace show the evidence status, the results and @implements", () => {
  const repo = copy();

  it("gives each requirement its status in the JSON report", () => {
    const run = reqgate(["report", "--repo", repo, "--format", "json"]);
    expect(Object.keys(JSON.parse(run.stdout) as object).slice(0, 4)).toEqual(["version", "kind", "provenance", "summary"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 1, kind: "reqgate-report", provenance: { repository: expect.stringMatching(/^verified-\d+$/), commit: null, generatedAt: "2026-01-01T00:00:00Z", configuration: { file: ".github/reqgate.yml" } } });
    const report = JSON.parse(run.stdout) as { requirements: Array<{ id: string; verificationStatus: string; implementations: Array<{ file: string; line: number }>; results: Array<{ name: string; via: string }> }>; summary: { verification: Record<string, number>; coverage: Record<string, unknown> }; gaps: Record<string, string[]> };
    expect(Object.fromEntries(report.requirements.map((r) => [r.id, r.verificationStatus]))).toEqual({
      "SYS-1": "missing",
      "REQ-1": "passed",
      "REQ-2": "failed",
      "REQ-3": "missing",
      "REQ-4": "skipped",
      "REQ-5": "passed",
      "REQ-6": "skipped",
      "REQ-7": "not-run",
      "REQ-8": "missing",
    });
    expect(report.summary.verification).toEqual({ passed: 2, failed: 1, skipped: 2, "not-run": 1, tagged: 0, missing: 1 });
    expect(report.gaps.noEvidence).toEqual(["REQ-3"]);
    expect(report.gaps.failedEvidence).toEqual(["REQ-2"]);
    expect(report.requirements.find((r) => r.id === "REQ-1")!.implementations).toEqual([{ id: "REQ-1", file: "src/lockout.js", line: 1 }]);
    expect(report.requirements.find((r) => r.id === "REQ-5")!.results.map((r) => `${r.via} ${r.name}`)).toEqual(["property test_audit_record"]);
    expect(report.summary.coverage.passing).toEqual({ covered: 2, total: 7, percent: 28.5 });
    expect(report.summary.coverage.implementation).toEqual({ covered: 1, total: 9, percent: 11.1 });
  });

  it("prints the chain with results and implementation in trace", () => {
    const run = reqgate(["trace", "REQ-2", "--repo", repo]);
    expect(run.stdout).toContain("  verification:  test; evidence failed\n");
    expect(run.stdout).toContain("Tests (@verifies)\n  tests/login.test.js:12 (logs every login attempt)\n");
    expect(run.stdout).toContain("Test results\n  failed: lockout logs every login attempt (Error: expect(received).toHaveLength(expected)) [reports/jest-junit.xml]\n");
    expect(run.stdout).toContain("Implementation (@implements)\n  none found\n");
  });

  it("lists failed tests among the gaps of the Markdown and HTML reports", () => {
    const md = reqgate(["report", "--repo", repo]).stdout;
    expect(md).toContain("### Failed tests (1)\n\n- **REQ-2** Log logins\n");
    expect(md).toContain("| Baselined active requirements with `@implements` in source code | 1/9 (11.1%) |");
    const html = reqgate(["report", "--repo", repo, "--format", "html"]).stdout;
    expect(html).toContain('<span class="badge ev-failed">failed</span> lockout logs every login attempt');
  });
});
