// Two App processes (replicas sharing Redis, as with REDIS_URL) take the first events of a repository at
// the same moment: the dashboard updates run one at a time through the Redis subject lock, and the second
// reads the dashboard the first created: one dashboard issue, never two. GitHub is one stateful stand-in
// (strict nock: the dashboard query answers with what was created so far). And with the shared debounce
// (src/server/dashboard-queue.ts, as `npm start` runs it with REDIS_URL): events on both replicas within
// the window give one update, which lists what the events on either said.
import { afterEach, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { createDashboardScheduler, type DashboardScheduler } from "../../src/app/dashboard.js";
import { resetDashboardFacts } from "../../src/github/dashboard-facts.js";
import { resetDashboardLists } from "../../src/github/dashboard-gateway.js";
import { composeBody } from "../../src/github/sticky-comment.js";
import { createSharedDashboardScheduler, notesKey, type SharedDashboardScheduler } from "../../src/server/dashboard-queue.js";
import { RedisSubjectQueue } from "../../src/server/subject-lock.js";
import { API, assertNockDone, BOT, deliver, fixture, LOCK_PATH, lockText, makeProbot, mockIssueQuery, mockLock, OWNER, recorder, REPO, REPO_ID, SECRET, strictNock } from "../helpers/github-app.js";
import { ENTRIES_D, FILES, ISSUES, mockDashboardLock, mockDashboardQuery, mockFacts, mockWarmUp, record } from "../helpers/github-dashboard.js";
import { useRedis } from "../support/redis-server.js";

const redis = useRedis(20_000);
const describeRedis = redis.describe;
afterEach(assertNockDone);

async function replica(): Promise<{ probot: Awaited<ReturnType<typeof makeProbot>>; scheduler: () => DashboardScheduler }> {
  const client = redis.connect();
  let scheduler: DashboardScheduler | undefined;
  const probot = await makeProbot({
    queue: new RedisSubjectQueue(client, { leaseMs: 5000 }),
    dashboard: {
      scheduler: (queue, shared) => {
        scheduler = createDashboardScheduler(20, queue, shared);
        return scheduler;
      },
    },
  });
  return { probot, scheduler: () => scheduler! };
}

describeRedis("the dashboard across replicas", () => {
  it("two replicas, first events at once: one dashboard created, the second replica finds it (no second issue)", async () => {
    strictNock();
    resetDashboardFacts();
    const requests: string[] = [];
    let dashboard: { number: number; body: string; author: { __typename: string; login: string } } | undefined;
    const nodes = ISSUES.map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state ?? "OPEN", updatedAt: "2026-01-01T00:00:00Z", labels: { nodes: (i.labels ?? []).map((name) => ({ name })) } }));
    nock(API)
      .persist()
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateDashboard"))
      .reply(200, () => {
        requests.push(`query (dashboard ${dashboard ? "found" : "none"})`);
        return { data: { repository: { config: null, dashboards: { nodes: dashboard ? [dashboard] : [] }, issues: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } }, ownerDefaults: { config: null } } };
      });
    nock(API).persist().get(LOCK_PATH).reply(200, lockText(ENTRIES_D), { etag: '"lock-d1"', "content-type": "text/plain; charset=utf-8" });
    nock(API)
      .persist()
      .get(`/repos/${OWNER}/${REPO}/git/trees/master`)
      .query({ recursive: "1" })
      .reply(200, { sha: "f".repeat(40), truncated: false, tree: Object.entries(FILES).map(([path, f]) => ({ path, type: "blob", sha: f.sha, size: f.text.length })) }, { etag: '"tree-1"' });
    nock(API)
      .persist()
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateBlobs"))
      .reply(200, (_uri, body) => {
        const repository: Record<string, unknown> = {};
        for (const [, alias, oid] of (body as { query: string }).query.matchAll(/(b\d+): object\(oid: "([0-9a-f]{40})"\)/g)) repository[alias!] = { text: Object.values(FILES).find((f) => f.sha === oid)!.text, isBinary: false, isTruncated: false };
        return { data: { repository } };
      });
    nock(API).persist().post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/issues`)
      .reply(201, (_uri, body) => {
        requests.push("create");
        dashboard = { number: 50, body: (body as { body: string }).body, author: { __typename: "Bot", login: "reqgate" } };
        return { number: 50 };
      });
    nock(API)
      .persist()
      .patch(`/repos/${OWNER}/${REPO}/issues/50`)
      .reply(200, (_uri, body) => {
        requests.push("edit");
        dashboard = { ...dashboard!, body: (body as { body: string }).body };
        return {};
      });

    const [a, b] = [await replica(), await replica()];
    const closed = { ...fixture("issues.edited"), action: "closed" };
    await Promise.all([deliver(a.probot, "issues", closed, "d-a"), deliver(b.probot, "issues", closed, "d-b")]);
    await Promise.all([a.scheduler().idle(), b.scheduler().idle()]);

    // One create (its 6 requests leave REQ-010's file unread); the next update, the other replica's or
    // the one the first asked for, found the dashboard and edited it (all files read); the last one found
    // it too, with the same body: no edit.
    expect(requests).toEqual(["query (dashboard none)", "create", "query (dashboard found)", "edit", "query (dashboard found)"]);
    nock.cleanAll();
  });
});

/** A replica as `npm start` runs it with REDIS_URL: the subject lock and the shared debounce on Redis. */
async function sharedReplica(delayMs: number): Promise<{ probot: Probot; scheduler: SharedDashboardScheduler }> {
  const client = redis.connect();
  let scheduler: SharedDashboardScheduler | undefined;
  const ref: { probot?: Probot } = {};
  const probot = await makeProbot({
    queue: new RedisSubjectQueue(client, { leaseMs: 5000 }),
    dashboard: {
      scheduler: (queue, shared) => {
        const log = { info: () => undefined, warn: () => undefined };
        scheduler = createSharedDashboardScheduler({ url: redis.url(), redis: client, delayMs, name: "dashboard-test", subjects: queue, shared, auth: (id) => ref.probot!.auth(id), log });
        return scheduler;
      },
    },
  });
  ref.probot = probot;
  return { probot, scheduler: scheduler! };
}

describeRedis("the dashboard's debounce shared by replicas", () => {
  it("events on two replicas within the window: one dashboard update, listing the waiver accepted on the other replica", async () => {
    strictNock();
    resetDashboardFacts();
    resetDashboardLists();
    const [a, b] = [await sharedReplica(1500), await sharedReplica(1500)];
    try {
      // Replica A: `/reqgate waive` on issue #1 (its own pipeline: permission, the issue, the lock, its comment, the label).
      nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "maintain", user: { login: "Codertocat" } });
      nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/492700400/reactions`).reply(201, {});
      mockIssueQuery({ body: "", labels: ["needs-requirement"], comments: [{ id: 77, body: composeBody("<!-- reqgate:issue -->\nold", undefined, SECRET, { owner: OWNER, repo: REPO, repoId: REPO_ID, number: 1 }), login: BOT, bot: true }] });
      mockLock({ text: lockText(ENTRIES_D), etag: '"lock-d1"' });
      nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`).reply(200, {});
      nock(API).delete(`/repos/${OWNER}/${REPO}/issues/1/labels/needs-requirement`).reply(200, []);
      // The one update, on whichever replica takes the job: one query, the lock, the files, one edit.
      const queries: Array<Record<string, unknown>> = [];
      mockDashboardQuery(ISSUES, [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }], queries);
      mockDashboardLock();
      mockFacts();
      const edits = recorder<{ body: string }>();
      nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, edits.match).reply(200, {});

      const comment = fixture("issue_comment.created");
      const closed = { ...fixture("issues.edited"), action: "closed" };
      await deliver(a.probot, "issue_comment", { ...comment, comment: { ...(comment.comment as object), body: "/reqgate waive exploratory spike, no product change" } }, "d-1");
      await deliver(b.probot, "issues", closed, "d-2");
      await deliver(a.probot, "issues", closed, "d-3");
      const deleted = fixture("issues.edited");
      await deliver(b.probot, "issues", { ...deleted, action: "deleted", issue: { ...(deleted.issue as object), number: 9 } }, "d-4");
      await Promise.all([a.scheduler.idle(), b.scheduler.idle()]);

      expect(queries).toHaveLength(1);
      expect(edits.bodies).toHaveLength(1);
      const waiver = { kind: "issue", number: 1, by: "Codertocat", reason: "exploratory spike, no product change", at: "2019-05-15T15:20:21Z" };
      expect(edits.bodies[0]!.body).toContain("## Waivers: 1\n\nWork accepted without a requirement by `/reqgate waive`: who, why and when, most recent first, as reqgate recorded them here.\n\n- issue #1: waived by `@Codertocat` on 2019-05-15: exploratory spike, no product change\n");
      expect(edits.bodies[0]!.body.endsWith(`\n${record({ waivers: [waiver], gaps: [] })}`)).toBe(true);
      // The note was read by that update and is gone from Redis: the next update does not list it again from there.
      expect(await redis.connect().llen(notesKey(REPO_ID))).toBe(0);
    } finally {
      await Promise.all([a.scheduler.close(), b.scheduler.close()]);
    }
  });

  it("an update that left files to read queues the next one itself (another job a window later), until nothing is left", async () => {
    strictNock();
    resetDashboardFacts();
    resetDashboardLists();
    const a = await sharedReplica(200);
    try {
      const { asked } = mockWarmUp();
      const edits = recorder<{ body: string }>();
      nock(API).patch(`/repos/${OWNER}/${REPO}/issues/50`, edits.match).times(2).reply(200, {});

      await deliver(a.probot, "issues", { ...fixture("issues.edited"), action: "closed" }, "d-w");
      await a.scheduler.idle();

      expect(asked).toEqual([50, 50, 20]);
      expect(edits.bodies.map((e) => e.body.includes("not read yet"))).toEqual([true, false]);
    } finally {
      await a.scheduler.close();
    }
  });

  it("notes are read 1,000 at a time: more waiting give one more update, which reads the rest", async () => {
    strictNock();
    resetDashboardFacts();
    resetDashboardLists();
    const a = await sharedReplica(200);
    try {
      const client = redis.connect();
      // 1,001 notes waiting (each ends a waiver of an issue that has none): the update reads 1,000, the next one the last.
      await client.rpush(notesKey(REPO_ID), ...Array.from({ length: 1001 }, (_, i) => JSON.stringify({ waivers: [{ kind: "issue", number: 1000 + i, ended: true }] })));
      for (const etag of [undefined, '"lock-n"']) {
        mockDashboardQuery([], [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }]);
        if (etag) nock(API).get(LOCK_PATH).matchHeader("if-none-match", etag).reply(304, "", { etag });
        else nock(API).get(LOCK_PATH).reply(200, lockText(ENTRIES_D), { etag: '"lock-n"', "content-type": "text/plain; charset=utf-8" });
      }
      nock(API).get(`/repos/${OWNER}/${REPO}/git/trees/master`).query({ recursive: "1" }).reply(200, { sha: "f".repeat(40), truncated: false, tree: [] }, { etag: '"tree-n"' });
      nock(API).get(`/repos/${OWNER}/${REPO}/git/trees/master`).query({ recursive: "1" }).matchHeader("if-none-match", '"tree-n"').reply(304, "", { etag: '"tree-n"' });
      const lengths: number[] = [];
      nock(API)
        .patch(`/repos/${OWNER}/${REPO}/issues/50`)
        .times(2)
        .reply(200, async () => {
          lengths.push(await client.llen(notesKey(REPO_ID)));
          return {};
        });

      await deliver(a.probot, "issues", { ...fixture("issues.edited"), action: "closed" }, "d-n");
      await a.scheduler.idle();

      // Each update writes before it trims what it read: 1,001 then 1 still listed while writing.
      expect(lengths).toEqual([1001, 1]);
      expect(await client.llen(notesKey(REPO_ID))).toBe(0);
    } finally {
      await a.scheduler.close();
    }
  });
});
