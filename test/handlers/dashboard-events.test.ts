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
