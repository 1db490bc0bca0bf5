// The fleet under load and faults (issue 9): a real redis-server, the GitHub stand-in of test/e2e
// answering a share of requests with faults, two replicas of bin/start.js on REDIS_URL, a burst of
// signed webhook deliveries (issues opened and edited, pull requests opened and synchronized, some
// sent to both replicas at once, some redelivered later with the same delivery ID), one replica
// SIGKILLed mid-run, the other left to finish. Run after `npm run build`: `node bench/app-fleet.js`
// (also run by `npm run bench`; `npm run bench -- fleet` runs it alone).
//
// Reported: lost events (a delivery acknowledged but never completed, or a subject without its effect),
// duplicated effects (a second reqgate comment on an issue, a second run of one check on one head),
// acknowledgement time of the webhook POST (until its response status; p50 and p95; sent from a thread
// of their own, a new connection each, beside the floor: the same deliveries to bare servers), GitHub requests
// (total, per delivery, faults among them), how requests of one installation were spaced across both
// replicas (Probot's throttling clustered on Redis: one write or GraphQL query a second), and the wall
// time until the queue was empty.
//
// Settings (environment): BENCH_FLEET_INSTALLATIONS (10; each one repository with 3 issues and 2 pull
// requests, 9 deliveries), BENCH_FLEET_DUPLICATES (5, sent to both replicas at once),
// BENCH_FLEET_REDELIVERIES (5, sent again after the kill), BENCH_FLEET_FAULT_RATE (0.2),
// BENCH_FLEET_SEED (1), BENCH_FLEET_RETRY_AFTER (1 s: GitHub's own are often 60, which would make a
// run last an hour; the waiting is the same code either way), BENCH_FLEET_LOCK_MS (5000: how long a
// killed replica's claims outlive it; the default in production is 30000), BENCH_FLEET_SPREAD_MS (0: the
// first deliveries all at once; N: spread evenly over N ms, as a busy organisation's events arrive).
import { spawn } from "node:child_process";
import { createHmac, createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import * as esbuild from "esbuild";
import { Queue, QueueEvents } from "bullmq";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === "" ? fallback : Number(process.env[name]));
const INSTALLATIONS = env("BENCH_FLEET_INSTALLATIONS", 10);
const DUPLICATES = env("BENCH_FLEET_DUPLICATES", 5);
const REDELIVERIES = env("BENCH_FLEET_REDELIVERIES", 5);
const FAULT_RATE = env("BENCH_FLEET_FAULT_RATE", 0.2);
const SEED = env("BENCH_FLEET_SEED", 1);
const RETRY_AFTER = env("BENCH_FLEET_RETRY_AFTER", 1);
const LOCK_MS = env("BENCH_FLEET_LOCK_MS", 5000);
const SPREAD_MS = env("BENCH_FLEET_SPREAD_MS", 0);
const SECRET = "bench-fleet-secret";
const BOT = "reqgate";
const MARKER = "<!-- reqgate:issue -->";
const CHECKS = ["reqgate/trace", "reqgate/baseline"];

if (!existsSync(join(root, "dist/server/start.js"))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(2);
}

// The stand-in and the redis-server helper are the tests' own (TypeScript): bundled for this run.
// github-contract.ts finds its data files next to itself, so its import.meta.url is kept as it is there.
const bundle = join(root, ".bench/fleet-support.mjs");
await esbuild.build({
  stdin: { contents: 'export * from "./test/e2e/github-stand-in.ts";\nexport * from "./test/support/redis-process.ts";\n', resolveDir: root, loader: "ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: bundle,
  packages: "external",
  define: { "import.meta.url": JSON.stringify(pathToFileURL(join(root, "test/support/github-contract.ts")).href) },
  logLevel: "warning",
});
const { startStandIn, startRedis, redisAvailable, REDIS_MISSING, blobSha } = await import(pathToFileURL(bundle).href);
if (!redisAvailable) {
  console.log(`(skipped: ${REDIS_MISSING})`);
  process.exit(0);
}

const sha1 = (text) => createHash("sha1").update(text).digest("hex");
const fixture = (name) => JSON.parse(readFileSync(join(root, `test/fixtures/webhooks/${name}.json`), "utf8"));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------------
// The world: per installation one repository, issues 1-3, pull requests 11 (closes #1) and 12 (closes #2).

const github = await startStandIn({ botLogin: BOT, config: "dashboard: false\n", faults: { rate: FAULT_RATE, seed: SEED, retryAfter: RETRY_AFTER } });
const redis = await startRedis();
const world = [];
for (let k = 1; k <= INSTALLATIONS; k++) {
  const repo = github.addRepo(`org${k}`, "widgets", 5000 + k);
  const installation = 100 + k;
  for (const n of [1, 2, 3]) repo.issues.set(n, { title: `Feature ${k}.${n}`, body: `Please add feature ${n} to the settings page.`, labels: new Set(), comments: [] });
  for (const [n, closes] of [[11, 1], [12, 2]]) {
    const file = { filename: `src/feature-${n}.ts`, status: "added", text: `export const feature${n} = ${k};\n` };
    github.blobs.set(blobSha(file.text), file.text);
    const head = sha1(`org${k} ${n} head 1`);
    repo.pulls.set(n, { title: `Feature ${closes}`, body: `Fixes #${closes}`, head, heads: [head], files: [file], closes, comments: [] });
  }
  world.push({ k, repo, installation });
}

function repositoryPayload(repo) {
  return { ...fixture("issues.opened").repository, id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner: { login: repo.owner, type: "Organization" }, default_branch: "main", html_url: `https://github.com/${repo.owner}/${repo.name}` };
}

/** The deliveries of one repository, in the order GitHub would send them; the state changes they report are applied first. */
function deliveriesOf({ k, repo, installation }) {
  const list = [];
  const add = (name, payload) => list.push({ id: `k${k}-${list.length + 1}-${sha1(`${SEED} ${k} ${list.length}`).slice(0, 8)}`, name, subject: `${repo.owner}#${payload.issue?.number ?? payload.pull_request.number}`, payload: { ...payload, repository: repositoryPayload(repo), installation: { id: installation }, sender: { login: "octocat", type: "User" } } });
  const issuePayload = (action, n, extra = {}) => {
    const base = fixture(`issues.${action === "opened" ? "opened" : "edited"}`);
    const issue = repo.issues.get(n);
    return { ...base, action, issue: { ...base.issue, number: n, title: issue.title, body: issue.body, updated_at: "2026-12-03T12:00:00Z" }, ...extra };
  };
  for (const n of [1, 2, 3]) add("issues", issuePayload("opened", n));
  // #1's body now names REQ-001 (traced: no label, and the trace of #11 that closes it passes); #2's title changes.
  const one = repo.issues.get(1);
  const before = one.body;
  one.body = "Requirement: REQ-001";
  add("issues", issuePayload("edited", 1, { changes: { body: { from: before } } }));
  const two = repo.issues.get(2);
  const title = two.title;
  two.title = `${title} (settings)`;
  add("issues", issuePayload("edited", 2, { changes: { title: { from: title } } }));
  for (const n of [11, 12]) {
    const pull = repo.pulls.get(n);
    const base = fixture("pull_request.opened");
    add("pull_request", { ...base, action: "opened", number: n, pull_request: { ...base.pull_request, number: n, title: pull.title, body: pull.body, head: { ...base.pull_request.head, sha: pull.head }, base: { ...base.pull_request.base, sha: sha1("base") } } });
  }
  for (const n of [11, 12]) {
    const pull = repo.pulls.get(n);
    const previous = pull.head;
    pull.head = sha1(`org${k} ${n} head 2`);
    pull.heads.push(pull.head);
    const base = fixture("pull_request.synchronize");
    add("pull_request", { ...base, action: "synchronize", number: n, before: previous, after: pull.head, pull_request: { ...base.pull_request, number: n, title: pull.title, body: pull.body, head: { ...base.pull_request.head, sha: pull.head }, base: { ...base.pull_request.base, sha: sha1("base") } } });
  }
  return list;
}

const unique = world.flatMap(deliveriesOf);

// ---------------------------------------------------------------------------------------------------
// Two replicas.

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

async function startReplica(name) {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/start.js"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${github.port}`, GHE_PROTOCOL: "http", HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", LOG_LEVEL: "info", REDIS_URL: redis.url, REQGATE_LOCK_MS: String(LOCK_MS), REQGATE_RECONCILE_MINUTES: "0" },
  });
  const replica = { name, child, port, lines: [], tail: "" };
  const take = (chunk) => {
    replica.tail += chunk.toString("utf8");
    const parts = replica.tail.split("\n");
    replica.tail = parts.pop();
    for (const line of parts) {
      try {
        const entry = JSON.parse(line);
        // Kept: what the report counts (not the per-delivery info lines).
        if (entry.level >= 40 || /Listening/.test(entry.msg)) replica.lines.push(entry);
      } catch {
        replica.lines.push({ level: 50, msg: line });
      }
    }
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  const end = Date.now() + 30_000;
  while (!replica.lines.some((l) => /Listening/.test(l.msg ?? ""))) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`replica ${name} did not start:\n${replica.lines.map((l) => l.msg).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return replica;
}

const replicas = [await startReplica("A"), await startReplica("B")];
const [a, b] = replicas;

// The deliveries are sent from a thread of their own, over a new connection each (as GitHub's come), so
// that the stand-in's work on this thread's event loop does not delay reading the answers.
const sender = new Worker(
  `
  const { parentPort } = require("node:worker_threads");
  const { request } = require("node:http");
  const { createHmac } = require("node:crypto");
  function post({ port, id, name, body, delayMs }, secret) {
    return new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => new Promise((resolve) => {
      const signature = "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
      const started = performance.now();
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/github/webhooks", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-github-event": name, "x-github-delivery": id, "x-hub-signature-256": signature, "user-agent": "GitHub-Hookshot/bench" } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ id, status: res.statusCode, outcome: text.trim(), ms: performance.now() - started }));
      });
      req.on("error", (error) => resolve({ id, status: 0, outcome: "no answer: " + error.message, ms: performance.now() - started }));
      req.end(body);
    }));
  }
  parentPort.on("message", async ({ n, list, secret }) => parentPort.postMessage({ n, results: await Promise.all(list.map((d) => post(d, secret))) }));
  `,
  { eval: true },
);
const answers = new Map();
let batches = 0;
sender.on("message", ({ n, results }) => answers.get(n)(results));
/** Sends [replica, delivery, delayMs] all at once (each after its delay); resolves with the answers in order. */
function send(list) {
  const n = ++batches;
  return new Promise((resolve) => {
    answers.set(n, resolve);
    sender.postMessage({ n, secret: SECRET, list: list.map(([replica, d, delayMs = 0]) => ({ port: replica.port, id: d.id, name: d.name, body: JSON.stringify(d.payload), delayMs })) });
  }).then((results) => results.map((r, i) => ({ ...r, replica: list[i][0].name })));
}
const deliver = async (replica, delivery) => (await send([[replica, delivery]]))[0];

const queue = new Queue("reqgate-deliveries", { connection: { url: redis.url }, skipVersionCheck: true });
const events = new QueueEvents("reqgate-deliveries", { connection: { url: redis.url, maxRetriesPerRequest: null } });
let stalled = 0;
events.on("stalled", () => stalled++);
await events.waitUntilReady();

// ---------------------------------------------------------------------------------------------------
// The run: the burst (each delivery to one replica, in turn; the duplicates to both at once), the kill
// once a third of the deliveries are done, then the redeliveries to the survivor.

// Warm-up: a ping to each replica (as GitHub sends when a hook is created), so that the burst meets
// replicas with their Redis connections open, as GitHub's deliveries do.
for (const r of replicas) {
  const ping = await deliver(r, { id: `ping-${r.name}`, name: "ping", payload: { zen: "Keep it logically awesome.", hook_id: 1, hook: { type: "App", id: 1, events: ["issues", "pull_request"] } } });
  if (ping.status !== 202) throw new Error(`replica ${r.name} answered the ping with ${ping.status} ${ping.outcome}`);
}

const pick = (count, offset) => Array.from({ length: Math.min(count, unique.length) }, (_, i) => unique[(offset + i * Math.floor(unique.length / Math.max(1, count))) % unique.length]);
const duplicated = pick(DUPLICATES, 0);
const redelivered = pick(REDELIVERIES, 3);
const wave = [...unique.map((d, i) => [replicas[i % 2], d]), ...duplicated.map((d) => [replicas[(unique.indexOf(d) + 1) % 2], d])];
const delay = (i) => (SPREAD_MS > 0 ? (i * SPREAD_MS) / wave.length : 0);

// The floor: the same wave, from the same sender, to two bare servers (a process each, reading the body
// and answering 202), so that the figures can be read against what this machine and client cost alone.
async function startBare() {
  const child = spawn(process.execPath, ["-e", 'const s = require("node:http").createServer((q, r) => { q.resume(); q.on("end", () => r.writeHead(202).end("queued\\n")); }); s.listen(0, "127.0.0.1", () => console.log(s.address().port));']);
  const port = await new Promise((resolve) => child.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim()))));
  return { name: "bare", port, child };
}
const bare = [await startBare(), await startBare()];
const floorAcks = await send(wave.map(([replica, d], i) => [bare[replicas.indexOf(replica)], d, delay(i)]));
for (const server of bare) server.child.kill();

const started = performance.now();
const acks = await send(wave.map(([replica, d], i) => [replica, d, delay(i)]));
const burstMs = performance.now() - started;

let kill;
for (;;) {
  const counts = await queue.getJobCounts("completed", "active");
  if (counts.completed >= Math.ceil(unique.length / 3)) {
    a.child.kill("SIGKILL");
    kill = { atMs: performance.now() - started, completed: counts.completed, active: counts.active };
    break;
  }
  if (performance.now() - started > 600_000) throw new Error("nothing completed in 10 minutes");
  await new Promise((resolve) => setTimeout(resolve, 100));
}
// One at a time, to the survivor while it works (and takes over A's jobs).
const alone = [];
for (const d of redelivered) alone.push(await deliver(b, d));
acks.push(...alone);

let drainedMs;
for (;;) {
  const counts = await queue.getJobCounts("waiting", "delayed", "active", "prioritized", "waiting-children");
  const busy = Object.values(counts).reduce((x, y) => x + y, 0);
  const quiet = github.seen.length === 0 || Date.now() - github.seen[github.seen.length - 1].at > 1500;
  if (busy === 0 && quiet) {
    drainedMs = performance.now() - started;
    break;
  }
  if (performance.now() - started > 900_000) {
    drainedMs = NaN;
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

// ---------------------------------------------------------------------------------------------------
// What happened.

const firstAck = new Map();
for (const ack of acks) if (!firstAck.has(ack.id)) firstAck.set(ack.id, ack);
const outcomes = {};
for (const ack of acks) outcomes[ack.outcome] = (outcomes[ack.outcome] ?? 0) + 1;
const notAccepted = acks.filter((ack) => ack.status !== 202);

const jobLost = [];
for (const d of unique) {
  const job = await queue.getJob(`d-${d.id}`);
  const state = job ? await job.getState() : "missing";
  // A coalesced delivery has no job of its own: the subject's job stands for it (checked by its effect below).
  if (state !== "completed" && firstAck.get(d.id)?.outcome !== "coalesced") jobLost.push(`${d.id} (${d.name}.${d.payload.action}, ${state})`);
}

const effectLost = [];
const duplicates = [];
for (const { repo } of world) {
  for (const [n, issue] of repo.issues) {
    const own = issue.comments.filter((c) => c.author.login === BOT && c.body.includes(MARKER));
    const traced = /REQ-001/.test(issue.body);
    if (own.length > 1) duplicates.push(`${repo.owner}#${n}: ${own.length} reqgate comments`);
    if (!traced && (own.length === 0 || !issue.labels.has("needs-requirement"))) effectLost.push(`${repo.owner}#${n}: ${own.length} comments, labels ${[...issue.labels].join(",") || "none"}`);
    if (traced && issue.labels.has("needs-requirement")) effectLost.push(`${repo.owner}#${n}: traced but still labelled`);
  }
  for (const [n, pull] of repo.pulls) {
    for (const head of pull.heads) {
      for (const name of CHECKS) {
        const runs = repo.runs.filter((r) => r.head === head && r.name === name);
        if (runs.length > 1) duplicates.push(`${repo.owner}#${n} ${head.slice(0, 7)} ${name}: ${runs.length} runs`);
        if (head === pull.head) {
          if (runs.length === 0) effectLost.push(`${repo.owner}#${n} ${head.slice(0, 7)}: no ${name}`);
        }
      }
    }
  }
}
const conclusionCounts = {};
for (const { repo } of world) {
  for (const [n, pull] of repo.pulls) {
    for (const name of CHECKS) {
      const run = repo.runs.find((r) => r.head === pull.head && r.name === name);
      const key = `${name} on #${n}: ${run ? (run.conclusion ?? run.status).toLowerCase() : "none"}`;
      conclusionCounts[key] = (conclusionCounts[key] ?? 0) + 1;
    }
  }
}

// Requests: by installation (its token) and by kind; faults; spacing of the write group per installation.
const requests = github.seen;
const faults = { "secondary-limit": 0, "bad-gateway": 0, "bad-gateway-applied": 0 };
for (const r of requests) if (r.fault) faults[r.fault]++;
const tokenRequests = requests.filter((r) => /access_tokens$/.test(r.url));
const tokens = tokenRequests.length;
const tokenFaults = tokenRequests.filter((r) => r.fault).length;
const tokensPer = new Map();
for (const r of tokenRequests.filter((x) => !x.fault)) tokensPer.set(r.url, (tokensPer.get(r.url) ?? 0) + 1);
const tokenSpread = [...tokensPer.values()].sort((x, y) => x - y);
const api = requests.filter((r) => /^token ghs_i\d+$/.test(r.authorization));
const writeGroup = api.filter((r) => r.method !== "GET");
const gaps = [];
for (const { installation } of world) {
  const times = writeGroup.filter((r) => r.authorization === `token ghs_i${installation}`).map((r) => r.at).sort((x, y) => x - y);
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
}
gaps.sort((x, y) => x - y);
const subjectOf = (r) => {
  if (r.url === "/api/graphql") {
    try {
      const { query, variables = {} } = JSON.parse(r.body);
      if (/query reqgatePull|query reqgateObjects|query reqgateRunSummaries/.test(query)) return "pull";
      if (/query reqgateIssue/.test(query)) return "issue";
      if (/query reqgateDashboard/.test(query)) return "dashboard";
      return "other";
    } catch {
      return "other";
    }
  }
  if (/\/pulls\/|\/check-runs|\/git\/blobs|\/collaborators\//.test(r.url)) return "pull";
  const m = /\/issues\/(\d+)\//.exec(r.url);
  if (m) return Number(m[1]) >= 11 ? "pull" : "issue";
  if (/\/labels$|\/contents\//.test(r.url)) return "issue";
  return "other";
};
const bySubject = { issue: 0, pull: 0, dashboard: 0, other: 0 };
for (const r of api) bySubject[subjectOf(r)]++;
const issueDeliveries = unique.filter((d) => d.name === "issues").length;
const pullDeliveries = unique.length - issueDeliveries;
const sharedWaits = b.lines.concat(a.lines).filter((l) => l.msg === "waiting for a rate limit another request reported").length;
const secondaryHandled = b.lines.concat(a.lines).filter((l) => l.msg === "secondary rate limit").length;
const failedLogs = b.lines.concat(a.lines).filter((l) => l.msg === "delivery failed");
const retried = failedLogs.filter((l) => l.outcome === "retry").length;
const gaveUp = failedLogs.filter((l) => l.outcome === "failed").length;
const problems = github.problems();

const ackMs = acks.map((x) => x.ms).sort((x, y) => x - y);
const burstAck = acks.slice(0, acks.length - alone.length).map((x) => x.ms).sort((x, y) => x - y);
const aloneAck = alone.map((x) => x.ms).sort((x, y) => x - y);
const floorAck = floorAcks.map((x) => x.ms).sort((x, y) => x - y);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const rows = [
  ["deliveries sent", `${acks.length} (${unique.length} distinct: ${issueDeliveries} issues opened/edited, ${pullDeliveries} pull requests opened/synchronize; ${duplicated.length} sent to the other replica too, ${redelivered.length} redelivered after the kill) over ${INSTALLATIONS} installations`],
  ["answers", Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(", ") + (notAccepted.length ? `; ${notAccepted.length} not 202` : "; all 202")],
  ["acknowledgement (POST until its status), all", `p50 ${fmt(percentile(ackMs, 50))}, p95 ${fmt(percentile(ackMs, 95))}, max ${fmt(ackMs[ackMs.length - 1])} (target p95 < 100 ms)`],
  [`acknowledgement, the ${wave.length} first deliveries ${SPREAD_MS > 0 ? `spread over ${SPREAD_MS} ms` : "at once"}`, `p50 ${fmt(percentile(burstAck, 50))}, p95 ${fmt(percentile(burstAck, 95))}; the last answered ${fmt(burstMs)} after the first was sent`],
  [`floor: the same ${wave.length} to two bare servers that read the body and answer 202`, `p50 ${fmt(percentile(floorAck, 50))}, p95 ${fmt(percentile(floorAck, 95))} (what this machine and the sender cost without reqgate)`],
  [`acknowledgement, ${alone.length} sent one at a time to the survivor while it works`, alone.length ? `p50 ${fmt(percentile(aloneAck, 50))}, max ${fmt(aloneAck[aloneAck.length - 1])}` : "none"],
  ["replica A killed (SIGKILL)", `at ${(kill.atMs / 1000).toFixed(1)} s, with ${kill.completed} deliveries done and ${kill.active} running; ${stalled} jobs taken over by B (stalled)`],
  ["lost events (target 0)", `${jobLost.length + effectLost.length}${jobLost.length + effectLost.length ? `: ${[...jobLost, ...effectLost].slice(0, 6).join("; ")}` : ""}`],
  ["duplicated effects (target 0)", `${duplicates.length}${duplicates.length ? `: ${duplicates.slice(0, 6).join("; ")}` : ""} (one reqgate comment per issue, one run per check per head)`],
  ["check runs on the final heads", Object.entries(conclusionCounts).map(([k, v]) => `${v}x ${k}`).join(", ")],
  ["GitHub requests", `${requests.length} in all: ${api.length} by installations (${(api.length / unique.length).toFixed(1)} per distinct delivery: ${(bySubject.issue / issueDeliveries).toFixed(1)} per issue event, ${(bySubject.pull / pullDeliveries).toFixed(1)} per pull-request event, by the subject they concern; ${bySubject.dashboard} dashboard reads, which find \`dashboard: false\`${bySubject.other ? `; ${bySubject.other} other` : ""}), ${tokens} token exchanges, ${requests.length - api.length - tokens} App requests`],
  ["installation tokens", `${tokens} requests for ${INSTALLATIONS} installations and 2 replicas (each replica caches a token for its hour): ${tokens - tokenFaults} answered, ${tokenFaults} faults retried; answered per installation: ${tokenSpread.length ? `${tokenSpread[0]} to ${tokenSpread[tokenSpread.length - 1]}` : "none"}`],
  ["faults injected", `${faults["secondary-limit"]} secondary-limit 403s (retry-after ${RETRY_AFTER} s), ${faults["bad-gateway"] + faults["bad-gateway-applied"]} 502s (${faults["bad-gateway-applied"]} after the write went through): ${((faults["secondary-limit"] + faults["bad-gateway"] + faults["bad-gateway-applied"]) / requests.length * 100).toFixed(1)} % of responses, seed ${SEED}`],
  ["rate limits", `${secondaryHandled} secondary limits handled; ${sharedWaits} requests waited for a pause that another request (of either replica) recorded`],
  ["writes and GraphQL of one installation, both replicas together", gaps.length ? `gap between consecutive requests: min ${gaps[0]} ms, p50 ${percentile(gaps, 50)} ms (the shared limiter allows one a second; its retries are exempt)` : "none"],
  ["deliveries retried by the queue", `${retried} attempts failed and were retried, ${gaveUp} deliveries gave up`],
  ["requests GitHub's description does not allow", String(problems.length)],
  ["wall time", `${(drainedMs / 1000).toFixed(1)} s from the first POST until the queue was empty`],
];
console.log(`Two replicas (bin/start.js, REDIS_URL, REQGATE_LOCK_MS=${LOCK_MS}), a real redis-server, the GitHub stand-in of test/e2e with ${(FAULT_RATE * 100).toFixed(0)} % faults; configuration \`dashboard: false\`, reconciliation off.\n`);
console.log("| | |");
console.log("|---|---|");
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
if (problems.length) console.log(`\nfirst problems: ${problems.slice(0, 3).join("\n")}`);
// BENCH_FLEET_DEBUG=1: the replicas' warnings and errors, and the requests the report files as "other".
if (process.env.BENCH_FLEET_DEBUG) {
  for (const r of replicas) for (const l of r.lines) process.stderr.write(`${r.name} ${l.msg} ${JSON.stringify({ id: l.id, outcome: l.outcome, err: l.err?.message ?? l.err, url: l.url, key: l.key })}\n`);
  for (const r of api.filter((x) => subjectOf(x) === "other")) process.stderr.write(`other: ${r.method} ${r.url} ${r.body.slice(0, 120)}\n`);
  const t0 = requests[0]?.at ?? 0;
  for (const r of requests) process.stderr.write(`t ${((r.at - t0) / 1000).toFixed(2)} ${r.authorization.slice(6)} ${r.method} ${r.url.slice(0, 90)} ${r.status}${r.fault ? ` ${r.fault}` : ""} ${r.url === "/api/graphql" ? (/query (\w+)/.exec(r.body)?.[1] ?? "") + " " + (/"number":(\d+)/.exec(r.body)?.[1] ?? "") : ""}\n`);
  for (const r of requests.filter((x) => x.status === 404)) process.stderr.write(`404: ${r.method} ${r.url} ${r.body.slice(0, 200)}\n`);
}

b.child.kill("SIGTERM");
await new Promise((resolve) => (b.child.exitCode !== null ? resolve() : b.child.once("exit", resolve)));
await sender.terminate();
await events.close();
await queue.close();
await redis.stop();
await github.close();
process.exit(jobLost.length + effectLost.length + duplicates.length > 0 ? 1 : 0);
