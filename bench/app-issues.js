// GitHub requests and CPU time per issue event, for a repository whose lock holds 1,000 and 10,000
// requirements. Run after `npm run build`: `node bench/app-issues.js` (also run by `npm run bench`).
//
// GitHub is played by nock, keeping state (issues, labels, comments, the lock and its ETag) so that every
// event does what it would do for real. The App runs as built (dist/), inside Probot, with retry and
// throttling off (throttling only adds waiting, which is not CPU). Counted per event: requests GitHub
// answers with content (they cost rate limit), 304s apart (they do not). CPU: process.cpuUsage around
// Probot's receive, after warm-up, averaged; it includes Probot, Octokit and nock's stand-in work, so it is
// an upper bound of the App's own.
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { parseLock, renderLock } from "../dist/domain/baseline/baseline.js";
import { baselineView } from "../dist/domain/issues/baseline-view.js";
import { DEFAULT_CONFIG } from "../dist/domain/config/config.js";
import { evaluateIssue } from "../dist/domain/issues/evaluate-issue.js";
import { renderIssueComment } from "../dist/domain/issues/issue-comment.js";
import { reqgate } from "../dist/index.js";

const SIZES = (process.env.BENCH_APP_SIZES ?? "1000,10000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_APP_RUNS ?? 40);
const API = "https://api.github.com";
const OWNER = "acme";
const REPO = "app";
const BOT = "reqgate";
const LOCK = `/repos/${OWNER}/${REPO}/contents/requirements%2Fbaseline.lock`;

const WORDS = (
  "account login password lock audit export report invoice payment refund order cart search filter " +
  "session token email notify user admin role permission backup restore archive schedule retry queue " +
  "upload download image video cache index sync offline mobile web api rate limit error log metric " +
  "alert dashboard chart billing tax currency language locale theme access consent privacy delete"
).split(" ");

function title(i) {
  const pick = (k) => WORDS[(i * 7 + k * 13 + Math.floor(i / WORDS.length) * k) % WORDS.length];
  return `The system shall ${pick(1)} the ${pick(2)} ${pick(3)} when ${pick(4)} ${pick(5)} fails`;
}

function lockFor(n) {
  const entries = [];
  for (let i = 1; i <= n; i++) {
    const id = `REQ-${String(i).padStart(5, "0")}`;
    entries.push({ id, title: title(i), status: i % 50 === 0 ? "retired" : "active", path: `requirements/${id}.yml`, fingerprint: `sha256:${"a".repeat(64)}`, change: "CR-0001" });
  }
  return renderLock({ applied: ["CR-0001"], entries });
}

/** A stateful stand-in for the GitHub API of one repository. */
function fakeGitHub(lockText) {
  const issues = new Map();
  const labels = new Set();
  const counts = { requests: 0, notModified: 0, writes: 0 };
  let nextComment = 1000;
  const etag = '"lock-1"';
  const count = (write) => {
    counts.requests++;
    if (write) counts.writes++;
  };

  nock(API)
    .persist()
    .post("/graphql")
    .reply(200, (_uri, body) => {
      count(false);
      const issue = issues.get(body.variables.number);
      return {
        data: {
          repository: {
            config: { text: "issues:\n  label: needs-requirement\n", isTruncated: false },
            issue: {
              title: issue.title,
              body: issue.body,
              state: "OPEN",
              author: { __typename: "User", login: "octocat" },
              labels: { nodes: [...issue.labels].map((name) => ({ name })) },
              comments: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: issue.comments.map((c) => ({ fullDatabaseId: String(c.id), body: c.body, author: { __typename: "Bot", login: BOT } })),
              },
            },
          },
          ownerDefaults: { config: null },
        },
      };
    })
    .get(LOCK)
    .reply(function () {
      if (this.req.headers["if-none-match"] === etag) {
        counts.notModified++;
        return [304, "", { etag }];
      }
      count(false);
      return [200, lockText, { etag, "content-type": "text/plain; charset=utf-8" }];
    })
    .post(`/repos/${OWNER}/${REPO}/labels`)
    .reply((_uri, body) => {
      count(true);
      if (labels.has(body.name)) return [422, { message: "Validation Failed", errors: [{ code: "already_exists" }] }];
      labels.add(body.name);
      return [201, {}];
    })
    .post(/\/issues\/\d+\/labels$/)
    .reply((uri, body) => {
      count(true);
      const issue = issues.get(Number(uri.split("/")[5]));
      for (const l of body.labels) issue.labels.add(l);
      return [200, []];
    })
    .delete(/\/issues\/\d+\/labels\/.+$/)
    .reply((uri) => {
      count(true);
      const parts = uri.split("/");
      issues.get(Number(parts[5])).labels.delete(decodeURIComponent(parts[7]));
      return [200, []];
    })
    .post(/\/issues\/\d+\/comments$/)
    .reply((uri, body) => {
      count(true);
      const id = nextComment++;
      issues.get(Number(uri.split("/")[5])).comments.push({ id, body: body.body });
      return [201, { id }];
    })
    .patch(/\/issues\/comments\/\d+$/)
    .reply((uri, body) => {
      count(true);
      const id = Number(uri.split("/").pop());
      for (const issue of issues.values()) for (const c of issue.comments) if (c.id === id) c.body = body.body;
      return [200, {}];
    });

  return { issues, counts };
}

function payload(action, number) {
  return {
    action,
    issue: { number, title: "t", body: "", user: { login: "octocat", type: "User" }, labels: [], state: "open" },
    repository: { id: 42, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, type: "Organization" }, default_branch: "main" },
    sender: { login: "octocat", type: "User" },
    installation: { id: 1 },
    // GitHub sends `changes` with every issues.edited (the handler reads it: an edited text can clear a suspect mark).
    ...(action === "edited" ? { changes: { body: { from: "" } } } : {}),
  };
}

async function newApp() {
  const Octokit = ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  const probot = new Probot({ githubToken: "bench", Octokit, logLevel: "warn" });
  await probot.load(reqgate({ stateSecret: "bench", botLogin: `${BOT}[bot]` }));
  return probot;
}

let delivery = 0;
async function measure(probot, github, action, number) {
  const before = { ...github.counts };
  const cpu = process.cpuUsage();
  await probot.receive({ id: String(++delivery), name: "issues", payload: payload(action, number) });
  const used = process.cpuUsage(cpu);
  return {
    requests: github.counts.requests - before.requests,
    notModified: github.counts.notModified - before.notModified,
    writes: github.counts.writes - before.writes,
    cpuMs: (used.user + used.system) / 1000,
  };
}

// An unlinked issue (its text shares words with some requirement titles), then edited to name one.
function openIssue(github, number) {
  github.issues.set(number, { title: "Users cannot export the audit report", body: "The export of the audit log fails when the session token expires.", labels: new Set(), comments: [] });
}
function traceIssue(github, number) {
  const issue = github.issues.get(number);
  issue.body = `${issue.body}\n\nRequirement: REQ-00002`;
}

/** The domain alone (evaluate + render an unlinked issue, suggestions included), without Probot or HTTP. */
function domainMs(lockText) {
  const view = baselineView(parseLock("lock", lockText).lock);
  const snapshot = {
    issue: { number: 1, title: "Users cannot export the audit report", body: "The export of the audit log fails when the session token expires.", author: "octocat", labels: [], state: "open" },
    config: { config: DEFAULT_CONFIG, diagnostics: [] },
    baseline: { view, diagnostics: [], missing: false },
  };
  for (let i = 0; i < 50; i++) renderIssueComment(evaluateIssue(snapshot));
  const cpu = process.cpuUsage();
  for (let i = 0; i < 500; i++) renderIssueComment(evaluateIssue(snapshot));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / 500;
}

const rows = [];
const domain = [];
for (const n of SIZES) {
  nock.cleanAll();
  nock.disableNetConnect();
  const text = lockFor(n);
  domain.push({ n, ms: domainMs(text) });
  const github = fakeGitHub(text);
  const probot = await newApp();

  // Cold: the first events of a fresh process (nothing cached).
  openIssue(github, 1);
  const coldOpened = await measure(probot, github, "opened", 1);
  traceIssue(github, 1);
  const coldEdited = await measure(probot, github, "edited", 1);

  // Warm-up, then measured runs on fresh issues.
  for (let i = 0; i < 10; i++) {
    openIssue(github, 100 + i);
    await measure(probot, github, "opened", 100 + i);
    traceIssue(github, 100 + i);
    await measure(probot, github, "edited", 100 + i);
  }
  const warm = { opened: [], edited: [], redelivered: [] };
  for (let i = 0; i < RUNS; i++) {
    const number = 1000 + i;
    openIssue(github, number);
    warm.opened.push(await measure(probot, github, "opened", number));
    traceIssue(github, number);
    warm.edited.push(await measure(probot, github, "edited", number));
    warm.redelivered.push(await measure(probot, github, "edited", number));
  }
  const summary = (list) => ({
    requests: Math.max(...list.map((r) => r.requests)),
    notModified: Math.max(...list.map((r) => r.notModified)),
    writes: Math.max(...list.map((r) => r.writes)),
    cpuMs: list.reduce((s, r) => s + r.cpuMs, 0) / list.length,
    cpuP90: list.map((r) => r.cpuMs).sort((a, b) => a - b)[Math.floor(list.length * 0.9)],
  });
  rows.push({ n, event: "issues.opened (unlinked)", cold: coldOpened, warm: summary(warm.opened) });
  rows.push({ n, event: "issues.edited (now traced)", cold: coldEdited, warm: summary(warm.edited) });
  rows.push({ n, event: "issues.edited (redelivered)", cold: undefined, warm: summary(warm.redelivered) });
}
nock.cleanAll();
nock.enableNetConnect();

console.log(`GitHub requests per event (304s apart; they cost no rate limit) and CPU per event (mean of ${RUNS} after warm-up, p90).\n`);
console.log("| lock entries | event | cold: requests | cold: 304s | cold: CPU ms | warm: requests (writes) | warm: 304s | warm: CPU ms mean / p90 |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const cold = r.cold ? [r.cold.requests, r.cold.notModified, r.cold.cpuMs.toFixed(1)] : ["–", "–", "–"];
  console.log(`| ${r.n} | ${r.event} | ${cold.join(" | ")} | ${r.warm.requests} (${r.warm.writes}) | ${r.warm.notModified} | ${r.warm.cpuMs.toFixed(2)} / ${r.warm.cpuP90.toFixed(2)} |`);
}
console.log(`\nof which the domain (evaluate + render an unlinked issue with suggestions): ${domain.map((d) => `${d.ms.toFixed(3)} ms at ${d.n}`).join(", ")}`);
const worst = Math.max(...rows.map((r) => r.warm.requests));
const worstCpu = Math.max(...rows.map((r) => r.warm.cpuMs));
console.log(`\nwarm: at most ${worst} requests per event (target ≤ 3), at most ${worstCpu.toFixed(2)} ms CPU per event (target ≤ 20)`);
