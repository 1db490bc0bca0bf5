// The parsers of user input never throw, whatever the input: requirement YAML, change records, the lock,
// the configuration, evidence lines and `/reqgate` commands. Inputs are built from the pieces that make
// these formats (keys, indentation, flow and block collections, anchors, tags, JSON rows), so that the
// runs reach past the first syntax error. Time per input size is measured in the bench (`npm run bench --
// parsers`, bench/engine-parsers.js), not here.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { parseLock } from "../../../src/domain/baseline/baseline.js";
import { parseConfig } from "../../../src/domain/config/config.js";
import { parseCommands } from "../../../src/domain/approvals/commands.js";
import { scanEvidence } from "../../../src/domain/requirements/evidence.js";
import { parseChangeRecordFile, parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";
import { loadYaml, resolvePositions } from "../../../src/domain/requirements/yaml.js";
import type { Diagnostic } from "../../../src/domain/core/diagnostic.js";

const prefixes = new Set(["REQ", "SYS"]);
const RUNS = { numRuns: 300 };

const token = fc.constantFrom(
  "id", "title", "text", "status", "parents", "tags", "links", "attributes", "verification", "owner", "superseded_by",
  "requirements", "rationale", "affects", "__proto__", "constructor", "REQ-001", "SYS-1", "CR-0001", "REQ-", "-1",
  ": ", ":", "- ", "-", "\n", "\n  ", "\n    ", "  ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "!!str ", "!tag ",
  "'", "\"", "|", ">", "#", "?", "~", "null", "true", "1e9", "0x1F", "active", "retired", "draft", "\t", "\u00e9", "\u0000",
  "TO COMPLETE:", "@verifies ", "/reqgate approve", "/reqgate ", "%YAML 1.2\n", "---\n", "...\n",
);
const yamlish = fc.array(fc.oneof({ weight: 4, arbitrary: token }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }), { maxLength: 80 }).map((parts) => parts.join(""));
const anyText = fc.oneof(yamlish, fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }));
const anyBytes = fc.uint8Array({ maxLength: 200 });

/** The diagnostics that a person could not act on: no message, or no valid line. */
function malformed(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => typeof d.message !== "string" || d.message.length === 0 || !Number.isInteger(d.line) || d.line < 0);
}

describe("fuzzed parsers never throw", () => {
  it("requirement files, text or bytes, and their positions", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, anyBytes), (content) => {
        const parsed = parseRequirementFile("requirements/f.yml", content, { prefixes, maxBytes: 64 * 1024 });
        expect(malformed(parsed.diagnostics)).toEqual([]);
        expect(malformed(resolvePositions(parsed.diagnostics, () => parsed.text))).toEqual([]);
      }),
      RUNS,
    );
  });

  it("change records", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, anyBytes), (content) => {
        const parsed = parseChangeRecordFile("requirements/changes/CR-1.yml", content, { changePrefix: "CR", prefixes, maxBytes: 64 * 1024 });
        expect(malformed(parsed.diagnostics)).toEqual([]);
        expect(parsed.record === undefined || /^CR-\d+$/.test(parsed.record.id)).toBe(true);
      }),
      RUNS,
    );
  });

  it("the lock, from JSON-shaped rows", () => {
    const row = fc.oneof(
      fc.constantFrom('{"lock":1}', '{"lock":2}', '{"applied":"CR-1"}', "x", "# c", "", "{", "[]", "null"),
      fc.record({ id: fc.constantFrom("REQ-1", "REQ-2", "bad", ""), status: fc.constantFrom("active", "retired", "draft"), fingerprint: fc.constantFrom(`sha256:${"0".repeat(64)}`, "sha256:x"), change: fc.constantFrom("CR-1", "x"), path: fc.string({ maxLength: 8 }), title: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const parsed = parseLock("requirements/baseline.lock", rows.join("\n"));
        expect(malformed(parsed.diagnostics)).toEqual([]);
        expect(parsed.lock === undefined).toBe(parsed.diagnostics.length > 0);
      }),
      RUNS,
    );
  });

  it("the configuration, through the YAML loader", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const loaded = loadYaml(".github/reqgate.yml", text);
        const config = loaded.value === undefined ? [] : parseConfig(loaded.value).diagnostics;
        expect(malformed([...loaded.diagnostics, ...config])).toEqual([]);
      }),
      RUNS,
    );
  });

  it("configuration values of any shape", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(malformed(parseConfig(value).diagnostics)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("evidence lines and commands", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const ref of scanEvidence("tests/a.test.js", typeof text === "string" ? text : "", prefixes)) expect(ref.line).toBeGreaterThan(0);
        expect(Array.isArray(parseCommands(text))).toBe(true);
      }),
      RUNS,
    );
  });
});
