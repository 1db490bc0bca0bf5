// `npm run bench`: speed and memory of the engine and the App, measured, never asserted in tests.
// Engine: `reqgate check` and `reqgate baseline` on generated trees of 1k, 10k and 50k requirements,
// next to the floor (a bare script that reads and parses the same files). App: GitHub requests and CPU
// per event, from the bench/app-*.js scripts (each prints its own table), among them app-fleet.js: two
// replicas on Redis under a burst of deliveries, faults and a killed replica.
// `npm run bench -- fleet pulls` runs only bench/app-fleet.js and bench/app-pulls.js (no engine runs);
// `npm run bench -- parsers` runs bench/engine-parsers.js (the parsers under fuzzed input, by size).
// `npm run bench -- interchange` runs bench/engine-interchange.js (report --format reqif, import reqif and
// import doorstop at 10k and 50k requirements: time, peak RSS, file size).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRepository } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const sizes = (process.env.BENCH_SIZES ?? "1000,10000,50000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = process.argv.slice(2);
const apps = readdirSync(here).filter((f) => /^(app|engine)-.*\.js$/.test(f)).sort();
const benchName = (file) => file.replace(/^(app|engine)-/, "").replace(/\.js$/, "");
const unknown = only.filter((name) => !apps.some((f) => benchName(f) === name));
if (unknown.length > 0) {
  console.error(`no bench/app-${unknown[0]}.js: choose among ${apps.map(benchName).join(", ")}`);
  process.exit(2);
}

if (!existsSync(join(root, "dist/bundle/main.js"))) {
  console.error("dist/ is missing: run `npm install` (it builds) or `npm run build` first");
  process.exit(2);
}

function measure(args, cwd) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [join(here, "measure.js"), ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /maxrss_kb=(\d+)/.exec(child.stderr ?? "");
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN, status: child.status, stderr: child.stderr };
}

function best(args, cwd) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(measure(args, cwd));
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)]; // the median run
}

// Start-up: `reqgate --version` against a bare `node -e 0`, in turn, so that both see the same load.
function wall(args) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
  return Number(process.hrtime.bigint() - started) / 1e9;
}
const startRuns = Math.max(5, runs * 3);
const bare = [];
const version = [];
for (let i = 0; only.length === 0 && i <= startRuns; i++) {
  const [b, v] = [wall(["-e", "0"]), wall([join(root, "bin/reqgate.js"), "--version"])];
  if (i > 0) bare.push(b), version.push(v); // the first pair warms the file cache
}
const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
};
const startup = { bare: stats(bare), version: stats(version) };

const rows = [];
for (const n of only.length > 0 ? [] : sizes) {
  const dir = join(root, ".bench", `repo-${n}`);
  process.stderr.write(`generating ${n} requirements in ${dir}\n`);
  const shape = generateRepository(dir, n);
  const files = readdirSync(join(dir, "requirements"), { recursive: true }).length;

  rmSync(join(dir, "requirements/baseline.lock"), { force: true });
  const baseline = measure(["cli", "baseline", "--repo", dir], dir); // the first baseline: writes the lock
  if (baseline.status !== 0) throw new Error(`reqgate baseline failed:\n${baseline.stderr}`);
  const rebaseline = best(["cli", "baseline", "--repo", dir], dir); // an up-to-date lock: the usual case
  const check = best(["cli", "check", "--repo", dir], dir);
  if (check.status !== 0) throw new Error(`reqgate check failed (exit ${check.status}):\n${check.stderr.slice(0, 2000)}`);
  const floorFast = best(["floor", dir, "js-yaml"], dir);
  const floorYaml = best(["floor", dir, "yaml"], dir);

  // check --base: the baselined tree committed as the base, then a change of 1 % of the requirements
  // (text amended, one change record listing them, the lock written by `reqgate baseline`) in the working tree.
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  amendRequirements(dir, Math.max(1, n / 100));
  const amended = measure(["cli", "baseline", "--repo", dir], dir); // the lock the pull request carries
  if (amended.status !== 0) throw new Error(`reqgate baseline on the branch failed:\n${amended.stderr}`);
  const checkBase = best(["cli", "check", "--base", "main", "--repo", dir], dir);
  if (checkBase.status !== 0) throw new Error(`reqgate check --base failed (exit ${checkBase.status}):\n${checkBase.stderr.slice(0, 2000)}`);
  const floorBase = best(["floor-base", dir, "main"], dir);
  rows.push({ n, items: shape.requirements + shape.verifies, files, baseline, rebaseline, check, floorFast, floorYaml, checkBase, floorBase });
}

function git(cwd, ...args) {
  const child = spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  if (child.status !== 0) throw new Error(`git ${args.join(" ")}: ${child.stderr}`);
}

/** Amends the text of the first `count` software requirements and adds the change record that lists them. */
function amendRequirements(dir, count) {
  const ids = [];
  for (let i = 1; i <= count; i++) {
    const id = `REQ-${String(i).padStart(5, "0")}`;
    const file = join(dir, "requirements/software", String(Math.floor((i - 1) / 1000)), `${id}.yml`);
    writeFileSync(file, readFileSync(file, "utf8").replace("The software shall", "The software shall, when asked,"));
    ids.push(id);
  }
  writeFileSync(join(dir, "requirements/changes/CR-99999.yml"), `id: CR-99999\ntitle: Amend ${count} requirements\nrationale: Benchmark change.\naffects:\n${ids.map((id) => `  - ${id}\n`).join("")}`);
}

if (only.length === 0) {
  console.log("\n## Start-up (%d runs each, in turn; wall seconds, min / median)\n", startRuns);
  console.log("| command | min | median | over `node -e 0` (min / median) |");
  console.log("|---|---|---|---|");
  console.log(`| node -e 0 | ${startup.bare.min.toFixed(3)} | ${startup.bare.median.toFixed(3)} | |`);
  console.log(`| reqgate --version | ${startup.version.min.toFixed(3)} | ${startup.version.median.toFixed(3)} | +${(startup.version.min - startup.bare.min).toFixed(3)} / +${(startup.version.median - startup.bare.median).toFixed(3)} |`);

  const fmt = (r) => `${r.seconds.toFixed(2)} s ${Math.round(r.rssMb)} MB`;
  console.log("\n## Engine (median of %d runs; wall time includes node start-up; peak RSS)\n", runs);
  console.log("| requirements | items | files | check | baseline (first) | baseline (current) | floor: read + js-yaml | floor: read + yaml |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.n + r.n / 10} | ${r.items} | ${r.files} | ${fmt(r.check)} | ${fmt(r.baseline)} | ${fmt(r.rebaseline)} | ${fmt(r.floorFast)} | ${fmt(r.floorYaml)} |`);
  }
  const ratio = (a, b) => `${(a.seconds / b.seconds).toFixed(2)}x`;
  console.log("\n## Against the floor (median runs)\n");
  console.log("| requirements | check | floor: read + js-yaml | ratio | check --base (1 % amended) | floor: both trees read (git) + js-yaml | ratio |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.n + r.n / 10} | ${fmt(r.check)} | ${fmt(r.floorFast)} | ${ratio(r.check, r.floorFast)} | ${fmt(r.checkBase)} | ${fmt(r.floorBase)} | ${ratio(r.checkBase, r.floorBase)} |`);
  }
  if (rows.length > 1) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    console.log(`\ncheck: ${(b.check.seconds / a.check.seconds).toFixed(1)}x the time for ${(b.items / a.items).toFixed(0)}x the items`);
  }
}

for (const script of only.length > 0 ? only.map((name) => apps.find((f) => benchName(f) === name)) : apps) {
  console.log(`\n## ${script}\n`);
  const child = spawnSync(process.execPath, [join(here, script)], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (child.status !== 0) console.log(`(${script} exited with ${child.status})`);
}

// The report at scale (html and json sizes and times, Chromium's time to first render): bench/report-html.js.
if (only.length === 0) {
  const child = spawnSync(process.execPath, [join(here, "report-html.js")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (child.status !== 0) console.log(`(report-html.js exited with ${child.status})`);
}
