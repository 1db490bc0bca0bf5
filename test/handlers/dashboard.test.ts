// The traceability dashboard (SPEC 2.6) through the handlers: created on the first event, found again by
// its label, marker and bot author, edited in place, never duplicated; debounced per repository.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { createDashboardScheduler, type DashboardScheduler } from "../../src/app/dashboard.js";
import { resetDashboardLists } from "../../src/github/dashboard-gateway.js";
import { resetDashboardFacts } from "../../src/github/dashboard-facts.js";
import { API, assertNockDone, deliver, expectOnlyMockedRequests, fixture, LOCK_PATH, lockText, makeProbot, mockIssueQuery, OWNER, recorder, REPO, strictNock } from "../helpers/github-app.js";
import { ENTRIES_D, FILES, ISSUES, mockBlobs, mockDashboardLock, mockDashboardQuery, mockFacts, mockIssuePage, mockTree, mockWarmUp, record, sha } from "../helpers/github-dashboard.js";

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

/**
 * The dashboard as the update that creates it writes it: its 6 requests leave one blob query, which reads
 * the files of the requirements the issues name and the evidence, not REQ-010's (the parent of REQ-011).
 * So at risk is not known yet (REQ-014 may have a descendant not read), REQ-010 is covered through REQ-011
 * (blue) and REQ-014 grey; everything else is as complete as in FIRST_BODY.
 */
const CREATED_BODY = [
  "<!-- reqgate:dashboard -->",
  "This issue is kept current by reqgate: edits to it are overwritten. `reqgate report` has the full lists.",
  "",
  "> [!WARNING]",
  "> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:",
  "> - requirement files not read yet:\u200d 1 \\(a bounded number an update; the next updates read the rest\\):\u200d owners are shown for the files read",
  "",
  "## Baseline",
  "",
  "5 active, 1 retired requirements; 1 change records last moved them.",
  "",
  "## At risk: not known yet",
  "",
  "Active requirements that no issue references (open or closed), directly or through a descendant.",
  "",
  "2 active requirements are referenced by no issue directly; whether a descendant covers them is known once the requirement files are read (see above). Listed then.",
  "",
  ...FIRST_BODY.split("\n").slice(FIRST_BODY.split("\n").indexOf("## Split work: 2"), FIRST_BODY.split("\n").indexOf("## Coverage")),
  "## Coverage",
  "",
  "Red: no issue; blue: covered through a descendant; yellow: in progress; orange: closed without evidence; green: done. Grey: not known yet (see above).",
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
  "  REQ_014[\"REQ-014\"]:::unknown",
  "  classDef risk fill:#f8d7da",
  "  classDef sub fill:#dbeafe",
  "  classDef work fill:#fff3cd",
  "  classDef closed fill:#ffe5b4",
  "  classDef done fill:#d4edda",
  "  classDef unknown fill:#e5e7eb",
  "```",
  "",
  record({ waivers: [], gaps: [] }),
].join("\n");

describe("the traceability dashboard", () => {
  it("two issues edited at once: one comment each, one dashboard created within 6 requests (what it could not read said), then completed by the update it asks for (expected bodies written out)", async () => {
    nock(API).get(LOCK_PATH).times(4).reply(200, lockText(ENTRIES_D), { etag: '"lock-d1"', "content-type": "text/plain; charset=utf-8" });
    mockIssueQuery({ title: "Spelling", body: "", labels: ["needs-requirement"] });
    mockIssueQuery({ title: "Typo", body: "", labels: ["needs-requirement"] });
    const comments = recorder<Body>();
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/1/comments`, comments.match).reply(201, { id: 901 });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/2/comments`, comments.match).reply(201, { id: 902 });
    // The first update: the query, the lock, the tree, one blob query, the label, the issue (6 requests).
    const seen: Array<Record<string, unknown>> = [];
    mockDashboardQuery(ISSUES, [], seen);
    mockTree();
    mockBlobs(["requirements/REQ-011.yml", "requirements/REQ-012.yml", "requirements/REQ-013.yml", "test/audit.test.ts"]);
    const label = recorder();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, label.match).reply(201, {});
    const created = recorder<{ title: string; body: string; labels: string[] }>();
    const found: Array<{ number: number; body: string }> = [];
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues`, created.match)
      .reply(201, (_uri, body) => {
        found.push({ number: 50, body: (body as { body: string }).body });
        return { number: 50 };
      });
    // The update it asks for: issues updated since (none but the dashboard), the lock and the tree (304), REQ-010's file, the edit.
    mockDashboardQuery([], found, seen);
    mockTree(FILES, { notModified: true });
    mockBlobs(["requirements/REQ-010.yml"]);
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patch.match).reply(200, {});

    await Promise.all([deliver(probot, "issues", edited(1), "d-1"), deliver(probot, "issues", edited(2), "d-2")]);
    await scheduler.idle();

    expect(comments.bodies).toHaveLength(2);
    expect(label.bodies).toEqual([{ name: "reqgate-dashboard", color: "d93f0b", description: "reqgate: the traceability dashboard (kept current by reqgate)" }]);
    expect(created.bodies).toHaveLength(1);
    const { title, body, labels } = created.bodies[0]!;
    expect([title, labels]).toEqual(["reqgate: traceability dashboard", ["reqgate-dashboard"]]);
    expect(body).toBe(CREATED_BODY);
    expect(seen).toEqual([
      { owner: OWNER, repo: REPO, config: "HEAD:.github/reqgate.yml", label: "reqgate-dashboard", since: null, after: null, first: true },
      { owner: OWNER, repo: REPO, config: "HEAD:.github/reqgate.yml", label: "reqgate-dashboard", since: "2026-01-01T00:00:00Z", after: null, first: true },
    ]);
    expect(patch.bodies).toEqual([{ body: FIRST_BODY }]);
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
    // One query, one lock read, one tree and two blob reads, one edit for five events.
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
    expect(patches.bodies[0]!.body).toContain("> - requirement files not read yet:\u200d 20 \\(a bounded number an update; the next updates read the rest\\):\u200d owners are shown for the files read\n");
    expect(patches.bodies[0]!.body).toContain("## At risk: not known yet\n");
    expect(patches.bodies[1]!.body).not.toContain("not read yet");
    expect(patches.bodies[1]!.body).toContain("## At risk: 0\n");
  });
});

describe("the dashboard's first read of a long issue list", () => {
  /** Closed issues that name no requirement: they change no section, only how many issues there are. */
  const chores = (from: number, n: number, day: string) => Array.from({ length: n }, (_, i) => ({ number: from + i, title: `Chore ${from + i}`, body: "", state: "CLOSED" as const, updatedAt: `2026-01-0${day}T00:00:00Z` }));
  const byNumber = (n: number) => ISSUES.find((i) => i.number === n)!;

  it("450 issues: each update stays within 6 requests; the first says how far it read and claims nothing a missing issue could change; the next ones read on from its cursor, then the files (expected bodies written out)", async () => {
    // Newest first: #7 and #2 on page 1, the other five of ISSUES and the dashboard itself on page 5.
    const pages = [
      [{ ...byNumber(7), updatedAt: "2026-01-09T00:00:00Z" }, byNumber(2), ...chores(100, 98, "8")],
      chores(198, 100, "7"),
      chores(298, 100, "6"),
      chores(398, 100, "5"),
      [...[1, 3, 4, 5, 6].map(byNumber), { number: 50, title: "reqgate: traceability dashboard", body: "", labels: ["reqgate-dashboard"] }, ...chores(498, 44, "4")],
    ];
    const dashboards = [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }];
    const seen: Array<Record<string, unknown>> = [];
    const patches: string[] = [];
    nock(API)
      .patch(`/repos/${OWNER}/${REPO}/issues/50`)
      .times(3)
      .reply(200, (_uri, body) => {
        patches.push((body as Body).body);
        dashboards[0] = { number: 50, body: (body as Body).body };
        return {};
      });
    // Update 1 (the event's): 4 pages, the lock, the edit; no request left for the files.
    pages.slice(0, 4).forEach((issues, i) => mockIssuePage({ after: i === 0 ? null : `c${i}`, since: null, issues, next: `c${i + 1}`, total: 450, count: 450, dashboards }, seen));
    mockDashboardLock();
    // Update 2 (asked for by the first): page 5 from its cursor, the issues updated since page 1 was read
    // (the dashboard, just edited), the lock (304), the tree and one blob query, the edit.
    mockIssuePage({ after: "c4", since: null, issues: pages[4]!, total: 450, count: 450, dashboards }, seen);
    mockIssuePage({ after: null, since: "2026-01-09T00:00:00Z", issues: [{ number: 50, title: "reqgate: traceability dashboard", body: "", labels: ["reqgate-dashboard"], updatedAt: "2026-01-10T00:00:00Z" }], total: 1 }, seen);
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').times(2).reply(304, "", { etag: '"lock-d1"' });
    mockTree();
    mockBlobs(["requirements/REQ-011.yml", "requirements/REQ-012.yml", "requirements/REQ-013.yml", "test/audit.test.ts"]);
    // Update 3: one page of issues updated since, GitHub's count matching the list; the lock and the tree (304), REQ-010's file, the edit.
    mockIssuePage({ after: null, since: "2026-01-10T00:00:00Z", issues: [{ number: 50, title: "reqgate: traceability dashboard", body: "", labels: ["reqgate-dashboard"], updatedAt: "2026-01-11T00:00:00Z" }], total: 1, count: 450, dashboards }, seen);
    mockTree(FILES, { notModified: true });
    mockBlobs(["requirements/REQ-010.yml"]);

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();

    expect(seen.map((v) => [v.after, v.since, v.first])).toEqual([
      [null, null, true],
      ["c1", null, false],
      ["c2", null, false],
      ["c3", null, false],
      ["c4", null, true],
      [null, "2026-01-09T00:00:00Z", false],
      [null, "2026-01-10T00:00:00Z", true],
    ]);
    expect(patches[0]).toBe(
      [
        "<!-- reqgate:dashboard -->",
        "This issue is kept current by reqgate: edits to it are overwritten. `reqgate report` has the full lists.",
        "",
        "> [!WARNING]",
        "> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:",
        "> - issues read: 400 of about 450; the rest in the next updates",
        "",
        "## Baseline",
        "",
        "5 active, 1 retired requirements; 1 change records last moved them.",
        "",
        "## At risk: not known yet",
        "",
        "Active requirements that no issue references (open or closed), directly or through a descendant.",
        "",
        "The issue list is not read in full yet (see above): a requirement that no issue read so far references may be referenced by one not read yet. Listed once the list is read.",
        "",
        "## Split work: at least 1",
        "",
        "Requirements referenced by two or more issues, with the requirement's owner; done when every issue is closed and evidence (a `@verifies` line) exists.",
        "",
        "- `REQ-011` Lock account after repeated failed logins (owner not read yet): #2 (open), #7 (open) — 2 open",
        "",
        "## In progress: at least 1",
        "",
        "Active requirements with at least one open issue.",
        "",
        "- `REQ-011`: #2, #7",
        "",
        "## Done without evidence: not known yet",
        "",
        "Active requirements whose issues are all closed, and that no `@verifies` line under `verification.paths` names. The issue list is not read in full yet (see above): an issue not read yet may still be open.",
        "",
        "## Suspect work: at least 1",
        "",
        "Open work labelled `suspect`: a requirement it references changed.",
        "",
        "- #7 Stale work",
        "",
        "## Unlinked issues: at least 0",
        "",
        "Open issues labelled `needs-requirement`.",
        "",
        "None found, but the dashboard may be incomplete (see above).",
        "",
        "## Waivers: 0",
        "",
        "Work accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.",
        "",
        "None.",
        "",
        "## Coverage",
        "",
        "Red: no issue; blue: covered through a descendant; yellow: in progress; orange: closed without evidence; green: done. Grey: not known yet (see above).",
        "",
        "```mermaid",
        "graph LR",
        '  REQ_010["REQ-010"]:::unknown',
        '  REQ_011["REQ-011"]:::work',
        '  REQ_011 --> I2["#2"]',
        '  REQ_011 --> I7["#7"]',
        '  REQ_012["REQ-012"]:::unknown',
        '  REQ_013["REQ-013"]:::unknown',
        '  REQ_014["REQ-014"]:::unknown',
        "  classDef risk fill:#f8d7da",
        "  classDef sub fill:#dbeafe",
        "  classDef work fill:#fff3cd",
        "  classDef closed fill:#ffe5b4",
        "  classDef done fill:#d4edda",
        "  classDef unknown fill:#e5e7eb",
        "```",
        "",
        record({ waivers: [], gaps: [] }),
      ].join("\n"),
    );
    // The whole list read (and brought up to date), REQ-010's file not yet: the body the creating update writes in the small case.
    expect(patches[1]).toBe(CREATED_BODY);
    expect(patches[2]).toBe(FIRST_BODY);
  });
});

describe("the dashboard's budget with a configuration that extends another", () => {
  it("the extended file's read is one of the 6 requests: 3 pages of issues, and no request left for the files, which the next update reads", async () => {
    const chores = Array.from({ length: 300 }, (_, i) => ({ number: 100 + i, title: `Chore ${100 + i}`, body: "", state: "CLOSED" as const, updatedAt: i === 0 ? "2026-01-09T00:00:00Z" : "2026-01-01T00:00:00Z" }));
    const dashboards = [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }];
    const config = "_extends: policies:base.yml\n";
    const seen: Array<Record<string, unknown>> = [];
    // Update 1: the query, base.yml, two more pages (the list ends), the lock, the edit.
    mockIssuePage({ after: null, since: null, issues: chores.slice(0, 100), next: "c1", total: 300, count: 300, dashboards, config }, seen);
    mockIssuePage({ after: "c1", since: null, issues: chores.slice(100, 200), next: "c2", total: 300 }, seen);
    mockIssuePage({ after: "c2", since: null, issues: chores.slice(200), total: 300 }, seen);
    nock(API).get(`/repos/${OWNER}/policies/contents/base.yml`).reply(200, "dashboard: true\n", { etag: '"base-1"' });
    mockDashboardLock();
    // Update 2 (asked for by the first): the issues updated since, base.yml and the lock (304), the tree, the evidence file, the edit.
    mockIssuePage({ after: null, since: "2026-01-09T00:00:00Z", issues: [], total: 0, count: 300, dashboards, config }, seen);
    nock(API).get(`/repos/${OWNER}/policies/contents/base.yml`).matchHeader("if-none-match", '"base-1"').reply(304, "", { etag: '"base-1"' });
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').reply(304, "", { etag: '"lock-d1"' });
    mockTree();
    mockBlobs(["test/audit.test.ts"]);
    const patches = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patches.match).times(2).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();

    expect(seen.map((v) => [v.after, v.since, v.first])).toEqual([
      [null, null, true],
      ["c1", null, false],
      ["c2", null, false],
      [null, "2026-01-09T00:00:00Z", true],
    ]);
    const [first, second] = patches.bodies.map((b) => b.body);
    expect(first).toContain(
      "> - the requirement and evidence files are not read in this update \\(its requests went to the issue list\\):\u200d at risk, owners and evidence are shown again after the next update reads them\n",
    );
    expect(first).toContain(
      "## At risk: not known yet\n\nActive requirements that no issue references (open or closed), directly or through a descendant.\n\n5 active requirements are referenced by no issue directly; whether a descendant covers them is known once the requirement files are read (see above). Listed then.\n",
    );
    expect(first).toContain("## Done without evidence: not known\n");
    expect(second).not.toContain("[!WARNING]");
    expect(second).toContain("## At risk: 5\n");
    expect(second).toContain("## Done without evidence: 0\n");
  });
});

describe("the issue list the App keeps, when issues leave the repository", () => {
  /** The sections of FIRST_BODY from `## At risk` to the end, with these lines instead (each checked by hand). */
  function bodyWith(sections: { atRisk: string[]; split11: string; inProgress: string; done: string[]; suspect: string[]; graph13: string[]; graph11: string[] }): string {
    return [
      "<!-- reqgate:dashboard -->",
      "This issue is kept current by reqgate: edits to it are overwritten. `reqgate report` has the full lists.",
      "",
      "## Baseline",
      "",
      "5 active, 1 retired requirements; 1 change records last moved them.",
      "",
      `## At risk: ${sections.atRisk.length}`,
      "",
      "Active requirements that no issue references (open or closed), directly or through a descendant.",
      "",
      ...sections.atRisk,
      "",
      "## Split work: 2",
      "",
      "Requirements referenced by two or more issues, with the requirement's owner; done when every issue is closed and evidence (a `@verifies` line) exists.",
      "",
      sections.split11,
      "- `REQ-012` Export the audit log as CSV (**no owner**): #4 (closed), #5 (closed) — done",
      "",
      "## In progress: 1",
      "",
      "Active requirements with at least one open issue.",
      "",
      sections.inProgress,
      "",
      ...sections.done,
      "",
      ...sections.suspect,
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
      '  REQ_010["REQ-010"]:::sub',
      '  REQ_011["REQ-011"]:::work',
      "  REQ_010 --> REQ_011",
      ...sections.graph11,
      '  REQ_012["REQ-012"]:::done',
      '  REQ_012 --> I4["#4"]',
      '  REQ_012 --> I5["#5"]',
      ...sections.graph13,
      '  REQ_014["REQ-014"]:::risk',
      "  classDef risk fill:#f8d7da",
      "  classDef sub fill:#dbeafe",
      "  classDef work fill:#fff3cd",
      "  classDef closed fill:#ffe5b4",
      "  classDef done fill:#d4edda",
      "```",
      "",
      record({ waivers: [], gaps: [] }),
    ].join("\n");
  }
  const NO_SUSPECT = ["## Suspect work: 0", "", "Open work labelled `suspect`: a requirement it references changed.", "", "None."];
  const SPLIT_11 = "- `REQ-011` Lock account after repeated failed logins (owner `@acme/security`): #2 (open), #3 (closed) — 1 open";
  const GRAPH_11 = ['  REQ_011 --> I2["#2"]', '  REQ_011 --> I3["#3"]'];

  /** The first update of the process: the whole list in one page (GitHub counts 7 issues), the files, the edit to FIRST_BODY. */
  async function firstUpdate(): Promise<Array<{ number: number; body: string }>> {
    const dashboards = [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }];
    mockIssuePage({ after: null, since: null, issues: ISSUES, total: 7, count: 7, dashboards });
    mockDashboardLock();
    mockFacts();
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patch.match).reply(200, {});
    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" }, "d-first");
    await scheduler.idle();
    expect(patch.bodies).toEqual([{ body: FIRST_BODY }]);
    expectOnlyMockedRequests();
    return [{ number: 50, body: FIRST_BODY }];
  }

  it("#7 deleted and #6 transferred (their events): the next update forgets both, with no request more (GitHub's count, 5, matches)", async () => {
    const dashboards = await firstUpdate();
    const issue = (number: number) => ({ ...(fixture("issues.edited").issue as object), number });
    // One update for both events: issues updated since (none), the lock and the tree (304), the edit.
    mockIssuePage({ after: null, since: "2026-01-01T00:00:00Z", issues: [], total: 0, count: 5, dashboards });
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').reply(304, "", { etag: '"lock-d1"' });
    mockTree(FILES, { notModified: true });
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "deleted", issue: issue(7) }, "d-7");
    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "transferred", issue: issue(6), changes: { new_issue: issue(1), new_repository: {} } }, "d-6");
    await scheduler.idle();

    // REQ-013 had only #6: now at risk, no longer done without evidence; #7 was the only suspect work.
    expect(patch.bodies).toEqual([
      {
        body: bodyWith({
          atRisk: ["- `REQ-013` Rate\\-limit the public API", "- `REQ-014` Print receipts"],
          split11: SPLIT_11,
          inProgress: "- `REQ-011`: #2",
          done: ["## Done without evidence: 0", "", "Active requirements whose issues are all closed, and that no `@verifies` line under `verification.paths` names.", "", "None."],
          suspect: NO_SUSPECT,
          graph11: GRAPH_11,
          graph13: ['  REQ_013["REQ-013"]:::risk'],
        }),
      },
    ]);
  });

  it("#7 gone with no event this process saw (another replica took it): GitHub's count, 6 for 7 listed, makes the update read the whole list again, in its budget", async () => {
    const dashboards = await firstUpdate();
    // Issues updated since (none) with the count, then the whole list again (one page), the lock and the tree (304), the edit.
    mockIssuePage({ after: null, since: "2026-01-01T00:00:00Z", issues: [], total: 0, count: 6, dashboards });
    mockIssuePage({ after: null, since: null, issues: ISSUES.filter((i) => i.number !== 7), total: 6 });
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').reply(304, "", { etag: '"lock-d1"' });
    mockTree(FILES, { notModified: true });
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" }, "d-2");
    await scheduler.idle();

    expect(patch.bodies).toEqual([
      {
        body: bodyWith({
          atRisk: ["- `REQ-014` Print receipts"],
          split11: SPLIT_11,
          inProgress: "- `REQ-011`: #2",
          done: ["## Done without evidence: 1", "", "Active requirements whose issues are all closed, and that no `@verifies` line under `verification.paths` names.", "", "- `REQ-013` Rate\\-limit the public API: #6 closed"],
          suspect: NO_SUSPECT,
          graph11: GRAPH_11,
          graph13: ['  REQ_013["REQ-013"]:::closed', '  REQ_013 --> I6["#6"]'],
        }),
      },
    ]);
  });
});

describe("a first read that ends exactly at an update's budget", () => {
  it("700 issues and 120 evidence files: the read of the issues updated meanwhile waits for the next update, and says so; then the evidence, 100 files an update", async () => {
    const chores = Array.from({ length: 700 }, (_, i) => ({ number: 100 + i, title: `Chore ${100 + i}`, body: "", state: "CLOSED" as const, updatedAt: i === 0 ? "2026-01-09T00:00:00Z" : "2026-01-01T00:00:00Z" }));
    const evidence = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`test/e${i}.test.ts`, { sha: sha(5000 + i), text: `// @verifies REQ-01${i % 5}\n` }]));
    const asked: number[] = [];
    nock(API)
      .persist()
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateBlobs"))
      .reply(200, (_uri, body) => {
        const wanted = [...(body as { query: string }).query.matchAll(/(b\d+): object\(oid: "([0-9a-f]{40})"\)/g)];
        asked.push(wanted.length);
        return { data: { repository: Object.fromEntries(wanted.map(([, alias, oid]) => [alias, { text: Object.values(evidence).find((f) => f.sha === oid)!.text, isBinary: false, isTruncated: false }])) as Record<string, unknown> } };
      });
    const found: Array<{ number: number; body: string }> = [];
    const written: string[] = [];
    // Update 1 creates the dashboard: 3 pages, the lock, the label, the issue.
    for (let p = 0; p < 3; p++) mockIssuePage({ after: p === 0 ? null : `c${p}`, since: null, issues: chores.slice(p * 100, p * 100 + 100), next: `c${p + 1}`, total: 700, count: 700, dashboards: found });
    mockDashboardLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues`)
      .reply(201, (_uri, body) => {
        written.push((body as Body).body);
        found[0] = { number: 50, body: (body as Body).body };
        return { number: 50 };
      });
    // Update 2: the last 4 pages from the cursor (the list ends on the last request the budget allows), the lock (304), the edit.
    for (let p = 3; p < 7; p++) mockIssuePage({ after: `c${p}`, since: null, issues: chores.slice(p * 100, p * 100 + 100), ...(p < 6 ? { next: `c${p + 1}` } : {}), total: 700, count: 700, dashboards: found });
    // Update 3: the issues updated since page 1 was read, the lock (304), the tree, 2 blob queries (100 files), the edit.
    mockIssuePage({ after: null, since: "2026-01-09T00:00:00Z", issues: [], total: 0, count: 700, dashboards: found });
    mockTree(evidence);
    // Update 4: the same read since, the lock and the tree (304), the last 20 files, the edit.
    mockIssuePage({ after: null, since: "2026-01-09T00:00:00Z", issues: [], total: 0, count: 700, dashboards: found });
    mockTree(evidence, { notModified: true });
    nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-d1"').times(3).reply(304, "", { etag: '"lock-d1"' });
    nock(API)
      .patch(`/repos/${OWNER}/${REPO}/issues/50`)
      .times(3)
      .reply(200, (_uri, body) => {
        written.push((body as Body).body);
        found[0] = { number: 50, body: (body as Body).body };
        return {};
      });

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();

    const warnings = written.map((body) => body.split("\n").filter((l) => l.startsWith("> - ")));
    expect(warnings).toEqual([
      ["> - issues read: 300 of about 700; the rest in the next updates"],
      ["> - issues updated while the list was read: read in the next update"],
      [],
      [],
    ]);
    expect(asked).toEqual([50, 50, 20]);
    expect(written[2]).toContain("## Done without evidence: not known\n\nActive requirements whose issues are all closed: 0. Their evidence could not be read: 20 of 120 evidence files are not read yet \\(the next updates read them\\).\n");
    expect(written[3]).toContain("## Done without evidence: 0\n");
    expect(written[3]).toContain("## At risk: 5\n");
  });
});
