// Diagnostics that do not mislead, through the real binary: an error in a file is that error, at its
// line, never a removal of the requirements it holds or "unknown" evidence for them.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve("bin/reqgate.js");
const FIXTURES = resolve("test/fixtures/repos");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-diag-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function reqgate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: scratch, env, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let copies = 0;
function copyOfValid(): string {
  const dir = join(scratch, `valid-${++copies}`);
  cpSync(join(FIXTURES, "valid"), dir, { recursive: true });
  return dir;
}

describe("a requirement file with an error", () => {
  it("`titel:` for `title:` is reported at its lines, not as REQ-001 removed, and its @verifies lines are known", () => {
    const repo = copyOfValid();
    const file = join(repo, "requirements/REQ-001.yml");
    writeFileSync(file, readFileSync(file, "utf8").replace("title:", "titel:"));
    const run = reqgate(["check", "--repo", repo]);
    expect(run).toEqual({
      status: 1,
      stdout:
        "requirements/REQ-001.yml:1:1: error: `title` is required\n" +
        'requirements/REQ-001.yml:2:1: error: unknown key "titel" (did you mean "title"?)\n' +
        "\n2 errors in 1 file\n4 requirements, 1 change records, lock current\n",
      stderr: "",
    });
  });
});

describe("adoption at any size", () => {
  it("init --adopt then baseline on 100k requirements with the default configuration", () => {
    const repo = join(scratch, "big");
    mkdirSync(join(repo, "requirements"), { recursive: true });
    for (let f = 0; f < 20; f++) {
      let text = "requirements:\n";
      for (let i = f * 5000 + 1; i <= (f + 1) * 5000; i++) text += `  - id: REQ-${String(i).padStart(6, "0")}\n    title: Requirement ${i}\n    text: The system shall do ${i}.\n`;
      writeFileSync(join(repo, `requirements/part-${String(f).padStart(2, "0")}.yml`), text);
    }
    const adopt = reqgate(["init", "--adopt", "--repo", repo]);
    expect(adopt).toEqual({
      status: 0,
      stdout: 'wrote requirements/changes/CR-0001.yml, requirements/changes/CR-0002.yml, requirements/changes/CR-0003.yml: the first baseline, affecting 100,000 requirements\nNext: complete their rationales, then run "reqgate baseline" and commit them all.\n',
      stderr: "",
    });
    const baseline = reqgate(["baseline", "--repo", repo]);
    expect(baseline.status).toBe(0);
    expect(baseline.stdout).toContain("wrote requirements/baseline.lock: 100000 added (100,000 baselined requirements)");
    // The placeholder rationale is a warning in check, one per record, until a person replaces it.
    const check = reqgate(["check", "--repo", repo, "--format", "json"]);
    expect(check.status).toBe(0);
    const found = (JSON.parse(check.stdout) as { diagnostics: Array<{ code: string; file: string; severity: string }> }).diagnostics;
    expect(found.map((d) => [d.code, d.file, d.severity])).toEqual([
      ["placeholder-rationale", "requirements/changes/CR-0001.yml", "warning"],
      ["placeholder-rationale", "requirements/changes/CR-0002.yml", "warning"],
      ["placeholder-rationale", "requirements/changes/CR-0003.yml", "warning"],
    ]);
  }, 300_000);
});
