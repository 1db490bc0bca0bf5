// What each command loads, seen through a loader hook (test/support/record-loads.js) in the real binary,
// and mapped through the bundle's metafile (dist/bundle/meta.json, scripts/build-cli.js) back to the
// sources each loaded chunk holds: `--version` and `--help` load only the argument parser and its leaf
// modules, no dependency (YAML, zod, minimatch, probot, Octokit), so they start as fast as node itself
// (timed in `npm run bench`, never here); `check` loads YAML and the schema but not the engine's change
// pipeline or the App's GitHub code.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = pathToFileURL(resolve(".")).href;
const scratch = mkdtempSync(join(tmpdir(), "reqgate-startup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

let runs = 0;
/** Runs the binary; `files`: what it loaded outside the bundle; `sources`: the sources of the bundle's chunks it loaded. */
function loadsOf(args: string[]): { status: number | null; stdout: string; files: string[]; sources: string[] } {
  const log = join(scratch, `loads-${++runs}.txt`);
  const run = spawnSync(process.execPath, ["--import", resolve("test/support/record-loads.js"), resolve("bin/reqgate.js"), ...args], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", RECORD_LOADS: log },
    encoding: "utf8",
    timeout: 60_000,
  });
  const meta = JSON.parse(readFileSync("dist/bundle/meta.json", "utf8")) as Metafile;
  const loaded = new Set(readFileSync(log, "utf8").split("\n").filter((line) => line !== "").map((url) => (url.startsWith(`${ROOT}/`) ? url.slice(ROOT.length + 1) : url)));
  const chunks = [...loaded].filter((file) => file.startsWith("dist/bundle/"));
  for (const chunk of chunks) expect(Object.keys(meta.outputs)).toContain(chunk);
  const sources = new Set(chunks.flatMap((chunk) => Object.keys(meta.outputs[chunk]!.inputs)));
  return { status: run.status, stdout: run.stdout, files: [...loaded].filter((file) => !file.startsWith("dist/bundle/")).sort(), sources: [...sources].sort() };
}

const ARGUMENT_PARSER = [
  "src/cli/args.ts",
  "src/cli/errors.ts",
  "src/cli/main.ts",
  "src/cli/output.ts",
  "src/domain/config/config-path.ts",
  "src/domain/core/diagnostic.ts",
  "src/domain/requirements/ids.ts",
];

describe("start-up", () => {
  it("--version loads the argument parser and nothing else", () => {
    const run = loadsOf(["--version"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.files).toEqual(["bin/reqgate.js", "node:fs", "node:module", "node:path", "node:util"]);
    expect(run.sources).toEqual(ARGUMENT_PARSER);
  });

  it("--help loads the same", () => {
    const run = loadsOf(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: reqgate <command> [options]");
    expect(run.sources).toEqual(ARGUMENT_PARSER);
  });

  it("check loads YAML and the schema, not the change pipeline, the other commands or the App's GitHub code", () => {
    const repo = join(scratch, "valid");
    cpSync(resolve("test/fixtures/repos/valid"), repo, { recursive: true });
    const run = loadsOf(["check", "--repo", repo]);
    expect(run.status).toBe(0);
    expect(run.sources).toEqual(expect.arrayContaining(["src/cli/commands/check.ts", "src/domain/requirements/yaml.ts", "src/domain/requirements/schemas.ts"]));
    expect(run.sources.some((file) => file.startsWith("node_modules/yaml/"))).toBe(true);
    // engine/config.ts is the one configuration loader (every command reads the configuration), not a pipeline.
    expect(run.sources.filter((file) => /^node_modules\/(probot|@octokit)\/|^src\/github\/|^src\/engine\/(?!config\.ts$)|^src\/cli\/commands\/(change|baseline|report|init)\.ts$/.test(file))).toEqual([]);
  });
});
