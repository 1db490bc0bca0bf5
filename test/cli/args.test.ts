import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS, findRepositoryRoot, helpText, parseCli, readVersion, UsageError, type Invocation } from "../../src/cli/args.js";

let repo: string;
let sub: string;

beforeAll(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), "reqgate-args-")));
  mkdirSync(join(repo, ".git"));
  sub = join(repo, "requirements", "deep");
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(repo, "issues.json"), "[]");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

function run(argv: string[], cwd = repo): Extract<Invocation, { kind: "run" }> {
  const result = parseCli(argv, { cwd });
  if (result.kind !== "run") throw new Error(`expected a command, got ${result.kind}`);
  return result;
}

function usageError(argv: string[], cwd = repo): UsageError {
  try {
    parseCli(argv, { cwd });
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
}

describe("commands", () => {
  it("parses each command with its options", () => {
    expect(run(["init"]).command).toEqual({ name: "init", adopt: false });
    expect(run(["init", "--adopt"]).command).toEqual({ name: "init", adopt: true });
    expect(run(["check"]).command).toEqual({ name: "check" });
    expect(run(["check", "--base", "origin/main"]).command).toEqual({ name: "check", base: "origin/main" });
    expect(run(["check", "--base=HEAD~2"]).command).toEqual({ name: "check", base: "HEAD~2" });
    expect(run(["baseline"]).command).toEqual({ name: "baseline" });
    expect(run(["baseline", "--base", "v1.0"]).command).toEqual({ name: "baseline", base: "v1.0" });
    expect(run(["trace", "REQ-001"]).command).toEqual({ name: "trace", id: "REQ-001" });
  });

  it("parses report options", () => {
    expect(run(["report"]).command).toEqual({ name: "report", format: "md" });
    expect(run(["report", "--format", "csv", "--github", "acme/widgets.js", "-o", "out/r.csv"]).command).toEqual({
      name: "report",
      format: "csv",
      github: { owner: "acme", repo: "widgets.js" },
      output: join(repo, "out/r.csv"),
    });
    expect(run(["report", "--issues", "issues.json", "--format=html"]).command).toEqual({ name: "report", format: "html", issues: join(repo, "issues.json") });

    // A bare --github (last, or before another option) names the origin remote's repository.
    expect(run(["report", "--github"]).command).toEqual({ name: "report", format: "md", github: "origin" });
    expect(run(["report", "--github", "--format", "json"]).command).toEqual({ name: "report", format: "json", github: "origin" });
    expect(run(["diff", "v1", "v2", "--github"]).command).toEqual({ name: "diff", from: "v1", to: "v2", format: "md", github: "origin" });
    expect(run(["diff", "--github", "acme/widgets", "v1", "v2"]).command).toEqual({ name: "diff", from: "v1", to: "v2", format: "md", github: { owner: "acme", repo: "widgets" } });
  });

  it("takes the output format of other commands", () => {
    expect(run(["check", "--format", "json"]).format).toBe("json");
    expect(run(["check", "--format", "github"]).format).toBe("github");
    expect(run(["check"]).format).toBeUndefined();
  });

  it("accepts global options before or after the command", () => {
    expect(run(["--repo", sub, "check"]).repo).toBe(sub);
    expect(run(["check", "--repo", sub]).repo).toBe(sub);
  });
});

describe("the repository root", () => {
  it("is the nearest directory with .git above the cwd", () => {
    expect(run(["check"], sub).repo).toBe(repo);
    expect(findRepositoryRoot(sub)).toBe(repo);
  });

  it("is a project with its own configuration inside a larger repository", () => {
    const project = join(repo, "examples", "project");
    mkdirSync(join(project, ".github"), { recursive: true });
    writeFileSync(join(project, ".github", "reqgate.yml"), "{}\n");
    mkdirSync(join(project, "requirements"), { recursive: true });
    expect(run(["check"], join(project, "requirements")).repo).toBe(project);
    expect(run(["check"], join(repo, "examples")).repo).toBe(repo);
  });

  it("is --repo itself when given, relative to the cwd", () => {
    expect(run(["check", "--repo", "requirements"]).repo).toBe(join(repo, "requirements"));
  });

  it("is the directory itself when no .git is found", () => {
    const plain = realpathSync(mkdtempSync(join(tmpdir(), "reqgate-plain-")));
    try {
      expect(findRepositoryRoot(plain)).toBe(plain);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it("must be a directory", () => {
    expect(usageError(["check", "--repo", "nope"]).message).toBe(`--repo: ${join(repo, "nope")} is not a directory`);
  });
});

describe("help and version", () => {
  it("gives the overview without arguments, with --help and with help", () => {
    for (const argv of [[], ["--help"], ["-h"], ["help"]]) {
      const result = parseCli(argv, { cwd: repo });
      expect(result).toEqual({ kind: "help", text: helpText() });
    }
    expect(helpText()).toMatch(/Commands:[\s\S]*init[\s\S]*check[\s\S]*baseline[\s\S]*report[\s\S]*trace/);
  });

  it("gives each command's help, which lists its options and the exit codes", () => {
    for (const command of COMMANDS) {
      expect(parseCli([command, "--help"], { cwd: repo })).toEqual({ kind: "help", text: helpText(command) });
      expect(parseCli(["help", command], { cwd: repo })).toEqual({ kind: "help", text: helpText(command) });
      expect(helpText(command)).toContain("0  clean");
      expect(helpText(command)).toContain("2  usage or configuration error");
    }
    expect(helpText("check")).toContain("--base REF");
    expect(helpText("report")).toContain("--issues FILE");
    expect(helpText("init")).toContain("--adopt");
  });

  it("prefers help over other mistakes on the same line", () => {
    expect(parseCli(["check", "--bogus", "-h"], { cwd: repo }).kind).toBe("help");
  });

  it("reports the version", () => {
    expect(parseCli(["--version"], { cwd: repo })).toEqual({ kind: "version" });
    expect(readVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("usage errors", () => {
  it.each([
    [["chek"], 'unknown command "chek" (did you mean "check"?): use one of init, check, baseline, report, trace, diff, import, review'],
    [["--repo", "."], "no command given: use one of init, check, baseline, report, trace, diff, import, review"],
    [["check", "--bse", "main"], 'unknown option --bse for "reqgate check" (did you mean --base?)'],
    [["check", "--github", "a/b"], '--github is not an option of "reqgate check" (it belongs to "reqgate report")'],
    [["init", "--base", "main"], '--base is not an option of "reqgate init" (it belongs to "reqgate check")'],
    [["check", "--base"], "--base needs a value, e.g. --base origin/main"],
    [["check", "--base", "--format", "json"], "--base needs a value, e.g. --base origin/main"],
    [["check", "--base=--upload-pack=evil"], '--base needs a git revision, not "--upload-pack=evil"'],
    [["check", "--base", "a", "--base", "b"], "--base is given more than once"],
    [["init", "--adopt=yes"], "--adopt takes no value"],
    [["check", "extra"], 'unexpected argument "extra" for "reqgate check"'],
    [["check", "--format", "xml"], '--format must be one of text, json, github, not "xml"'],
    [["report", "--format", "pdf"], '--format of a report must be one of md, json, csv, html, reqif, reqifz, not "pdf"'],
    [["report", "--github", "acme"], '--github must be OWNER/REPO, e.g. acme/widgets, not "acme" (a bare --github, last or before another option, names the origin remote\'s repository)'],
    [["report", "--github", "a/b", "--issues", "issues.json"], "give either --github OWNER/REPO or --issues FILE, not both"],
    [["trace"], "trace needs a requirement ID, e.g. reqgate trace REQ-001"],
    [["trace", "REQ-1", "REQ-2"], "trace takes one requirement ID, got 2: REQ-1 REQ-2"],
    [["trace", "req-1"], '"req-1" is not a requirement ID: IDs are PREFIX-NUMBER, e.g. REQ-001'],
    [["help", "nope"], 'unknown command "nope": use one of init, check, baseline, report, trace, diff, import, review'],
  ])("%j", (argv, message) => {
    const error = usageError(argv);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
  });

  it("names the missing issues file", () => {
    expect(usageError(["report", "--issues", "missing.json"]).message).toBe(`--issues: no file at ${join(repo, "missing.json")}`);
  });

  it("says where to read more", () => {
    expect(usageError(["check", "--bse", "x"]).format()).toBe('reqgate: unknown option --bse for "reqgate check" (did you mean --base?)\nRun "reqgate check --help" for usage.');
    expect(usageError(["chek"]).format()).toMatch(/\nRun "reqgate --help" for usage\.$/);
  });
});
