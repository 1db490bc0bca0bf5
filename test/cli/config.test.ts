// The CLI's configuration through the one loader: a local `_extends` is read from the working tree (and,
// for `check --base`, from the base revision), a remote one is exit 2 pointing at --config FILE, and
// --config FILE replaces .github/reqgate.yml (inside or outside the repository, only read). Never the
// defaults in the place of a configuration that cannot be read.
import { afterAll, describe, expect, it } from "@jest/globals";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import { commitAll, git } from "../helpers/git-repo.js";

const VALID = resolve("test/fixtures/repos/valid");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function reqgate(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { NO_COLOR: "1" }, cwd });
  return { status, stdout, stderr };
}

let copies = 0;
/** The `valid` fixture with its rules moved to policies/reqgate.yml, which .github/reqgate.yml extends. */
function extending(options: { git?: boolean } = {}): string {
  const dir = join(scratch, `repo-${++copies}`);
  cpSync(VALID, dir, { recursive: true });
  mkdirSync(join(dir, "policies"));
  writeFileSync(join(dir, "policies/reqgate.yml"), readFileSync(join(VALID, ".github/reqgate.yml")));
  writeFileSync(join(dir, ".github/reqgate.yml"), "# the organisation's rules\n_extends: ./policies/reqgate.yml\n");
  if (options.git) {
    commitAll(dir);
  } else {
    mkdirSync(join(dir, ".git"));
  }
  return dir;
}

describe("a local _extends", () => {
  it("is read from the working tree: the SYS prefix of the extended file applies", async () => {
    const run = await reqgate(["check"], extending());
    expect(run).toEqual({ status: 0, stdout: "no problems found\n5 requirements, 1 change records, lock current\n", stderr: "" });
  });

  it("is read at the base for check --base, not from the working tree", async () => {
    const dir = extending({ git: true });
    // The working tree loosens the extended rules; the base's still apply (as on a pull request).
    writeFileSync(join(dir, "policies/reqgate.yml"), "requirements:\n  prefixes: [SYS, REQ]\nchange_control:\n  rules: []\n");
    const text = readFileSync(join(dir, "requirements/REQ-001.yml"), "utf8");
    writeFileSync(join(dir, "requirements/REQ-001.yml"), text.replace("5 consecutive", "3 consecutive"));
    writeFileSync(join(dir, "requirements/changes/CR-0002.yml"), "id: CR-0002\ntitle: Lower\nrationale: PT-19 showed 5 attempts allow credential stuffing.\naffects: [REQ-001]\n");
    expect((await reqgate(["baseline"], dir)).status).toBe(0);
    const run = await reqgate(["check", "--base", "main", "--format", "json"], dir);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { check: unknown }).check).toMatchObject({ conclusion: "action_required", title: "Waiting for 1 approval from requirements board and 2 from safety board" });
  });

  it.each<[string, (dir: string) => void, string]>([
    ["a missing file", (dir) => rmSync(join(dir, "policies/reqgate.yml")), ".github/reqgate.yml:2:1: error: _extends: policies/reqgate.yml does not exist in the working tree\n"],
    ["a loop", (dir) => writeFileSync(join(dir, "policies/reqgate.yml"), "_extends: ./.github/reqgate.yml\n"), "policies/reqgate.yml:1:1: error: _extends: ./.github/reqgate.yml is already part of this chain (a loop) (remove one of the _extends)\n"],
    ["a path out of the repository", (dir) => writeFileSync(join(dir, ".github/reqgate.yml"), "_extends: ./../../etc/reqgate.yml\n"), '.github/reqgate.yml:1:1: error: _extends: "./../../etc/reqgate.yml" is not a YAML file of this repository: give ./path/to/file.yml, from the repository root, without . or .. parts\n'],
    ["a link out of the repository", (dir) => {
      writeFileSync(join(scratch, "outside.yml"), "requirements:\n  prefixes: [SYS, REQ]\n");
      rmSync(join(dir, "policies/reqgate.yml"));
      symlinkSync(join(scratch, "outside.yml"), join(dir, "policies/reqgate.yml"));
    }, `policies/reqgate.yml: error: this symbolic link leads to ${join(scratch, "outside.yml")}, outside the repository: it is not read (replace the link by the file itself, or remove it)\n`],
    ["a YAML error in the extended file", (dir) => writeFileSync(join(dir, "policies/reqgate.yml"), "requirements:\n  prefixes: [SYS\n"), "policies/reqgate.yml:3:1: error: invalid YAML: unexpected end of the stream within a flow collection\n"],
  ])("with %s is exit 2 naming the file", async (_name, damage, expected) => {
    const dir = extending();
    damage(dir);
    const run = await reqgate(["check"], dir);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe(`${expected}\n1 error in 1 file\n`);
  });
});

describe("--config FILE", () => {
  it("is used instead of .github/reqgate.yml, from outside the repository too, and never written", async () => {
    const dir = extending();
    // The repository's own file names another repository: the CLI cannot read it...
    writeFileSync(join(dir, ".github/reqgate.yml"), "_extends: policies\n");
    const refused = await reqgate(["check"], dir);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toContain('.github/reqgate.yml:1:1: error: _extends: "policies" names another repository, and the command line reads only this one (pass the configuration to use with --config FILE, or extend a file of this repository: _extends: ./path/to/file.yml)');
    // ...so the merged settings are passed as a file.
    const file = join(scratch, `merged-${copies}.yml`);
    const text = readFileSync(join(VALID, ".github/reqgate.yml"), "utf8");
    writeFileSync(file, text);
    const run = await reqgate(["check", "--config", file], dir);
    expect(run).toEqual({ status: 0, stdout: "no problems found\n5 requirements, 1 change records, lock current\n", stderr: "" });
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("resolves its own local _extends in the repository, and names itself in diagnostics", async () => {
    const dir = extending();
    writeFileSync(join(dir, "ci.yml"), "_extends: ./policies/reqgate.yml\nissues:\n  mode: loud\n");
    const run = await reqgate(["check", "--config", "ci.yml"], dir);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('ci.yml:3:3: error: issues.mode: must be one of "off", "label", "comment-and-label"\n\n1 error in 1 file\n');
  });

  it("applies to the base of check --base too", async () => {
    const dir = extending({ git: true });
    git(dir, "checkout", "-qb", "change");
    writeFileSync(join(scratch, "open.yml"), "requirements:\n  prefixes: [SYS, REQ]\nchange_control:\n  rules: []\n");
    const run = await reqgate(["check", "--base", "main", "--config", join(scratch, "open.yml")], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("reqgate/baseline against main: No baseline change");
  });

  it.each([["check"], ["baseline"], ["report"], ["trace", "REQ-001"], ["diff", "HEAD", "HEAD"]])("%s: a FILE that does not exist is a usage error", async (...command) => {
    const dir = extending();
    const run = await reqgate([...command, "--config", "nowhere.yml"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`reqgate: --config: no file at ${join(dir, "nowhere.yml")}\nRun "reqgate ${command[0]} --help" for usage.\n`);
  });

  it("is not an option of init", async () => {
    const run = await reqgate(["init", "--config", "x.yml"], extending());
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('reqgate: --config is not an option of "reqgate init" (it belongs to "reqgate check")\nRun "reqgate init --help" for usage.\n');
  });

  it("with a FILE that is a directory is exit 2, not the defaults", async () => {
    const dir = extending();
    const run = await reqgate(["check", "--config", "policies"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`reqgate: --config: no file at ${join(dir, "policies")}\nRun "reqgate check --help" for usage.\n`);
  });
});
