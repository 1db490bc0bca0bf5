// What updates the traceability dashboard besides issue events (SPEC 2.6): accepted `/reqgate waive`
// (issues and pull requests: the dashboard keeps who, why and when in its signed record) and
// `/reqgate reviewed` comments, and pushes that move the baseline, whose suspect search, when it fails,
// is said on the dashboard until the same requirements are searched again.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { createDashboardScheduler, type DashboardScheduler } from "../../src/app/dashboard.js";
import { resetDashboardFacts } from "../../src/github/dashboard-facts.js";
import { resetDashboardLists } from "../../src/github/dashboard-gateway.js";
import { composeBody } from "../../src/github/sticky-comment.js";
import { API, assertNockDone, BOT, deliver, fixture, LOCK_PATH, lockText, makeProbot, mockIssueQuery, mockLock, OWNER, recorder, REPO, REPO_ID, SECRET, strictNock } from "../helpers/github-app.js";
import { ENTRIES_D, ISSUES, mockDashboardLock, mockDashboardQuery, mockFacts, mockTree, record } from "../helpers/github-dashboard.js";
import { checkRunSink, mockMovingPush, mockPullReads, MOVING_PATHS, permission, PUSH_AFTER, pushOf, requirementChange } from "../helpers/github-pulls.js";

let probot: Probot;
let scheduler: DashboardScheduler;

async function newProcess(): Promise<Probot> {
  resetDashboardLists();
  resetDashboardFacts();
  return makeProbot({
    dashboard: {
      scheduler: (queue, shared) => {
        scheduler = createDashboardScheduler(30, queue, shared);
        return scheduler;
      },
    },
  });
}

beforeEach(async () => {
  strictNock();
  probot = await newProcess();
});
afterEach(assertNockDone);

interface Body {
  body: string;
}

const COMMENT_ID = 492700400;
const AT = "2019-05-15T15:20:21Z";
const SCOPE = { owner: OWNER, repo: REPO, repoId: REPO_ID, number: 1 };
const DASHBOARD = `/repos/${OWNER}/${REPO}/issues/50`;

function issueComment(body: string): Record<string, unknown> {
  const payload = fixture("issue_comment.created");
  return { ...payload, comment: { ...(payload.comment as object), body } };
}

function pullComment(body: string, by: string): Record<string, unknown> {
  const payload = fixture("issue_comment.created.pr");
  return { ...payload, comment: { ...(payload.comment as object), body, user: { login: by, id: 1, type: "User" } }, sender: { login: by, id: 1, type: "User" } };
}

const WAIVERS_HEAD = "## Waivers: 2\n\nWork accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.\n\n";

describe("the dashboard on waivers and reviews", () => {
  it("a waiver on an issue, then (in another process) one on a pull request: both listed with who, why and when, kept in the signed record", async () => {
    // The issue's waiver (its own pipeline), then the dashboard's update.
    nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "maintain", user: { login: "Codertocat" } });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/${COMMENT_ID}/reactions`).reply(201, {});
    mockIssueQuery({ body: "", labels: ["needs-requirement"], comments: [{ id: 77, body: composeBody(`<!-- reqgate:issue -->\nold`, undefined, SECRET, SCOPE), login: BOT, bot: true }] });
    mockLock({ text: lockText(ENTRIES_D), etag: '"lock-d1"' });
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`).reply(200, {});
    nock(API).delete(`/repos/${OWNER}/${REPO}/issues/1/labels/needs-requirement`).reply(200, []);
    mockDashboardQuery(ISSUES, [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }]);
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').reply(304, "", { etag: '"lock-d1"' });
    mockFacts();
    const first = recorder<Body>();
    nock(API).patch(DASHBOARD, first.match).reply(200, {});

    await deliver(probot, "issue_comment", issueComment("/reqgate waive exploratory spike, no product change"));
    await scheduler.idle();

    const issueWaiver = { kind: "issue", number: 1, by: "Codertocat", reason: "exploratory spike, no product change", at: AT };
    expect(first.bodies[0]!.body).toContain(
      "## Waivers: 1\n\nWork accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.\n\n- issue #1: waived by `@Codertocat` on 2019-05-15: exploratory spike, no product change\n",
    );
    expect(first.bodies[0]!.body.endsWith(`\n${record({ waivers: [issueWaiver], gaps: [] })}`)).toBe(true);

    // Another process (a restart, or a second replica): the first waiver comes from the dashboard's body.
    probot = await newProcess();
    mockPullReads({ body: "Quick fix", closingIssues: [], comments: [{ id: COMMENT_ID, by: "maya", body: "/reqgate waive release tooling only", createdAt: AT }] });
    permission("maya", "maintain");
    checkRunSink().acceptCreates(2);
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/${COMMENT_ID}/reactions`, { content: "+1" }).reply(201, {});
    mockDashboardQuery(ISSUES, [{ number: 50, body: first.bodies[0]!.body }]);
    mockDashboardLock();
    mockFacts();
    const second = recorder<Body>();
    nock(API).patch(DASHBOARD, second.match).reply(200, {});

    await deliver(probot, "issue_comment", pullComment("/reqgate waive release tooling only", "maya"));
    await scheduler.idle();

    const pullWaiver = { kind: "pull", number: 2, by: "maya", reason: "release tooling only", at: AT };
    expect(second.bodies[0]!.body).toContain(`${WAIVERS_HEAD}- issue #1: waived by \`@Codertocat\` on 2019-05-15: exploratory spike, no product change\n- pull request #2: waived by \`@maya\` on 2019-05-15: release tooling only\n`);
    expect(second.bodies[0]!.body.endsWith(`\n${record({ waivers: [issueWaiver, pullWaiver], gaps: [] })}`)).toBe(true);
  });

  it("a record someone else edited (the signature fails) is not believed: no waivers listed, and the dashboard says why", async () => {
    const forged = record({ waivers: [{ kind: "issue", number: 1, by: "Codertocat", reason: "exploratory spike", at: AT }], gaps: [] }).replace("exploratory spike", "anything goes");
    mockDashboardQuery(ISSUES, [{ number: 50, body: `<!-- reqgate:dashboard -->\nold\n${forged}` }]);
    mockDashboardLock();
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();

    const body = patch.bodies[0]!.body;
    expect(body).toContain(
      "> [!WARNING]\n> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:\n> - the record the dashboard keeps \\(waivers, incomplete suspect searches\\) was changed by someone other than reqgate and is not believed\n",
    );
    expect(body).toContain("## Waivers: 0\n");
    expect(body).not.toContain("anything goes");
    expect(body.endsWith(`\n${record({ waivers: [], gaps: [] })}`)).toBe(true);
  });

  it("/reqgate reviewed on a pull request: the pull request's pipeline, then one dashboard update", async () => {
    mockPullReads({ body: "Lockout for REQ-001", closingIssues: [], comments: [{ id: COMMENT_ID, by: "maya", body: "/reqgate reviewed", createdAt: AT }] });
    permission("maya", "write");
    checkRunSink().acceptCreates(2);
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/${COMMENT_ID}/reactions`, { content: "+1" }).reply(201, {});
    mockDashboardQuery(ISSUES, [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }]);
    mockDashboardLock();
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "issue_comment", pullComment("/reqgate reviewed", "maya"));
    await scheduler.idle();

    expect(patch.bodies).toHaveLength(1);
    expect(patch.bodies[0]!.body).toContain("## Suspect work: 1\n\nOpen work labelled `suspect`: a requirement it references changed.\n\n- #7 Stale work\n");
  });
});

describe("the dashboard when the suspect search fails", () => {
  const AFTER = PUSH_AFTER;
  const change = requirementChange();
  const movingPush = (): Record<string, unknown> => pushOf(MOVING_PATHS);

  it("says so, never 'nothing suspect', and keeps saying so on later updates (the gap is in the signed record)", async () => {
    mockMovingPush();
    nock(API).get("/search/issues").query(true).reply(503, { message: "unavailable" });
    // The dashboard: no issue found (the search failed), the lock after the push, a tree with no evidence.
    mockDashboardQuery([], [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }]);
    nock(API).get(LOCK_PATH).reply(200, change.headLock, { etag: '"lock-2"', "content-type": "text/plain; charset=utf-8" });
    mockTree({});
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "push", movingPush());
    await scheduler.idle();

    const gap = { commit: AFTER, ids: ["REQ-001"], reasons: ["a search for suspect work failed (HTTP 503)"] };
    const warning =
      "> [!WARNING]\n> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:\n> - the suspect search after the baseline move in commit 6113728 \\(REQ\\-001\\) was incomplete:\u200d a search for suspect work failed \\(HTTP 503\\); open work naming them may not be marked suspect\n";
    const suspect = "## Suspect work: 0\n\nOpen work labelled `suspect`: a requirement it references changed.\n\nNone found, but the dashboard may be incomplete (see above).\n";
    const body = patch.bodies[0]!.body;
    expect(body).toContain(warning);
    expect(body).toContain("Last baseline move: `REQ-001` in commit `6113728`.");
    expect(body).toContain(suspect);
    expect(body.endsWith(`\n${record({ waivers: [], lastMove: { commit: AFTER, ids: ["REQ-001"] }, gaps: [gap] })}`)).toBe(true);

    // A later update for an issue event, in a fresh process: the gap still stands.
    probot = await newProcess();
    mockDashboardQuery([], [{ number: 50, body }]);
    nock(API).get(LOCK_PATH).reply(200, change.headLock, { etag: '"lock-2"', "content-type": "text/plain; charset=utf-8" });
    mockTree({});
    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();
    // The same body: nothing written (strict nock: no PATCH mocked).
  });
});

describe("the waivers the dashboard lists are those in effect now", () => {
  const w = (kind: "issue" | "pull", number: number, at: string, by = "ann", reason = "spike") => ({ kind, number, by, reason, at });
  const withRecord = (waivers: ReturnType<typeof w>[]) => `<!-- reqgate:dashboard -->\nold\n\n${record({ waivers, gaps: [] })}`;
  const ONE_WAIVER = "## Waivers: 1\n\nWork accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.\n\n";

  it("an issue's waiver leaves when the issue list shows it closed or traced; an issue still unlinked keeps it (no request more)", async () => {
    // #1 is open and names nothing (waived, in effect); #2 now names REQ-011 (traced); #3 is closed.
    const recorded = [w("issue", 3, "2026-01-03T00:00:00Z"), w("issue", 2, "2026-01-02T00:00:00Z"), w("issue", 1, "2026-01-01T00:00:00Z")];
    mockDashboardQuery(ISSUES, [{ number: 50, body: withRecord(recorded) }]);
    mockDashboardLock();
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();

    const body = patch.bodies[0]!.body;
    expect(body).toContain(`${ONE_WAIVER}- issue #1: waived by \`@ann\` on 2026-01-01: spike\n`);
    expect(body.endsWith(`\n${record({ waivers: [w("issue", 1, "2026-01-01T00:00:00Z")], gaps: [] })}`)).toBe(true);
  });

  it("a deleted issue's waiver leaves (it is in no list the update reads)", async () => {
    mockDashboardQuery([], [{ number: 50, body: withRecord([w("issue", 1, "2026-01-01T00:00:00Z")]) }]);
    mockDashboardLock();
    mockTree({});
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "deleted" });
    await scheduler.idle();

    expect(patch.bodies[0]!.body).toContain("## Waivers: 0\n");
    expect(patch.bodies[0]!.body.endsWith(`\n${record({ waivers: [], gaps: [] })}`)).toBe(true);
  });

  /** The one query a closed pull request costs: its head runs' claims and, aliased, its trace run's summary. */
  function mockClosedRuns(number: number, trace: string | undefined): void {
    const claims = `<!-- reqgate:approvals {"entries":[]} -->\n<!-- reqgate:claims {"pr":${number},"b":"master","a":[],"r":[],"c":[],"x":[]} -->\n\nOK`;
    nock(API)
      .post("/graphql", (b: { query: string; variables: Record<string, unknown> }) => b.query.includes("query reqgateClaimsOf(") && b.variables.number === number)
      .reply(200, { data: { repository: { pullRequest: { commits: { nodes: [{ commit: { checkSuites: { nodes: [{ checkRuns: { nodes: [{ summary: claims }] }, trace: { nodes: trace === undefined ? [] : [{ summary: trace }] } }] } } }] } } } } });
  }

  const closedPull = (number: number) => {
    const payload = fixture("pull_request.opened");
    return { ...payload, action: "closed", number, pull_request: { ...(payload.pull_request as object), number, state: "closed" } };
  };

  it("a waived pull request closed: the same query that reads its claims says it had a waiver, which leaves the dashboard; one without a waiver asks for no update", async () => {
    // Closed without a waiver: the one query, nothing else (strict nock).
    mockClosedRuns(6, "Traced.");
    await deliver(probot, "pull_request", closedPull(6), "d-6");
    await scheduler.idle();

    mockClosedRuns(5, `<!-- reqgate:waiver {"waivers":[{"pr":5,"by":"maya","reason":"release tooling only","at":"2019-05-15T15:20:21Z","comment":7}]} -->\n\nWaived.`);
    const recorded = [w("pull", 5, "2019-05-15T15:20:21Z", "maya", "release tooling only"), w("issue", 1, "2019-05-14T00:00:00Z")];
    mockDashboardQuery(ISSUES, [{ number: 50, body: withRecord(recorded) }]);
    mockDashboardLock();
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "pull_request", closedPull(5), "d-5");
    await scheduler.idle();

    const body = patch.bodies[0]!.body;
    expect(body).toContain(`${ONE_WAIVER}- issue #1: waived by \`@ann\` on 2019-05-14: spike\n`);
    expect(body.endsWith(`\n${record({ waivers: [w("issue", 1, "2019-05-14T00:00:00Z")], gaps: [] })}`)).toBe(true);
  });

  it("an issue reopened whose waiver is in effect again: listed again (its evaluation hands it to the dashboard)", async () => {
    const waiver = { by: "Codertocat", reason: "exploratory spike, no product change", at: AT, comment: COMMENT_ID };
    mockIssueQuery({ body: "", labels: [], comments: [{ id: 77, body: composeBody(`<!-- reqgate:issue -->\nold`, waiver, SECRET, SCOPE), login: BOT, bot: true }] });
    mockLock({ text: lockText(ENTRIES_D), etag: '"lock-d1"' });
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`).reply(200, {});
    mockDashboardQuery(ISSUES, [{ number: 50, body: withRecord([]) }]);
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').reply(304, "", { etag: '"lock-d1"' });
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "reopened" });
    await scheduler.idle();

    const body = patch.bodies[0]!.body;
    expect(body).toContain(`${ONE_WAIVER}- issue #1: waived by \`@Codertocat\` on 2019-05-15: exploratory spike, no product change\n`);
    expect(body.endsWith(`\n${record({ waivers: [w("issue", 1, AT, "Codertocat", "exploratory spike, no product change")], gaps: [] })}`)).toBe(true);
  });
});

describe("a waived pull request reopened", () => {
  it("its waiver, carried by its trace run, is listed on the dashboard again", async () => {
    const trace = { id: 7001, name: "reqgate/trace", conclusion: "NEUTRAL", title: "Waived", summary: `<!-- reqgate:waiver {"waivers":[{"pr":2,"by":"maya","reason":"release tooling only","at":"${AT}","comment":7}]} -->\n\nWaived by maya.` };
    mockPullReads({ body: "Quick fix", closingIssues: [], headRuns: [trace] });
    const sink = checkRunSink();
    sink.acceptCreates(1);
    sink.acceptUpdates(1);
    mockDashboardQuery(ISSUES, [{ number: 50, body: `<!-- reqgate:dashboard -->\nold\n\n${record({ waivers: [], gaps: [] })}` }]);
    mockDashboardLock();
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(DASHBOARD, patch.match).reply(200, {});

    await deliver(probot, "pull_request", { ...fixture("pull_request.opened"), action: "reopened" });
    await scheduler.idle();

    // The trace run still names the waiver (neutral), and the dashboard lists it.
    expect(sink.updated[0]!.body.conclusion).toBe("neutral");
    const pullWaiver = { kind: "pull", number: 2, by: "maya", reason: "release tooling only", at: AT };
    expect(patch.bodies[0]!.body).toContain("- pull request #2: waived by `@maya` on 2019-05-15: release tooling only\n");
    expect(patch.bodies[0]!.body.endsWith(`\n${record({ waivers: [pullWaiver], gaps: [] })}`)).toBe(true);
  });
});
