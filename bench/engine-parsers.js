// `npm run bench -- parsers`: the parsers of pull-request content under fuzzed input, by size. The fuzz
// tests (test/domain/fuzz) show they never throw; this shows their time grows with the input, not faster:
// for each parser and size, 150 inputs drawn by fast-check from the pieces of the formats (keys,
// indentation, flow and block collections, anchors, aliases, merge keys, JSON rows), each repeated to the
// size. Printed: the median and the worst CPU time per input (each input's least of 3 runs), and the
// worst cost per KiB. Bounded means the
// worst per KiB at 256 KiB stays near the one at 4 KiB (a quadratic parser would be 64 times higher).
import fc from "fast-check";
import { parseLock } from "../dist/domain/baseline/baseline.js";
import { parseCommands } from "../dist/domain/approvals/commands.js";
import { parseConfig } from "../dist/domain/config/config.js";
import { scanEvidence } from "../dist/domain/requirements/evidence.js";
import { parseChangeRecordFile, parseRequirementFile } from "../dist/domain/requirements/parse-requirements.js";
import { loadYaml } from "../dist/domain/requirements/yaml.js";

const SIZES = (process.env.BENCH_PARSER_SIZES ?? "4096,32768,262144").split(",").map(Number);
const INPUTS = Number(process.env.BENCH_PARSER_INPUTS ?? 150);
const prefixes = new Set(["REQ", "SYS"]);
const MAX = 1024 * 1024;

const token = fc.constantFrom(
  "id", "title", "text", "status", "parents", "tags", "verification", "owner", "requirements", "rationale", "affects",
  "REQ-001", "SYS-1", "CR-0001", ": ", "- ", "\n", "\n  ", "\n    ", "  ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ",
  "!!str ", "'", '"', "|", ">", "#", "?", "null", "active", "\t", "@verifies ", "/reqgate approve", "/reqgate revoke ", "---\n",
);
const piece = fc.array(fc.oneof({ weight: 4, arbitrary: token }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { minLength: 1, maxLength: 80 }).map((parts) => parts.join(""));
const lockRow = fc.oneof(
  fc.constantFrom('{"lock":1}', '{"applied":"CR-1"}', "x", "", "{"),
  fc.record({ id: fc.constantFrom("REQ-1", "REQ-2", "bad"), status: fc.constantFrom("active", "retired"), fingerprint: fc.constant(`sha256:${"0".repeat(64)}`), change: fc.constant("CR-1"), path: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
);
const lockPiece = fc.array(lockRow, { minLength: 1, maxLength: 20 }).map((rows) => `${rows.join("\n")}\n`);

function grow(text, size) {
  return text.length === 0 ? "" : text.repeat(Math.ceil(size / text.length)).slice(0, size);
}

const PARSERS = [
  ["requirement file", piece, (t) => parseRequirementFile("requirements/f.yml", t, { prefixes, maxBytes: MAX })],
  ["change record", piece, (t) => parseChangeRecordFile("requirements/changes/CR-1.yml", t, { changePrefix: "CR", prefixes, maxBytes: MAX })],
  ["lock", lockPiece, (t) => parseLock("requirements/baseline.lock", t, MAX)],
  ["configuration", piece, (t) => {
    const loaded = loadYaml(".github/reqgate.yml", t);
    if (loaded.value !== undefined) parseConfig(loaded.value);
  }],
  ["evidence lines", piece, (t) => scanEvidence("tests/a.test.js", t, prefixes)],
  ["commands", piece, (t) => parseCommands(t)],
];

function cpuMs(run) {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const rows = [];
for (const [name, arbitrary, parse] of PARSERS) {
  const samples = fc.sample(arbitrary, { numRuns: INPUTS, seed: 20261203 });
  for (const s of samples) parse(grow(s, SIZES[0])); // warm the JIT, so the first size is not the slowest
  for (const size of SIZES) {
    // Each input's least of 3 runs: a garbage collection or the machine's load is not the input's cost.
    const times = samples.map((s) => grow(s, size)).map((text) => Math.min(cpuMs(() => parse(text)), cpuMs(() => parse(text)), cpuMs(() => parse(text)))).sort((a, b) => a - b);
    const worst = times.at(-1);
    rows.push({ name, size, median: times[Math.floor(times.length / 2)], worst, worstPerKiB: worst / (size / 1024) });
  }
}

const kib = (n) => `${Math.round(n / 1024)} KiB`;
console.log(`\nParsers under fuzzed input (${INPUTS} inputs each, CPU ms per input)\n`);
console.log("| parser | size | median | worst | worst per KiB |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.name} | ${kib(r.size)} | ${r.median.toFixed(2)} | ${r.worst.toFixed(1)} | ${r.worstPerKiB.toFixed(3)} |`);
console.log("\nGrowth of the worst cost per KiB from the smallest to the largest size (1 = linear, 64 = quadratic):");
for (const [name] of PARSERS) {
  const mine = rows.filter((r) => r.name === name);
  console.log(`- ${name}: ${(mine.at(-1).worstPerKiB / mine[0].worstPerKiB).toFixed(2)}`);
}
