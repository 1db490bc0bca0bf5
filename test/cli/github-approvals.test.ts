// `report --github` and `diff --github` on a real git history: who approved each change record, read
// from the pull request that applied it (its head's reqgate/baseline check run and its reviews). GitHub is
// strict nock: every request is listed, answered once, and checked against GitHub's API description
// (REST operations and the GraphQL schema); net connect is off.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { contractProblems } from "../support/github-contract.js";
import { cr2History } from "../helpers/cr2-history.js";

const API = "https://api.github.com";
const scratch = mkdtempSync(join(tmpdir(), "reqgate-approvals-"));
const repo = join(scratch, "widgets");
const violations: string[] = [];

beforeAll(() => nock.disableNetConnect());
afterEach(strictGitHub);

/** Every test uses every mock it sets up, nothing else (net connect is off), and GitHub's API description holds. */
function strictGitHub(): void {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  expect(violations.splice(0)).toEqual([]);
}
afterAll(() => {
  nock.enableNetConnect();
  rmSync(scratch, { recursive: true, force: true });
});

async function reqgate(args: string[], env: Record<string, string> = { GITHUB_TOKEN: "t0ken" }): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main([...args, "--repo", repo], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600", ...env }, cwd: scratch });
  return { status, stdout, stderr };
}

// History: v1 applies CR-1 (the first baseline), v2 applies CR-2 (REQ-1 modified, REQ-9 added, REQ-8 retired).
const { git, baselined, v1, v2 } = await cr2History(repo, () => reqgate(["baseline"], {}), { origin: "https://x-access-token:s3cret@github.com/acme/widgets.git" });
if (baselined.status !== 0) throw new Error(baselined.stdout + baselined.stderr);

/** A reqgate/baseline summary as the App writes it: the ledger first, then the Approvals table. */
const SUMMARY_12 = [
  '<!-- reqgate:approvals {"entries":[{"pr":12,"by":"alice","via":"review","id":901,"at":"2026-11-02T09:00:00Z","act":"approve","subject":"sha256:s1"},{"pr":12,"by":"bob","via":"comment","id":902,"at":"2026-11-02T09:30:00Z","act":"approve","subject":"sha256:s1"},{"pr":12,"by":"carol","via":"review","id":903,"at":"2026-11-02T09:40:00Z","act":"withdraw"}]} -->',
  "",
  "Every change-control rule that matches this change has its approvals.",
  "",
  "### Approvals",
  "",
  "| Rule | Requirements | Approvals | Approved by | May still approve |",
  "|---|---|---|---|---|",
  "| requirements board | REQ\\-1, REQ\\-8, REQ\\-9 | ✅ 2 of 2 | alice, bob | — |",
  "",
  "### Changed requirements",
].join("\n");

interface PullOptions {
  number: number;
  head: string;
  mergedAt?: string | null;
  runs?: Array<Record<string, unknown>>;
  reviews?: Array<{ login: string; state: string }>;
}
function pull(o: PullOptions) {
  return {
    number: o.number,
    url: `https://github.com/acme/widgets/pull/${o.number}`,
    title: `Pull ${o.number}`,
    mergedAt: o.mergedAt === undefined ? "2026-11-02T10:00:00Z" : o.mergedAt,
    baseRefName: "main",
    headRefOid: o.head,
    mergedBy: { login: "maya" },
    latestOpinionatedReviews: { totalCount: (o.reviews ?? []).length, nodes: (o.reviews ?? []).map((r) => ({ state: r.state, submittedAt: "2026-11-02T09:00:00Z", author: { login: r.login }, commit: { oid: o.head } })) },
    commits: { nodes: [{ commit: { oid: o.head, checkSuites: { nodes: [{ app: { slug: "reqgate" }, checkRuns: { nodes: o.runs ?? [] } }] } } }] },
  };
}
const run12 = { name: "reqgate/baseline", status: "COMPLETED", conclusion: "SUCCESS", title: "Approved: 3 requirement changes (requirements board)", summary: SUMMARY_12, url: "https://github.com/acme/widgets/runs/77", completedAt: "2026-11-02T09:41:00Z" };
const HEAD12 = "a".repeat(40);

/** Answers POST /graphql once, after checking the request against GitHub's schema; records the variables. */
function graphql(answer: (variables: Record<string, string>) => [number, unknown, Record<string, string>?], seen: Array<Record<string, string>>) {
  return nock(API, { reqheaders: { authorization: "token t0ken" } })
    .post("/graphql")
    .reply(function (uri, body) {
      violations.push(...contractProblems({ method: "POST", url: `${API}${uri}`, body }));
      const variables = (body as { variables: Record<string, string> }).variables;
      seen.push(variables);
      return answer(variables);
    });
}

describe("diff --github: the release note with pull requests and approvers", () => {
  it("one GraphQL request for the record applied between the refs; approvers as the check counted them", async () => {
    const seen: Array<Record<string, string>> = [];
    graphql(() => [200, { data: { repository: { c0: { associatedPullRequests: { nodes: [pull({ number: 12, head: HEAD12, runs: [run12], reviews: [{ login: "alice", state: "APPROVED" }, { login: "carol", state: "CHANGES_REQUESTED" }] })] } } } } }], seen);
    const run = await reqgate(["diff", "v1", "v2", "--github"]);
    expect(run.status).toBe(0);
    expect(seen).toEqual([{ owner: "acme", name: "widgets", c0: v2 }]);
    expect(run.stderr).toBe("reqgate: read the pull requests of 1 change record with 1 GitHub request: 1 known, 0 unknown\n");
    expect(run.stdout).toContain("Repository: acme/widgets  \n");
    expect(run.stdout).not.toContain("s3cret");
    expect(run.stdout).toContain("Approvals from GitHub (acme/widgets): 1 of 1 change record known; 1 request.\n");
    expect(run.stdout).toContain("Change records: **CR-2** Lower the lockout threshold (#12 (merged 2026-11-02), approved by alice (review), bob (comment); reqgate/baseline success)\n");
    expect(run.stdout).toContain("| **CR-2** | Lower the lockout threshold | PT-19 showed that 5 attempts allow credential stuffing. | #12 (merged 2026-11-02), approved by alice (review), bob (comment); reqgate/baseline success |");
  });
});

describe("diff --github --format html", () => {
  it("links the pull request (http(s) only) in the records table", async () => {
    graphql(() => [200, { data: { repository: { c0: { associatedPullRequests: { nodes: [pull({ number: 12, head: HEAD12, runs: [run12] })] } } } } }], []);
    const run = await reqgate(["diff", "v1", "v2", "--github", "acme/widgets", "--format", "html"]);
    expect(run.stdout).toContain("<p>Approvals from GitHub (acme/widgets): 1 of 1 change record known; 1 request.</p>");
    expect(run.stdout).toContain('<td><a href="https://github.com/acme/widgets/pull/12" rel="noopener noreferrer">#12 (merged 2026-11-02), approved by alice (review), bob (comment); reqgate/baseline success</a></td>');
  });
});

describe("report --github: each applied change record with its pull request", () => {
  it("reads the issues (REST) and both records' pull requests in one GraphQL request; md, json and csv show them", async () => {
    const runs: Array<{ status: number; stdout: string; stderr: string }> = [];
    for (const format of ["md", "json", "csv", "html"]) {
      nock(API, { reqheaders: { authorization: "token t0ken" } })
        .get("/repos/acme/widgets/issues")
        .query({ state: "all", per_page: "100" })
        .reply(function (uri) {
          violations.push(...contractProblems({ method: "GET", url: `${API}${uri}` }));
          return [200, [{ number: 3, title: "Lockout", body: "Implements REQ-1", state: "open", labels: [], html_url: "https://github.com/acme/widgets/issues/3" }]];
        });
      const seen: Array<Record<string, string>> = [];
      // CR-1 went straight to main (no pull request); CR-2 came through #12.
      graphql(() => [200, { data: { repository: { c0: { associatedPullRequests: { nodes: [] } }, c1: { associatedPullRequests: { nodes: [pull({ number: 12, head: HEAD12, runs: [run12] })] } } } } }], seen);
      runs.push(await reqgate(["report", "--github", "acme/widgets", "--format", format]));
      expect(seen).toEqual([{ owner: "acme", name: "widgets", c0: v1, c1: v2 }]);
    }
    const [md, json, csv, html] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    expect(md.stderr).toContain(`reqgate: read the pull requests of 2 change records with 1 GitHub request: 1 known, 1 unknown\nreqgate: approvers unknown for CR-1: no merged pull request contains commit ${v1.slice(0, 12)} (pushed without a pull request?)\n`);
    expect(md.stdout).toContain("- Approvals from GitHub (acme/widgets): 1 of 2 change records known, 1 unknown; 1 request\n");
    expect(md.stdout).toContain("| ID | Title | Applied | Affects | Rationale | Pull request and approval |\n|---|---|---|---|---|---|\n");
    expect(md.stdout).toContain(`| approvers unknown (no merged pull request contains commit ${v1.slice(0, 12)} (pushed without a pull request?)) |\n`);
    expect(md.stdout).toContain("| #12 (merged 2026-11-02), approved by alice (review), bob (comment); reqgate/baseline success |\n");

    const report = JSON.parse(json.stdout) as { approvals: unknown; records: Array<{ id: string; approval?: unknown }> };
    expect(report.approvals).toEqual({ repository: "acme/widgets", requests: 1, records: 2, known: 1, unknown: 1 });
    expect(report.records.find((r) => r.id === "CR-1")?.approval).toEqual({ state: "unknown", reason: `no merged pull request contains commit ${v1.slice(0, 12)} (pushed without a pull request?)`, commit: v1 });
    expect(report.records.find((r) => r.id === "CR-2")?.approval).toEqual({
      state: "known",
      commit: v2,
      pull: { number: 12, url: "https://github.com/acme/widgets/pull/12", title: "Pull 12", mergedAt: "2026-11-02T10:00:00Z", mergedBy: "maya" },
      check: { conclusion: "success", title: "Approved: 3 requirement changes (requirements board)", url: "https://github.com/acme/widgets/runs/77", app: "reqgate" },
      approvers: [
        { login: "alice", via: "review", at: "2026-11-02T09:00:00Z" },
        { login: "bob", via: "comment", at: "2026-11-02T09:30:00Z" },
      ],
      reviews: [],
    });

    const rows = csv.stdout.split("\r\n");
    expect(rows.find((l) => l.startsWith("id,"))?.endsWith(",tags,suspect,last_change_pull,last_change_approvers")).toBe(true);
    expect(rows.find((l) => l.startsWith("REQ-1,"))?.endsWith(",#12,alice; bob")).toBe(true);
    expect(rows.find((l) => l.startsWith("REQ-2,"))?.endsWith(`,,unknown (no merged pull request contains commit ${v1.slice(0, 12)} (pushed without a pull request?))`)).toBe(true);

    expect(html.stdout).toContain("<th>Pull request and approval</th>");
    expect(html.stdout).toContain('<td><a href="https://github.com/acme/widgets/pull/12" rel="noopener noreferrer">#12 (merged 2026-11-02), approved by alice (review), bob (comment); reqgate/baseline success</a></td>');
    expect(html.stdout).toContain(`<td><span class="gap">approvers unknown (no merged pull request contains commit ${v1.slice(0, 12)} (pushed without a pull request?))</span></td>`);
  });

  it("without --github the report has no approval column and asks GitHub nothing", async () => {
    const md = await reqgate(["report"]);
    expect(md.stdout).toContain("| ID | Title | Applied | Affects | Rationale |\n|---|---|---|---|---|\n");
    expect(md.stdout).not.toContain("Approvals from GitHub");
  });
});

describe("when GitHub fails, approvers are unknown with the reason; the release note is still written", () => {
  it.each([
    ["401", () => [401, { message: "Bad credentials" }], "GitHub rejected the token (401): set GITHUB_TOKEN to a valid token"],
    ["404", () => [404, { message: "Not Found" }], "acme/widgets was not found at https://api.github.com, or the token cannot see it (404)"],
    ["502", () => [502, { message: "Server Error" }], "GitHub answered 502"],
    ["rate limit", () => [403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1796292000" }], "GitHub's rate limit is used up until 2026-12-03T10:00:00.000Z"],
    ["secondary rate limit", () => [403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "60" }], "GitHub's secondary rate limit was hit (retry after 60 s): run again later"],
    ["403 without a rate limit", () => [403, { message: "Resource not accessible by integration" }], "GitHub refused the request (403): the token needs read access to pull requests and checks of acme/widgets"],
    ["GraphQL NOT_FOUND", () => [200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository with the name 'acme/widgets'." }] }], "acme/widgets was not found on GitHub, or the token cannot see it"],
    ["a commit GitHub does not have", () => [200, { data: { repository: { c0: null } } }], `commit ${v2.slice(0, 12)} is not on GitHub (not pushed?)`],
  ] as Array<[string, () => [number, unknown, Record<string, string>?], string]>)("%s", async (_what, answer, reason) => {
    graphql(answer, []);
    const run = await reqgate(["diff", "v1", "v2", "--github", "acme/widgets"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`reqgate: read the pull requests of 1 change record with 1 GitHub request: 0 known, 1 unknown\nreqgate: approvers unknown for CR-2: ${reason}\n`);
    // Markdown: the reason escaped (GITHUB\_TOKEN).
    expect(run.stdout).toContain(`Change records: **CR-2** Lower the lockout threshold (approvers unknown (${reason.replace(/_/g, "\\_")}))\n`);
  });

  it("a pull request without a reqgate/baseline run: unknown, with the approving reviews GitHub has", async () => {
    graphql(() => [200, { data: { repository: { c0: { associatedPullRequests: { nodes: [pull({ number: 14, head: HEAD12, reviews: [{ login: "alice", state: "APPROVED" }] })] } } } } }], []);
    const run = await reqgate(["diff", "v1", "v2", "--github", "--format", "json"]);
    const diff = JSON.parse(run.stdout) as { records: Array<{ approval: unknown }> };
    expect(diff.records[0]!.approval).toEqual({
      state: "unknown",
      reason: `no reqgate/baseline check run on the head of #14 (${HEAD12.slice(0, 12)})`,
      commit: v2,
      pull: { number: 14, url: "https://github.com/acme/widgets/pull/14", title: "Pull 14", mergedAt: "2026-11-02T10:00:00Z", mergedBy: "maya" },
      reviews: [{ login: "alice", state: "APPROVED", submittedAt: "2026-11-02T09:00:00Z", commit: HEAD12 }],
    });
  });
});

describe("--github needs a token and a repository (exit 2, before anything is read)", () => {
  it("no GITHUB_TOKEN", async () => {
    const run = await reqgate(["diff", "v1", "v2", "--github"], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('reqgate: --github reads pull requests, check runs and reviews through GitHub\'s API, which needs a token: set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token) reqgate diff ... --github; in GitHub Actions, env: GITHUB_TOKEN: ${{ github.token }} with pull-requests: read and checks: read)\nRun "reqgate diff --help" for usage.\n');
  });

  it("a bare --github with an origin that is not on github.com, and without GITHUB_API_URL", async () => {
    git("remote", "set-url", "origin", "git@ghe.example.com:acme/widgets.git");
    try {
      const run = await reqgate(["report", "--github"]);
      expect([run.status, run.stderr.split("\n")[0]]).toEqual([2, "reqgate: --github: the origin remote is on ghe.example.com, not github.com: set GITHUB_API_URL to its API (e.g. GITHUB_API_URL=https://ghe.example.com/api/v3), or name a github.com repository with --github OWNER/REPO"]);
    } finally {
      git("remote", "set-url", "origin", "https://x-access-token:s3cret@github.com/acme/widgets.git");
    }
  });

  it("a bare --github without an origin remote", async () => {
    git("remote", "remove", "origin");
    try {
      const run = await reqgate(["report", "--github", "--format", "json"]);
      expect([run.status, run.stderr.split("\n")[0]]).toEqual([2, "reqgate: --github: this checkout has no origin remote; name the repository: --github OWNER/REPO"]);
    } finally {
      git("remote", "add", "origin", "https://x-access-token:s3cret@github.com/acme/widgets.git");
    }
  });
});
