// Colliding pull requests (SPEC 2.7): what the other open pull requests claim, read from their head
// commits' `reqgate/baseline` runs (the claims record this App keeps at the start of each summary), never
// from their files. One GraphQL query per 100 open pull requests into the branch, at most
// `MAX_CLAIM_PAGES` of them; the first page also gives the lock blob at the branch's tip (oid and size),
// so that what merged since the pull request's base is seen without another request unless it moved.
import type { ProbotOctokit } from "probot";
import { BASELINE_CHECK, TRACE_CHECK } from "../domain/pulls/check-names.js";
import { waiversFromSummary } from "../domain/pulls/waiver.js";
import { claimsFromSummary, type Claims } from "../domain/pulls/collisions.js";
import type { OpenClaims } from "../engine/ports.js";

/** Open pull requests into one branch read at most this many pages of 100; past it the check is incomplete (fails closed). */
export const MAX_CLAIM_PAGES = 10;

const HEAD_RUN = `commits(last: 1) { nodes { commit { checkSuites(first: 5, filterBy: { appId: $appId }) { nodes { checkRuns(first: 1, filterBy: { checkName: "${BASELINE_CHECK}" }) { nodes { summary } } } } } } }`;

export const OPEN_CLAIMS = `query reqgateOpenClaims($owner: String!, $repo: String!, $base: String!, $tip: String!, $appId: Int!, $cursor: String, $first: Boolean!) {
  repository(owner: $owner, name: $repo) {
    tip: object(expression: $tip) @include(if: $first) { ... on Blob { oid byteSize } }
    pullRequests(states: OPEN, baseRefName: $base, first: 100, after: $cursor) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { number ${HEAD_RUN} }
    }
  }
}`;

// A closed pull request's head runs: the baseline run's claims, and the trace run's summary for its waiver
// (the dashboard lists waivers of open work only). Aliased in the same query: no request more.
const CLOSED_HEAD_RUNS = `commits(last: 1) { nodes { commit { checkSuites(first: 5, filterBy: { appId: $appId }) { nodes { checkRuns(first: 1, filterBy: { checkName: "${BASELINE_CHECK}" }) { nodes { summary } } trace: checkRuns(first: 1, filterBy: { checkName: "${TRACE_CHECK}" }) { nodes { summary } } } } } } }`;

export const CLAIMS_OF = `query reqgateClaimsOf($owner: String!, $repo: String!, $number: Int!, $appId: Int!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { ${CLOSED_HEAD_RUNS} } }
}`;

type Runs = { nodes?: Array<{ summary?: string | null } | null> | null } | null;

interface HeadRun {
  commits?: { nodes?: Array<{ commit?: { checkSuites?: { nodes?: Array<{ checkRuns?: Runs; trace?: Runs } | null> | null } | null } | null } | null> | null } | null;
}

interface OpenClaimsData {
  repository: {
    tip?: { oid?: string; byteSize?: number } | null;
    pullRequests?: { totalCount?: number; pageInfo?: { hasNextPage?: boolean; endCursor?: string | null }; nodes?: Array<({ number?: number } & HeadRun) | null> | null } | null;
  } | null;
}

/** The claims of the head run of a pull request's node; undefined when it has none (not evaluated yet, or nothing recorded). */
function claimsOfNode(node: HeadRun, number: number): Claims | undefined {
  for (const commit of node.commits?.nodes ?? []) {
    for (const suite of commit?.commit?.checkSuites?.nodes ?? []) {
      for (const run of suite?.checkRuns?.nodes ?? []) {
        const claims = claimsFromSummary(run?.summary);
        // A record names the pull request it was evaluated for: two pull requests can share a head commit.
        if (claims && claims.pr === number) return claims;
      }
    }
  }
  return undefined;
}

/**
 * The claims of every open pull request into `base` (theirs as recorded: their last evaluation's), and
 * the lock blob at `base`'s tip (unless `tip: false`: the re-read after a write needs only the claims). Never throws: a failed or truncated read says why in `incomplete`.
 */
export async function readOpenClaims(octokit: ProbotOctokit, request: { owner: string; repo: string; appId: number; base: string; lockPath: string; tip?: boolean }): Promise<OpenClaims> {
  const claims: Claims[] = [];
  const out: OpenClaims = { claims, pulls: [] };
  let cursor: string | null = null;
  try {
    for (let page = 1; ; page++) {
      const variables = { owner: request.owner, repo: request.repo, base: request.base, tip: `refs/heads/${request.base}:${request.lockPath}`, appId: request.appId, cursor, first: page === 1 && request.tip !== false };
      const data: OpenClaimsData = await octokit.graphql<OpenClaimsData>(OPEN_CLAIMS, variables);
      const repository = data.repository;
      if (!repository?.pullRequests) {
        out.incomplete = "GitHub did not list the open pull requests";
        return out;
      }
      if (page === 1 && request.tip !== false) out.tipLock = repository.tip?.oid ? { oid: repository.tip.oid, size: repository.tip.byteSize ?? 0 } : null;
      for (const node of repository.pullRequests.nodes ?? []) {
        if (!node || typeof node.number !== "number") continue;
        out.pulls.push(node.number);
        const c = claimsOfNode(node, node.number);
        if (c) claims.push(c);
      }
      const info = repository.pullRequests.pageInfo ?? {};
      if (info.hasNextPage !== true || !info.endCursor) return out;
      if (page >= MAX_CLAIM_PAGES) {
        out.incomplete = `more than ${MAX_CLAIM_PAGES * 100} open pull requests into ${request.base} (${repository.pullRequests.totalCount ?? "more"}); reqgate reads at most ${MAX_CLAIM_PAGES * 100} to find colliding ones`;
        return out;
      }
      cursor = info.endCursor;
    }
  } catch (error) {
    const status = typeof error === "object" && error !== null && "status" in error ? ` (${String((error).status)})` : "";
    out.incomplete = `the open pull requests could not be read to find colliding ones: GitHub answered with an error${status}`;
    return out;
  }
}

/**
 * What a pull request (open or closed) claimed at its last evaluation (its head commit's baseline run;
 * undefined when nothing is recorded), and whether its trace run carries a waiver of it.
 */
export async function readClaimsOf(octokit: ProbotOctokit, request: { owner: string; repo: string; appId: number; number: number }): Promise<{ claims?: Claims; waived: boolean }> {
  const data = await octokit.graphql<{ repository: { pullRequest?: HeadRun | null } | null }>(CLAIMS_OF, { owner: request.owner, repo: request.repo, number: request.number, appId: request.appId });
  const pr = data.repository?.pullRequest;
  if (!pr) return { waived: false };
  const suites = (pr.commits?.nodes ?? []).flatMap((c) => c?.commit?.checkSuites?.nodes ?? []);
  const waived = suites.some((suite) => (suite?.trace?.nodes ?? []).some((run) => waiversFromSummary(run?.summary).some((w) => w.pr === request.number)));
  const claims = claimsOfNode(pr, request.number);
  return claims ? { claims, waived } : { waived };
}
