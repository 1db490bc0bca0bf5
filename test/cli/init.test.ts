import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema, DEFAULT_CONFIG, parseConfig } from "../../src/domain/config/config.js";
import { parseChangeRecordFile, parseRequirementFile } from "../../src/domain/requirements/parse-requirements.js";
import { loadYaml } from "../../src/domain/requirements/yaml.js";
import { CONFIG_TEMPLATE, formatWriteResult, initFiles, requirementPath, runInit, writeNewFiles } from "../../src/cli/init.js";
import { readRepoFiles } from "../../src/local/repo-files.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "reqgate-init-"));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string) => readFileSync(join(root, path), "utf8");

describe("templates", () => {
  it("the starter configuration is exactly the defaults", () => {
    const loaded = loadYaml(".github/reqgate.yml", CONFIG_TEMPLATE);
    expect(loaded.diagnostics).toEqual([]);
    const parsed = parseConfig(loaded.value);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.config).toEqual(DEFAULT_CONFIG);
    // Every key is written out, not left to the defaults.
    const value = loaded.value as Record<string, Record<string, unknown>>;
    for (const [section, keys] of Object.entries(DEFAULT_CONFIG)) {
      expect(Object.keys(value[section] ?? {}).sort()).toEqual(Object.keys(keys).sort());
    }
    expect(CONFIG_TEMPLATE).toContain("reqgate.schema.json");
  });

  it("the example requirement and change record are valid and agree", () => {
    const [, requirement, record, form] = initFiles();
    const parsed = parseRequirementFile(requirement!.path, requirement!.text, { prefixes: new Set(["REQ"]), maxBytes: 512 * 1024 });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.requirements.map((r) => [r.id, r.status])).toEqual([["REQ-001", "active"]]);
    const cr = parseChangeRecordFile(record!.path, record!.text, { changePrefix: "CR", prefixes: new Set(["REQ"]), maxBytes: 512 * 1024 });
    expect(cr.diagnostics).toEqual([]);
    expect(cr.record).toMatchObject({ id: "CR-0001", affects: ["REQ-001"] });
    expect(form!.path).toBe(".github/ISSUE_TEMPLATE/work-item.yml");
  });

  it("the issue form asks for the requirement, required", () => {
    const form = initFiles().find((f) => f.path.endsWith("work-item.yml"))!;
    type Item = { type: string; id?: string; attributes: { label?: string; description?: string }; validations?: { required?: boolean } };
    const value = loadYaml(form.path, form.text).value as unknown as { name: string; description: string; body: Item[] };
    expect(value.name).toBe("Work item");
    expect(value.description).toBeTruthy();
    const input = value.body.find((b) => b.id === "requirement")!;
    expect(input.type).toBe("input");
    expect(input.attributes.label).toBe("Requirement");
    expect(input.attributes.description).toContain("baselined requirement");
    expect(input.attributes.description).toContain("REQ-001");
    expect(input.validations?.required).toBe(true);
    for (const item of value.body) expect(item.id ?? "").toMatch(/^[A-Za-z0-9_-]*$/);
  });

  it("follows an existing configuration's prefixes and folders", () => {
    const config = ConfigSchema.parse({
      requirements: { paths: ["specs/**/*.yaml"], prefixes: ["SRS", "SYS"], changes: "specs/decisions", change_prefix: "DEC" },
    });
    expect(initFiles(config).map((f) => f.path)).toEqual([
      ".github/reqgate.yml",
      "specs/SRS-001.yaml",
      "specs/decisions/DEC-0001.yml",
      ".github/ISSUE_TEMPLATE/work-item.yml",
    ]);
    expect(initFiles(config)[2]!.text).toContain("affects: [SRS-001]");
  });

  it("falls back to requirements/ when no glob can name a new file", () => {
    expect(requirementPath(ConfigSchema.parse({ requirements: { paths: ["**/*.req.yml"] } }), "REQ-001")).toBe("requirements/REQ-001.yml");
  });
});

describe("runInit", () => {
  it("writes the four files, which the local Source then finds", () => {
    const result = runInit(root);
    expect(result).toEqual({
      written: [".github/reqgate.yml", "requirements/REQ-001.yml", "requirements/changes/CR-0001.yml", ".github/ISSUE_TEMPLATE/work-item.yml"],
      skipped: [],
    });
    const files = readRepoFiles(root, DEFAULT_CONFIG);
    expect(files.requirements.map((f) => f.path)).toEqual(["requirements/REQ-001.yml"]);
    expect(files.changes.map((f) => f.path)).toEqual(["requirements/changes/CR-0001.yml"]);
    expect(files.config?.path).toBe(".github/reqgate.yml");
  });

  it("never overwrites, and says what it skipped", () => {
    mkdirSync(join(root, ".github"), { recursive: true });
    writeFileSync(join(root, ".github/reqgate.yml"), "mine\n");
    const result = runInit(root);
    expect(result.skipped).toEqual([{ path: ".github/reqgate.yml", reason: "it exists" }]);
    expect(read(".github/reqgate.yml")).toBe("mine\n");
    expect(formatWriteResult(result)).toContain("skipped .github/reqgate.yml (it exists)\n");

    const again = runInit(root);
    expect(again.written).toEqual([]);
    expect(again.skipped).toHaveLength(4);
    expect(formatWriteResult(again)).toContain("Nothing written");
  });

  it("does not write through a symlink planted at a target", () => {
    const elsewhere = join(root, "elsewhere.txt");
    mkdirSync(join(root, "requirements"), { recursive: true });
    symlinkSync(elsewhere, join(root, "requirements/REQ-001.yml"));
    const result = runInit(root);
    expect(result.skipped).toEqual([{ path: "requirements/REQ-001.yml", reason: "it exists" }]);
    expect(existsSync(elsewhere)).toBe(false);
  });

  it("refuses paths outside the repository", () => {
    const result = writeNewFiles(root, [{ path: "../escape.yml", text: "x" }, { path: "ok/inside.yml", text: "y" }]);
    expect(result).toEqual({ written: ["ok/inside.yml"], skipped: [{ path: "../escape.yml", reason: "outside the repository" }] });
  });

  it("skips a file whose folder is blocked by a file", () => {
    writeFileSync(join(root, "requirements"), "not a folder");
    const result = runInit(root);
    expect(result.skipped).toEqual([
      { path: "requirements/REQ-001.yml", reason: "a file is in the way of its folder" },
      { path: "requirements/changes/CR-0001.yml", reason: "a file is in the way of its folder" },
    ]);
  });
});

describe("init --action", () => {
  const io = () => {
    let stdout = "";
    return { io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stdout += t) }, env: {}, cwd: root }, out: () => stdout };
  };

  it("writes the workflow that runs reqgate's Action on every event the App handles, with the least permissions", async () => {
    const { main } = await import("../../src/cli/main.js");
    const run = io();
    expect(await main(["init", "--action", "--repo", root], run.io)).toBe(0);
    expect(run.out()).toContain("wrote .github/workflows/reqgate.yml: reqgate's GitHub Action on issues, comments, pull requests, reviews, pushes and the merge queue\n");
    const workflow = loadYaml(".github/workflows/reqgate.yml", read(".github/workflows/reqgate.yml"));
    expect(workflow.diagnostics).toEqual([]);
    const value = workflow.value as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: { reqgate: { steps: Array<{ uses: string }> } } };
    expect(Object.keys(value.on)).toEqual(["issues", "issue_comment", "pull_request_target", "pull_request_review", "push", "merge_group"]);
    expect(value.permissions).toEqual({ contents: "read", issues: "write", "pull-requests": "write", checks: "write" });
    expect(value.jobs.reqgate.steps).toEqual([{ uses: "reqgate/reqgate@v1" }]);
    // The starter files too, as without --action.
    expect(existsSync(join(root, ".github/reqgate.yml"))).toBe(true);
  });

  it("never overwrites a workflow that exists", async () => {
    const { main } = await import("../../src/cli/main.js");
    mkdirSync(join(root, ".github/workflows"), { recursive: true });
    writeFileSync(join(root, ".github/workflows/reqgate.yml"), "mine\n");
    const run = io();
    expect(await main(["init", "--action", "--repo", root], run.io)).toBe(0);
    expect(run.out()).toContain("skipped .github/workflows/reqgate.yml (it exists)\n");
    expect(read(".github/workflows/reqgate.yml")).toBe("mine\n");
  });

  it("is an option of init only", async () => {
    const { main } = await import("../../src/cli/main.js");
    const run = io();
    expect(await main(["check", "--action", "--repo", root], run.io)).toBe(2);
  });
});
