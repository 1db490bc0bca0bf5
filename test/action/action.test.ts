// The Action as a runner runs it: `node action/index.mjs` (the committed bundle) in its own process,
// with the event file, the event name, the token and the API URL a workflow provides, against the
// loopback GitHub stand-in that checks every request against GitHub's description.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { issuesOpened, startStandIn, type StandIn } from "../e2e/github-stand-in.js";
import { fixtureRepo, git } from "../helpers/git-repo.js";

const ENTRY = resolve("action/index.mjs");
const scratch = mkdtempSync(join(tmpdir(), "reqgate-action-"));
let github: StandIn;

beforeAll(async () => {
  github = await startStandIn({ botLogin: "github-actions" });
});
afterAll(async () => {
  await github?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundle as the runner would; async, so the stand-in answers from this process meanwhile. */
async function runAction(event: string, payload: unknown, env: Record<string, string> = {}, cwd = scratch): Promise<Run> {
  const path = join(scratch, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof payload === "string" ? payload : JSON.stringify(payload));
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: path, GITHUB_TOKEN: "ghs_workflow", GITHUB_API_URL: `${github.origin}/api/v3`, GITHUB_RUN_ID: "77", LOG_FORMAT: "json", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const status = await new Promise<number | null>((done) => child.on("close", done));
  return { status, stdout, stderr };
}

function opened(): Record<string, unknown> {
  return issuesOpened(readFileSync("test/fixtures/webhooks/issues.opened.json", "utf8"));
}

describe("app mode: the App's handlers on the workflow's event, with GITHUB_TOKEN", () => {
  it("flags an unlinked issue with one label and one comment, authenticated with the workflow's token", async () => {
    const run = await runAction("issues", opened());
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const calls = github.seen.map((r) => `${r.method} ${r.url.replace(/\?.*$/, "")}`);
    expect(calls).toEqual([
      "POST /api/graphql",
      "GET /api/v3/repos/acme/widgets/contents/requirements%2Fbaseline.lock",
      "POST /api/v3/repos/acme/widgets/issues/7/comments",
      "POST /api/v3/repos/acme/widgets/labels",
      "POST /api/v3/repos/acme/widgets/issues/7/labels",
    ]);
    // No App JWT, no installation token: the workflow's token on every request.
    expect(new Set(github.seen.map((r) => r.authorization))).toEqual(new Set(["token ghs_workflow"]));
    expect([...github.labels]).toEqual(["needs-requirement"]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain("<!-- reqgate:issue -->");
    expect(github.comments[0]!.body).toContain("`REQ-001`");
    expect(github.problems()).toEqual([]);
  });

  it("a second run on the same event finds its comment (written by github-actions[bot]) and writes nothing", async () => {
    const before = github.seen.length;
    const run = await runAction("issues", opened());
    expect(run.status).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.seen.slice(before).map((r) => `${r.method} ${r.url.replace(/\?.*$/, "")}`)).toEqual(["POST /api/graphql", "GET /api/v3/repos/acme/widgets/contents/requirements%2Fbaseline.lock"]);
  });

  it("exits 1 with an error annotation when the evaluation fails (GitHub refuses the token)", async () => {
    const before = github.seen.length;
    const run = await runAction("issues", opened(), { GITHUB_TOKEN: "ghs_revoked" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("::error title=reqgate::evaluation failed: Bad credentials");
    expect(github.seen.slice(before).filter((r) => r.method !== "GET" && r.url !== "/api/graphql")).toEqual([]);
  });

  it("does nothing, successfully, on an event it has no handler for", async () => {
    const before = github.seen.length;
    const run = await runAction("workflow_dispatch", { inputs: {} });
    expect(run).toEqual({ status: 0, stdout: expect.stringContaining('reqgate: nothing to do on "workflow_dispatch" events'), stderr: "" });
    expect(github.seen.length).toBe(before);
  });

  it("refuses an unreadable event file and an unknown mode, saying what to fix", async () => {
    const broken = await runAction("issues", "{ not json");
    expect(broken.status).toBe(2);
    expect(broken.stdout).toMatch(/::error title=reqgate::.*event-[a-z0-9]+\.json: cannot read the event file \(/);
    const mode = await runAction("issues", opened(), { INPUT_MODE: "gate" });
    expect(mode.status).toBe(2);
    expect(mode.stdout).toContain('::error title=reqgate::unknown mode "gate": use "app" (the default) or "check".');
  });
});

describe("check mode: the CLI's check --base on the pull request's checkout", () => {
  it("annotates a requirement changed without a change record and fails the job", async () => {
    const repo = fixtureRepo("valid", join(scratch, "checkout"));
    const base = git(repo, "rev-parse", "HEAD");
    const file = join(repo, "requirements/REQ-001.yml");
    writeFileSync(file, readFileSync(file, "utf8").replace("5 consecutive", "3 consecutive"));
    git(repo, "commit", "-qam", "change REQ-001");

    const payload = { action: "synchronize", number: 3, pull_request: { number: 3, base: { sha: base, ref: "main" }, head: { sha: git(repo, "rev-parse", "HEAD") } } };
    const run = await runAction("pull_request", payload, { INPUT_MODE: "check", GITHUB_WORKSPACE: repo });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("::error file=requirements/REQ-001.yml,line=1,col=1");
    expect(run.stdout).toContain("REQ-001 is modified, but no unapplied change record lists it in `affects`");
  });

  it("passes an unchanged checkout", async () => {
    const repo = join(scratch, "checkout");
    git(repo, "reset", "-q", "--hard", "HEAD~1");
    const base = git(repo, "rev-parse", "HEAD");
    const run = await runAction("pull_request", { action: "opened", pull_request: { number: 4, base: { sha: base } } }, { INPUT_MODE: "check", GITHUB_WORKSPACE: repo });
    expect(run.stdout).not.toContain("::error");
    expect(run.status).toBe(0);
  });
});
