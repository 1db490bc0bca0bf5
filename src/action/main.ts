// The GitHub Action edge (action.yml): for teams that host nothing. Two modes:
// - app: the App's own handlers, run once on the workflow's event with the workflow's token, posting
//   the same checks, labels and comments (a Probot instance authenticated with the token, fed the
//   event file; no server, no webhook secret).
// - check: the CLI's `check --base <base SHA>` on a pull request's checkout, with annotations.
// The exit status is non-zero only when the evaluation itself failed (a handler threw, the event file
// is unreadable); in check mode it is the CLI's (1 when the change has problems: the job is the gate).
import { readFileSync, statSync } from "node:fs";
import { Probot } from "probot";
import { main as cli } from "../cli/main.js";
import { ReqgateOctokit } from "../github/octokit.js";
import { reqgate } from "../index.js";

/** The bot and App of `GITHUB_TOKEN` on github.com: its comments and check runs are reqgate's here. */
export const ACTIONS_BOT = { login: "github-actions[bot]", appId: 15368 } as const;

/** Workflow events the App's handlers take, by the name Probot knows them by. */
const APP_EVENTS: Readonly<Record<string, string>> = {
  issues: "issues",
  issue_comment: "issue_comment",
  pull_request: "pull_request",
  // Fork pull requests get a read-only token on `pull_request`; `pull_request_target` runs the default
  // branch's workflow with a writing token, and reqgate never runs the pull request's code.
  pull_request_target: "pull_request",
  pull_request_review: "pull_request_review",
  push: "push",
  merge_group: "merge_group",
};

/** Event files larger than this are refused (GitHub caps webhook payloads at 25 MB). */
const MAX_EVENT_BYTES = 25 * 1024 * 1024;

export interface ActionIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

/** An input as the runner passes it: `INPUT_<NAME>` upper-cased, hyphens kept. */
function input(env: ActionIo["env"], name: string): string | undefined {
  const value = env[`INPUT_${name.toUpperCase()}`]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** A workflow command that shows as an error annotation; `%`, CR and LF escaped as the runner expects. */
function errorCommand(message: string): string {
  return `::error title=reqgate::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`;
}

function readEvent(path: string | undefined): { payload?: Record<string, unknown>; problem?: string } {
  if (!path) return { problem: "GITHUB_EVENT_PATH is not set: run reqgate's Action inside a GitHub Actions workflow." };
  try {
    if (statSync(path).size > MAX_EVENT_BYTES) return { problem: `${path}: the event file is larger than 25 MB.` };
    const payload = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return { problem: `${path}: the event file is not a JSON object.` };
    return { payload: payload as Record<string, unknown> };
  } catch (error) {
    return { problem: `${path}: cannot read the event file (${(error as Error).message}).` };
  }
}

export async function runAction(io: ActionIo): Promise<number> {
  const mode = input(io.env, "mode") ?? "app";
  if (mode !== "app" && mode !== "check") {
    io.stdout.write(errorCommand(`unknown mode "${mode}": use "app" (the default) or "check".`));
    return 2;
  }
  const eventName = io.env.GITHUB_EVENT_NAME ?? "";
  const event = readEvent(io.env.GITHUB_EVENT_PATH);
  if (event.problem !== undefined) {
    io.stdout.write(errorCommand(event.problem));
    return 2;
  }
  return mode === "check" ? checkMode(io, eventName, event.payload!) : appMode(io, eventName, event.payload!);
}

async function checkMode(io: ActionIo, eventName: string, payload: Record<string, unknown>): Promise<number> {
  const pull = payload.pull_request as { base?: { sha?: string } } | undefined;
  const group = payload.merge_group as { base_sha?: string } | undefined;
  const base = pull?.base?.sha ?? group?.base_sha;
  const workspace = io.env.GITHUB_WORKSPACE || io.cwd;
  if (base === undefined) {
    // Not a pull request: validate the checkout as it is.
    io.stdout.write(`reqgate: ${eventName || "this event"} is not a pull request; checking the checkout without --base.\n`);
  }
  const args = base === undefined ? ["check"] : ["check", "--base", base];
  return cli([...args, "--repo", workspace, "--format", "github"], { env: { ...io.env, GITHUB_ACTIONS: "true" }, stdout: io.stdout, stderr: io.stderr, cwd: workspace });
}

async function appMode(io: ActionIo, eventName: string, payload: Record<string, unknown>): Promise<number> {
  const name = APP_EVENTS[eventName];
  if (name === undefined) {
    io.stdout.write(`reqgate: nothing to do on "${eventName}" events (app mode handles ${Object.keys(APP_EVENTS).join(", ")}).\n`);
    return 0;
  }
  const token = input(io.env, "github-token") ?? io.env.GITHUB_TOKEN;
  if (token === undefined) {
    io.stdout.write(errorCommand("no token: pass `github-token` (the default is the workflow's GITHUB_TOKEN)."));
    return 2;
  }
  const repository = payload.repository as { id?: number } | undefined;
  // Waivers kept in reqgate's comments are signed; without a configured secret the signature is bound to
  // the repository, and only comments written by the workflow's bot are read as reqgate's.
  const stateSecret = input(io.env, "state-secret") ?? `reqgate-action:${repository?.id ?? "unknown"}`;
  const appId = Number(io.env.REQGATE_APP_ID ?? ACTIONS_BOT.appId);
  const probot = new Probot({
    githubToken: token,
    baseUrl: io.env.GITHUB_API_URL || "https://api.github.com",
    Octokit: ReqgateOctokit,
    logLevel: (io.env.LOG_LEVEL as "info" | undefined) ?? "info",
    logFormat: io.env.LOG_FORMAT === "json" ? "json" : "pretty",
  });
  await probot.load(reqgate({ stateSecret, botLogin: io.env.REQGATE_BOT_LOGIN || ACTIONS_BOT.login, appId: Number.isSafeInteger(appId) && appId > 0 ? appId : ACTIONS_BOT.appId }));
  const id = `actions-${io.env.GITHUB_RUN_ID ?? "local"}-${io.env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  try {
    await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
    return 0;
  } catch (error) {
    const errors = error instanceof AggregateError ? error.errors : [error];
    for (const e of errors) io.stdout.write(errorCommand(`evaluation failed: ${(e as Error)?.message ?? String(e)}`));
    return 1;
  }
}
