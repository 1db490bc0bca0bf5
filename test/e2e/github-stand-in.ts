// A GitHub stand-in on loopback for the end-to-end tests that run reqgate in its own process (the App,
// the Action) and for the fleet benchmark (bench/app-fleet.js): it answers the requests that issue and
// pull-request evaluations make as GitHub would, for the repositories it holds (acme/widgets with issue
// 7 from the start; more with addRepo), keeps their state (labels, comments, check runs), records every
// request, can answer a share of them with faults (secondary rate limits, 502s), and `problems()`
// checks the requests against GitHub's REST description and GraphQL schema.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { renderLock } from "../../src/domain/baseline/baseline.js";
import { contractProblems } from "../support/github-contract.js";

export interface Seen {
  method: string;
  url: string;
  body: string;
  authorization: string;
  /** When the request arrived (ms since the epoch), and the status it got. */
  at: number;
  status: number;
  /** The fault injected instead of GitHub's answer, if any. */
  fault?: "secondary-limit" | "bad-gateway" | "bad-gateway-applied";
}

export interface StandInComment {
  fullDatabaseId: string;
  body: string;
  author: { __typename: string; login: string };
}

export interface StandInIssue {
  title: string;
  body: string;
  labels: Set<string>;
  comments: StandInComment[];
}

export interface StandInRun {
  id: number;
  name: string;
  head: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  annotations: number;
}

export interface StandInPull {
  title: string;
  body: string;
  /** The head commit now, and every head it had (oldest first). */
  head: string;
  heads: string[];
  /** Changed files (none touches requirements: the baseline check has nothing to compare). */
  files: Array<{ filename: string; status: string; text: string }>;
  /** The issue its body closes. */
  closes: number;
  comments: StandInComment[];
}

export interface StandInRepo {
  owner: string;
  name: string;
  id: number;
  issues: Map<number, StandInIssue>;
  pulls: Map<number, StandInPull>;
  /** Every check run created, in order (a doubled create shows as two runs of one name on one head). */
  runs: StandInRun[];
  /** The repository's labels (created with POST /labels; a second create is a 422, as on GitHub). */
  labels: Set<string>;
}

/**
 * Faults in place of GitHub's answer: `rate` of the responses (0.2: a fifth) are a secondary-rate-limit
 * 403 (GitHub's message and headers, `retry-after: retryAfter`) or a 502, half each; half the 502s on
 * writes come after the write was applied (a gateway that timed out on a write that went through).
 * Deterministic by seed: a request's fault depends on the seed, its method and path, and how many
 * requests with that method and path came before it.
 */
export interface Faults {
  rate: number;
  seed: number;
  /** Seconds (GitHub's own are often 60). */
  retryAfter?: number;
}

export interface StandInOptions {
  /** The GraphQL login of the bot whose comments the stand-in stores (no `[bot]`). */
  botLogin: string;
  /** `.github/reqgate.yml` of every repository; undefined: none (the defaults). */
  config?: string;
  faults?: Faults;
}

export interface StandIn {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  seen: Seen[];
  /** Issue 7 of acme/widgets: its labels and comments. */
  labels: Set<string>;
  comments: StandInComment[];
  /** Repositories by `owner/name` (acme/widgets with issue 7 is there from the start). */
  repos: Map<string, StandInRepo>;
  /** Adds a repository (installation tokens are `ghs_i<installation>`, except 42's, `ghs_e2e`). */
  addRepo(owner: string, name: string, id: number): StandInRepo;
  /** Blobs served by SHA (git/blobs, GraphQL objects): put the files of pull requests here. */
  blobs: Map<string, string>;
  /** While set, the comment POST is recorded at once but answered only when the promise settles. */
  hold?: Promise<void> | undefined;
  /** Requests that GitHub's description does not allow. */
  problems(): string[];
  close(): Promise<void>;
}

export const LOCK = renderLock({
  applied: ["CR-0001"],
  entries: [{ id: "REQ-001", title: "Offer a dark colour scheme on the settings page", status: "active", path: "requirements/REQ-001.yml", fingerprint: `sha256:${"a".repeat(64)}`, change: "CR-0001" }],
});
const LOCK_PATH = "requirements/baseline.lock";
const BASE_SHA = createHash("sha1").update("base").digest("hex");

export function blobSha(text: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
}

const SECONDARY_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";

type Answer = { status: number; data: unknown; headers?: Record<string, string> };

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const seen: Seen[] = [];
  const repos = new Map<string, StandInRepo>();
  const blobs = new Map<string, string>([[blobSha(LOCK), LOCK]]);
  const occurrences = new Map<string, number>();
  let nextId = 1000;
  // Assigned once listening (its origin needs the port); the handler reads its `hold`.
  // eslint-disable-next-line prefer-const
  let standIn: StandIn;

  function addRepo(owner: string, name: string, id: number): StandInRepo {
    const repo: StandInRepo = { owner, name, id, issues: new Map(), pulls: new Map(), runs: [], labels: new Set() };
    repos.set(`${owner}/${name}`, repo);
    return repo;
  }
  const widgets = addRepo("acme", "widgets", 1296269);
  const issue7: StandInIssue = { title: "Dark mode", body: "Please add a dark colour scheme to the settings page.", labels: new Set(), comments: [] };
  widgets.issues.set(7, issue7);

  const configBlob = () => (options.config === undefined ? null : { text: options.config, isTruncated: false });
  const bot = { __typename: "Bot", login: options.botLogin };
  const gqlIssue = (repo: StandInRepo, number: number, issue: StandInIssue) => ({
    number,
    title: issue.title,
    body: issue.body,
    state: "OPEN",
    repository: { databaseId: repo.id },
    labels: { nodes: [...issue.labels].map((name) => ({ name })) },
    comments: { nodes: issue.comments },
  });
  const gqlRun = (r: StandInRun) => ({ databaseId: r.id, name: r.name, status: r.status, conclusion: r.conclusion, title: r.title, summary: r.summary, text: r.text, externalId: r.externalId, detailsUrl: r.detailsUrl, annotations: { totalCount: r.annotations } });
  const runsAt = (repo: StandInRepo, sha: string) => repo.runs.filter((r) => r.head === sha);

  function graphql(body: string): Answer {
    const { query, variables = {} } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const repo = repos.get(`${String(variables.owner)}/${String(variables.repo)}`);
    if (query.includes("query reqgateIssue(")) {
      const issue = repo?.issues.get(Number(variables.number));
      if (!repo || !issue) return { status: 200, data: { data: { repository: repo ? { config: configBlob(), issue: null } : null, ownerDefaults: null } } };
      const pulls = [...repo.pulls].filter(([, p]) => p.closes === Number(variables.number)).map(([number]) => ({ number, state: "OPEN", repository: { databaseId: repo.id } }));
      return {
        status: 200,
        data: {
          data: {
            repository: {
              ...(variables.first === false ? {} : { config: configBlob() }),
              issue: {
                title: issue.title,
                body: issue.body,
                state: "OPEN",
                author: { __typename: "User", login: "octocat" },
                ...(variables.first === false ? {} : { labels: { nodes: [...issue.labels].map((name) => ({ name })) } }),
                ...(variables.pulls ? { closedByPullRequestsReferences: { nodes: pulls }, timelineItems: { nodes: [] } } : {}),
                comments: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: issue.comments },
              },
            },
            ...(variables.first === false ? {} : { ownerDefaults: null }),
          },
        },
      };
    }
    if (query.includes("query reqgatePull(") && repo) {
      const pull = repo.pulls.get(Number(variables.number));
      if (!pull) return { status: 200, data: { data: { repository: { config: configBlob(), baseLock: null, head: null, pullRequest: null }, ownerDefaults: null } } };
      const closing = repo.issues.get(pull.closes);
      const mentioned = Object.fromEntries([...query.matchAll(/i(\d+): issueOrPullRequest/g)].map((m) => {
        const issue = repo.issues.get(Number(m[1]));
        return [`i${m[1]}`, issue ? gqlIssue(repo, Number(m[1]), issue) : null];
      }));
      const lockExpression = typeof variables.lock === "string" ? variables.lock : "";
      return {
        status: 200,
        data: {
          data: {
            repository: {
              config: configBlob(),
              baseLock: lockExpression.endsWith(`:${LOCK_PATH}`) ? { oid: blobSha(LOCK), byteSize: Buffer.byteLength(LOCK) } : null,
              head: { checkSuites: { nodes: [{ checkRuns: { nodes: runsAt(repo, String(variables.head)).map(gqlRun) } }] } },
              pullRequest: {
                closingIssuesReferences: { nodes: closing ? [gqlIssue(repo, pull.closes, closing)] : [] },
                reviews: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: [] },
                comments: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: pull.comments.map((c) => ({ ...c, createdAt: "2026-01-01T00:00:00Z", lastEditedAt: null, editor: null })) },
                commits: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: pull.heads.map(() => ({ commit: { authors: { nodes: [{ user: { login: "octocat" } }] }, committer: { user: null } } })) },
                recent: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: pull.heads.map((oid) => ({ commit: { oid, checkSuites: { nodes: [{ checkRuns: { nodes: runsAt(repo, oid).map((r) => ({ id: `CR_${r.id}`, name: r.name })) } }] } } })) },
                forcePushes: { nodes: [] },
                baseChanges: { nodes: [] },
              },
              ...mentioned,
            },
            ownerDefaults: null,
          },
        },
      };
    }
    if (query.includes("query reqgateObjects(") && repo) {
      const repository: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(variables)) {
        if (!/^v\d+$/.test(name)) continue;
        const text = String(value).includes(":") ? undefined : blobs.get(String(value));
        repository[`f${name.slice(1)}`] = text === undefined ? null : { oid: blobSha(text), byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
      }
      return { status: 200, data: { data: { repository } } };
    }
    if (query.includes("query reqgateRunSummaries(")) {
      const all = [...repos.values()].flatMap((r) => r.runs);
      const ids = (variables.ids ?? []) as string[];
      return { status: 200, data: { data: { nodes: ids.map((id) => all.find((r) => `CR_${r.id}` === id) ?? null).map((r) => (r ? { name: r.name, summary: r.summary } : null)) } } };
    }
    if (query.includes("query reqgateDashboard(") && repo) {
      return { status: 200, data: { data: { repository: { config: configBlob(), dashboards: { nodes: [] }, issues: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }, ownerDefaults: null } } };
    }
    return { status: 200, data: { errors: [{ message: "the stand-in does not answer this query" }] } };
  }

  /** GitHub's answer; `apply` false: answer as GitHub would without changing anything (for a fault that comes first). */
  function answer(req: IncomingMessage, body: string, apply: boolean): Answer {
    const path = (req.url ?? "").replace(/^\/api\/v3/, "");
    const route = path.split("?")[0]!;
    if (req.headers.authorization === "token ghs_revoked") return { status: 401, data: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } };
    const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(route);
    if (req.method === "POST" && token) {
      return { status: 201, data: { token: token[1] === "42" ? "ghs_e2e" : `ghs_i${token[1]}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} } };
    }
    if (req.method === "GET" && route === "/app") return { status: 200, data: { id: 1, slug: "reqgate", name: "reqgate" } };
    if (req.method === "POST" && req.url === "/api/graphql") return graphql(body);
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(route);
    const repo = m ? repos.get(`${m[1]}/${m[2]}`) : undefined;
    if (!m || !repo) return { status: 404, data: { message: "Not Found" } };
    const rest = m[3]!;
    const json = () => JSON.parse(body) as Record<string, unknown>;
    if (req.method === "GET" && rest.startsWith(`/contents/${encodeURIComponent(LOCK_PATH)}`)) {
      return { status: 200, data: LOCK, headers: { "content-type": "application/vnd.github.raw", etag: '"lock-1"' } };
    }
    if (req.method === "POST" && rest === "/labels") {
      const name = String(json().name);
      if (repo.labels.has(name)) return { status: 422, data: { message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists", field: "name" }], documentation_url: "https://docs.github.com/rest/issues/labels#create-a-label", status: "422" } };
      if (apply) repo.labels.add(name);
      return { status: 201, data: { name } };
    }
    let n = /^\/issues\/(\d+)\/labels$/.exec(rest);
    if (req.method === "POST" && n && repo.issues.has(Number(n[1]))) {
      const issue = repo.issues.get(Number(n[1]))!;
      if (apply) for (const name of (json() as { labels: string[] }).labels) issue.labels.add(name);
      return { status: 200, data: [...issue.labels].map((name) => ({ name })) };
    }
    n = /^\/issues\/(\d+)\/labels\/([^/]+)$/.exec(rest);
    if (req.method === "DELETE" && n && repo.issues.has(Number(n[1]))) {
      const issue = repo.issues.get(Number(n[1]))!;
      const name = decodeURIComponent(n[2]!);
      if (!issue.labels.has(name)) return { status: 404, data: { message: "Label does not exist" } };
      if (apply) issue.labels.delete(name);
      return { status: 200, data: [...issue.labels].filter((l) => l !== name).map((l) => ({ name: l })) };
    }
    n = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (req.method === "POST" && n) {
      const target = repo.issues.get(Number(n[1])) ?? repo.pulls.get(Number(n[1]));
      if (!target) return { status: 404, data: { message: "Not Found" } };
      const id = repo === widgets && Number(n[1]) === 7 ? 901 : nextId++;
      if (apply) target.comments.push({ fullDatabaseId: String(id), body: String(json().body), author: bot });
      return { status: 201, data: { id } };
    }
    n = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (req.method === "PATCH" && n) {
      const comment = [...repo.issues.values(), ...repo.pulls.values()].flatMap((t) => t.comments).find((c) => c.fullDatabaseId === n![1]);
      if (!comment) return { status: 404, data: { message: "Not Found" } };
      if (apply) comment.body = String(json().body);
      return { status: 200, data: { id: Number(n[1]) } };
    }
    n = /^\/pulls\/(\d+)$/.exec(rest);
    if (req.method === "GET" && n && repo.pulls.has(Number(n[1]))) {
      const pull = repo.pulls.get(Number(n[1]))!;
      return conditional(req, {
        url: `${standIn.origin}/api/v3/repos/${repo.owner}/${repo.name}/pulls/${n[1]}`,
        number: Number(n[1]),
        state: "open",
        draft: false,
        title: pull.title,
        body: pull.body,
        user: { login: "octocat", type: "User" },
        labels: [],
        head: { sha: pull.head, ref: `change-${n[1]}` },
        base: { sha: BASE_SHA, ref: "main" },
        changed_files: pull.files.length,
        html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${n[1]}`,
      });
    }
    n = /^\/pulls\/(\d+)\/files$/.exec(rest);
    if (req.method === "GET" && n && repo.pulls.has(Number(n[1]))) {
      const pull = repo.pulls.get(Number(n[1]))!;
      const page = Number(new URL(path, "http://x").searchParams.get("page") ?? "1");
      return conditional(req, pull.files.slice((page - 1) * 100, page * 100).map((f) => ({ filename: f.filename, status: f.status, sha: blobSha(f.text), contents_url: `${standIn.origin}/api/v3/repos/${repo.owner}/${repo.name}/contents/${f.filename}?ref=${pull.head}` })));
    }
    n = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest);
    if (req.method === "GET" && n && blobs.has(n[1]!)) return { status: 200, data: blobs.get(n[1]!), headers: { "content-type": "application/vnd.github.raw" } };
    if (req.method === "GET" && /^\/collaborators\/[^/]+\/permission$/.test(rest)) return { status: 200, data: { permission: "write", role_name: "write", user: { login: "octocat" } } };
    if (req.method === "POST" && rest === "/check-runs") {
      const b = json() as { name: string; head_sha: string; status?: string; conclusion?: string; external_id?: string; details_url?: string; output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] } };
      const run: StandInRun = { id: nextId++, name: b.name, head: b.head_sha, status: b.conclusion ? "COMPLETED" : (b.status ?? "queued").toUpperCase(), conclusion: b.conclusion?.toUpperCase() ?? null, title: b.output?.title ?? null, summary: b.output?.summary ?? null, text: b.output?.text ?? null, externalId: b.external_id ?? null, detailsUrl: b.details_url ?? null, annotations: b.output?.annotations?.length ?? 0 };
      if (apply) repo.runs.push(run);
      return { status: 201, data: { id: run.id, name: run.name, head_sha: run.head } };
    }
    n = /^\/commits\/([0-9a-f]{40})\/check-runs$/.exec(rest);
    if (req.method === "GET" && n) {
      // The re-list after a failed create: this App's runs of a name on a commit, the latest first.
      const name = new URL(path, "http://x").searchParams.get("check_name");
      const runs = runsAt(repo, n[1]!).filter((r) => name === null || r.name === name).reverse();
      const restRun = (r: StandInRun) => ({ id: r.id, name: r.name, head_sha: r.head, status: r.status.toLowerCase(), conclusion: r.conclusion?.toLowerCase() ?? null, external_id: r.externalId, details_url: r.detailsUrl, output: { title: r.title, summary: r.summary, text: r.text, annotations_count: r.annotations } });
      return { status: 200, data: { total_count: runs.length, check_runs: runs.map(restRun) } };
    }
    n = /^\/check-runs\/(\d+)$/.exec(rest);
    if (req.method === "PATCH" && n) {
      const run = repo.runs.find((r) => r.id === Number(n[1]));
      if (!run) return { status: 404, data: { message: "Not Found" } };
      const b = json() as { status?: string; conclusion?: string; external_id?: string; output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] } };
      if (apply) {
        if (b.conclusion) Object.assign(run, { conclusion: b.conclusion.toUpperCase(), status: "COMPLETED" });
        if (b.external_id !== undefined) run.externalId = b.external_id;
        if (b.output?.title !== undefined) run.title = b.output.title;
        if (b.output?.summary !== undefined) run.summary = b.output.summary;
        if (b.output?.text !== undefined) run.text = b.output.text;
        run.annotations += b.output?.annotations?.length ?? 0;
      }
      return { status: 200, data: { id: run.id } };
    }
    if (req.method === "POST" && /^\/issues\/comments\/\d+\/reactions$/.test(rest)) return { status: 201, data: { id: nextId++, content: "+1" } };
    return { status: 404, data: { message: "Not Found" } };
  }

  function conditional(req: IncomingMessage, data: unknown): Answer {
    const etag = `"${createHash("sha1").update(JSON.stringify(data)).digest("hex").slice(0, 16)}"`;
    if (req.headers["if-none-match"] === etag) return { status: 304, data: "", headers: { etag } };
    return { status: 200, data, headers: { etag } };
  }

  /** The fault for this request, if any (see Faults). */
  function faultOf(method: string, url: string): Seen["fault"] {
    const faults = options.faults;
    if (!faults || faults.rate <= 0) return undefined;
    const key = `${method} ${url.split("?")[0]}`;
    const n = occurrences.get(key) ?? 0;
    occurrences.set(key, n + 1);
    const hash = createHash("sha256").update(`${faults.seed}\0${key}\0${n}`).digest();
    if (hash.readUInt32BE(0) / 2 ** 32 >= faults.rate) return undefined;
    if (hash[4]! % 2 === 0) return "secondary-limit";
    return method !== "GET" && hash[5]! % 2 === 0 ? "bad-gateway-applied" : "bad-gateway";
  }

  function faultAnswer(fault: NonNullable<Seen["fault"]>): Answer {
    if (fault === "secondary-limit") {
      const reset = Math.floor(Date.now() / 1000) + 3600;
      return {
        status: 403,
        data: { message: SECONDARY_MESSAGE, documentation_url: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", status: "403" },
        headers: { "retry-after": String(options.faults?.retryAfter ?? 60), "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4321", "x-ratelimit-used": "679", "x-ratelimit-reset": String(reset), "x-ratelimit-resource": "core", "x-github-request-id": "E2E0:1234:5678:9ABC:DEF0" },
      };
    }
    return { status: 502, data: "<html><body><h1>502 Bad Gateway</h1></body></html>", headers: { "content-type": "text/html" } };
  }

  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => void respond());
    async function respond(): Promise<void> {
      const record: Seen = { method: req.method ?? "", url: req.url ?? "", body, authorization: req.headers.authorization ?? "", at: Date.now(), status: 0 };
      seen.push(record);
      if (process.env.E2E_TRACE) process.stderr.write(`${Date.now() % 100000} ${req.method} ${req.url}\n`);
      const fault = faultOf(record.method, record.url);
      if (fault) record.fault = fault;
      // A 502 that comes after the write went through applies it; the others leave GitHub unchanged.
      const real = answer(req, body, fault === undefined || fault === "bad-gateway-applied");
      const { status, data, headers } = fault ? faultAnswer(fault) : real;
      record.status = status;
      if (standIn.hold && req.method === "POST" && /\/comments$/.test(req.url ?? "")) await standIn.hold;
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof data === "string" ? data : JSON.stringify(data));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  standIn = {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    labels: issue7.labels,
    comments: issue7.comments,
    repos,
    addRepo,
    blobs,
    problems: () => seen.flatMap((r) => contractProblems({ method: r.method, url: `http://127.0.0.1${r.url.replace(/^\/api\/graphql/, "/graphql")}`, ...(r.body ? { body: r.body } : {}) })),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return standIn;
}

/** The issues.opened example payload, for issue 7 of acme/widgets, as the stand-in serves it. */
export function issuesOpened(fixture: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = JSON.parse(fixture) as Record<string, Record<string, unknown>>;
  payload.repository = { ...payload.repository, name: "widgets", full_name: "acme/widgets", owner: { ...(payload.repository!.owner as object), login: "acme" } };
  payload.issue = { ...payload.issue, number: 7, title: "Dark mode", body: "Please add a dark colour scheme to the settings page." };
  return { ...payload, ...extra };
}
