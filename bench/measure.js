// Runs one command in this process and prints its peak RSS on the last line of stderr, so that
// bench/run.js can time the whole process (node start-up included) and read its memory.
//   node bench/measure.js cli <reqgate args...>
//   node bench/measure.js floor <dir> <js-yaml|yaml>
//   node bench/measure.js floor-base <dir> <ref>
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [mode, ...args] = process.argv.slice(2);
let code = 0;
if (mode === "cli") {
  const { main } = await import("../dist/bundle/main.js"); // what bin/reqgate.js runs
  const sink = { write: () => true };
  code = await main(args, { stdout: sink, stderr: process.stderr, env: {}, cwd: process.cwd() });
} else if (mode === "floor") {
  // The floor: what a bare script spends to read and YAML-parse the same requirement files.
  const [dir, parser] = args;
  const load = parser === "yaml" ? (await import("yaml")).parse : (await import("js-yaml")).default.load;
  let count = 0;
  for (const entry of readdirSync(join(dir, "requirements"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".yml")) continue;
    load(readFileSync(join(entry.parentPath, entry.name), "utf8"));
    count++;
  }
  if (count === 0) code = 1;
} else if (mode === "floor-base") {
  // The floor of `check --base REF`: the working tree read and parsed as above, and REF's tree read
  // through git (one ls-tree, one cat-file --batch) and parsed.
  const [dir, ref] = args;
  const load = (await import("js-yaml")).default.load;
  let count = 0;
  for (const entry of readdirSync(join(dir, "requirements"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".yml")) continue;
    load(readFileSync(join(entry.parentPath, entry.name), "utf8"));
    count++;
  }
  const tree = spawnSync("git", ["ls-tree", "-r", "-z", ref, "--", "requirements"], { cwd: dir, maxBuffer: 1 << 30 });
  const oids = [];
  for (const line of tree.stdout.toString("utf8").split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line);
    if (match && match[2].endsWith(".yml")) oids.push(match[1]);
  }
  const batch = spawnSync("git", ["cat-file", "--batch"], { cwd: dir, input: oids.join("\n") + "\n", maxBuffer: 1 << 30 });
  const out = batch.stdout;
  for (let at = 0; at < out.length;) {
    const eol = out.indexOf(10, at);
    const size = Number(out.toString("latin1", at, eol).split(" ")[2]);
    load(out.toString("utf8", eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
    count++;
  }
  if (oids.length === 0) code = 1;
}
process.stderr.write(`\nmaxrss_kb=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
