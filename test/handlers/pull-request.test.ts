import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ledgerFromSummary } from "../../src/domain/approvals/ledger.js";
import { API, deliver, fixture, issueData, mockIssueQuery, mockLock, OWNER, REPO, REPO_ID, useStrictProbot } from "../helpers/github-app.js";
import { BASE, baselineOn, changingState, checkRunSink, HEAD, LOCK, mockPullReads, PR_URL } from "../helpers/github-pulls.js";

const app = useStrictProbot();

describe("pull_request.opened", () => {
  it("a pull request that changes no requirement: trace success, baseline success; config, lock and runs read in one query", async () => {
    const seen: Array<{ query: string; variables: Record<string, unknown> }> = [];
    mockPullReads({}, { seen });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    expect(seen[0]!.variables).toMatchObject({ owner: OWNER, repo: REPO, number: 2, config: "HEAD:.github/reqgate.yml", lock: `${BASE}:${LOCK}`, head: HEAD, appId: 31337 });
    const trace = sink.byName("reqgate/trace");
    expect(trace).toMatchObject({ head_sha: HEAD, status: "completed", conclusion: "success", details_url: PR_URL, actions: [] });
    expect(trace.output.title).toBe("Traced to REQ-001");
    expect(trace.output.summary).toContain("| #2 | #1 Lockout (linked) | REQ\\-001 Lock account after repeated failed logins | ✅ traced |");
    expect(trace.external_id).toBeUndefined();
    const baseline = sink.byName("reqgate/baseline");
    expect(baseline).toMatchObject({ head_sha: HEAD, status: "completed", conclusion: "success", details_url: PR_URL, actions: [] });
    expect(baseline.output.title).toBe("No baseline change");
    // The pull request it was evaluated for, and the subject: a press binds to both.
    expect(baseline.external_id).toMatch(/^pr2:sha256:[0-9a-f]{64}$/);
  });

  it("a requirement change waiting for approval: action_required, who must approve, the Approve button, the subject as external_id", async () => {
    const baseline = await baselineOn(app.probot, changingState(), "pull_request.opened");
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.title).toBe("Waiting for 1 approval from requirements board");
    expect(baseline.actions).toEqual([{ label: "Approve", description: "Approve this baseline change", identifier: "approve" }]);
    expect(baseline.details_url).toBe(PR_URL);
    expect(baseline.output.summary).toContain("| requirements board | REQ\\-001 | ⏳ 0 of 1 | — | anyone with maintain permission or higher (not the author or anyone who pushed commits) |");
    expect(baseline.output.summary).toContain("| REQ\\-001 | modified | CR\\-0002 | Lock account after repeated failed logins |");
    expect(baseline.output.summary).toContain("- text: The system shall lock an account after 5 failed logins.\n+ text: The system shall lock an account after 3 failed logins.");
    expect(baseline.output.annotations).toBeUndefined();
    expect(baseline.external_id).toMatch(/^pr2:sha256:/);
    expect(ledgerFromSummary(baseline.output.summary)).toEqual({ entries: [] });
  });

  it("validation errors become annotations on the exact file and line, and fail the check", async () => {
    const state = changingState();
    const bad = "id: REQ-001\ntitle: Lock\ntext: Lock.\ntitel: typo\n";
    state.files = [{ filename: "requirements/REQ-001.yml", status: "modified", text: bad }, ...state.files!.slice(1)];
    const baseline = await baselineOn(app.probot, state, "pull_request.opened");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.annotations).toContainEqual(expect.objectContaining({ path: "requirements/REQ-001.yml", start_line: 4, annotation_level: "failure" }));
    // A failing change offers no Approve button (SPEC 5).
    expect(baseline.actions).toEqual([]);
  });
});

describe("the other pull_request actions", () => {
  it.each(["edited", "synchronize", "reopened", "ready_for_review", "labeled", "unlabeled"])("pull_request.%s evaluates both checks", async (action) => {
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture(`pull_request.${action}`));

    expect(sink.created.map((b) => [b.name, b.conclusion])).toEqual([
      ["reqgate/trace", "success"],
      ["reqgate/baseline", "success"],
    ]);
  });

  it("an exempt label makes the trace check neutral with the reason", async () => {
    mockPullReads({ labels: ["chore"], body: "", closingIssues: [], config: "pull_requests:\n  exempt_labels: [chore]\n" });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.labeled"));

    expect(sink.byName("reqgate/trace")).toMatchObject({ conclusion: "neutral", output: expect.objectContaining({ title: 'Exempt: labelled "chore"' }) });
  });

  it("an untraced pull request fails the trace check and says how to fix it", async () => {
    mockPullReads({ body: "Small fix", closingIssues: [] });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.edited"));

    const trace = sink.byName("reqgate/trace");
    expect(trace.conclusion).toBe("failure");
    expect(trace.output.title).toBe("Not traced: the pull request neither closes nor references an issue, and names no requirement");
    expect(trace.output.summary).toContain("add `Fixes #<issue>`");
  });
});

describe("configuration", () => {
  it("is read from the default branch only, even when the pull request changes .github/reqgate.yml", async () => {
    const seen: Array<{ query: string; variables: Record<string, unknown> }> = [];
    const state = changingState();
    // The head loosens the rules; the default branch's configuration still applies.
    state.files!.push({ filename: ".github/reqgate.yml", status: "modified", text: "change_control:\n  rules: []\n" });
    mockPullReads(state, { seen });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    expect(seen[0]!.variables.config).toBe("HEAD:.github/reqgate.yml");
    expect(sink.byName("reqgate/baseline").conclusion).toBe("action_required");
  });

  it("an invalid configuration fails both checks with the exact key", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/pulls/2`).reply(200, { number: 2, state: "open", title: "t", body: "", user: { login: "Codertocat" }, labels: [], head: { sha: HEAD }, base: { sha: BASE, ref: "master" }, changed_files: 1, html_url: PR_URL }, { etag: '"p"' });
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgatePull("))
      .reply(200, { data: { repository: { config: { text: "change_control:\n  rules:\n    - name: x\n      count: 99\n", isTruncated: false }, baseLock: null, head: null, pullRequest: { closingIssuesReferences: { nodes: [] }, reviews: { nodes: [] }, comments: { nodes: [] }, commits: { nodes: [] }, recent: { nodes: [] }, timelineItems: { nodes: [] } } }, ownerDefaults: { config: null } } });
    nock(API).get(`/repos/${OWNER}/${REPO}/pulls/2`).matchHeader("if-none-match", '"p"').reply(304, "", { etag: '"p"' });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    expect(sink.byName("reqgate/trace")).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: "Invalid configuration: 2 problems in .github/reqgate.yml" }) });
    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("Invalid configuration: 2 problems in .github/reqgate.yml");
    expect(baseline.output.annotations).toContainEqual(expect.objectContaining({ path: ".github/reqgate.yml", start_line: 4 }));
  });
});

describe("issues that pull requests reference", () => {
  it("an edited issue re-evaluates the trace check of the open pull requests that reference it (trace only)", async () => {
    const queries: Array<{ query: string; variables: Record<string, unknown> }> = [];
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateIssue("))
      .reply(200, (_uri, body) => {
        queries.push(body as { query: string; variables: Record<string, unknown> });
        const data = issueData({ body: "Requirement: REQ-001" }) as { repository: { issue: Record<string, unknown> } };
        const pr = (number: number, state = "OPEN", repo = REPO_ID) => ({ number, state, repository: { databaseId: repo } });
        data.repository.issue.closedByPullRequestsReferences = { nodes: [pr(2)] };
        data.repository.issue.timelineItems = { nodes: [{ source: pr(2) }, { source: pr(7, "CLOSED") }, { source: pr(9, "OPEN", 1) }, { source: { number: 4, state: "OPEN" } }] };
        return { data };
      });
    mockLock();
    mockPullReads({ closingIssues: [{ number: 1, title: "Lockout", body: "Requirement: REQ-001" }] }, { traceOnly: true });
    const sink = checkRunSink();
    sink.acceptCreates(1);

    await deliver(app.probot, "issues", fixture("issues.edited"));

    expect(queries[0]!.variables.pulls).toBe(true);
    expect(sink.created.map((b) => [b.name, b.conclusion])).toEqual([["reqgate/trace", "success"]]);
  });

  it("an opened issue is referenced by no pull request yet: it does not look", async () => {
    const queries: Array<{ query: string; variables: Record<string, unknown> }> = [];
    mockIssueQuery({ body: "Requirement: REQ-001" }, queries);
    mockLock();

    await deliver(app.probot, "issues", fixture("issues.opened"));

    expect(queries[0]!.variables.pulls).toBe(false);
  });
});

describe("a waiver on an issue", () => {
  it("re-traces the pull requests that reference the issue: the issue is exempt there", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "admin", role_name: "admin", user: { login: "Codertocat" } });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/492700400/reactions`, { content: "+1" }).reply(201, {});
    nock(API)
      .post("/graphql", (b: { query: string; variables: { pulls: boolean } }) => b.query.includes("query reqgateIssue(") && b.variables.pulls)
      .reply(200, () => {
        const data = issueData({ body: "" }) as { repository: { issue: Record<string, unknown> } };
        data.repository.issue.closedByPullRequestsReferences = { nodes: [{ number: 2, state: "OPEN", repository: { databaseId: REPO_ID } }] };
        return { data };
      });
    mockLock();
    const issueComments: Array<{ id: number; body: string; bot: boolean; login: string }> = [];
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues/1/comments`)
      .reply(201, (_uri, body) => {
        issueComments.push({ id: 950, body: (body as { body: string }).body, bot: true, login: "reqgate[bot]" });
        return { id: 950 };
      });
    mockPullReads({ closingIssues: [{ number: 1, title: "Spike", body: "", comments: issueComments }] }, { traceOnly: true });
    const sink = checkRunSink();
    sink.acceptCreates(1);

    const payload = fixture("issue_comment.created");
    await deliver(app.probot, "issue_comment", { ...payload, comment: { ...(payload.comment as object), body: "/reqgate waive exploratory spike" } });

    const trace = sink.byName("reqgate/trace");
    expect([trace.conclusion, trace.output.title]).toEqual(["success", "Traced: 1 waived issue"]);
    expect(trace.output.summary).toContain("➖ exempt: exploratory spike");
  });
});
