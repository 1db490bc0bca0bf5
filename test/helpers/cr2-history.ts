// The real git history the `diff` and `--github` CLI tests read: test/fixtures/repos/verified committed
// and tagged v1 (the first baseline), then CR-2 (REQ-1 modified, REQ-9 added, REQ-8 retired) baselined
// with the test's own way of running reqgate, committed and tagged v2.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** git in `repo`, with an identity and no signing; throws with git's stderr when it fails. */
export function gitIn(repo: string): (...args: string[]) => string {
  return (...args) => {
    const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
}

/**
 * Builds the history in `repo` (a folder that does not exist yet). `origin`: a remote added before the
 * first commit. `baseline` runs `reqgate baseline` on the CR-2 change; its result is returned as is.
 */
export async function cr2History<T>(repo: string, baseline: () => T | Promise<T>, options: { origin?: string } = {}): Promise<{ git: (...args: string[]) => string; baselined: T; v1: string; v2: string }> {
  const git = gitIn(repo);
  cpSync(resolve("test/fixtures/repos/verified"), repo, { recursive: true });
  git("init", "-q", "-b", "main");
  if (options.origin !== undefined) git("remote", "add", "origin", options.origin);
  git("add", "-A");
  git("commit", "-qm", "first baseline");
  git("tag", "v1");
  const login = join(repo, "requirements/login.yml");
  writeFileSync(login, readFileSync(login, "utf8").replace("after 5 failed logins", "after 3 failed logins") + "  - id: REQ-9\n    title: Notify on lockout\n    text: The system shall mail the owner when the account is locked.\n    parents: [SYS-1]\n");
  const audit = join(repo, "requirements/audit.yml");
  writeFileSync(audit, readFileSync(audit, "utf8").replace("    verification: inspection\n", "    verification: inspection\n    status: retired\n"));
  writeFileSync(join(repo, "requirements/changes/CR-2.yml"), "id: CR-2\ntitle: Lower the lockout threshold\nrationale: PT-19 showed that 5 attempts allow credential stuffing.\naffects: [REQ-1, REQ-8, REQ-9]\n");
  const baselined = await baseline();
  git("add", "-A");
  git("commit", "-qm", "CR-2");
  git("tag", "v2");
  return { git, baselined, v1: git("rev-parse", "v1"), v2: git("rev-parse", "v2") };
}
