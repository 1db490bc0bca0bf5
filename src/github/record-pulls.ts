// The pull requests that applied change records, for `report --github` and `diff --github`: for each
// commit that applied a record (found with git by the CLI), the merged pull requests GitHub associates
// with it, their head's `reqgate/baseline` check runs (title, conclusion, summary: the approvals the App
// counted and its ledger) and each reviewer's latest opinion. One GraphQL query answers BATCH commits, so
// k distinct commits cost ceil(k / BATCH) requests, at most `maxRequests`; commits past the cap are
// "not looked up", never silently dropped. A failure (401, 404, 5xx, rate limit, GraphQL errors) becomes
// the reason for the commits it concerns: the report says "approvers unknown (reason)" and goes on.
// The token and the API address come from the caller; nothing here reads process.env.
import { Octokit } from "@octokit/rest";
import type { CheckRunFacts, CommitLookup, PullFacts, ReviewFacts } from "../domain/report/record-approvals.js";
import { BASELINE_CHECK } from "../domain/report/record-approvals.js";

/** Commits per GraphQL query: each can bring a few 65 KB check-run summaries. */
export const BATCH = 20;
/** Default cap on GraphQL queries per run (BATCH × this many commits). */
export const MAX_REQUESTS = 25;

export interface RecordPullsOptions {
  owner: string;
  repo: string;
  token: string;
  /** The REST API root (`GITHUB_API_URL`); GraphQL is found next to it (`/api/v3` → `/api/graphql`). */
  baseUrl?: string;
  commits: readonly string[];
  maxRequests?: number;
  /** For tests: an Octokit class with plugins (the API-description check). */
  octokit?: typeof Octokit;
}

export interface RecordPullsResult {
  byCommit: Map<string, CommitLookup>;
  requests: number;
}

const QUIET = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const PULL_FIELDS = `
  number url title mergedAt baseRefName headRefOid
  mergedBy { login }
  latestOpinionatedReviews(first: 100) { totalCount nodes { state submittedAt author { login } commit { oid } } }
  commits(last: 1) { nodes { commit { oid
    checkSuites(first: 10, filterBy: { checkName: "${BASELINE_CHECK}" }) { nodes { app { slug }
      checkRuns(first: 5, filterBy: { checkName: "${BASELINE_CHECK}" }) { nodes { name status conclusion title summary url completedAt } } } } } } }`;

/** The query for one batch: `c0 … cN` are the commits, as variables (never spliced into the text). */
export function recordPullsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$c${i}: GitObjectID!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) => `    c${i}: object(oid: $c${i}) { ... on Commit { associatedPullRequests(first: 5) { nodes { ...pull } } } }`).join("\n");
  return `query($owner: String!, $name: String!, ${vars}) {\n  repository(owner: $owner, name: $name) {\n${fields}\n  }\n}\nfragment pull on PullRequest {${PULL_FIELDS}\n}`;
}

export async function readRecordPulls(options: RecordPullsOptions): Promise<RecordPullsResult> {
  const baseUrl = options.baseUrl?.trim().replace(/\/+$/, "") || undefined;
  const Client = options.octokit ?? Octokit;
  const octokit = new Client({ auth: options.token, ...(baseUrl ? { baseUrl } : {}), userAgent: "reqgate", log: QUIET });
  const commits = [...new Set(options.commits)];
  const byCommit = new Map<string, CommitLookup>();
  const cap = options.maxRequests ?? MAX_REQUESTS;
  const slug = `${options.owner}/${options.repo}`;
  let requests = 0;
  let stop: string | undefined;
  for (let from = 0; from < commits.length; from += BATCH) {
    const batch = commits.slice(from, from + BATCH);
    if (stop === undefined && requests >= cap) stop = `not looked up: the cap of ${cap} GitHub requests (${cap * BATCH} commits) was reached`;
    if (stop !== undefined) {
      for (const c of batch) byCommit.set(c, { failure: stop });
      continue;
    }
    const variables: Record<string, string> = { owner: options.owner, name: options.repo };
    batch.forEach((c, i) => (variables[`c${i}`] = c));
    requests++;
    let data: unknown;
    let partial: string | undefined;
    try {
      data = await octokit.graphql(recordPullsQuery(batch.length), variables);
    } catch (error) {
      const answer = classify(error, slug, baseUrl ?? "https://api.github.com");
      // GraphQL answers some errors with the data it could read (a missing commit, a field it refused).
      if (answer.data === undefined) {
        for (const c of batch) byCommit.set(c, { failure: answer.reason });
        if (answer.fatal) stop = answer.reason;
        continue;
      }
      data = answer.data;
      partial = answer.reason;
    }
    const repository = (data as { repository?: Record<string, unknown> | null } | null)?.repository;
    if (!repository) {
      const reason = partial ?? `${slug} was not found on GitHub, or the token cannot see it`;
      for (const c of batch) byCommit.set(c, { failure: reason });
      stop = reason;
      continue;
    }
    batch.forEach((c, i) => {
      const node = repository[`c${i}`] as { associatedPullRequests?: { nodes?: unknown[] } } | null | undefined;
      if (node === null || node === undefined) byCommit.set(c, { failure: partial ?? `commit ${c.slice(0, 12)} is not on GitHub (not pushed?)` });
      else byCommit.set(c, { pulls: (node.associatedPullRequests?.nodes ?? []).flatMap((p) => toPull(p)) });
    });
  }
  return { byCommit, requests };
}

type Raw = Record<string, unknown> | null | undefined;
const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
const nodes = (x: unknown): Raw[] => ((x as { nodes?: unknown } | null | undefined)?.nodes as Raw[] | undefined) ?? [];

function toPull(raw: unknown): PullFacts[] {
  const p = raw as Raw;
  if (!p || typeof p.number !== "number" || typeof p.url !== "string") return [];
  const reviews: ReviewFacts[] = nodes(p.latestOpinionatedReviews).flatMap((r): ReviewFacts[] => {
    const login = str((r?.author as Raw)?.login);
    return r && login ? [{ login, state: String(r.state), submittedAt: str(r.submittedAt), commit: str((r.commit as Raw)?.oid) }] : [];
  });
  const total = (p.latestOpinionatedReviews as Raw)?.totalCount;
  const checkRuns: CheckRunFacts[] = [];
  for (const commit of nodes(p.commits)) {
    for (const suite of nodes((commit?.commit as Raw)?.checkSuites)) {
      const app = str((suite?.app as Raw)?.slug);
      for (const run of nodes(suite?.checkRuns)) {
        if (!run || run.name !== BASELINE_CHECK) continue;
        checkRuns.push({
          app,
          status: String(run.status).toLowerCase(),
          conclusion: str(run.conclusion)?.toLowerCase() ?? null,
          title: str(run.title),
          summary: str(run.summary),
          url: str(run.url),
          completedAt: str(run.completedAt),
        });
      }
    }
  }
  return [
    {
      number: p.number,
      url: p.url,
      title: str(p.title) ?? "",
      mergedAt: str(p.mergedAt),
      mergedBy: str((p.mergedBy as Raw)?.login),
      baseRef: str(p.baseRefName) ?? "",
      head: str(p.headRefOid),
      checkRuns,
      reviews,
      reviewsTruncated: typeof total === "number" && total > reviews.length,
    },
  ];
}

interface Classified {
  reason: string;
  /** Every later request would fail the same way: stop asking. */
  fatal: boolean;
  /** Data a GraphQL error response still carried. */
  data?: unknown;
}

function classify(error: unknown, slug: string, api: string): Classified {
  const e = error as { name?: string; status?: number; message?: string; errors?: Array<{ type?: string; message?: string }>; data?: unknown; response?: { headers?: Record<string, string | undefined> } };
  if (e.name === "GraphqlResponseError" && Array.isArray(e.errors)) {
    const types = e.errors.map((x) => x.type ?? "");
    const first = e.errors[0]?.message ?? "error";
    if (types.includes("RATE_LIMITED")) return { reason: `GitHub's GraphQL rate limit is used up (${first})`, fatal: true };
    if (types.includes("NOT_FOUND") && !(e.data as Raw)?.repository) return { reason: `${slug} was not found on GitHub, or the token cannot see it`, fatal: true };
    return { reason: `GitHub answered with errors: ${first}`, fatal: false, ...(e.data ? { data: e.data } : {}) };
  }
  const status = typeof e.status === "number" && e.response !== undefined ? e.status : undefined;
  const headers = e.response?.headers ?? {};
  if (status === undefined) return { reason: `GitHub at ${api} did not answer (${e.message ?? String(error)})`, fatal: true };
  if (status === 401) return { reason: "GitHub rejected the token (401): set GITHUB_TOKEN to a valid token", fatal: true };
  if (status === 404) return { reason: `${slug} was not found at ${api}, or the token cannot see it (404)`, fatal: true };
  if (status === 429 || (status === 403 && headers["x-ratelimit-remaining"] === "0")) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    return { reason: `GitHub's rate limit is used up${when}`, fatal: true };
  }
  if (status === 403 && (headers["retry-after"] !== undefined || /secondary rate limit/i.test(e.message ?? ""))) {
    return { reason: `GitHub's secondary rate limit was hit${headers["retry-after"] ? ` (retry after ${headers["retry-after"]} s)` : ""}: run again later`, fatal: true };
  }
  if (status === 403) return { reason: `GitHub refused the request (403): the token needs read access to pull requests and checks of ${slug}`, fatal: true };
  return { reason: `GitHub answered ${status}`, fatal: false };
}
