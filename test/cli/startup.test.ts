// What each command loads, seen through a loader hook (test/support/record-loads.js) in the real
// binary: `--version` and `--help` load only the argument parser and its leaf modules, never a package
// from node_modules (YAML, zod, minimatch, probot, Octokit), so they start as fast as node itself
// (timed in `npm run bench`, never here); `check` loads the engine but not the App's GitHub code.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = pathToFileURL(resolve(".")).href;
const scratch = mkdtempSync(join(tmpdir(), "reqgate-startup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let runs = 0;
/** Runs the binary and returns its exit status, its output and what it resolved (relative to the repository, or a bare `node:` name). */
function loadsOf(args: string[]): { status: number | null; stdout: string; loaded: string[] } {
  const log = join(scratch, `loads-${++runs}.txt`);
  const run = spawnSync(process.execPath, ["--import", resolve("test/support/record-loads.js"), resolve("bin/reqgate.js"), ...args], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", RECORD_LOADS: log },
    encoding: "utf8",
    timeout: 60_000,
  });
  const urls = readFileSync(log, "utf8").split("\n").filter((line) => line !== "");
  const loaded = [...new Set(urls.map((url) => (url.startsWith(`${ROOT}/`) ? url.slice(ROOT.length + 1) : url)))].sort();
  return { status: run.status, stdout: run.stdout, loaded };
}

const ARGUMENT_PARSER = [
  "bin/reqgate.js",
  "dist/cli/args.js",
  "dist/cli/errors.js",
  "dist/cli/main.js",
  "dist/cli/output.js",
  "dist/domain/config/config-path.js",
  "dist/domain/core/diagnostic.js",
  "dist/domain/requirements/ids.js",
  "node:fs",
  "node:path",
  "node:util",
];

describe("start-up", () => {
  it("--version loads the argument parser and nothing else", () => {
    const run = loadsOf(["--version"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.loaded).toEqual(ARGUMENT_PARSER);
  });

  it("--help loads the same", () => {
    const run = loadsOf(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: reqgate <command> [options]");
    expect(run.loaded).toEqual(ARGUMENT_PARSER);
  });

  it("check loads the engine, YAML and the schema, but not the App's GitHub code", () => {
    const repo = join(scratch, "valid");
    cpSync(resolve("test/fixtures/repos/valid"), repo, { recursive: true });
    const run = loadsOf(["check", "--repo", repo]);
    expect(run.status).toBe(0);
    expect(run.loaded).toEqual(expect.arrayContaining(["dist/cli/commands/check.js", "dist/domain/requirements/yaml.js"]));
    expect(run.loaded.some((url) => url.includes("/node_modules/yaml/"))).toBe(true);
    expect(run.loaded.filter((url) => /\/node_modules\/(probot|@octokit)\/|dist\/github\/|dist\/cli\/commands\/(baseline|report|init)\.js/.test(url))).toEqual([]);
  });
});
