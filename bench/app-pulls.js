// GitHub requests per pull-request event, for a repository whose lock holds 1,000 and 10,000
// requirements. Run after `npm run build`: `node bench/app-pulls.js` (also run by `npm run bench`).
//
// GitHub is played by nock, keeping state (pull requests, their files and blobs, the lock, check runs,
// comments) so that every event does what it would do for real: conditional reads answer 304 when
// nothing changed, check runs written by one event are found and updated by the next. The App runs as
// built (dist/), inside Probot, with retry and throttling off. Counted per event: requests GitHub
// answers with content (they cost rate limit; writes included), and 304s apart (they do not).
//
// Scenarios, each on a fresh pull request of a warm process (the default branch's lock already read
// once): a pull request that changes no requirement, then ones that change 1, 10 and 100 requirement
// files (with their change record and the lock `reqgate baseline` writes), each followed by an
// approval comment (`/reqgate approve` by a maintainer) and a code-only push on top. Then the hostile
// pull requests of issue 8 (a 20 MB lock of `x` lines, a 500 KiB file of unknown keys, 52,000 findings,
// a brace-bomb glob in the configuration), each with its CPU and requests; each sent once more together
// with an ordinary pull request of another repository of the installation, whose wall-clock latency is
// shown beside its latency alone, with the longest the event loop was blocked meanwhile.
import { createHash } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { parseLock } from "../dist/domain/baseline/baseline.js";
import { DEFAULT_CONFIG } from "../dist/domain/config/config.js";
import { evaluateChange } from "../dist/domain/baseline/evaluate-change.js";
import { reqgate } from "../dist/index.js";

const SIZES = (process.env.BENCH_APP_SIZES ?? "1000,10000").split(",").map(Number);
const API = "https://api.github.com";
const OWNER = "acme";
const REPO = "app";
const REPO_ID = 42;
const APP_ID = 7;
const BOT = "reqgate";
const LOCK = "requirements/baseline.lock";
const CONFIG = "change_control:\n  rules:\n    - name: requirements board\n      match: ['requirements/**']\n      approvers: { permission: maintain }\n";

const sha1 = (text) => createHash("sha1").update(text).digest("hex");
const blobSha = (text) => sha1(`blob ${Buffer.byteLength(text)}\0${text}`);
const pad = (n) => String(n).padStart(5, "0");
const reqText = (i, variant = "") => `id: REQ-${pad(i)}\ntitle: Requirement ${i}\ntext: The system shall do thing ${i}${variant}.\n`;

/** The repository: a lock of n requirements, fingerprinted from their files (only changed files are ever read). */
function repository(n) {
  const files = {};
  for (let i = 1; i <= n; i++) files[`requirements/REQ-${pad(i)}.yml`] = reqText(i);
  // A lock as `reqgate baseline` writes it, computed through the engine's own view of a change from nothing.
  const record = `id: CR-0001\ntitle: Initial\nrationale: First.\naffects: [${Object.keys(files).map((p) => p.slice(13, 22)).join(", ")}]\n`;
  const lock = evaluateChange({
    config: DEFAULT_CONFIG,
    requirementFiles: Object.entries(files).map(([path, head]) => ({ path, head })),
    recordFiles: [{ path: "requirements/changes/CR-0001.yml", head: record }],
  }).lock.expected;
  return { files, lock };
}

/**
 * A pull request changing k requirements from `first` on (each scenario its own, so that nothing read
 * for one is cached for the next), with its own change record and the lock that `reqgate baseline` writes.
 */
function change(repo, k, first = 1) {
  const files = [];
  const base = {};
  const requirementFiles = [];
  for (let i = first; i < first + k; i++) {
    const path = `requirements/REQ-${pad(i)}.yml`;
    const head = reqText(i, " faster");
    base[path] = repo.files[path];
    files.push({ filename: path, status: "modified", text: head });
    requirementFiles.push({ path, base: repo.files[path], head });
  }
  if (k > 0) {
    // Each scenario its own change record: pull requests left open do not collide (SPEC 2.7; the colliding pull requests section below measures that).
    const recordId = `CR-1${pad(first)}`;
    const record = `id: ${recordId}\ntitle: Faster\nrationale: Users asked.\naffects: [${requirementFiles.map((f) => f.path.slice(13, 22)).join(", ")}]\n`;
    files.push({ filename: `requirements/changes/${recordId}.yml`, status: "added", text: record });
    const expected = evaluateChange({
      config: DEFAULT_CONFIG,
      baseLock: { path: LOCK, text: repo.lock },
      headLock: { path: LOCK, text: repo.lock },
      requirementFiles,
      recordFiles: [{ path: `requirements/changes/${recordId}.yml`, head: record }],
    }).lock.expected;
    files.push({ filename: LOCK, status: "modified", text: expected });
  }
  files.push({ filename: "src/app.ts", status: "modified", text: "export {};\n" });
  return { files, base };
}

/** The stand-ins of the repositories of this phase by name, for the one GraphQL endpoint. */
const graphqlRoutes = new Map();

/** Every phase starts from no interceptors: GraphQL is routed by repository (or, for node IDs, by whose they are). */
function resetGitHub() {
  nock.cleanAll();
  nock.disableNetConnect();
  graphqlRoutes.clear();
  nock(API)
    .persist()
    .post("/graphql")
    .reply((_uri, body) => {
      const route = body.variables?.repo !== undefined ? graphqlRoutes.get(body.variables.repo) : [...graphqlRoutes.values()].find((r) => body.variables?.ids?.some((nodeId) => r.owns(nodeId)));
      return route ? route.answer(body) : [500, { message: "no repository for this query" }];
    });
}

/** A stateful stand-in for the GitHub API of one repository. */
function fakeGitHub(repo, name = REPO, id = REPO_ID, firstRun = 5000) {
  const counts = { requests: 0, notModified: 0, writes: 0 };
  // BENCH_APP_TRACE=1 prints every request GitHub would answer.
  const trace = process.env.BENCH_APP_TRACE ? (what) => process.stderr.write(`  ${what}\n`) : () => undefined;
  const pulls = new Map();
  const blobs = new Map([[blobSha(repo.lock), repo.lock]]);
  const runs = new Map(); // head sha → Map(name → run)
  let nextRun = firstRun;
  let nextComment = 9000;
  let configText = CONFIG;
  const count = (write) => {
    counts.requests++;
    if (write) counts.writes++;
  };
  const etagOf = (value) => `"${sha1(JSON.stringify(value)).slice(0, 16)}"`;
  const conditional = (req, value) => {
    const etag = etagOf(value);
    if (req.headers["if-none-match"] === etag) {
      counts.notModified++;
      trace(`304 ${req.path}`);
      return [304, "", { etag }];
    }
    trace(`200 ${req.path}`);
    count(false);
    return [200, value, { etag }];
  };
  const baseSha = sha1("base");

  const restPull = (pr) => ({
    number: pr.number,
    state: "open",
    draft: false,
    title: `Change ${pr.number}`,
    body: "Fixes #1",
    user: { login: "octocat" },
    labels: [],
    head: { sha: pr.head, ref: `pr-${pr.number}` },
    base: { sha: baseSha, ref: "main" },
    changed_files: pr.files.length,
    html_url: `https://github.com/${OWNER}/${name}/pull/${pr.number}`,
  });
  const gqlRun = (r) => ({ databaseId: r.id, name: r.name, status: "COMPLETED", conclusion: r.conclusion.toUpperCase(), title: r.title, summary: r.summary, text: r.text ?? null, externalId: r.externalId ?? null, detailsUrl: r.detailsUrl, annotations: { totalCount: r.annotations } });
  const runsAt = (sha) => ({ checkSuites: { nodes: [{ checkRuns: { nodes: [...(runs.get(sha)?.values() ?? [])].map(gqlRun) } }] } });
  const issue1 = { number: 1, title: "Make it faster", body: "Requirement: REQ-00001", state: "OPEN", repository: { databaseId: id }, labels: { nodes: [] }, comments: { nodes: [] } };

  function context(variables) {
    const pr = pulls.get(variables.number);
    const mentioned = Object.fromEntries([...String(variables.query ?? "").matchAll(/i(\d+): issueOrPullRequest/g)].map((m) => [`i${m[1]}`, Number(m[1]) === 1 ? issue1 : null]));
    return {
      repository: {
        config: { text: configText, isTruncated: false },
        baseLock: variables.lock === `${baseSha}:${LOCK}` ? { oid: blobSha(repo.lock), byteSize: Buffer.byteLength(repo.lock) } : null,
        head: runsAt(variables.head),
        pullRequest: {
          closingIssuesReferences: { nodes: [issue1] },
          reviews: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: [] },
          comments: {
            pageInfo: { hasPreviousPage: false, startCursor: null },
            nodes: pr.comments.map((c) => ({ fullDatabaseId: String(c.id), body: c.body, createdAt: c.at, lastEditedAt: null, author: { __typename: c.bot ? "Bot" : "User", login: c.login }, editor: null })),
          },
          commits: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: pr.heads.map(() => ({ commit: { authors: { nodes: [{ user: { login: "octocat" } }] }, committer: { user: null } } })) },
          recent: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: pr.heads.slice(-100).map((oid) => ({ commit: { oid, checkSuites: { nodes: [{ checkRuns: { nodes: [...(runs.get(oid)?.values() ?? [])].map((r) => ({ id: `CR_${r.id}`, name: r.name })) } }] } } })) },
          forcePushes: { nodes: [] },
          baseChanges: { nodes: [] },
        },
        ...mentioned,
      },
      ownerDefaults: null,
    };
  }

  function objects(variables) {
    const repository = {};
    for (const [name, value] of Object.entries(variables)) {
      if (!/^v\d+$/.test(name)) continue;
      let text;
      if (value.includes(":")) {
        const [sha, ...rest] = value.split(":");
        const path = rest.join(":");
        text = sha === baseSha ? repo.files[path] : undefined;
      } else {
        text = blobs.get(value);
      }
      repository[`f${name.slice(1)}`] = text === undefined ? null : { oid: blobSha(text), byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
    }
    return { repository };
  }

  // GraphQL is one endpoint for all repositories: the router hands each query to its repository's stand-in.
  graphqlRoutes.set(name, {
    owns: (nodeId) => [...runs.values()].some((m) => [...m.values()].some((r) => `CR_${r.id}` === nodeId)),
    answer(body) {
      count(false);
      trace(`POST graphql ${/query (\w+)/.exec(body.query)?.[1]}`);
      if (body.query.includes("query reqgatePull(")) return [200, { data: context({ ...body.variables, query: body.query }) }];
      if (body.query.includes("query reqgateObjects(")) return [200, { data: objects(body.variables) }];
      if (body.query.includes("query reqgateOpenClaims(")) {
        // The open pull requests into the branch, 100 a page, each with its head's baseline run summary.
        const all = [...pulls.values()];
        const from = body.variables.cursor ? Number(body.variables.cursor) : 0;
        const nodes = all.slice(from, from + 100).map((pr) => {
          const run = runs.get(pr.head)?.get("reqgate/baseline");
          return { number: pr.number, commits: { nodes: [{ commit: { checkSuites: { nodes: run ? [{ checkRuns: { nodes: [{ summary: run.summary }] } }] : [] } } }] } };
        });
        const more = from + 100 < all.length;
        const repository = { pullRequests: { totalCount: all.length, pageInfo: { hasNextPage: more, endCursor: more ? String(from + 100) : null }, nodes } };
        if (body.variables.first) repository.tip = { oid: blobSha(repo.lock), byteSize: Buffer.byteLength(repo.lock) };
        const answer = { data: { repository } };
        counts.claimsQueries = (counts.claimsQueries ?? 0) + 1;
        counts.claimsBytes = (counts.claimsBytes ?? 0) + JSON.stringify(answer).length;
        return [200, answer];
      }
      if (body.query.includes("query reqgateRunSummaries(")) {
        const all = [...runs.values()].flatMap((m) => [...m.values()]);
        return [200, { data: { nodes: body.variables.ids.map((id) => all.find((r) => `CR_${r.id}` === id) ?? null).map((r) => (r ? { name: r.name, summary: r.summary } : null)) } }];
      }
      return [500, { message: `unexpected query ${body.query.slice(0, 40)}` }];
    },
  });

  nock(API)
    .persist()
    .get(new RegExp(`/repos/${OWNER}/${name}/pulls/\\d+$`))
    .reply(function (uri) {
      return conditional(this.req, restPull(pulls.get(Number(uri.split("/").pop()))));
    })
    .get(new RegExp(`/repos/${OWNER}/${name}/pulls/\\d+/files`))
    .reply(function (uri) {
      const url = new URL(uri, API);
      const pr = pulls.get(Number(url.pathname.split("/")[5]));
      const page = Number(url.searchParams.get("page"));
      // As GitHub's, each entry names the head commit (contents_url), so a new head is a new list.
      const list = pr.files.slice((page - 1) * 100, page * 100).map((f) => ({ filename: f.filename, status: f.status, sha: blobSha(f.text), contents_url: `${API}/repos/${OWNER}/${name}/contents/${f.filename}?ref=${pr.head}` }));
      return conditional(this.req, list);
    })
    .get(new RegExp(`/repos/${OWNER}/${name}/git/blobs/[0-9a-f]+$`))
    .reply((uri) => {
      count(false);
      return [200, blobs.get(uri.split("/").pop()), { "content-type": "application/vnd.github.raw" }];
    })
    .get(new RegExp(`/repos/${OWNER}/${name}/collaborators/[^/]+/permission$`))
    .reply(() => {
      count(false);
      return [200, { permission: "write", role_name: "maintain", user: { login: "maya" } }];
    })
    .post(`/repos/${OWNER}/${name}/check-runs`)
    .reply((_uri, body) => {
      count(true);
      const run = { id: nextRun++, name: body.name, conclusion: body.conclusion, title: body.output.title, summary: body.output.summary, text: body.output.text, externalId: body.external_id, detailsUrl: body.details_url, annotations: body.output.annotations?.length ?? 0 };
      if (!runs.has(body.head_sha)) runs.set(body.head_sha, new Map());
      runs.get(body.head_sha).set(body.name, run);
      return [201, { id: run.id }];
    })
    .patch(new RegExp(`/repos/${OWNER}/${name}/check-runs/\\d+$`))
    .reply((uri, body) => {
      count(true);
      const id = Number(uri.split("/").pop());
      for (const byName of runs.values()) {
        for (const run of byName.values()) {
          if (run.id !== id) continue;
          if (body.conclusion) run.conclusion = body.conclusion;
          if (body.external_id !== undefined) run.externalId = body.external_id;
          run.title = body.output.title;
          run.summary = body.output.summary;
          if (body.output.text !== undefined) run.text = body.output.text;
          run.annotations += body.output.annotations?.length ?? 0;
        }
      }
      return [200, {}];
    })
    .post(new RegExp(`/repos/${OWNER}/${name}/issues/comments/\\d+/reactions$`))
    .reply(() => {
      count(true);
      return [201, {}];
    })
    .post(new RegExp(`/repos/${OWNER}/${name}/issues/\\d+/comments$`))
    .reply((uri, body) => {
      count(true);
      pulls.get(Number(uri.split("/")[5])).comments.push({ id: nextComment++, body: body.body, login: BOT, bot: true, at: "2026-01-01T00:00:00Z" });
      return [201, {}];
    });

  return {
    counts,
    openPull(number, files, base) {
      for (const f of files) blobs.set(blobSha(f.text), f.text);
      Object.assign(repo.files, {}); // the base is the default branch: its files are repo.files
      void base;
      const head = sha1(`head ${number} 0`);
      pulls.set(number, { number, files, head, heads: [head], comments: [] });
    },
    comment(number, login, body) {
      const id = nextComment++;
      pulls.get(number).comments.push({ id, body, login, bot: false, at: "2026-01-02T00:00:00Z" });
      return id;
    },
    setConfig(text) {
      configText = text;
    },
    push(number) {
      const pr = pulls.get(number);
      pr.head = sha1(`head ${number} ${pr.heads.length}`);
      pr.heads.push(pr.head);
    },
  };
}

const repositoryPayload = (name = REPO, id = REPO_ID) => ({ id, name, full_name: `${OWNER}/${name}`, owner: { login: OWNER, type: "Organization" }, default_branch: "main", html_url: `https://github.com/${OWNER}/${name}` });

async function newApp() {
  const Octokit = ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  const probot = new Probot({ githubToken: "bench", Octokit, logLevel: "warn" });
  await probot.load(reqgate({ stateSecret: "bench", botLogin: `${BOT}[bot]`, appId: APP_ID }));
  return probot;
}

let delivery = 0;
function deliver(probot, name, payload, repository = repositoryPayload()) {
  return probot.receive({ id: String(++delivery), name, payload: { ...payload, repository, installation: { id: 1 } } });
}

/** Wall-clock milliseconds from a delivery to its answer (the check runs written). */
async function latency(probot, name, payload, repository) {
  const start = performance.now();
  await deliver(probot, name, payload, repository);
  return performance.now() - start;
}

async function measure(probot, github, name, payload) {
  const before = { ...github.counts };
  const cpu = process.cpuUsage();
  await deliver(probot, name, payload);
  const used = process.cpuUsage(cpu);
  return { requests: github.counts.requests - before.requests, notModified: github.counts.notModified - before.notModified, writes: github.counts.writes - before.writes, ms: (used.user + used.system) / 1000 };
}

const pullPayload = (action, number) => ({ action, number, pull_request: { number }, sender: { login: "octocat", type: "User" } });
const commentPayload = (number, id, body) => ({
  action: "created",
  issue: { number, pull_request: { url: "x" } },
  comment: { id, body, user: { login: "maya", type: "User" }, created_at: "2026-01-02T00:00:00Z" },
  sender: { login: "maya", type: "User" },
});

/** The engine alone: evaluateChange for a change of k requirements against a lock of n, locks parsed (as the App caches them). */
function engineMs(repo, k) {
  const { files } = change(repo, k, 201);
  const record = files.find((f) => f.filename.includes("/changes/"));
  const headLock = files.find((f) => f.filename === LOCK)?.text ?? repo.lock;
  const input = {
    config: DEFAULT_CONFIG,
    baseLock: { path: LOCK, text: repo.lock, parsed: parseLock(LOCK, repo.lock) },
    headLock: { path: LOCK, text: headLock, parsed: parseLock(LOCK, headLock) },
    requirementFiles: files.filter((f) => f.filename.startsWith("requirements/REQ-")).map((f) => ({ path: f.filename, base: repo.files[f.filename], head: f.text })),
    recordFiles: record ? [{ path: record.filename, head: record.text }] : [],
  };
  for (let i = 0; i < 3; i++) evaluateChange(input);
  const cpu = process.cpuUsage();
  for (let i = 0; i < 10; i++) evaluateChange(input);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / 10;
}

const rows = [];
const engine = [];
for (const n of SIZES) {
  resetGitHub();
  const repo = repository(n);
  engine.push({ n, zero: engineMs(repo, 0), hundred: engineMs(repo, 100) });
  const github = fakeGitHub(repo);
  const probot = await newApp();

  // Warm-up: the first event of the process also reads the default branch's lock (and parses it).
  github.openPull(1, change(repo, 0).files, {});
  const cold = await measure(probot, github, "pull_request", pullPayload("opened", 1));
  rows.push({ n, event: "first event of the process (no requirement change)", ...cold });

  let number = 10;
  const firsts = { 0: 1, 1: 1, 10: 101, 100: 201 };
  for (const k of [0, 1, 10, 100]) {
    number++;
    const { files, base } = change(repo, k, firsts[k]);
    github.openPull(number, files, base);
    const opened = await measure(probot, github, "pull_request", pullPayload("opened", number));
    rows.push({ n, k, event: `pull_request.opened, ${k} requirement file${k === 1 ? "" : "s"}`, ...opened });
    const redelivered = await measure(probot, github, "pull_request", pullPayload("opened", number));
    rows.push({ n, k, event: "  the same event redelivered", ...redelivered });
    if (k > 0) {
      const id = github.comment(number, "maya", "/reqgate approve");
      const approved = await measure(probot, github, "issue_comment", commentPayload(number, id, "/reqgate approve"));
      rows.push({ n, k, event: "  issue_comment.created `/reqgate approve`", ...approved });
    }
    github.push(number);
    const pushed = await measure(probot, github, "pull_request", pullPayload("synchronize", number));
    rows.push({ n, k, event: "  pull_request.synchronize, code-only push on top", ...pushed });
  }
}
// Hostile pull requests (issue 8), on the first size: each must cost ≤ 1 s of CPU and ≤ 10 requests.
const hostile = [];
let otherAlone = 0;
{
  const n = SIZES[0];
  resetGitHub();
  const repo = repository(n);
  const github = fakeGitHub(repo);
  const probot = await newApp();
  github.openPull(1, change(repo, 0).files, {});
  await measure(probot, github, "pull_request", pullPayload("opened", 1));
  // Another repository of the same installation, warm (its lock read once), whose ordinary pull
  // requests are sent alone and then together with each hostile one.
  const otherRepo = repository(n);
  const other = fakeGitHub(otherRepo, "other", 43, 70_000);
  const otherPayload = repositoryPayload("other", 43);
  other.openPull(1, change(otherRepo, 0).files, {});
  await deliver(probot, "pull_request", pullPayload("opened", 1), otherPayload);
  let otherNumber = 10;
  const ordinary = () => {
    other.openPull(++otherNumber, change(otherRepo, 1, otherNumber).files, {});
    return pullPayload("opened", otherNumber);
  };
  const alone = [];
  for (let i = 0; i < 3; i++) alone.push(await latency(probot, "pull_request", ordinary(), otherPayload));
  otherAlone = Math.min(...alone);

  let unknownKeys = reqText(1);
  for (let i = 0; unknownKeys.length < 500 * 1024; i++) unknownKeys += `k${i}: v\n`;
  // A variant per run, so that nothing parsed for one run is cached for the next.
  const scenarios = [
    ["a 20 MB lock of `x` lines", (v) => [{ filename: LOCK, status: "modified", text: `${"x\n".repeat(10 * 1024 * 1024)}${v}\n` }]],
    ["a 500 KiB requirement file of 53,000 unknown keys", (v) => [{ filename: "requirements/REQ-00001.yml", status: "modified", text: `${unknownKeys}# ${v}\n` }]],
    ["52,000 findings (52,000 list entries that are not requirements)", (v) => [{ filename: "requirements/many.yml", status: "added", text: `requirements:\n${"- 1\n".repeat(52_000)}# ${v}\n` }]],
  ];
  let number = 900;
  for (const [what, files] of scenarios) {
    github.openPull(++number, [...files("alone"), { filename: "src/app.ts", status: "modified", text: "export {};\n" }], {});
    const r = await measure(probot, github, "pull_request", pullPayload("opened", number));
    // Again (another variant), with an ordinary pull request of the other repository sent at once: its
    // latency, and the longest the event loop was blocked meanwhile (what any other event may wait).
    github.openPull(++number, [...files("together"), { filename: "src/app.ts", status: "modified", text: "export {};\n" }], {});
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const [, otherMs] = await Promise.all([deliver(probot, "pull_request", pullPayload("opened", number)), latency(probot, "pull_request", ordinary(), otherPayload)]);
    loop.disable();
    hostile.push({ what, ...r, otherMs, blockedMs: loop.max / 1e6 });
  }
  // The configuration is the default branch's: a brace bomb there is refused before any glob is compiled.
  github.setConfig(`requirements:\n  paths: ["requirements/${"{a,b}".repeat(25)}.yml"]\n`);
  github.openPull(++number, change(repo, 1, 301).files, {});
  hostile.push({ what: "a configuration glob of `{a,b}` x 25", ...(await measure(probot, github, "pull_request", pullPayload("opened", number))) });
}

// Colliding pull requests (SPEC 2.7): 200 open pull requests into the branch, each changing one
// requirement under its own change record, all evaluated (their runs carry their claims). Then a new
// pull request that collides with none, one that collides with one of them (which is evaluated again,
// counted with it), that one redelivered, and one that changes no requirement.
const collide = [];
let openCount = 0;
{
  const n = SIZES[0];
  resetGitHub();
  const repo = repository(n);
  const github = fakeGitHub(repo);
  const probot = await newApp();
  github.openPull(1, change(repo, 0).files, {});
  await deliver(probot, "pull_request", pullPayload("opened", 1));
  for (let i = 0; i < 200; i++) {
    github.openPull(2000 + i, change(repo, 1, 401 + i).files, {});
    await deliver(probot, "pull_request", pullPayload("opened", 2000 + i));
  }
  openCount = 201;
  const scenario = async (what, number, files, action = "opened") => {
    if (files) github.openPull(number, files, {});
    const before = { queries: github.counts.claimsQueries ?? 0, bytes: github.counts.claimsBytes ?? 0 };
    const r = await measure(probot, github, "pull_request", pullPayload(action, number));
    collide.push({ what, ...r, queries: (github.counts.claimsQueries ?? 0) - before.queries, bytes: (github.counts.claimsBytes ?? 0) - before.bytes });
  };
  await scenario("changes REQ-00700 (claimed by no other)", 3001, change(repo, 1, 700).files);
  // The same requirement as #2000 (REQ-00401), under another change record: both flagged, #2000 evaluated again.
  const clash = change(repo, 1, 401).files.map((f) => (f.filename.includes("/changes/") ? { ...f, filename: "requirements/changes/CR-9.yml", text: f.text.replace(/^id: .*$/m, "id: CR-9000") } : f));
  const lockFile = clash.find((f) => f.filename === LOCK);
  lockFile.text = lockFile.text.replaceAll("CR-100401", "CR-9000");
  await scenario("changes REQ-00401, which #2000 changes under another record (#2000 evaluated again, counted here)", 3002, clash);
  await scenario("  the same event redelivered", 3002, undefined);
  await scenario("changes no requirement (no query)", 3003, change(repo, 0).files);
}

nock.cleanAll();
nock.enableNetConnect();

console.log("GitHub requests per pull-request event (writes included; 304s apart: they cost no rate limit). CPU per event includes Probot, Octokit and the nock stand-in.\n");
console.log("| lock entries | event | requests | of which writes | 304s | target | CPU ms |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) {
  const target = r.k === undefined || !r.event.startsWith("pull_request.opened") ? "" : r.k === 0 ? "≤ 6" : `≤ ${8 + Math.ceil(r.k / 50)}`;
  console.log(`| ${r.n} | ${r.event} | ${r.requests} | ${r.writes} | ${r.notModified} | ${target} | ${r.ms.toFixed(0)} |`);
}
console.log(`\nof which the engine's evaluateChange (locks parsed once per version, as the App caches them): ${engine.map((e) => `${e.zero.toFixed(1)} ms (no change) / ${e.hundred.toFixed(1)} ms (100 changed) at ${e.n}`).join(", ")}`);
const over = rows.filter((r) => r.k !== undefined && r.event.startsWith("pull_request.opened") && r.requests > (r.k === 0 ? 6 : 8 + Math.ceil(r.k / 50)));
console.log(over.length === 0 ? "\nevery opened pull request within its target" : `\nover target: ${over.map((r) => `${r.event} at ${r.n}`).join("; ")}`);

console.log(`\nHostile pull requests (lock of ${SIZES[0]} entries; target ≤ 1 s CPU and ≤ 10 requests per event):\n`);
console.log("| pull request | requests | of which writes | CPU ms | within target | meanwhile: another repository's pull request answered in (ms) | longest event-loop block (ms) |");
console.log("|---|---|---|---|---|---|---|");
const fmt = (ms) => (ms === undefined ? "" : ms.toFixed(0));
for (const h of hostile) console.log(`| ${h.what} | ${h.requests} | ${h.writes} | ${h.ms.toFixed(0)} | ${h.requests <= 10 && h.ms <= 1000 ? "yes" : "NO"} | ${fmt(h.otherMs)} | ${fmt(h.blockedMs)} |`);
console.log(`\nanother repository's ordinary pull request (1 requirement changed) alone: answered in ${otherAlone.toFixed(0)} ms (the fastest of 3)`);

console.log(`\nColliding pull requests (SPEC 2.7): ${openCount} open pull requests into the branch, each evaluated (lock of ${SIZES[0]} entries). The open pull requests' claims are read from their head runs: one GraphQL query per 100, at most 10.\n`);
console.log("| pull request | requests | of which writes | of which claims queries | claims answer (KB) | CPU ms |");
console.log("|---|---|---|---|---|---|");
for (const c of collide) console.log(`| ${c.what} | ${c.requests} | ${c.writes} | ${c.queries} | ${(c.bytes / 1024).toFixed(0)} | ${c.ms.toFixed(0)} |`);
