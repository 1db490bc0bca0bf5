// `node bench/report-html.js` (and the end of `npm run bench`): `reqgate report` at 10k and 50k requirements
// (BENCH_SIZES): the time and size of --format html and json, and the HTML opened in headless Chromium
// (Debian's `chromium`; skipped, saying so, when it is absent): the wall time of `--dump-dom` (load,
// parse, the page's script builds the top of the tree) next to the same Chromium on an empty page, the
// difference being the time to first render. Minimum of BENCH_RUNS runs: the least disturbed by load.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";
import { generateRepository } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const sizes = (process.env.BENCH_SIZES ?? "10000,50000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const CHROMIUM = process.env.CHROMIUM ?? "chromium";
const hasChromium = spawnSync("sh", ["-c", `command -v "${CHROMIUM}"`]).status === 0;
const scratch = mkdtempSync(join(tmpdir(), "reqgate-report-bench-"));

function seconds(fn) {
  const started = process.hrtime.bigint();
  const result = fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

function min(n, fn) {
  let best;
  for (let i = 0; i < n; i++) {
    const r = fn();
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best;
}

function reqgate(args, cwd) {
  const child = spawnSync(process.execPath, [join(root, "bin/reqgate.js"), ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0 && child.status !== 1) throw new Error(`reqgate ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
}

function dumpDom(file) {
  const profile = mkdtempSync(join(scratch, "profile-"));
  const { seconds: s, result } = seconds(() =>
    spawnSync(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, "--dump-dom", `file://${file}`], { encoding: "utf8", maxBuffer: 1 << 30, timeout: 600_000 }),
  );
  rmSync(profile, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`chromium exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return { seconds: s, built: (result.stdout.match(/<details class="req"/g) ?? []).length };
}

const rows = [];
for (const n of sizes) {
  const dir = join(scratch, `repo-${n}`);
  process.stderr.write(`generating ${n} requirements in ${dir}\n`);
  generateRepository(dir, n);
  reqgate(["baseline", "--repo", dir], dir);
  const html = join(scratch, `report-${n}.html`);
  const json = join(scratch, `report-${n}.json`);
  const h = min(runs, () => seconds(() => reqgate(["report", "--repo", dir, "--format", "html", "-o", html], dir)));
  const j = min(runs, () => seconds(() => reqgate(["report", "--repo", dir, "--format", "json", "-o", json], dir)));
  const row = { n: n + n / 10, html: { seconds: h.seconds, bytes: statSync(html).size }, json: { seconds: j.seconds, bytes: statSync(json).size } };
  if (hasChromium) {
    const empty = join(scratch, "empty.html");
    writeFileSync(empty, "<!doctype html><title>empty</title><p>empty</p>\n");
    row.emptyPage = min(runs, () => dumpDom(empty));
    row.page = min(runs, () => dumpDom(html));
  }
  rows.push(row);
  rmSync(dir, { recursive: true, force: true });
}

const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
console.log(`\n## reqgate report at scale (min of ${runs} runs; wall seconds, node start-up included)\n`);
console.log("| requirements | html | html size | json | json size | Chromium --dump-dom: empty page | the report | time to first render | requirements built on load |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const chrome = r.page ? `${r.emptyPage.seconds.toFixed(2)} s | ${r.page.seconds.toFixed(2)} s | ${(r.page.seconds - r.emptyPage.seconds).toFixed(2)} s | ${r.page.built}` : "skipped: chromium not installed | | |";
  console.log(`| ${r.n} | ${r.html.seconds.toFixed(2)} s | ${mb(r.html.bytes)} | ${r.json.seconds.toFixed(2)} s | ${mb(r.json.bytes)} | ${chrome} |`);
}
rmSync(scratch, { recursive: true, force: true });
if (!existsSync(join(root, "dist/bundle/main.js"))) console.error("note: dist/ was missing; run `npm run build` first");
