import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { readRecordPulls } from "../../src/github/record-pulls.js";
import { githubContract, takeContractViolations } from "../support/github-contract.js";

beforeAll(() => nock.disableNetConnect());
afterEach(strictGitHub);

/** Every test uses every mock it sets up, nothing else (net connect is off), and GitHub's API description holds. */
function strictGitHub(): void {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  expect(takeContractViolations()).toEqual([]);
}
afterAll(() => nock.enableNetConnect());

const Checked = Octokit.plugin(githubContract);
const sha = (n: number) => n.toString(16).padStart(40, "0");

describe("readRecordPulls", () => {
  it("asks 20 commits per query, stops at the cap, and says which commits were not looked up", async () => {
    const commits = Array.from({ length: 41 }, (_, i) => sha(i + 1));
    const asked: string[][] = [];
    nock("https://api.github.com")
      .post("/graphql")
      .times(2)
      .reply(200, (_uri, body) => {
        const v = (body as { variables: Record<string, string> }).variables;
        const mine = Object.keys(v).filter((k) => /^c\d+$/.test(k));
        asked.push(mine.map((k) => v[k]!));
        return { data: { repository: Object.fromEntries(mine.map((k) => [k, { associatedPullRequests: { nodes: [] } }])) } };
      });
    const result = await readRecordPulls({ owner: "acme", repo: "widgets", token: "t", commits: [...commits, commits[0]!], maxRequests: 2, octokit: Checked });
    expect(result.requests).toBe(2);
    expect(asked).toEqual([commits.slice(0, 20), commits.slice(20, 40)]);
    expect(result.byCommit.get(commits[0]!)).toEqual({ pulls: [] });
    expect(result.byCommit.get(commits[40]!)).toEqual({ failure: "not looked up: the cap of 2 GitHub requests (40 commits) was reached" });
  });

  it("on GitHub Enterprise Server, asks /api/graphql next to GITHUB_API_URL's /api/v3", async () => {
    nock("https://ghe.example.com").post("/api/graphql").reply(200, { data: { repository: { c0: null } } });
    const result = await readRecordPulls({ owner: "acme", repo: "widgets", token: "t", baseUrl: "https://ghe.example.com/api/v3/", commits: [sha(1)], octokit: Checked });
    expect([result.requests, result.byCommit.get(sha(1))]).toEqual([1, { failure: "commit 000000000000 is not on GitHub (not pushed?)" }]);
  });

  it("after a 401 asks nothing more: every later commit carries the same reason", async () => {
    nock("https://api.github.com").post("/graphql").reply(401, { message: "Bad credentials" });
    const commits = Array.from({ length: 30 }, (_, i) => sha(i + 1));
    const result = await readRecordPulls({ owner: "acme", repo: "widgets", token: "t", commits, octokit: Checked });
    expect(result.requests).toBe(1);
    expect(new Set([...result.byCommit.values()].map((x) => JSON.stringify(x)))).toEqual(new Set([JSON.stringify({ failure: "GitHub rejected the token (401): set GITHUB_TOKEN to a valid token" })]));
    expect(result.byCommit.size).toBe(30);
  });
});
