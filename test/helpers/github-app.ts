// Probot + strict nock for the App's tests: every request must be mocked, every mock must be used.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, expect } from "@jest/globals";
import Bottleneck from "bottleneck";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { renderLock, type LockEntry } from "../../src/domain/baseline/baseline.js";
import { reqgate, type ServiceOptions } from "../../src/index.js";
import { reqgateOctokit } from "../../src/github/octokit.js";
import { githubContract, takeContractViolations } from "../support/github-contract.js";

export const API = "https://api.github.com";
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const REPO_ID = 186853002;
export const BOT = "reqgate[bot]";
/** This App's ID: its check runs are found by it. */
export const APP_ID = 31337;
export const SECRET = "test-state-secret";
export const LOCK_PATH = `/repos/${OWNER}/${REPO}/contents/requirements%2Fbaseline.lock`;

type Payload = Record<string, unknown>;

export function fixture(name: string): Payload {
  return JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), "utf8")) as Payload;
}

/**
 * A Probot with the App loaded. Retry and throttling are off unless `reliable` (the reliability tests):
 * then reqgate's own handlers decide, and a wait of N seconds (a `retry-after`, the retry plugin's
 * back-off) lasts N milliseconds (both plugins' `retryAfterBaseValue`), and writes are still one at a
 * time but without the plugin's 1 s and 3 s spacing: no test sleeps for real.
 */
export async function makeProbot(options: { reliable?: boolean; botLogin?: string | null; stateSecret?: string; dashboard?: ServiceOptions["dashboard"]; queue?: ServiceOptions["queue"] } = {}): Promise<Probot> {
  const Base = options.reliable
    ? reqgateOctokit((o) => ({
        ...o,
        retry: { ...(o.retry as object), retryAfterBaseValue: 1 },
        throttle: { ...o.throttle, retryAfterBaseValue: 1, write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }), notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }) },
      }))
    : ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  // Every request is checked against GitHub's REST description and GraphQL schema (see assertNockDone).
  const Octokit = Base.plugin(githubContract as never);
  const probot = new Probot({ githubToken: "test", Octokit, logLevel: (process.env.TEST_LOG as "fatal") ?? "fatal" });
  const botLogin = options.botLogin === null ? {} : { botLogin: options.botLogin ?? BOT };
  await probot.load(reqgate({ stateSecret: options.stateSecret ?? SECRET, appId: APP_ID, ...botLogin, ...(options.dashboard ? { dashboard: options.dashboard } : {}), ...(options.queue ? { queue: options.queue } : {}) }, () => NOW));
  return probot;
}

/** The clock of the App in tests (the time of an "Approve" press). */
export const NOW = "2026-01-02T03:04:05.000Z";

export type EventName = "issues" | "issue_comment" | "pull_request" | "pull_request_review" | "check_run" | "check_suite" | "merge_group" | "push";

export async function deliver(probot: Probot, name: EventName, payload: Payload, id = "delivery-1"): Promise<void> {
  await probot.receive({ id, name, payload } as Parameters<Probot["receive"]>[0]);
}

/**
 * The lifecycle of a handler test file: before each test, strict nock and a fresh Probot with the App;
 * after it, no pending mocks and no request GitHub would refuse. Use `app.probot` inside tests.
 */
export function useStrictProbot(): { readonly probot: Probot } {
  const app = {} as { probot: Probot };
  beforeEach(async () => {
    strictNock();
    app.probot = await makeProbot();
  });
  afterEach(assertNockDone);
  return app;
}

export function strictNock(): void {
  nock.disableNetConnect();
}

/**
 * Inside a test whose proof is the strict nock: every mocked request was made (an unmocked one fails the
 * delivery, net connect being off), and each was one GitHub's API description allows.
 */
export function expectOnlyMockedRequests(): void {
  expect(nock.pendingMocks()).toEqual([]);
  expect(takeContractViolations()).toEqual([]);
}

export function assertNockDone(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(takeContractViolations()).toEqual([]);
}

export interface CommentNode {
  id: number;
  body: string;
  login: string;
  bot: boolean;
}

export interface IssueState {
  title?: string;
  body?: string;
  labels?: string[];
  state?: "OPEN" | "CLOSED";
  author?: string;
  comments?: CommentNode[];
  /** undefined: no file. */
  repoConfig?: string;
  ownerConfig?: string;
  /** The owner has no readable `.github` repository (GraphQL NOT_FOUND). */
  noOwnerRepo?: boolean;
}

/** The GraphQL answer for the issue query. */
export function issueData(state: IssueState): Record<string, unknown> {
  const blob = (text: string | undefined) => (text === undefined ? null : { text, isTruncated: false });
  return {
    repository: {
      config: blob(state.repoConfig),
      issue: {
        title: state.title ?? "Spelling error in the README file",
        body: state.body ?? "",
        state: state.state ?? "OPEN",
        author: { __typename: "User", login: state.author ?? "Codertocat" },
        labels: { nodes: (state.labels ?? []).map((name) => ({ name })) },
        comments: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: (state.comments ?? []).map((c) => ({
            fullDatabaseId: String(c.id),
            body: c.body,
            author: { __typename: c.bot ? "Bot" : "User", login: c.bot ? c.login.replace(/\[bot\]$/, "") : c.login },
          })),
        },
      },
    },
    ownerDefaults: state.noOwnerRepo ? null : { config: blob(state.ownerConfig) },
  };
}

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}

/** Mocks one issue query; `seen` receives the request body. */
export function mockIssueQuery(state: IssueState, seen?: GraphqlBody[]): nock.Scope {
  return nock(API)
    .post("/graphql", (body: GraphqlBody) => body.query.includes("query reqgateIssue"))
    .reply(200, (_uri, body) => {
      seen?.push(body as GraphqlBody);
      const data = issueData(state);
      if (state.noOwnerRepo) {
        return { data, errors: [{ type: "NOT_FOUND", path: ["ownerDefaults"], message: "Could not resolve to a Repository with the name 'Codertocat/.github'." }] };
      }
      return { data };
    });
}

export const FP = `sha256:${"a".repeat(64)}`;

export function lockEntry(id: string, title: string, over: Partial<LockEntry> = {}): LockEntry {
  return { id, title, status: "active", path: `requirements/${id}.yml`, fingerprint: FP, change: "CR-0001", ...over };
}

export const ENTRIES: LockEntry[] = [
  lockEntry("REQ-001", "Lock account after repeated failed logins"),
  lockEntry("REQ-002", "Export the audit log as CSV"),
  lockEntry("REQ-003", "Fix spelling errors in the README file"),
  lockEntry("REQ-007", "Old login page", { status: "retired", supersededBy: "REQ-001" }),
];

export function lockText(entries: LockEntry[] = ENTRIES): string {
  return renderLock({ applied: ["CR-0001"], entries });
}

/** Mocks the lock read: 200 with an ETag, or 304 when `etag` is sent back. */
export function mockLock(options: { text?: string; etag?: string; notModified?: boolean } = {}): nock.Scope {
  const etag = options.etag ?? '"lock-v1"';
  if (options.notModified) return nock(API).get(LOCK_PATH).matchHeader("if-none-match", etag).reply(304, "", { etag });
  return nock(API).get(LOCK_PATH).reply(200, options.text ?? lockText(), { etag, "content-type": "text/plain; charset=utf-8" });
}

/** A nock body matcher that records the JSON bodies it sees (and matches all of them). */
export function recorder<T = Record<string, unknown>>(): { bodies: T[]; match: (body: T) => boolean } {
  const bodies: T[] = [];
  return {
    bodies,
    match: (body: T) => {
      bodies.push(body);
      return true;
    },
  };
}
