// The real `reqgate` binary stays inside the repository: configured paths and links that lead out are
// exit 2 naming the key or the link, and nothing is read or written outside; special and huge files are
// refused before reading; an empty folder is not "no problems found".
import { afterAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve("bin/reqgate.js");
const FIXTURES = resolve("test/fixtures/repos");
const scratch = realpathSync(mkdtempSync(join(tmpdir(), "reqgate-paths-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function reqgate(args: string[], cwd = scratch): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let copies = 0;
/** A copy of the valid fixture, and an empty folder next to it standing for "outside". */
function setup(): { repo: string; outside: string } {
  const base = join(scratch, `case-${++copies}`);
  const repo = join(base, "repo");
  const outside = join(base, "outside");
  cpSync(join(FIXTURES, "valid"), repo, { recursive: true });
  mkdirSync(outside);
  return { repo, outside };
}


describe("configured paths that lead outside", () => {
  it("lock: ../outside/x.lock is exit 2 naming the key, and baseline writes nothing outside", () => {
    const { repo, outside } = setup();
    const config = join(repo, ".github/reqgate.yml");
    writeFileSync(config, readFileSync(config, "utf8").replace("requirements:\n", "requirements:\n  lock: ../outside/x.lock\n"));
    for (const command of ["check", "baseline"]) {
      const run = reqgate([command, "--repo", repo]);
      expect(run.status).toBe(2);
      expect(run.stdout).toContain('.github/reqgate.yml:2:3: error: requirements.lock: "../outside/x.lock" climbs out with `..`: it leads outside the repository (give a path relative to the repository root, without `..`)');
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it.each([
    ["requirements.paths[0]", "  paths: [/etc/**/*.yml]\n", '"/etc/**/*.yml" is an absolute path'],
    ["verification.paths[0]", "verification:\n  paths: ['../**/*.js']\n", '"../**/*.js" climbs out with `..`'],
    ["requirements.changes", "  changes: ../outside\n", '"../outside" climbs out with `..`'],
  ])("%s leading out is exit 2 naming the key", (key, yaml, why) => {
    const { repo } = setup();
    const config = join(repo, ".github/reqgate.yml");
    const text = yaml.startsWith("  ") ? readFileSync(config, "utf8").replace("requirements:\n", `requirements:\n${yaml}`) : `${readFileSync(config, "utf8")}${yaml}`;
    writeFileSync(config, text);
    const run = reqgate(["check", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`error: ${key}: ${why}: it leads outside the repository`);
  });

  it("a symlinked lock is exit 2 naming the link, for check and baseline, and the target is untouched", () => {
    const { repo, outside } = setup();
    writeFileSync(join(outside, "x.lock"), "not mine\n");
    rmSync(join(repo, "requirements/baseline.lock"));
    symlinkSync(join(outside, "x.lock"), join(repo, "requirements/baseline.lock"));
    for (const command of ["check", "baseline"]) {
      const run = reqgate([command, "--repo", repo]);
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`requirements/baseline.lock: error: requirements.lock leads through this symbolic link to ${outside}/x.lock, outside the repository`);
    }
    expect(readFileSync(join(outside, "x.lock"), "utf8")).toBe("not mine\n");
  });

  it("a dangling lock link pointing outside is refused too (a write would create its target)", () => {
    const { repo, outside } = setup();
    rmSync(join(repo, "requirements/baseline.lock"));
    symlinkSync(join(outside, "new.lock"), join(repo, "requirements/baseline.lock"));
    const run = reqgate(["baseline", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("requirements/baseline.lock: error: requirements.lock leads through this symbolic link");
    expect(existsSync(join(outside, "new.lock"))).toBe(false);
  });

  it("a symlinked changes folder is exit 2 for check and init --adopt, and nothing is written into it", () => {
    const { repo, outside } = setup();
    cpSync(join(repo, "requirements/changes"), join(outside, "changes"), { recursive: true });
    rmSync(join(repo, "requirements/changes"), { recursive: true });
    rmSync(join(repo, "requirements/baseline.lock"));
    symlinkSync(join(outside, "changes"), join(repo, "requirements/changes"));
    for (const args of [["check"], ["init", "--adopt"]]) {
      const run = reqgate([...args, "--repo", repo]);
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`requirements/changes: error: requirements.changes leads through this symbolic link to ${outside}/changes, outside the repository`);
    }
    expect(readdirSync(join(outside, "changes"))).toEqual(["CR-0001.yml"]);
  });

  it("a requirement file linked from outside is exit 2 naming the link", () => {
    const { repo, outside } = setup();
    writeFileSync(join(outside, "secret.yml"), "id: REQ-900\ntitle: x\ntext: y\n");
    symlinkSync(join(outside, "secret.yml"), join(repo, "requirements/REQ-900.yml"));
    const run = reqgate(["check", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`requirements/REQ-900.yml: error: this symbolic link leads to ${outside}/secret.yml, outside the repository: it is not read`);
  });
});

describe("special and huge files", () => {
  it("a configuration linked to /dev/zero is exit 2 at once, never the defaults", () => {
    const { repo } = setup();
    rmSync(join(repo, ".github/reqgate.yml"));
    symlinkSync("/dev/zero", join(repo, ".github/reqgate.yml"));
    const run = reqgate(["check", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(".github/reqgate.yml: error: this symbolic link leads to /dev/zero, outside the repository: it is not read");
  });

  it("a configuration that is a FIFO is exit 2, without waiting for a writer", () => {
    const { repo } = setup();
    rmSync(join(repo, ".github/reqgate.yml"));
    execFileSync("mkfifo", [join(repo, ".github/reqgate.yml")]);
    const run = reqgate(["check", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(".github/reqgate.yml: error: a named pipe (FIFO), not a regular file: it is not read");
  });

  it("a 2 GB sparse configuration is refused by its size", () => {
    const { repo } = setup();
    execFileSync("truncate", ["-s", "2G", join(repo, ".github/reqgate.yml")]);
    const run = reqgate(["check", "--repo", repo]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(".github/reqgate.yml: error: the file is 2048.0 MiB, over the 256 KiB limit");
  });

  it("a 2 GB sparse requirement file and a FIFO lock are findings, and the other files are read whole", () => {
    const { repo } = setup();
    execFileSync("truncate", ["-s", "2G", join(repo, "requirements/AAA.yml")]);
    rmSync(join(repo, "requirements/baseline.lock"));
    execFileSync("mkfifo", [join(repo, "requirements/baseline.lock")]);
    const run = reqgate(["check", "--repo", repo, "--format", "json"]);
    expect(run.status).toBe(1);
    const found = (JSON.parse(run.stdout) as { diagnostics: Array<{ file: string; code: string }>; requirements: number }) ;
    expect(found.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["requirements/AAA.yml", "file-too-large"],
      ["requirements/baseline.lock", "not-a-file"],
    ]);
    expect(found.requirements).toBe(5);
  });
});

describe("folders without requirements", () => {
  it("an empty folder is exit 2, not \"no problems found\"", () => {
    const dir = join(scratch, "empty");
    mkdirSync(dir);
    const run = reqgate(["check", "--repo", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(".github/reqgate.yml: error: no requirements here: no configuration and no requirement files (requirements/**/*.yml, requirements/**/*.yaml) (run `reqgate init` to start");
    expect(run.stdout).not.toContain("no problems found");
  });

  it("baseline without a requirements/ folder is exit 2 with a message, not a stack trace", () => {
    const dir = join(scratch, "config-only");
    mkdirSync(join(dir, ".github"), { recursive: true });
    writeFileSync(join(dir, ".github/reqgate.yml"), "issues:\n  mode: \"off\"\n");
    const run = reqgate(["baseline", "--repo", dir]);
    expect(run).toEqual({
      status: 2,
      stdout: "requirements/baseline.lock: error: the folder of requirements.lock (requirements) does not exist (run `reqgate init`, or create the folder, or set requirements.lock in .github/reqgate.yml)\n\n1 error in 1 file\n",
      stderr: "",
    });
  });
});

describe("--output never replaces a file the configuration names (exit 2, the file untouched)", () => {
  const usage = (command: string) => `Run "reqgate ${command} --help" for usage.\n`;
  it.each([
    ["requirements/REQ-001.yml", "a requirement file (requirements.paths)"],
    ["requirements/changes/CR-0001.yml", "in the change-record folder (requirements.changes)"],
    ["requirements/baseline.lock", "the baseline lock (requirements.lock)"],
    [".github/reqgate.yml", "the configuration file (.github/reqgate.yml)"],
    ["tests/login.test.js", "a verification file (verification.paths)"],
    ["requirements/new.yml", "a requirement file (requirements.paths)"],
  ])("report --output %s", (file, role) => {
    const { repo } = setup();
    const before = existsSync(join(repo, file)) ? readFileSync(join(repo, file), "utf8") : undefined;
    const run = reqgate(["report", "--repo", repo, "--output", join(repo, file)]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `reqgate: --output: ${file} is ${role} of this repository: writing the report there would replace it. Name another file, e.g. --output reqgate-report.md, or a path outside the repository\n${usage("report")}` });
    expect(existsSync(join(repo, file)) ? readFileSync(join(repo, file), "utf8") : undefined).toBe(before);
  });

  it("a relative path is read from the working directory, and a test-result glob counts", () => {
    const { repo } = setup();
    const config = join(repo, ".github/reqgate.yml");
    writeFileSync(config, `${readFileSync(config, "utf8")}verification:\n  results: ["reports/junit-*.xml"]\n`);
    mkdirSync(join(repo, "reports"));
    const run = reqgate(["report", "--format", "html", "--output", "reports/junit-jest.xml"], repo);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `reqgate: --output: reports/junit-jest.xml is a test-result file (verification.results) of this repository: writing the report there would replace it. Name another file, e.g. --output reqgate-report.html, or a path outside the repository\n${usage("report")}` });
    expect(readdirSync(join(repo, "reports"))).toEqual([]);
  });

  it("links are resolved first: a link to a requirement, a folder link into requirements/", () => {
    const { repo, outside } = setup();
    const before = readFileSync(join(repo, "requirements/REQ-002.yml"), "utf8");
    symlinkSync(join(repo, "requirements/REQ-002.yml"), join(outside, "report.md"));
    const viaFile = reqgate(["report", "--repo", repo, "--output", join(outside, "report.md")]);
    expect(viaFile.status).toBe(2);
    expect(viaFile.stderr).toBe(`reqgate: --output: requirements/REQ-002.yml is a requirement file (requirements.paths) of this repository (${outside}/report.md leads to it): writing the report there would replace it. Name another file, e.g. --output reqgate-report.md, or a path outside the repository\n${usage("report")}`);
    symlinkSync(join(repo, "requirements"), join(outside, "reqs"));
    const viaFolder = reqgate(["report", "--repo", repo, "--format", "json", "--output", join(outside, "reqs/REQ-002.yml")]);
    expect(viaFolder.status).toBe(2);
    expect(viaFolder.stderr).toContain(`reqgate: --output: requirements/REQ-002.yml is a requirement file (requirements.paths) of this repository (${outside}/reqs/REQ-002.yml leads to it)`);
    expect(readFileSync(join(repo, "requirements/REQ-002.yml"), "utf8")).toBe(before);
  });

  it("--config FILE outside the repository is protected too", () => {
    const { repo, outside } = setup();
    const config = join(outside, "rules.yml");
    cpSync(join(repo, ".github/reqgate.yml"), config);
    const run = reqgate(["report", "--repo", repo, "--config", config, "--output", config]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`reqgate: --output: ${config} is the configuration file (--config) of this repository: writing the report there would replace it. Name another file, e.g. --output reqgate-report.md, or a path outside the repository\n${usage("report")}`);
    expect(readFileSync(config, "utf8")).toBe(readFileSync(join(repo, ".github/reqgate.yml"), "utf8"));
  });

  it("diff --output is refused the same way, before any git read", () => {
    const { repo } = setup();
    const run = reqgate(["diff", "HEAD~1", "HEAD", "--repo", repo, "--format", "json", "--output", join(repo, "requirements/baseline.lock")]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `reqgate: --output: requirements/baseline.lock is the baseline lock (requirements.lock) of this repository: writing the diff there would replace it. Name another file, e.g. --output reqgate-diff.json, or a path outside the repository\n${usage("diff")}` });
  });

  it("a file of the repository that the configuration does not name may be written", () => {
    const { repo } = setup();
    const run = reqgate(["report", "--output", "traceability.md"], repo);
    expect([run.status, run.stderr]).toEqual([0, `wrote ${join(repo, "traceability.md")}\n`]);
    expect(readFileSync(join(repo, "traceability.md"), "utf8")).toContain("# Traceability report");
  });
});

describe("--output FILE (the user's explicit choice: anywhere they can write)", () => {
  it("report writes a file outside the repository when told to", () => {
    const { repo, outside } = setup();
    const file = join(outside, "report.md");
    const run = reqgate(["report", "--repo", repo, "-o", file]);
    expect([run.status, run.stderr]).toEqual([0, `wrote ${file}\n`]);
    expect(readFileSync(file, "utf8")).toContain("# Traceability report");
  });

  it.each([
    ["a missing folder", (outside: string) => join(outside, "no/such/report.md"), (outside: string) => `reqgate: --output: cannot write ${outside}/no/such/report.md: the folder ${outside}/no/such does not exist (create it first, or name a file in a folder that exists)\n`],
    ["a folder", (outside: string) => outside, (outside: string) => `reqgate: --output: ${outside} is a folder; name a file in it, e.g. --output ${outside}/report.html\n`],
  ])("%s is exit 2 with the reason before anything is built, not a stack trace", (_what, path, message) => {
    const { repo, outside } = setup();
    const run = reqgate(["report", "--repo", repo, "-o", path(outside)]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${message(outside)}Run "reqgate report --help" for usage.\n`);
    expect(run.stdout).toBe("");
  });
});
