// Real git repositories for the tests: git run with a fixed identity and no signing (the machine's own
// configuration must not decide whether a commit works), and the fixture repositories built from
// test/fixtures/repos.
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";

const FIXTURES = resolve("test/fixtures/repos");

/** git's output as it wrote it (a file from `git show` keeps its last newline); a failure throws with git's stderr. */
export function gitOutput(cwd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** git in `cwd` as the user t <t@example.com>; its output trimmed (a revision, a list of names). */
export function git(cwd: string, ...args: string[]): string {
  return gitOutput(cwd, args).trim();
}

/** Makes `dir` a git repository: `main` with one commit of everything in it. */
export function commitAll(dir: string, message = "baseline"): void {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", message);
}

/** A copy of the fixture test/fixtures/repos/<fixture> at `dir`, committed on `main`; with `branch`, that branch checked out. */
export function fixtureRepo(fixture: string, dir: string, options: { message?: string; branch?: string } = {}): string {
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  commitAll(dir, options.message);
  if (options.branch) git(dir, "checkout", "-qb", options.branch);
  return dir;
}
