// The traceability dashboard (SPEC 2.6) through the handlers: created on the first event, found again by
// its label, marker and bot author, edited in place, never duplicated; debounced per repository.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { createDashboardScheduler, type DashboardScheduler } from "../../src/app/dashboard.js";
import { resetDashboardLists } from "../../src/github/dashboard-gateway.js";
import { resetDashboardFacts } from "../../src/github/dashboard-facts.js";
import { API, assertNockDone, deliver, expectOnlyMockedRequests, fixture, LOCK_PATH, lockText, makeProbot, mockIssueQuery, OWNER, recorder, REPO, strictNock } from "../helpers/github-app.js";
import { ENTRIES_D, FILES, ISSUES, mockDashboardLock, mockDashboardQuery, mockFacts, mockTree, mockWarmUp, record } from "../helpers/github-dashboard.js";

let probot: Probot;
let scheduler: DashboardScheduler;

beforeEach(async () => {
  strictNock();
  resetDashboardLists();
  resetDashboardFacts();
  probot = await makeProbot({
    dashboard: {
      scheduler: (queue, shared) => {
        scheduler = createDashboardScheduler(30, queue, shared);
        return scheduler;
      },
    },
  });
});
afterEach(assertNockDone);

interface Body {
  body: string;
}

function edited(number: number): Record<string, unknown> {
  const payload = fixture("issues.edited");
  return { ...payload, issue: { ...(payload.issue as object), number }, changes: { title: { from: "x" } } };
}

/** The first dashboard of the requirement set of test/helpers/github-dashboard.ts (each line checked by hand against ENTRIES_D, FILES and ISSUES). */
const FIRST_BODY = [
  "<!-- reqgate:dashboard -->",
  "This issue is kept current by reqgate: edits to it are overwritten. `reqgate report` has the full lists.",
  "",
  "## Baseline",
  "",
  "5 active, 1 retired requirements; 1 change records last moved them.",
  "",
  "## At risk: 1",
  "",
  "Active requirements that no issue references (open or closed), directly or through a descendant.",
  "",
  "- `REQ-014` Print receipts",
  "",
  "## Split work: 2",
  "",
  "Requirements referenced by two or more issues, with the requirement's owner; done when every issue is closed and evidence (a `@verifies` line) exists.",
  "",
  "- `REQ-011` Lock account after repeated failed logins (owner `@acme/security`): #2 (open), #3 (closed), #7 (open) — 2 open",
  "- `REQ-012` Export the audit log as CSV (**no owner**): #4 (closed), #5 (closed) — done",
  "",
  "## In progress: 1",
  "",
  "Active requirements with at least one open issue.",
  "",
  "- `REQ-011`: #2, #7",
  "",
  "## Done without evidence: 1",
  "",
  "Active requirements whose issues are all closed, and that no `@verifies` line under `verification.paths` names.",
  "",
  "- `REQ-013` Rate\\-limit the public API: #6 closed",
  "",
  "## Suspect work: 1",
  "",
  "Open work labelled `suspect`: a requirement it references changed.",
  "",
  "- #7 Stale work",
  "",
  "## Unlinked issues: 1",
  "",
  "Open issues labelled `needs-requirement`.",
  "",
  "- #1 Spelling",
  "",
  "## Waivers: 0",
  "",
  "Work accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.",
  "",
  "None.",
  "",
  "## Coverage",
  "",
  "Red: no issue; blue: covered through a descendant; yellow: in progress; orange: closed without evidence; green: done.",
  "",
  "```mermaid",
  "graph LR",
  "  REQ_010[\"REQ-010\"]:::sub",
  "  REQ_011[\"REQ-011\"]:::work",
  "  REQ_010 --> REQ_011",
  "  REQ_011 --> I2[\"#2\"]",
  "  REQ_011 --> I3[\"#3\"]",
  "  REQ_011 --> I7[\"#7\"]",
  "  REQ_012[\"REQ-012\"]:::done",
  "  REQ_012 --> I4[\"#4\"]",
  "  REQ_012 --> I5[\"#5\"]",
  "  REQ_013[\"REQ-013\"]:::closed",
  "  REQ_013 --> I6[\"#6\"]",
  "  REQ_014[\"REQ-014\"]:::risk",
  "  classDef risk fill:#f8d7da",
  "  classDef sub fill:#dbeafe",
  "  classDef work fill:#fff3cd",
  "  classDef closed fill:#ffe5b4",
  "  classDef done fill:#d4edda",
  "```",
  "",
  record({ waivers: [], gaps: [] }),
].join("\n");

describe("the traceability dashboard", () => {
  it("two issues edited at once: one comment each, and one dashboard created with every section (expected body written out)", async () => {
    nock(API).get(LOCK_PATH).times(3).reply(200, lockText(ENTRIES_D), { etag: '"lock-d1"', "content-type": "text/plain; charset=utf-8" });
    mockIssueQuery({ title: "Spelling", body: "", labels: ["needs-requirement"] });
    mockIssueQuery({ title: "Typo", body: "", labels: ["needs-requirement"] });
    const comments = recorder<Body>();
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/1/comments`, comments.match).reply(201, { id: 901 });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/2/comments`, comments.match).reply(201, { id: 902 });
    mockDashboardQuery(ISSUES);
    mockFacts();
    const label = recorder();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, label.match).reply(201, {});
    const created = recorder<{ title: string; body: string; labels: string[] }>();
    nock(API).post(`/repos/${OWNER}/${REPO}/issues`, created.match).reply(201, { number: 50 });

    await Promise.all([deliver(probot, "issues", edited(1), "d-1"), deliver(probot, "issues", edited(2), "d-2")]);
    await scheduler.idle();

    expect(comments.bodies).toHaveLength(2);
    expect(label.bodies).toEqual([{ name: "reqgate-dashboard", color: "d93f0b", description: "reqgate: the traceability dashboard (kept current by reqgate)" }]);
    expect(created.bodies).toHaveLength(1);
    const { title, body, labels } = created.bodies[0]!;
    expect([title, labels]).toEqual(["reqgate: traceability dashboard", ["reqgate-dashboard"]]);
    expect(body).toBe(FIRST_BODY);
  });

  it("found again by its label, marker and bot author: edited in place; a copy by someone else is ignored; unchanged means no write", async () => {
    mockDashboardLock();
    mockFacts();
    const seen: Array<Record<string, unknown>> = [];
    mockDashboardQuery(ISSUES, [{ number: 40, body: "<!-- reqgate:dashboard -->\nforged", bot: false }, { number: 50, body: "<!-- reqgate:dashboard -->\nold" }], seen);
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();
    expect(patch.bodies[0]!.body).toBe(FIRST_BODY);
    expect(seen[0]).toMatchObject({ label: "reqgate-dashboard", since: null, first: true });

    // Again: only issues updated since the last read are asked for, the lock and the tree are 304s, no
    // blob is read again, and the same body is not written again.
    mockDashboardQuery([], [{ number: 50, body: patch.bodies[0]!.body }], seen);
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').reply(304, "", { etag: '"lock-d1"' });
    mockTree(FILES, { notModified: true });
    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" }, "d-2");
    await scheduler.idle();
    expect(seen[1]).toMatchObject({ since: "2026-01-01T00:00:00Z" });
  });

  it("events within the window give one update", async () => {
    mockDashboardLock();
    mockDashboardQuery(ISSUES, [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }]);
    mockFacts();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`).reply(200, {});

    for (let i = 0; i < 5; i++) await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" }, `d-${i}`);
    await scheduler.idle();
    // One query, one lock read, one tree and three blob reads, one edit for five events.
    expectOnlyMockedRequests();
  });

  it("dashboard: false: nothing is written", async () => {
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateDashboard"))
      .reply(200, { data: { repository: { config: { text: "dashboard: false\n", isTruncated: false }, dashboards: { nodes: [] }, issues: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }, ownerDefaults: { config: null } } });

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();
    // The query only: no lock read, no write.
    expectOnlyMockedRequests();
  });
});

describe("the dashboard's warm-up", () => {
  it("more referenced files than one update reads (100): it says what it has not read, and reads on by itself in the next window until nothing is left", async () => {
    // 120 requirements, each named by one of three issues (40 each), one file each; the first update
    // (the event's) makes 2 blob queries of 50, the second (asked for by the first, no event) the last 20.
    const { asked } = mockWarmUp();
    const patches = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patches.match).times(2).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();

    expect(asked).toEqual([50, 50, 20]);
    expect(patches.bodies).toHaveLength(2);
    expect(patches.bodies[0]!.body).toContain("> - 20 requirement files are not read yet \\(at most 100 files an update; the next updates read the rest\\):");
    expect(patches.bodies[1]!.body).not.toContain("not read yet");
    expect(patches.bodies[1]!.body).toContain("## At risk: 0\n");
  });
});
