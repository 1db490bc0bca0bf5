// Runs one command in this process and prints its peak RSS on the last line of stderr, so that
// bench/run.js can time the whole process (node start-up included) and read its memory.
//   node bench/measure.js cli <reqgate args...>
//   node bench/measure.js floor <dir> <js-yaml|yaml>
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
}
process.stderr.write(`\nmaxrss_kb=${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
