// `reqgate diff REF1 REF2` on a real git history: a first baseline tagged v1, then CR-2 modifies,
// adds and retires requirements and is baselined as v2.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cr2History } from "../helpers/cr2-history.js";

const BIN = resolve("bin/reqgate.js");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-diff-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const repo = join(scratch, "widgets");

function reqgate(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, "--repo", repo], { cwd: scratch, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const { baselined, v1, v2 } = await cr2History(repo, () => reqgate("baseline"));

describe("reqgate diff", () => {
  it("can baseline a change while evidence findings stand (they are not file errors)", () => {
    expect(baselined.status).toBe(0);
    expect(baselined.stdout).toContain("CR-2: REQ-1, REQ-8, REQ-9");
  });

  it("writes the release note in Markdown", () => {
    const run = reqgate("diff", "v1", "v2");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`From: v1 (${v1.slice(0, 12)})  \nTo: v2 (${v2.slice(0, 12)})\n`);
    expect(run.stdout).toContain("1 added, 1 modified, 0 status changed, 1 retired, 0 removed; 1 change record applied.");
    expect(run.stdout).toContain("## Modified (1)\n\n### REQ-1 Lock after failures\n\n| | before | after |\n|---|---|---|\n| Text | The system shall lock an account for 15 minutes after 5 failed logins. | The system shall lock an account for 15 minutes after 3 failed logins. |\n\nChange records: **CR-2** Lower the lockout threshold\n");
    expect(run.stdout).toContain("## Added (1)\n\n### REQ-9 Notify on lockout\n\nThe system shall mail the owner when the account is locked.\n");
    expect(run.stdout).toContain("| Status | active | retired |");
    expect(run.stdout).toContain("| **CR-2** | Lower the lockout threshold | PT-19 showed that 5 attempts allow credential stuffing. |  |");
  });

  it("gives tools the same as JSON, and the reverse direction as removals", () => {
    const json = JSON.parse(reqgate("diff", "v1", "v2", "--format", "json").stdout) as { version: number; kind: string; provenance: { generatedAt: string }; summary: Record<string, number>; changes: Array<{ id: string; kind: string; records: string[] }> };
    expect([json.version, json.kind, json.provenance.generatedAt]).toEqual([1, "reqgate-diff", "2026-01-01T00:00:00Z"]);
    expect(json.summary).toEqual({ added: 1, modified: 1, "status-changed": 0, retired: 1, removed: 0 });
    expect(json.changes.map((c) => `${c.id} ${c.kind} ${c.records.join(",")}`)).toEqual(["REQ-1 modified CR-2", "REQ-8 retired CR-2", "REQ-9 added CR-2"]);
    const back = JSON.parse(reqgate("diff", "v2", "v1", "--format", "json").stdout) as { changes: Array<{ id: string; kind: string }> };
    expect(back.changes.map((c) => `${c.id} ${c.kind}`)).toEqual(["REQ-1 modified", "REQ-8 status-changed", "REQ-9 removed"]);
  });

  it("writes a self-contained HTML page", () => {
    const out = join(scratch, "diff.html");
    expect(reqgate("diff", "v1", "v2", "--format", "html", "-o", out).status).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain('<td class="before text">The system shall lock an account for 15 minutes after 5 failed logins.</td><td class="after text">The system shall lock an account for 15 minutes after 3 failed logins.</td>');
    expect(html).toContain("default-src &#39;none&#39;");
  });

  it("exits 2 on an unknown revision and on a wrong number of revisions", () => {
    expect(reqgate("diff", "v1", "nope").status).toBe(2);
    const one = reqgate("diff", "v1");
    expect(one.status).toBe(2);
    expect(one.stderr).toContain("diff takes two revisions");
  });
});
