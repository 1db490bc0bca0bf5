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
