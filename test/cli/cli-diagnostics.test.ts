// Diagnostics that do not mislead, through the real binary: an error in a file is that error, at its
// line, never a removal of the requirements it holds or "unknown" evidence for them.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve("bin/reqgate.js");
const FIXTURES = resolve("test/fixtures/repos");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-diag-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function reqgate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: scratch, env, encoding: "utf8", timeout: 120_000 });
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
