// Two App processes (replicas sharing Redis, as with REDIS_URL) take the first events of a repository at
// the same moment: the dashboard updates run one at a time through the Redis subject lock, and the second
// reads the dashboard the first created: one dashboard issue, never two. GitHub is one stateful stand-in
// (strict nock: the dashboard query answers with what was created so far).
import { afterEach, expect, it } from "@jest/globals";
import nock from "nock";
import { createDashboardScheduler, type DashboardScheduler } from "../../src/app/dashboard.js";
import { resetDashboardFacts } from "../../src/github/dashboard-facts.js";
import { RedisSubjectQueue } from "../../src/server/subject-lock.js";
import { API, assertNockDone, deliver, fixture, LOCK_PATH, lockText, makeProbot, OWNER, REPO, strictNock } from "../helpers/github-app.js";
import { ENTRIES_D, FILES, ISSUES } from "../helpers/github-dashboard.js";
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

    const [a, b] = [await replica(), await replica()];
    const closed = { ...fixture("issues.edited"), action: "closed" };
    await Promise.all([deliver(a.probot, "issues", closed, "d-a"), deliver(b.probot, "issues", closed, "d-b")]);
    await Promise.all([a.scheduler().idle(), b.scheduler().idle()]);

    // One create; the other replica's update ran after it and found the dashboard (the same body: no edit).
    expect(requests).toEqual(["query (dashboard none)", "create", "query (dashboard found)"]);
    nock.cleanAll();
  });
});
