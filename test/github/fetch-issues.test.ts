import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { workItemsFromIssues } from "../../src/domain/report/work-items.js";
import { parseRepository } from "../../src/domain/report/provenance.js";
import { fetchIssues, FetchIssuesError } from "../../src/github/fetch-issues.js";

const API = "https://api.github.com";

beforeAll(() => nock.disableNetConnect());
afterEach(allMocksUsed);

/** Every test uses every mock it sets up, and nothing else (net connect is off). */
function allMocksUsed(): void {
  expect(nock.pendingMocks()).toEqual([]);
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
}
afterAll(() => nock.enableNetConnect());

function rest(number: number, over: Record<string, unknown> = {}) {
  return {
    id: number * 1000,
    node_id: "x",
    number,
    title: `Issue ${number}`,
    body: `Implements REQ-${number}.`,
    state: "open",
    labels: [{ id: 1, name: "bug", color: "d73a4a" }],
    html_url: `https://github.com/acme/app/issues/${number}`,
    url: `${API}/repos/acme/app/issues/${number}`,
    user: { login: "octocat" },
    ...over,
  };
}

describe("fetchIssues", () => {
  it("reads every page of issues and pull requests, open and closed, with the token", async () => {
    const next = `${API}/repositories/1/issues?state=all&per_page=100&page=2`;
    nock(API, { reqheaders: { authorization: "token t0ken", "user-agent": (v: string) => v.startsWith("reqgate") } })
      .get("/repos/acme/app/issues")
      .query({ state: "all", per_page: "100" })
      .reply(200, [rest(1), rest(2, { pull_request: { url: "x" }, state: "closed", labels: ["plain"] })], {
        link: `<${next}>; rel="next", <${next}>; rel="last"`,
      })
      .get("/repositories/1/issues")
      .query({ state: "all", per_page: "100", page: "2" })
      .reply(200, [rest(3, { body: null, labels: [] })]);

    const progress: number[] = [];
    const issues = await fetchIssues({ owner: "acme", repo: "app", token: "t0ken", onProgress: (n) => progress.push(n) });

    expect(progress).toEqual([2, 3]);
    expect(issues).toEqual([
      { number: 1, title: "Issue 1", body: "Implements REQ-1.", state: "open", labels: ["bug"], html_url: "https://github.com/acme/app/issues/1" },
      { number: 2, title: "Issue 2", body: "Implements REQ-2.", state: "closed", labels: ["plain"], html_url: "https://github.com/acme/app/issues/2", pull_request: {} },
      { number: 3, title: "Issue 3", body: null, state: "open", labels: [], html_url: "https://github.com/acme/app/issues/3" },
    ]);
    // The shape is exactly what the report reads.
    const { items, diagnostics } = workItemsFromIssues(issues, new Set(["REQ"]));
    expect(diagnostics).toEqual([]);
    expect(items.map((i) => [i.number, i.isPullRequest, i.requirementIds])).toEqual([[1, false, ["REQ-1"]], [2, true, ["REQ-2"]], [3, false, []]]);
  });

  it("reads a public repository without a token", async () => {
    nock(API, { badheaders: ["authorization"] }).get("/repos/acme/app/issues").query(true).reply(200, []);
    await expect(fetchIssues({ owner: "acme", repo: "app" })).resolves.toEqual([]);
  });

  it("talks to GitHub Enterprise Server at the base URL given", async () => {
    nock("https://ghe.example.com").get("/api/v3/repos/acme/app/issues").query(true).reply(200, [rest(9)]);
    const issues = await fetchIssues({ owner: "acme", repo: "app", token: "t", baseUrl: "https://ghe.example.com/api/v3/" });
    expect(issues.map((i) => i.number)).toEqual([9]);
  });

  it.each([
    [401, {}, { message: "Bad credentials" }, "GitHub rejected the token (401 Bad credentials"],
    [404, {}, { message: "Not Found" }, "acme/app was not found at https://api.github.com, or the token cannot see it"],
    [410, {}, { message: "Issues are disabled for this repo" }, "issues are disabled in acme/app"],
    [403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800000000" }, { message: "API rate limit exceeded" }, "GitHub's rate limit is used up until 2027-01-15T08:00:00.000Z"],
    [403, {}, { message: "Resource not accessible by integration" }, "GitHub refused to list the issues of acme/app (403 Resource not accessible by integration"],
    [500, {}, { message: "boom" }, "GitHub answered 500 while listing the issues of acme/app"],
  ])("turns a %s into a clear message", async (status, headers, body, message) => {
    nock(API).get("/repos/acme/app/issues").query(true).reply(status, body, headers);
    const error = await fetchIssues({ owner: "acme", repo: "app", token: "bad" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchIssuesError);
    expect((error as FetchIssuesError).status).toBe(status);
    expect((error as FetchIssuesError).message).toContain(message);
  });

  it("fails with a message when a later page fails, rather than returning part of the list", async () => {
    const next = `${API}/repositories/1/issues?state=all&per_page=100&page=2`;
    nock(API)
      .get("/repos/acme/app/issues").query(true).reply(200, [rest(1)], { link: `<${next}>; rel="next"` })
      .get("/repositories/1/issues").query(true).reply(502, { message: "Bad Gateway" });
    await expect(fetchIssues({ owner: "acme", repo: "app", token: "t" })).rejects.toThrow("GitHub answered 502 while listing the issues of acme/app");
  });

  it("reports a network failure", async () => {
    nock(API).get("/repos/acme/app/issues").query(true).replyWithError("socket hang up");
    await expect(fetchIssues({ owner: "acme", repo: "app", token: "t" })).rejects.toThrow(/cannot read the issues of acme\/app: GitHub at https:\/\/api.github.com did not answer/);
  });

  it("refuses names that are not OWNER/REPO before any request", async () => {
    await expect(fetchIssues({ owner: "acme/../x", repo: "app" })).rejects.toThrow('"acme/../x/app" is not a repository name of the form OWNER/REPO');
  });
});

describe("parseRepository", () => {
  it.each([
    ["acme/app", { owner: "acme", repo: "app" }],
    [" acme-1/app.js_x ", { owner: "acme-1", repo: "app.js_x" }],
    ["acme", undefined],
    ["acme/app/x", undefined],
    ["/app", undefined],
    ["acme/..", undefined],
    ["-acme/app", undefined],
    ["ac me/app", undefined],
  ])("%j", (slug, expected) => {
    expect(parseRepository(slug)).toEqual(expected);
  });
});
