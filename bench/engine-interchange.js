// `npm run bench -- interchange` (and part of `npm run bench`): ReqIF and doorstop at 10k and 50k
// requirements (BENCH_INTERCHANGE_SIZES; the count is the software requirements, plus a tenth as system
// requirements, as in bench/generate.js):
//   - `reqgate report --format reqif -o FILE` on the generated tree: wall time, peak RSS, file size;
//   - `reqgate import reqif FILE` of that file into an empty repository: wall time, peak RSS;
//   - the same as a ReqIF archive: `report --format reqifz` (wall time, peak RSS, size) and its import;
//   - `reqgate import doorstop DIR` of a generated doorstop tree of the same shape (a SYS document and a
//     REQ document whose items link to it): wall time, peak RSS.
// Each figure is the minimum of BENCH_RUNS runs (default 3): the run least disturbed by other load.
// Runs go through bench/measure.js (the CLI's bundle in one process, its peak RSS from the OS).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRepository } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_INTERCHANGE_SIZES ?? "10000,50000").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const scratch = mkdtempSync(join(tmpdir(), "reqgate-interchange-bench-"));

/** One CLI run in a fresh process: wall seconds, peak RSS (MB) and the exit status. */
function measure(args, cwd) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [join(here, "measure.js"), "cli", ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /maxrss_kb=(\d+)/.exec(child.stderr ?? "");
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN, status: child.status, stderr: child.stderr };
}

/** The fastest of `runs` runs; `prepare` runs before each (untimed); exit 0 or 1 expected. */
function fastest(args, cwd, prepare = () => {}) {
  let best;
  for (let i = 0; i < runs; i++) {
    prepare();
    const r = measure(args, cwd);
    // Exit 2 from an import is a refusal (e.g. a ReqIF file over the 256 MiB input bound): shown as such.
    if (r.status === 2 && args[0] === "import") return r;
    if (r.status !== 0 && r.status !== 1) throw new Error(`reqgate ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(0, 2000)}`);
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best;
}

/** An empty repository for an import to write into: a `.git` marker and a configuration with the prefixes. */
function emptyRepository(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, ".git"), { recursive: true });
  mkdirSync(join(dir, ".github"), { recursive: true });
  writeFileSync(join(dir, ".github/reqgate.yml"), "requirements:\n  prefixes: [SYS, REQ]\n");
}

const pad = (n) => String(n).padStart(5, "0");

/** A doorstop tree: document SYS (n/10 items) and document REQ (n items, each linking to a SYS item), 1,000 items a folder. */
function doorstopTree(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  const parents = Math.max(1, Math.floor(n / 10));
  const doc = (folder, prefix, parent, count, item) => {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, ".doorstop.yml"), `settings:\n  digits: 5\n${parent ? `  parent: ${parent}\n` : ""}  prefix: ${prefix}\n  sep: '-'\n`);
    for (let i = 1; i <= count; i++) writeFileSync(join(dir, folder, `${prefix}-${pad(i)}.yml`), item(i));
  };
  doc("sys", "SYS", undefined, parents, (i) => `active: true\nderived: false\nheader: System need ${i}\nlevel: 1.${i}\nlinks: []\nnormative: true\nref: ''\nreviewed: null\ntext: |\n  The system shall keep record ${i} for audit.\n`);
  doc("sys/req", "REQ", "SYS", n, (i) => `active: true\nderived: false\nheader: Software need ${i}\nlevel: 2.${i}\nlinks:\n- SYS-${pad(((i - 1) % parents) + 1)}: null\nnormative: true\nref: src/module-${i % 97}.c\nreviewed: null\ntext: |\n  The software shall store entry ${i} within one second.\n`);
}

// Exit 1 from an import means something could not be converted (listed): shown, so a lossy run is seen.
const fmt = (r) => (r.status === 2 ? `refused (exit 2) after ${r.seconds.toFixed(2)} s` : `${r.seconds.toFixed(2)} s, ${Math.round(r.rssMb)} MB${r.status === 0 ? "" : ` (exit ${r.status})`}`);

const rows = [];
for (const n of sizes) {
  const repo = join(scratch, `repo-${n}`);
  process.stderr.write(`generating ${n} requirements in ${repo}\n`);
  generateRepository(repo, n);
  const baseline = measure(["baseline", "--repo", repo], repo);
  if (baseline.status !== 0) throw new Error(`reqgate baseline failed:\n${baseline.stderr.slice(0, 2000)}`);

  const file = join(scratch, `export-${n}.reqif`);
  const exported = fastest(["report", "--repo", repo, "--format", "reqif", "-o", file], repo);
  const size = statSync(file).size;

  const target = join(scratch, `import-${n}`);
  const imported = fastest(["import", "reqif", file, "--repo", target], target, () => emptyRepository(target));

  const zipped = join(scratch, `export-${n}.reqifz`);
  const exportedZ = fastest(["report", "--repo", repo, "--format", "reqifz", "-o", zipped], repo);
  const sizeZ = statSync(zipped).size;
  const importedZ = fastest(["import", "reqif", zipped, "--repo", target], target, () => emptyRepository(target));

  const tree = join(scratch, `doorstop-${n}`);
  doorstopTree(tree, n);
  const dtarget = join(scratch, `doorstop-import-${n}`);
  const doorstop = fastest(["import", "doorstop", tree, "--repo", dtarget], dtarget, () => emptyRepository(dtarget));

  rows.push({ n: n + Math.floor(n / 10), size, exported, imported, sizeZ, exportedZ, importedZ, doorstop });
  process.stderr.write(`${rows.at(-1).n} requirements: ${line(rows.at(-1))}\n`);
  for (const d of [repo, target, tree, dtarget, file, zipped]) rmSync(d, { recursive: true, force: true });
}
rmSync(scratch, { recursive: true, force: true });

/** A row's cells after the count (also printed on stderr as each size finishes). */
function line(r) {
  return `${fmt(r.exported)} | ${(r.size / 1024 / 1024).toFixed(1)} MB | ${fmt(r.imported)} | ${fmt(r.exportedZ)} | ${(r.sizeZ / 1024 / 1024).toFixed(1)} MB | ${fmt(r.importedZ)} | ${fmt(r.doorstop)}`;
}

console.log(`\n## ReqIF and doorstop at scale (min of ${runs} runs; wall seconds with node start-up, peak RSS)\n`);
console.log("| requirements | report --format reqif | ReqIF size | import reqif | report --format reqifz | reqifz size | import reqif (.reqifz) | import doorstop (same shape) |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.n} | ${line(r)} |`);
