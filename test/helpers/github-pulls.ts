// Strict nock for the pull-request side: a repository state in, the exact requests an evaluation makes
// mocked (each once), the check-run writes recorded. Every request still goes through the contract
// check of github-app.ts's makeProbot.
import { createHash } from "node:crypto";
import nock from "nock";
import type { Probot } from "probot";
import { computeBaseline, EMPTY_LOCK, parseLock, renderLock } from "../../src/domain/baseline/baseline.js";
import { DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import { evaluateChange } from "../../src/domain/baseline/evaluate-change.js";
import { parseChangeRecordFile, parseRequirementFile } from "../../src/domain/requirements/parse-requirements.js";
import { FORCE_PUSHES, MAX_PAGES } from "../../src/github/pull-query.js";
import { API, APP_ID, BOT, deliver, fixture, OWNER, REPO, REPO_ID } from "./github-app.js";

export const PR = 2;
export const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const PULL_PATH = `/repos/${OWNER}/${REPO}/pulls/${PR}`;
export const PR_URL = `https://github.com/${OWNER}/${REPO}/pull/${PR}`;
export const LOCK = "requirements/baseline.lock";

/** A blob's SHA as git computes it. */
export function blobSha(text: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
}

// ---------------------------------------------------------------------------------------------------
// Repository content

const OPTS = { prefixes: new Set(["REQ"]), maxBytes: 1 << 20 };

/** The lock `reqgate baseline` writes for these files from nothing. */
export function lockFor(requirements: Record<string, string>, records: Record<string, string>, prior = EMPTY_LOCK): string {
  const reqs = Object.entries(requirements).flatMap(([path, text]) => parseRequirementFile(path, text, OPTS).requirements);
  const recs = Object.entries(records).map(([path, text]) => parseChangeRecordFile(path, text, { ...OPTS, changePrefix: "CR" }).record!);
  return renderLock(computeBaseline(prior, reqs, recs).lock!);
}

export const REQ1 = "id: REQ-001\ntitle: Lock account after repeated failed logins\ntext: The system shall lock an account after 5 failed logins.\n";
export const REQ2 = "id: REQ-002\ntitle: Export the audit log as CSV\ntext: The system shall export the audit log as CSV.\n";
export const CR1 = "id: CR-0001\ntitle: Initial baseline\nrationale: First release.\naffects: [REQ-001, REQ-002]\n";
export const CR2 = "id: CR-0002\ntitle: Lower the lockout threshold\nrationale: Penetration test PT-19.\naffects: [REQ-001]\n";
/** The lock on the default branch (and the base): REQ-001 and REQ-002 by CR-0001. */
export const BASE_LOCK = lockFor({ "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2 }, { "requirements/changes/CR-0001.yml": CR1 });

/** REQ-001 with a new text (changing its meaning), credited to CR-0002, and the lock `reqgate baseline` writes for it. */
export function requirementChange(text = "The system shall lock an account after 3 failed logins.") {
  const head = REQ1.replace(/text: .*/, `text: ${text}`);
  // `reqgate baseline` on top of the base lock: CR-0001 is applied already, CR-0002 moves REQ-001.
  const headLock = lockFor({ "requirements/REQ-001.yml": head, "requirements/REQ-002.yml": REQ2 }, { "requirements/changes/CR-0002.yml": CR2 }, parseLock(LOCK, BASE_LOCK).lock);
  return { head, headLock };
}

export const BOARD = "change_control:\n  rules:\n    - name: requirements board\n      match: ['requirements/**']\n      approvers: { permission: maintain }\n";

/** A pull request that changes REQ-001's meaning, with its change record and the lock `reqgate baseline` writes. */
export function changingState(over: Partial<PullState> = {}): PullState {
  const change = requirementChange();
  return {
    config: BOARD,
    files: [
      { filename: "requirements/REQ-001.yml", status: "modified", text: change.head },
      { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2 },
      { filename: LOCK, status: "modified", text: change.headLock },
    ],
    base: { "requirements/REQ-001.yml": REQ1 },
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------------
// The state GitHub holds

export interface RunState {
  id: number;
  name: string;
  status?: string;
  conclusion?: string;
  title?: string;
  summary?: string;
  text?: string;
  externalId?: string;
  detailsUrl?: string;
  annotations?: number;
}

export interface IssueState {
  number: number;
  title?: string;
  body?: string;
  labels?: string[];
  state?: "OPEN" | "CLOSED";
  comments?: Array<{ id: number; body: string; bot: boolean; login: string }>;
}

export interface PullState {
  /** Which pull request (default #2, `PR`). */
  number?: number;
  title?: string;
  body?: string;
  author?: string;
  labels?: string[];
  draft?: boolean;
  headSha?: string;
  baseSha?: string;
  changedFiles?: number;
  /** `.github/reqgate.yml` on the default branch; undefined: none. */
  config?: string;
  /** `subject`: what reqgate recorded for the reviewed commit (for PR #2); `runExternalId`: the raw external_id instead. */
  reviews?: Array<{ id: number; by: string; state: string; commit: string; at: string; subject?: string; runExternalId?: string; bot?: boolean }>;
  comments?: Array<{ id: number; by: string; body: string; createdAt: string; editedBy?: string; bot?: boolean }>;
  /** Logins per commit (its authors; the committer is not linked). */
  commits?: string[][];
  /** Commits in full: author logins (null: an author GitHub links to no account) and the committer's. */
  commitIdentities?: Array<{ authors: Array<string | null>; committer: string | null }>;
  headRuns?: RunState[];
  /** The pull request's earlier commits (oldest first) with this App's runs on them; the head is last, implicitly. */
  earlierRuns?: Array<{ oid: string; runs: Array<{ name: string; summary?: string }> }>;
  /** Heads that force-pushes replaced (oldest first), with this App's runs on them. */
  forcePushed?: Array<{ oid: string; runs: Array<{ name: string; summary?: string }> }>;
  /** When the base branch was last changed. */
  baseChangedAt?: string;
  closingIssues?: IssueState[];
  /** Issues the body references by number, answered by `issueOrPullRequest` (null: no such issue). */
  mentioned?: Record<number, IssueState | null>;
  /** The lock at the base; null: none. */
  baseLock?: string | null;
  files?: Array<{ filename: string; status: string; previous_filename?: string; text?: string }>;
  /** File contents at the base, by path. */
  base?: Record<string, string>;
  /** Files at the head that the pull request does not change, by path (read by `SHA:path` expression). */
  headTree?: Record<string, string>;
}

interface Gql {
  query: string;
  variables: Record<string, unknown>;
}

function gqlRun(r: RunState) {
  return {
    databaseId: r.id,
    name: r.name,
    status: r.status ?? "COMPLETED",
    conclusion: r.conclusion ?? null,
    title: r.title ?? null,
    summary: r.summary ?? null,
    text: r.text ?? null,
    externalId: r.externalId ?? null,
    detailsUrl: r.detailsUrl ?? null,
    annotations: { totalCount: r.annotations ?? 0 },
  };
}

function gqlIssue(i: IssueState) {
  return {
    number: i.number,
    title: i.title ?? `Issue ${i.number}`,
    body: i.body ?? "",
    state: i.state ?? "OPEN",
    repository: { databaseId: REPO_ID },
    labels: { nodes: (i.labels ?? []).map((name) => ({ name })) },
    comments: { nodes: (i.comments ?? []).map((c) => ({ fullDatabaseId: String(c.id), body: c.body, author: { __typename: c.bot ? "Bot" : "User", login: c.bot ? c.login.replace(/\[bot\]$/, "") : c.login } })) },
  };
}

const actor = (login: string, bot = false) => ({ __typename: bot ? "Bot" : "User", login: bot ? login.replace(/\[bot\]$/, "") : login });

/** The REST path of pull request `number`. */
export function pullPath(number = PR): string {
  return `/repos/${OWNER}/${REPO}/pulls/${number}`;
}

export function pullRest(state: PullState) {
  const number = state.number ?? PR;
  return {
    url: `${API}${pullPath(number)}`,
    number,
    state: "open",
    draft: state.draft ?? false,
    title: state.title ?? "Update the README with new information.",
    body: state.body ?? "Fixes #1",
    user: { login: state.author ?? "Codertocat", type: "User" },
    labels: (state.labels ?? []).map((name) => ({ name })),
    head: { sha: state.headSha ?? HEAD, ref: "changes" },
    base: { sha: state.baseSha ?? BASE, ref: "master" },
    changed_files: state.changedFiles ?? (state.files ?? DEFAULT_FILES).length,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${number}`,
  };
}

export const DEFAULT_FILES: NonNullable<PullState["files"]> = [{ filename: "README.md", status: "modified", text: "Hello\n" }];

export function contextData(state: PullState) {
  const mentioned = Object.fromEntries(Object.entries(state.mentioned ?? {}).map(([n, issue]) => [`i${n}`, issue ? gqlIssue(issue) : null]));
  return {
    repository: {
      config: state.config === undefined ? null : { text: state.config, isTruncated: false },
      baseLock: state.baseLock === null ? null : { oid: blobSha(state.baseLock ?? BASE_LOCK), byteSize: Buffer.byteLength(state.baseLock ?? BASE_LOCK) },
      head: { checkSuites: { nodes: [{ checkRuns: { nodes: (state.headRuns ?? []).map(gqlRun) } }] } },
      pullRequest: {
        closingIssuesReferences: { nodes: (state.closingIssues ?? [{ number: 1, title: "Lockout", body: "Requirement: REQ-001" }]).map(gqlIssue) },
        reviews: {
          pageInfo: { hasPreviousPage: false, startCursor: null },
          nodes: (state.reviews ?? []).map((r) => ({
            fullDatabaseId: String(r.id),
            state: r.state,
            submittedAt: r.at,
            author: actor(r.by, r.bot),
            // reqgate records `pr<number>:<subject>` as the external_id of the reviewed commit's run.
            commit: { oid: r.commit, checkSuites: { nodes: r.subject || r.runExternalId ? [{ checkRuns: { nodes: [{ externalId: r.runExternalId ?? `pr${PR}:${r.subject}` }] } }] : [] } },
          })),
        },
        comments: {
          pageInfo: { hasPreviousPage: false, startCursor: null },
          nodes: (state.comments ?? []).map((c) => ({
            fullDatabaseId: String(c.id),
            body: c.body,
            createdAt: c.createdAt,
            lastEditedAt: c.editedBy !== undefined ? "2026-01-01T10:00:00Z" : null,
            author: actor(c.by, c.bot),
            editor: c.editedBy !== undefined ? actor(c.editedBy) : null,
          })),
        },
        commits: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: (state.commitIdentities ?? (state.commits ?? [["Codertocat"]]).map((logins) => ({ authors: logins, committer: "web-flow" }))).map((c) => ({
            commit: { authors: { nodes: c.authors.map((login) => ({ user: login === null ? null : { login } })) }, committer: { user: c.committer === null ? null : { login: c.committer } } },
          })),
        },
        recent: recentPage(state, undefined),
        forcePushes: forcePushPage(state, undefined, FORCE_PUSHES),
        baseChanges: { nodes: state.baseChangedAt !== undefined ? [{ createdAt: state.baseChangedAt }] : [] },
      },
      ...mentioned,
    },
    ownerDefaults: { config: null },
  };
}

/** The pull request's commits as `commits(last: 100, before: cursor)` answers: cursors are positions. */
export function recentPage(state: PullState, before: number | undefined) {
  const all = [...(state.earlierRuns ?? []), { oid: state.headSha ?? HEAD, runs: [] as Array<{ name: string; summary?: string }> }];
  const end = before ?? all.length;
  const start = Math.max(0, end - 100);
  return {
    pageInfo: { hasPreviousPage: start > 0, startCursor: start > 0 ? String(start) : null },
    nodes: all.slice(start, end).map((c) => ({ commit: { oid: c.oid, checkSuites: { nodes: [{ checkRuns: { nodes: c.runs.map((r, i) => ({ id: runNodeId(c.oid, i), name: r.name })) } }] } } })),
  };
}

/** The force-pushes as `timelineItems(last: n, before: cursor)` answers: cursors are positions. */
export function forcePushPage(state: PullState, before: number | undefined, last = 100) {
  const all = state.forcePushed ?? [];
  const end = before ?? all.length;
  const start = Math.max(0, end - last);
  return {
    pageInfo: { hasPreviousPage: start > 0, startCursor: start > 0 ? String(start) : null },
    nodes: all.slice(start, end).map((c) => ({ beforeCommit: { oid: c.oid, checkSuites: { nodes: [{ checkRuns: { nodes: c.runs.map((r, i) => ({ id: runNodeId(c.oid, i), name: r.name })) } }] } } })),
  };
}

/** The GraphQL node ID of the `i`th run on commit `oid` in the mocks. */
export function runNodeId(oid: string, i: number): string {
  return `CR_${oid.slice(0, 12)}_${i}`;
}

/**
 * The earlier runs' summaries the App reads when the head has no baseline run of its own yet: the latest
 * earlier commit with runs, and the latest force-pushed heads with runs.
 */
export function mockRunSummaries(state: PullState, seen?: Gql[]): boolean {
  if ((state.headRuns ?? []).some((r) => r.name === "reqgate/baseline")) return false;
  // The App reads back at most MAX_PAGES pages of 100 commits (the head's among them).
  const latest = [...(state.earlierRuns ?? [])].slice(-(MAX_PAGES * 100 - 1)).reverse().find((c) => c.runs.length > 0 && c.oid !== (state.headSha ?? HEAD));
  const forced = [...(state.forcePushed ?? [])].reverse().filter((c) => c.runs.length > 0);
  const commits = [...(latest ? [latest] : []), ...forced];
  if (commits.length === 0) return false;
  const byId = new Map(commits.flatMap((c) => c.runs.map((r, i) => [runNodeId(c.oid, i), r] as const)));
  nock(API)
    .post("/graphql", (b: Gql) => b.query.includes("query reqgateRunSummaries("))
    .reply(200, (_uri, body) => {
      seen?.push(body as Gql);
      const ids = (body as Gql).variables.ids as string[];
      return { data: { nodes: ids.map((id) => { const r = byId.get(id); return r ? { name: r.name, summary: r.summary ?? null } : null; }) } };
    });
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Mocks

export interface MockOptions {
  /** The head the pull request has when it is read again before publishing (default: unchanged, a 304). */
  headAtPublish?: string;
  /** Skip the file list, contents and head lock (a trace-only evaluation). */
  traceOnly?: boolean;
  /** Reads already cached by an earlier evaluation in the same process: the list is a 304, nothing else is read. */
  warm?: boolean;
  /** Receives the GraphQL context request. */
  seen?: Gql[];
  /** The pull request is not read again before publishing (nothing is published). */
  noPublish?: boolean;
  /** The head's lock was read by an earlier evaluation in the same process (same blob): not read again. */
  headLockCached?: boolean;
  /** The base's lock was read by an earlier evaluation in the same process (another pull request's): not read again. */
  baseLockCached?: boolean;
  /**
   * The open pull requests' claims query (SPEC 2.7), asked when the change claims something: by default
   * answered (optionally) with this pull request alone and the base's lock at the branch's tip; `false`:
   * not mocked here (the test mocks it itself).
   */
  openPulls?: OpenPullsState | false;
  /**
   * The same query again once the baseline run is written (only when the first read was complete and
   * the run changed): by default the first read's state, optional; `false`: not mocked here.
   */
  reread?: OpenPullsState | false;
}

export interface OpenPullsState {
  /**
   * The open pull requests into the branch (default: #2 alone), with the summary of their head's
   * `reqgate/baseline` run (undefined: no run; a function: read when the query is answered).
   */
  open?: Array<{ number: number; summary?: string | (() => string | undefined) }>;
  /** The lock at the branch's tip (default: the base lock; null: none). */
  tipLock?: string | null;
  /** Required (the default) or optional. */
  optional?: boolean;
  /** Receives each request. */
  seen?: Gql[];
  /** Answer the first page with this HTTP status instead. */
  failWith?: number;
  /** Pull requests per page (GitHub's is 100). */
  pageSize?: number;
  /** Mock only the first pages, this many (the App stops asking at its bound). */
  pages?: number;
  /** The read again after the pull request's baseline run is written (no tip asked for). */
  reread?: boolean;
}

/**
 * Mocks the open pull requests' claims query: `open`, paged by `pageSize` (cursors are positions), each
 * page once.
 */
export function mockOpenPulls(state: OpenPullsState = {}): void {
  const all = state.open ?? [{ number: PR }];
  const size = state.pageSize ?? 100;
  const pages = state.failWith !== undefined ? 1 : Math.min(state.pages ?? Infinity, Math.max(1, Math.ceil(all.length / size)));
  const tip = state.tipLock === undefined ? BASE_LOCK : state.tipLock;
  for (let page = 0; page < pages; page++) {
    // The first page of the first read asks for the tip's lock, the re-read's does not (later pages never do).
    const firstPage = (b: Gql) => page > 0 || b.variables.first === !state.reread;
    const interceptor = nock(API).post("/graphql", (b: Gql) => b.query.includes("query reqgateOpenClaims(") && (b.variables.cursor ?? null) === (page === 0 ? null : String(page * size)) && firstPage(b));
    if (state.optional) interceptor.optionally();
    interceptor.reply((_uri, body) => {
        state.seen?.push(body as Gql);
        if (state.failWith !== undefined) return [state.failWith, { message: "Something went wrong while executing your query." }];
        const nodes = all.slice(page * size, (page + 1) * size).map((p) => {
          const summary = typeof p.summary === "function" ? p.summary() : p.summary;
          return { number: p.number, commits: { nodes: [{ commit: { checkSuites: { nodes: summary === undefined ? [] : [{ checkRuns: { nodes: [{ summary }] } }] } } }] } };
        });
        const more = (page + 1) * size < all.length;
        const repository: Record<string, unknown> = { pullRequests: { totalCount: all.length, pageInfo: { hasNextPage: more, endCursor: more ? String((page + 1) * size) : null }, nodes } };
        if ((body as Gql).variables.first === true) repository.tip = tip === null ? null : { oid: blobSha(tip), byteSize: Buffer.byteLength(tip) };
        return [200, { data: { repository } }];
      });
  }
}

/** Mocks every read of one evaluation of PR #2 (or `state.number`) in `state`. */
export function mockPullReads(state: PullState, options: MockOptions = {}): void {
  const etag = `"pull-${state.headSha ?? HEAD}"`;
  const path = pullPath(state.number);
  nock(API).get(path).reply(200, pullRest(state), { etag });
  nock(API)
    .post("/graphql", (b: Gql) => b.query.includes("query reqgatePull("))
    .reply(200, (_uri, body) => {
      options.seen?.push(body as Gql);
      return { data: contextData(state) };
    });
  // Further pages of commits, read back until one with a run of the App is found.
  if (!(state.headRuns ?? []).some((r) => r.name === "reqgate/baseline")) {
    const all = [...(state.earlierRuns ?? []), { oid: state.headSha ?? HEAD, runs: [] }];
    let end = all.length;
    for (let pages = 1; pages < MAX_PAGES && end - 100 > 0 && !all.slice(end - 100, end).some((c) => c.runs.length > 0 && c.oid !== (state.headSha ?? HEAD)); pages++) {
      const before = end - 100;
      nock(API)
        .post("/graphql", (b: Gql) => b.query.includes("query reqgatePullRecent(") && b.variables.cursor === String(before))
        .reply(200, { data: { repository: { pullRequest: { page: recentPage(state, before) } } } });
      end = before;
    }
    // Further force-pushes, read back (100 a page) when none of the latest replaced a head with a run, to the bound.
    const forced = state.forcePushed ?? [];
    let start = Math.max(0, forced.length - FORCE_PUSHES);
    let found = forced.slice(start).some((c) => c.runs.length > 0);
    for (let pages = 1; !found && start > 0 && pages < MAX_PAGES; pages++) {
      const before = start;
      nock(API)
        .post("/graphql", (b: Gql) => b.query.includes("query reqgatePullForcePushes(") && b.variables.cursor === String(before))
        .reply(200, { data: { repository: { pullRequest: { page: forcePushPage(state, before) } } } });
      start = Math.max(0, before - 100);
      found = forced.slice(start, before).some((c) => c.runs.length > 0);
    }
  }
  mockRunSummaries(state, options.seen);
  const files = state.files ?? DEFAULT_FILES;
  if (!options.traceOnly) {
    const filesPath = `${path}/files`;
    if (options.warm) nock(API).get(filesPath).query({ per_page: "100", page: "1" }).matchHeader("if-none-match", '"files-1"').reply(304, "", { etag: '"files-1"' });
    else nock(API).get(filesPath).query({ per_page: "100", page: "1" }).reply(200, files.map((f) => ({ filename: f.filename, status: f.status, ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}), ...(f.text !== undefined ? { sha: blobSha(f.text) } : {}) })), { etag: '"files-1"' });
  }
  if (!options.warm) {
    const wanted = files.filter((f) => f.filename.startsWith("requirements/") && f.filename !== LOCK && /\.ya?ml$/.test(f.filename));
    if (!options.traceOnly && wanted.length > 0) mockObjects(state);
    if (state.baseLock !== null && !options.baseLockCached) mockBlob(state.baseLock ?? BASE_LOCK);
    const headLock = files.find((f) => f.filename === LOCK && f.text !== undefined);
    if (!options.traceOnly && !options.headLockCached && headLock && headLock.text !== (state.baseLock ?? BASE_LOCK)) mockBlob(headLock.text!);
  }
  const openPulls: OpenPullsState = { open: [{ number: state.number ?? PR }], tipLock: state.baseLock === undefined ? BASE_LOCK : state.baseLock, ...(options.openPulls || { optional: true }) };
  if (!options.traceOnly && options.openPulls !== false) mockOpenPulls(openPulls);
  if (options.noPublish) return;
  if (options.headAtPublish !== undefined && options.headAtPublish !== (state.headSha ?? HEAD)) {
    nock(API).get(path).reply(200, pullRest({ ...state, headSha: options.headAtPublish }), { etag: '"pull-moved"' });
  } else {
    nock(API).get(path).matchHeader("if-none-match", etag).reply(304, "", { etag });
  }
  if (!options.traceOnly && options.openPulls !== false && options.reread !== false) {
    // A failed or cut first read is not read again; the re-read answers what the first read would, by default.
    const { failWith: _failed, pages: _pages, ...again } = openPulls;
    mockOpenPulls({ ...again, optional: true, ...options.reread, reread: true });
  }
}

/** Answers the batched object query from the state: `SHA:path` at the base, blob SHAs at the head. */
export function mockObjects(state: PullState, seen?: Gql[]): void {
  const byOid = new Map((state.files ?? DEFAULT_FILES).filter((f) => f.text !== undefined).map((f) => [blobSha(f.text!), f.text!]));
  const baseSha = state.baseSha ?? BASE;
  nock(API)
    .post("/graphql", (b: Gql) => b.query.includes("query reqgateObjects("))
    .reply(200, (_uri, body) => {
      const { variables } = body as Gql;
      seen?.push(body as Gql);
      const repository: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(variables)) {
        if (!/^v\d+$/.test(name)) continue;
        const v = String(value);
        let text: string | undefined;
        if (v.includes(":")) {
          const [sha, ...path] = v.split(":");
          text = sha === baseSha ? state.base?.[path.join(":")] : sha === (state.headSha ?? HEAD) ? state.headTree?.[path.join(":")] : undefined;
        } else {
          text = byOid.get(v);
        }
        repository[`f${name.slice(1)}`] = text === undefined ? null : { oid: blobSha(text), byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
      }
      return { data: { repository } };
    });
}

export function mockBlob(text: string): void {
  nock(API).get(`/repos/${OWNER}/${REPO}/git/blobs/${blobSha(text)}`).reply(200, text, { "content-type": "application/vnd.github.raw; charset=utf-8" });
}

export interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  details_url?: string;
  external_id?: string;
  output: { title: string; summary: string; text?: string; annotations?: Array<Record<string, unknown>> };
  actions?: Array<{ label: string; description: string; identifier: string }>;
}

/** Records check-run creates (answered with ids 1001, 1002, …) and updates. */
export function checkRunSink() {
  const created: CheckRunBody[] = [];
  const updated: Array<{ id: number; body: CheckRunBody }> = [];
  let next = 1001;
  return {
    created,
    updated,
    acceptCreates(times = 1) {
      nock(API)
        .post(`/repos/${OWNER}/${REPO}/check-runs`)
        .times(times)
        .reply(201, (_uri, body) => {
          created.push(body as CheckRunBody);
          return { id: next++ };
        });
    },
    acceptUpdates(times = 1) {
      nock(API)
        .patch(/\/repos\/Codertocat\/Hello-World\/check-runs\/\d+$/)
        .times(times)
        .reply(200, (uri, body) => {
          updated.push({ id: Number(uri.split("/").pop()), body: body as CheckRunBody });
          return {};
        });
    },
    byName(name: string): CheckRunBody {
      const found = created.find((b) => b.name === name);
      if (!found) throw new Error(`no check run ${name} was created`);
      return found;
    },
  };
}

/** The `reqgate/baseline` run the App creates when `event` (a fixture) arrives for the pull request in `state`. */
export async function baselineOn(probot: Probot, state: PullState, event: string, options: MockOptions = {}): Promise<CheckRunBody> {
  mockPullReads(state, options);
  const sink = checkRunSink();
  sink.acceptCreates(2);
  await deliver(probot, event.split(".")[0] as Parameters<typeof deliver>[1], fixture(event));
  return sink.byName("reqgate/baseline");
}

export function permission(login: string, role: string): void {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/collaborators/${login}/permission`)
    .reply(200, { permission: role === "maintain" ? "write" : role, role_name: role, user: { login } });
}

export { APP_ID, BOT };

/** The runs GitHub holds after these creates (ids from 1001), as the next evaluation reads them. */
export function runsFrom(created: readonly CheckRunBody[]): RunState[] {
  return created.map((b, i) => runState(1001 + i, b));
}

/** A run as GitHub holds it after it was written with `b`. */
export function runState(id: number, b: CheckRunBody): RunState {
  return {
    id,
    name: b.name!,
    status: "COMPLETED",
    conclusion: b.conclusion!.toUpperCase(),
    title: b.output.title,
    summary: b.output.summary,
    ...(b.output.text !== undefined ? { text: b.output.text } : {}),
    ...(b.external_id !== undefined ? { externalId: b.external_id } : {}),
    ...(b.details_url !== undefined ? { detailsUrl: b.details_url } : {}),
    annotations: b.output.annotations?.length ?? 0,
  };
}

/** The approval subject of the change in `state` (what an approval of it binds to). */
export function subjectOf(state: PullState): string {
  const files = state.files ?? DEFAULT_FILES;
  const text = (path: string) => files.find((f) => f.filename === path)?.text;
  const versions = (pred: (p: string) => boolean) =>
    files
      .filter((f) => pred(f.filename))
      .map((f) => ({ path: f.filename, ...(state.base?.[f.filename] !== undefined ? { base: state.base[f.filename]! } : {}), ...(f.status !== "removed" && text(f.filename) !== undefined ? { head: text(f.filename)! } : {}) }));
  const lock = text(LOCK) ?? BASE_LOCK;
  return evaluateChange({
    config: DEFAULT_CONFIG,
    baseLock: { path: LOCK, text: state.baseLock ?? BASE_LOCK },
    headLock: { path: LOCK, text: lock },
    requirementFiles: versions((p) => p.startsWith("requirements/") && !p.startsWith("requirements/changes/") && p !== LOCK),
    recordFiles: versions((p) => p.startsWith("requirements/changes/")),
  }).subject;
}

// ---------------------------------------------------------------------------------------------------
// Pushes and merge groups

/** The context query of a pushed commit (or a merge group's): configuration and this App's runs on it. */
export function mockPushContext(options: { config?: string; runs?: RunState[]; seen?: Gql[]; baseLock?: string | null } = {}): void {
  nock(API)
    .post("/graphql", (b: Gql) => b.query.includes("query reqgatePush("))
    .reply(200, (_uri, body) => {
      const { variables } = body as Gql;
      options.seen?.push(body as Gql);
      const lock = options.baseLock === undefined ? BASE_LOCK : options.baseLock;
      return {
        data: {
          repository: {
            config: options.config === undefined ? null : { text: options.config, isTruncated: false },
            ...(variables.withLock ? { baseLock: lock === null ? null : { oid: blobSha(lock), byteSize: Buffer.byteLength(lock) } } : {}),
            head: { checkSuites: { nodes: [{ checkRuns: { nodes: (options.runs ?? []).map(gqlRun) } }] } },
          },
          ownerDefaults: { config: null },
        },
      };
    });
}

/** Where the lock is at a commit (asked when not known from a context query). */
export function mockLockAt(text: string | null): void {
  nock(API)
    .post("/graphql", (b: Gql) => b.query.includes("query reqgateLockAt("))
    .reply(200, { data: { repository: { object: text === null ? null : { oid: blobSha(text), byteSize: Buffer.byteLength(text) } } } });
}

/** The comparison of two commits: its files (blob SHAs of the texts at `after`). */
export function mockCompare(before: string, after: string, files: NonNullable<PullState["files"]>): void {
  nock(API)
    .get(`/repos/${OWNER}/${REPO}/compare/${before}...${after}`)
    .query({ per_page: "1" })
    .reply(200, { merge_base_commit: { sha: before }, files: files.map((f) => ({ filename: f.filename, status: f.status, ...(f.text !== undefined ? { sha: blobSha(f.text) } : {}) })) });
}

/** The commit the push fixture (`push.default-branch`) moves the default branch to. */
export const PUSH_AFTER = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

/** The push fixture to the default branch, its one commit modifying these paths. */
export function pushOf(paths: string[], over: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = fixture("push.default-branch");
  const commit = { ...((payload.commits as object[])[0] as object), added: [], removed: [], modified: paths };
  return { ...payload, commits: [commit], ...over };
}

/** The paths of the push that moves REQ-001 (CR-0002, with its lock). */
export const MOVING_PATHS = ["requirements/REQ-001.yml", "requirements/changes/CR-0002.yml", LOCK];

/** The files the push that moves REQ-001 changes: REQ-001 (requirementChange()), CR-0002 added, the lock. */
export function movingFiles(): NonNullable<PullState["files"]> {
  const change = requirementChange();
  return [
    { filename: "requirements/REQ-001.yml", status: "modified", text: change.head },
    { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2 },
    { filename: LOCK, status: "modified", text: change.headLock },
  ];
}

/** The reads and the drift check (one check run accepted) of the push that moves REQ-001 by CR-0002, with its lock. */
export function mockMovingPush(): ReturnType<typeof checkRunSink> {
  const change = requirementChange();
  const files = movingFiles();
  mockPushContext();
  mockCompare(BASE, PUSH_AFTER, files);
  mockObjects({ files, base: { "requirements/REQ-001.yml": REQ1 } });
  mockBlob(BASE_LOCK);
  mockBlob(change.headLock);
  const sink = checkRunSink();
  sink.acceptCreates(1);
  return sink;
}
