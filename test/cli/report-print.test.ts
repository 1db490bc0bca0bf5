// The HTML report's print path, rendered by a real headless Chromium to PDF and read back with
// pdftotext (Debian packages `chromium` and `poppler-utils`): everything expanded, no filter bar, each
// section on its own page, IDs whole, the provenance on the first page. Skipped, saying why, only when
// a binary is absent.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import type { TraceReport } from "../../src/domain/report/report.js";
import { renderReportHtml } from "../../src/domain/report/render/report-html.js";
import { fixtureRepo, git } from "../helpers/git-repo.js";

const CHROMIUM = process.env.CHROMIUM ?? "chromium";
const missing = [CHROMIUM, "pdftotext"].filter((bin) => spawnSync("sh", ["-c", `command -v "${bin}"`]).status !== 0);
const suite = missing.length === 0 ? describe : describe.skip;
const title = missing.length === 0 ? "report --format html printed by headless Chromium" : `report --format html printed by headless Chromium (SKIPPED: ${missing.join(", ")} not installed; apt-get install chromium poppler-utils)`;

const scratch = mkdtempSync(join(tmpdir(), "reqgate-print-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = scratch): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" } });
  if (r.status !== 0 && !(cmd === process.execPath && r.status === 1)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

suite(title, () => {
  const repo = fixtureRepo("verified", join(scratch, "verified"), { message: "fixture" });
  const commit = git(repo, "rev-parse", "HEAD");
  const html = join(scratch, "report.html");
  const pdf = join(scratch, "report.pdf");
  run(process.execPath, [resolve("bin/reqgate.js"), "report", "--repo", repo, "--format", "html", "-o", html]);
  run(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${mkdtempSync(join(scratch, "profile-"))}`, "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${html}`]);
  const pages = run("pdftotext", ["-layout", pdf, "-"]).split("\f").filter((p) => p.trim() !== "");
  const text = pages.join("\n");
  const firstLine = (page: string) => page.split("\n").find((l) => l.trim() !== "")!.trim();

  it("states the repository, commit, date, version and configuration on the first page", () => {
    expect(pages[0]).toContain(`Full commit     ${commit}`);
    expect(pages[0]).toMatch(/Repository +verified/);
    expect(pages[0]).toMatch(/Generated +2026-01-01T00:00:00Z by reqgate \d+\.\d+\.\d+/);
    expect(pages[0]).toMatch(/Configuration +\.github\/reqgate\.yml \(sha256 [0-9a-f]{16}\)/);
  });

  it("prints every requirement expanded, the collapsed ones too", () => {
    // REQ-6 sits folded inside REQ-1 on screen.
    for (const statement of [
      "Logins are protected against guessing and are audited.",
      "The system shall lock an account for 15 minutes after 5 failed logins.",
      "The system shall unlock an account through a link sent by mail.",
      "The system shall refuse passwords shorter than 12 characters.",
    ]) expect(text).toContain(statement);
    expect(text).toContain("tests/login.test.js:18 (unlocks by mail)");
  });

  it("leaves the filter bar out", () => {
    expect(text).not.toContain("Expand all");
    expect(text).not.toContain("only requirements with gaps");
  });

  it("starts each section after the first on a new page", () => {
    expect(pages[0]).toContain("Problems in the files (5)"); // the first section follows the header
    expect(pages.map(firstLine).filter((l) => /^(Problems in the files|Gaps|Requirements|Change records)\b/.test(l))).toEqual(["Gaps", "Requirements (9)", "Change records (1)"]);
  });

  it("never breaks an ID across lines", () => {
    // A break inside `REQ-12` leaves a line ending in `REQ-`.
    expect(text.split("\n").filter((l) => /(^|[\s,(])(REQ|SYS|CR)-\s*$/.test(l))).toEqual([]);
    for (const id of ["SYS-1", "REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5", "REQ-6", "REQ-7", "REQ-8", "CR-1"]) expect(text).toContain(id);
  });
});

// A report of LAZY_FROM requirements or more builds its tree in the browser: on screen only the top
// level exists until opened; printing (beforeprint, which headless Chromium's --print-to-pdf fires)
// builds and opens everything. Forced here on the small fixture with `lazyFrom: 1`.
suite(`${title}: the lazily built tree of a large report`, () => {
  const repo = join(scratch, "verified-lazy");
  cpSync(resolve("test/fixtures/repos/verified"), repo, { recursive: true });
  const html = join(scratch, "lazy.html");
  const pdf = join(scratch, "lazy.pdf");
  const chromium = (...args: string[]) => run(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${mkdtempSync(join(scratch, "profile-"))}`, ...args]);

  beforeAll(async () => {
    let json = "";
    await main(["report", "--repo", repo, "--format", "json"], { stdout: { write: (t: string) => (json += t) }, stderr: { write: () => true }, env: { NO_COLOR: "1" }, cwd: repo });
    writeFileSync(html, renderReportHtml(JSON.parse(json) as TraceReport, { lazyFrom: 1 }));
  });

  it("on screen: the top level is built, a folded child is not", () => {
    const dom = chromium("--dump-dom", `file://${html}`);
    expect(dom).toContain('<details class="req" id="r-SYS-1"><summary><span class="id">SYS-1</span> Secure login <span class="badge s-active">active</span><span class="badge s-base">baselined</span></summary></details>');
    expect(dom).not.toContain('id="r-REQ-6"');
  });

  it("printed: every requirement built and expanded, the folded child's facts too", () => {
    chromium("--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${html}`);
    const text = run("pdftotext", ["-layout", pdf, "-"]);
    for (const statement of ["Logins are protected against guessing and are audited.", "The system shall unlock an account through a link sent by mail.", "The system shall refuse passwords shorter than 12 characters."]) expect(text).toContain(statement);
    expect(text).toContain("tests/login.test.js:18 (unlocks by mail)");
    expect(text).not.toContain("Expand all");
  });
});
