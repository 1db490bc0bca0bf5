// GitHub requests per dashboard update (SPEC 2.6) at 10,000 requirements and 2,000 open issues (and 1,000
// closed ones). Run after `npm run build`: `node bench/app-dashboard.js` (also run by `npm run bench`).
// GitHub is played by nock; every request is counted, GraphQL pages and 304s included (target: at most 6
// an update, the first included). The first update of a process creates the dashboard and reads the pages
// of the issue list its budget leaves (100 issues a page); the updates it asks for itself (one a window,
// without waiting for events) read on from its cursor, then the requirement files that issues reference
// (up their parents) and the evidence files by blob SHA, until nothing is left. Then steady updates (only
// issues updated since the last read): one issue's title edited (the body does not change), one issue
// labelled suspect (it does: one edit), nothing changed.
// The requirement files (one per requirement, REQ-05001… the children of REQ-00001…, owners on some) and
// 200 evidence files are served as the default branch's tree and by blob SHA.
import nock from "nock";
import { ProbotOctokit } from "probot";
import { renderLock } from "../dist/domain/baseline/baseline.js";
import { createSharedState } from "../dist/app/shared-state.js";
import { updateDashboardNow } from "../dist/engine/dashboard.js";
import { dashboardGateway } from "../dist/github/dashboard-gateway.js";

const API = "https://api.github.com";
const OWNER = "acme";
const REPO = "app";
const REQUIREMENTS = Number(process.env.BENCH_DASHBOARD_REQUIREMENTS ?? 10_000);
const OPEN = Number(process.env.BENCH_DASHBOARD_OPEN ?? 2_000);
const CLOSED = Number(process.env.BENCH_DASHBOARD_CLOSED ?? 1_000);

const entries = Array.from({ length: REQUIREMENTS }, (_, i) => {
  const id = `REQ-${String(i + 1).padStart(5, "0")}`;
  return { id, title: `Requirement ${i + 1}`, status: "active", path: `requirements/${id}.yml`, fingerprint: `sha256:${"a".repeat(64)}`, change: "CR-0001" };
});
const lock = renderLock({ applied: ["CR-0001"], entries });
const sha = (kind, n) => `${kind}${String(n).padStart(39, "0")}`;
const blobs = new Map();
const tree = entries.map((e, i) => {
  const parent = i >= REQUIREMENTS / 2 ? `\nparents: [${entries[i - REQUIREMENTS / 2].id}]` : "";
  const owner = i % 3 === 0 ? `\nowner: "@acme/team-${i % 7}"` : "";
  const text = `id: ${e.id}\ntitle: ${e.title}\ntext: The system shall do ${i + 1}.${parent}${owner}\n`;
  blobs.set(sha("a", i), text);
  return { path: e.path, type: "blob", sha: sha("a", i), size: text.length };
});
for (let i = 0; i < 200; i++) {
  const text = `// @verifies ${entries[i].id}\ntest("t${i}", () => {});\n`;
  blobs.set(sha("b", i), text);
  tree.push({ path: `test/t${i}.test.js`, type: "blob", sha: sha("b", i), size: text.length });
}
let clock = Date.parse("2026-01-01T00:00:00Z");
const issues = Array.from({ length: OPEN + CLOSED }, (_, i) => ({ number: i + 1, title: `Issue ${i + 1}`, body: `Requirement: REQ-${String((i % (REQUIREMENTS / 2)) + 1).padStart(5, "0")}`, state: i < OPEN ? "OPEN" : "CLOSED", updatedAt: new Date(clock + i * 1000).toISOString(), labels: { nodes: [] } }));
let dashboard;
let counts = { requests: 0, notModified: 0, blobQueries: 0, issuePages: 0 };

nock.disableNetConnect();
nock(API)
  .persist()
  .get(`/repos/${OWNER}/${REPO}/contents/requirements%2Fbaseline.lock`)
  .reply(function () {
    counts.requests++;
    if (this.req.headers["if-none-match"] === '"lock-1"') {
      counts.notModified++;
      return [304, "", { etag: '"lock-1"' }];
    }
    return [200, lock, { etag: '"lock-1"', "content-type": "text/plain" }];
  });
nock(API)
  .persist()
  .get(`/repos/${OWNER}/${REPO}/git/trees/main`)
  .query({ recursive: "1" })
  .reply(function () {
    counts.requests++;
    if (this.req.headers["if-none-match"] === '"tree-1"') {
      counts.notModified++;
      return [304, "", { etag: '"tree-1"' }];
    }
    return [200, { sha: "f".repeat(40), truncated: false, tree }, { etag: '"tree-1"' }];
  });
nock(API)
  .persist()
  .post("/graphql")
  .reply((_uri, body) => {
    counts.requests++;
    if (body.query.includes("query reqgateBlobs")) {
      counts.blobQueries++;
      const repository = {};
      for (const [, alias, oid] of body.query.matchAll(/(b\d+): object\(oid: "([0-9a-f]{40})"\)/g)) repository[alias] = { text: blobs.get(oid), isBinary: false, isTruncated: false };
      return [200, { data: { repository } }];
    }
    const { since, after } = body.variables;
    const newest = [...issues].filter((i) => since === null || i.updatedAt >= since).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
    const start = after === null ? 0 : Number(after);
    const page = newest.slice(start, start + 100);
    const next = start + 100 < newest.length;
    counts.issuePages++;
    const count = body.variables.first ? { count: { totalCount: issues.length } } : {};
    return [200, { data: { repository: { config: null, dashboards: { nodes: dashboard ? [dashboard] : [] }, ...count, issues: { totalCount: newest.length, pageInfo: { hasNextPage: next, endCursor: next ? String(start + 100) : null }, nodes: page } }, ownerDefaults: { config: null } } }];
  });
nock(API).persist().post(`/repos/${OWNER}/${REPO}/labels`).reply(() => (counts.requests++, [201, {}]));
nock(API)
  .persist()
  .post(`/repos/${OWNER}/${REPO}/issues`)
  .reply((_uri, body) => {
    counts.requests++;
    dashboard = { number: 9999, body: body.body, author: { __typename: "Bot", login: "reqgate" } };
    return [201, { number: 9999 }];
  });
nock(API)
  .persist()
  .patch(`/repos/${OWNER}/${REPO}/issues/9999`)
  .reply((_uri, body) => {
    counts.requests++;
    dashboard = { ...dashboard, body: body.body };
    return [200, {}];
  });

const octokit = new ProbotOctokit({ auth: { token: "x" }, retry: { enabled: false }, throttle: { enabled: false } });
const shared = createSharedState("s", async () => ({ login: "reqgate[bot]", id: 1 }), "reqgate[bot]");
const scope = { owner: OWNER, repo: REPO, repoId: 1, host: "github.com", defaultBranch: "main" };
const log = { info() {}, warn() {} };

async function update(label) {
  counts = { requests: 0, notModified: 0, blobQueries: 0, issuePages: 0 };
  const started = process.hrtime.bigint();
  const outcome = await updateDashboardNow(dashboardGateway(octokit, shared, scope, log), log);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const body = dashboard?.body ?? "";
  const said = /> - issues read: ([\d,]+)/.exec(body)?.[1];
  return { update: label, outcome: outcome?.written, requests: counts.requests, "of them 304": counts.notModified, "issue pages": counts.issuePages, "blob queries": counts.blobQueries, "issues read (as said)": said ?? "all", "at risk": /## At risk: ([^\n]+)/.exec(body)?.[1], "body chars": body.length, ms: Math.round(ms), more: outcome?.more };
}

const updates = [];
updates.push(await update(`first of the process (${OPEN} open + ${CLOSED} closed issues)`));
const firstBody = dashboard?.body;
// While issues or files are left, each update asks for the next itself (one a window, without waiting for events).
while (updates.at(-1).more && updates.length < 400) updates.push(await update(`follow-up ${updates.length}`));
const warmUp = updates.length;
clock += 10 * 86_400_000;
issues[5] = { ...issues[5], title: "Issue 6 (edited)", updatedAt: new Date(clock).toISOString() };
updates.push(await update("steady: one issue's title edited (body unchanged)"));
clock += 60_000;
issues[6] = { ...issues[6], labels: { nodes: [{ name: "suspect" }] }, updatedAt: new Date(clock).toISOString() };
updates.push(await update("steady: one issue labelled suspect (body changed)"));
updates.push(await update("steady: nothing changed"));

// Consecutive follow-ups that cost the same are one row.
const rows = [];
for (const u of updates) {
  const { update: label, ms, more, ...cost } = u;
  const last = rows.at(-1);
  const key = JSON.stringify({ ...cost, "issues read (as said)": undefined, "body chars": undefined });
  if (last && last.key === key && label.startsWith("follow-up") && last.update.startsWith("follow-up")) {
    last.update = `${last.update.split(/[ –]/)[0]} ${last.update.split(" ")[1].split("–")[0]}–${label.split(" ")[1]}`;
    last.updates++;
    last.ms = Math.max(last.ms, ms);
    const from = String(last["issues read (as said)"]).split(" → ")[0];
    last["issues read (as said)"] = from === cost["issues read (as said)"] ? from : `${from} → ${cost["issues read (as said)"]}`;
    last["body chars"] = cost["body chars"];
    continue;
  }
  rows.push({ update: label, updates: 1, ...cost, ms, key });
}
for (const r of rows) delete r.key;
const spent = updates.slice(0, warmUp).reduce((n, u) => n + u.requests, 0);
const notModified = updates.slice(0, warmUp).reduce((n, u) => n + u["of them 304"], 0);
const most = Math.max(...updates.map((u) => u.requests));
console.log(`\nDashboard updates at ${REQUIREMENTS} requirements, ${OPEN} open and ${CLOSED} closed issues (GitHub requests, GraphQL pages and 304s counted; ms: the slowest of a row)`);
console.table(rows);
console.log(`warm-up: ${warmUp} updates (the first and ${warmUp - 1} follow-ups), ${spent} requests (${notModified} of them 304s); the most in one update: ${most} (target ≤ 6: ${most <= 6 ? "met" : "NOT met"})`);
if (process.env.BENCH_DASHBOARD_SHOW) console.log(`\nthe first update's body:\n${firstBody}\n\nthe last one:\n${dashboard?.body}`);
