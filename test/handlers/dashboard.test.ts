// The traceability dashboard (SPEC 2.6) through the handlers: created on the first event, found again by
// its label, marker and bot author, edited in place, never duplicated; debounced per repository.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { createDashboardScheduler, type DashboardScheduler } from "../../src/app/dashboard.js";
import { resetDashboardLists } from "../../src/github/dashboard-gateway.js";
import { API, assertNockDone, deliver, expectOnlyMockedRequests, fixture, LOCK_PATH, lockText, makeProbot, mockIssueQuery, OWNER, recorder, REPO, strictNock } from "../helpers/github-app.js";

let probot: Probot;
let scheduler: DashboardScheduler;

beforeEach(async () => {
  strictNock();
  resetDashboardLists();
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

interface IssueNode {
  number: number;
  title: string;
  body: string;
  state?: "OPEN" | "CLOSED";
  labels?: string[];
  updatedAt?: string;
}

function mockDashboardQuery(issues: IssueNode[], dashboards: Array<{ number: number; body: string; bot?: boolean }> = [], seen?: Array<Record<string, unknown>>): void {
  nock(API)
    .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateDashboard"))
    .reply(200, (_uri, body) => {
      seen?.push((body as { variables: Record<string, unknown> }).variables);
      return {
        data: {
          repository: {
            config: null,
            dashboards: { nodes: dashboards.map((d) => ({ number: d.number, body: d.body, author: d.bot === false ? { __typename: "User", login: "mallory" } : { __typename: "Bot", login: "reqgate" } })) },
            issues: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: issues.map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state ?? "OPEN", updatedAt: i.updatedAt ?? "2026-01-01T00:00:00Z", labels: { nodes: (i.labels ?? []).map((name) => ({ name })) } })),
            },
          },
          ownerDefaults: { config: null },
        },
      };
    });
}

function edited(number: number): Record<string, unknown> {
  const payload = fixture("issues.edited");
  return { ...payload, issue: { ...(payload.issue as object), number }, changes: { title: { from: "x" } } };
}

const ISSUES: IssueNode[] = [
  { number: 1, title: "Spelling", body: "", labels: ["needs-requirement"] },
  { number: 2, title: "Lockout", body: "Requirement: REQ-001" },
  { number: 3, title: "Lockout follow-up", body: "REQ-001 again", state: "CLOSED" },
];

describe("the traceability dashboard", () => {
  it("two issues edited at once: one comment each, and one dashboard created (label, title, sections)", async () => {
    nock(API).get(LOCK_PATH).times(3).reply(200, lockText(), { etag: '"lock-v1"', "content-type": "text/plain; charset=utf-8" });
    mockIssueQuery({ title: "Spelling", body: "", labels: ["needs-requirement"] });
    mockIssueQuery({ title: "Typo", body: "", labels: ["needs-requirement"] });
    const comments = recorder<Body>();
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/1/comments`, comments.match).reply(201, { id: 901 });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/2/comments`, comments.match).reply(201, { id: 902 });
    mockDashboardQuery(ISSUES);
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
    expect(body.startsWith("<!-- reqgate:dashboard -->\n")).toBe(true);
    expect(body).toContain("## Baseline\n\n3 active, 1 retired requirements; 1 change records last moved them.");
    expect(body).toContain("## At risk: 2\n\nActive requirements that no issue references (open or closed).\n\n- `REQ-002` Export the audit log as CSV\n- `REQ-003` Fix spelling errors in the README file");
    expect(body).toContain("## Split work: 1\n\nRequirements referenced by two or more issues; done when every issue is closed.\n\n- `REQ-001` Lock account after repeated failed logins: #2 (open), #3 (closed) — 1 open");
    expect(body).toContain("## Unlinked issues: 1\n\nOpen issues labelled `needs-requirement`.\n\n- #1 Spelling");
    expect(body).toContain("```mermaid\ngraph LR\n  REQ_001[\"REQ-001\"]:::work\n  REQ_001 --> I2[\"#2\"]\n  REQ_001 --> I3[\"#3\"]\n  REQ_002[\"REQ-002\"]:::risk");
  });

  it("found again by its label, marker and bot author: edited in place; a copy by someone else is ignored; unchanged means no write", async () => {
    nock(API).get(LOCK_PATH).times(2).reply(200, lockText(), { etag: '"lock-v1"', "content-type": "text/plain; charset=utf-8" });
    const seen: Array<Record<string, unknown>> = [];
    mockDashboardQuery(ISSUES, [{ number: 40, body: "<!-- reqgate:dashboard -->\nforged", bot: false }, { number: 50, body: "<!-- reqgate:dashboard -->\nold" }], seen);
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, patch.match).reply(200, {});

    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" });
    await scheduler.idle();
    expect(patch.bodies[0]!.body).toContain("## Split work: 1");
    expect(seen[0]).toMatchObject({ label: "reqgate-dashboard", since: null, first: true });

    // Again: only issues updated since the last read are asked for, and the same body is not written again.
    mockDashboardQuery([], [{ number: 50, body: patch.bodies[0]!.body }], seen);
    await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" }, "d-2");
    await scheduler.idle();
    expect(seen[1]).toMatchObject({ since: "2026-01-01T00:00:00Z" });
  });

  it("events within the window give one update", async () => {
    nock(API).get(LOCK_PATH).reply(200, lockText(), { etag: '"lock-v1"', "content-type": "text/plain; charset=utf-8" });
    mockDashboardQuery(ISSUES, [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }]);
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`).reply(200, {});

    for (let i = 0; i < 5; i++) await deliver(probot, "issues", { ...fixture("issues.edited"), action: "closed" }, `d-${i}`);
    await scheduler.idle();
    // One query, one lock read, one edit for five events.
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
