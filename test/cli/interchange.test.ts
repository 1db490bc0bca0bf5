// `reqgate report --format reqif` (and, below, `reqgate import`) through the real binary, on the
// interchange fixture committed to a real git repository; ReqIF output validated with the real xmllint.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { xmllint } from "../support/xmllint.js";

const BIN = resolve("bin/reqgate.js");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-interchange-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function reqgate(repo: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, "--repo", repo], { cwd: scratch, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function git(repo: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const source = join(scratch, "widgets");
cpSync(resolve("test/fixtures/repos/interchange"), source, { recursive: true });
git(source, "init", "-q", "-b", "main");
git(source, "add", "-A");
git(source, "commit", "-qm", "requirements");
const commit = git(source, "rev-parse", "HEAD");

describe("reqgate report --format reqif", () => {
  const exported = reqgate(source, "report", "--format", "reqif", "--output", join(scratch, "widgets.reqif"));
  const text = readFileSync(join(scratch, "widgets.reqif"), "utf8");

  it("writes a file that the OMG ReqIF 1.2 schema accepts (xmllint)", () => {
    expect(exported).toEqual({ status: 0, stdout: "", stderr: `wrote ${join(scratch, "widgets.reqif")}\n` });
    expect(xmllint(text)).toEqual({ status: 0, stderr: "out.reqif validates\n" });
  });

  it("says which commit, branch, date and reqgate it describes", () => {
    expect(text).toContain(`<REQ-IF-HEADER IDENTIFIER="reqgate-header-${commit.slice(0, 12)}">`);
    expect(text).toContain(`<CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>`);
    expect(text).toMatch(new RegExp(`<COMMENT>Repository: widgets&#10;Commit: ${commit.slice(0, 12)} \\(main; [0-9T:+-]+\\)&#10;Generated: 2026-01-01T00:00:00Z by reqgate 0\\.1\\.0&#10;Configuration: \\.github/reqgate\\.yml \\(sha256 [0-9a-f]{16}\\)</COMMENT>`));
  });

  it("holds every requirement, drafts included, with the fields reqgate has", () => {
    const ids = [...text.matchAll(/<SPEC-OBJECT IDENTIFIER="so-([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["REQ-1", "REQ-2", "REQ-3", "REQ-4", "SYS-1", "SYS-2"]);
    expect(text).toContain(`THE-VALUE="Accessible sign-in (« Zugänglich », 日本語)"`);
    expect(text).toContain(`THE-VALUE="Lock after &lt;5&gt; failures &amp; &quot;tell&quot; the user&apos;s owner"`);
    expect(text).toContain(`<ENUM-VALUE-REF>ev-status-draft</ENUM-VALUE-REF>`);
    expect(text).toContain(`THE-VALUE="requirements/login.yml"`);
  });
});
