import { describe, expect, it } from "@jest/globals";
import { formatDiagnostic } from "../../../src/domain/core/diagnostic.js";
import { evidenceDiagnostics, ignoredEvidenceDiagnostics, indexEvidence, scanEvidence, type EvidenceRef } from "../../../src/domain/requirements/evidence.js";

const prefixes = new Set(["REQ", "SYS"]);

/** `ID@line` for each reference, in order. */
function scan(text: string, file = "test/a.test.ts"): string[] {
  return scanEvidence(file, text, prefixes).map((r) => `${r.id}@${r.line}`);
}

describe("scanEvidence", () => {
  it.each<[string, string, string[]]>([
    ["a line comment", "// @verifies REQ-012\n", ["REQ-012@1"]],
    ["a hash comment with a comma list", "# @verifies REQ-012, REQ-013", ["REQ-012@1", "REQ-013@1"]],
    ["a doc comment with a colon and spaces", "/**\n * @verifies: REQ-1 SYS-2\n */", ["REQ-1@2", "SYS-2@2"]],
    ["IDs further along the line", 'it("locks", () => { // @verifies REQ-1 (lockout), see REQ-2.', ["REQ-1@1", "REQ-2@1"]],
    ["an ID inside a string", 'test("@verifies REQ-7", () => {});', ["REQ-7@1"]],
    ["only configured prefixes", "// @verifies FOO-1, REQ-2, CR-3", ["REQ-2@1"]],
    ["IDs that do not stand alone", "// @verifies XREQ-1 REQ-1a REQ-1-2 REQ-1_ REQ- REQ-1234567890", []],
    ["no tag", "// verifies REQ-1\n// REQ-2\n", []],
    ["an address or a longer word, which is not the tag", "// me@verifies REQ-1\n// @verifiesAll REQ-2\n// @verifies-not REQ-3\n// @verifies_x REQ-4", []],
    ["IDs on the next line, which do not count", "// @verifies\n// REQ-1", []],
    ["each ID once per line, however many tags", "// @verifies REQ-1 @verifies REQ-2, REQ-1", ["REQ-1@1", "REQ-2@1"]],
    ["the same ID on several lines, once per line", "// @verifies REQ-1\n\n// @verifies REQ-1\n", ["REQ-1@1", "REQ-1@3"]],
    ["line numbers across LF and CRLF, and a last line without a newline", "a\r\n// @verifies REQ-1\r\nb\nc\n\n# @verifies REQ-2\r\n\r\n@verifies REQ-3", ["REQ-1@2", "REQ-2@6", "REQ-3@8"]],
    ["a tag after a skipped non-tag on an earlier line", "x@verifies REQ-9\n\n// @verifies REQ-1", ["REQ-1@3"]],
    ["an empty file", "", []],
  ])("reads %s", (_name, text, expected) => {
    expect(scan(text)).toEqual(expected);
  });

  it("finds nothing when no prefix is configured", () => {
    expect(scanEvidence("t.ts", "// @verifies REQ-1", new Set())).toEqual([]);
  });

  it("returns the file with each reference", () => {
    expect(scanEvidence("tests/login.py", "# @verifies REQ-3", prefixes)).toEqual([{ id: "REQ-3", file: "tests/login.py", line: 1 }]);
  });

  // Each line ends with a real ID, to show the scan reaches the end of the junk.
  const MB = 1 << 20;
  it.each<[string, string, number]>([
    ["tag-like junk", "@verifies".repeat(MB / 9), 1],
    ["address-like junk (no tag at all)", "a@verifies ".repeat(MB / 11), 0],
    ["ID prefixes without numbers", "// @verifies " + "REQ-".repeat(MB / 4), 1],
    ["an endless number", "// @verifies REQ-" + "9".repeat(MB), 1],
    ["a chained number", "// @verifies REQ-" + "1-".repeat(MB / 2), 1],
    ["repeated ID-dash pairs (each REQ-1 stands alone)", "// @verifies " + "REQ-1-".repeat(MB / 6), 2],
    ["prefix soup", "// @verifies " + "SYSREQ-REQSYS_".repeat(MB / 14), 1],
    ["100,000 IDs", "// @verifies " + Array.from({ length: 100_000 }, (_, i) => `REQ-${i + 10}`).join(", "), 100_001],
  ])("scans a 1 MB line of %s in linear time", (_name, junk, count) => {
    const text = `${junk} REQ-5\n`;
    expect(text.length).toBeGreaterThan(MB - 20);
    expect(scanEvidence("t.ts", text, prefixes)).toHaveLength(count);
  });

  it("scans 50,000 tags over 500 files", () => {
    const files = Array.from({ length: 500 }, (_, f) => {
      const lines: string[] = [];
      for (let i = 0; i < 100; i++) lines.push(`it("case ${i}", () => {`, `  // @verifies REQ-${f * 100 + i}`, "  expect(true).toBe(true);", "});");
      return lines.join("\n");
    });
    const refs = files.flatMap((text, f) => scanEvidence(`test/f${f}.test.ts`, text, prefixes));
    expect(refs).toHaveLength(50_000);
    expect(refs[49_999]).toEqual({ id: "REQ-49999", file: "test/f499.test.ts", line: 398 });
  });
});

describe("indexEvidence", () => {
  it("groups references by ID, keeping their order", () => {
    const refs: EvidenceRef[] = [
      { id: "REQ-1", file: "a", line: 1 },
      { id: "REQ-2", file: "a", line: 2 },
      { id: "REQ-1", file: "b", line: 5 },
    ];
    expect([...indexEvidence(refs)]).toEqual([
      ["REQ-1", [refs[0], refs[2]]],
      ["REQ-2", [refs[1]]],
    ]);
  });
});

describe("evidenceDiagnostics", () => {
  const byId = new Map<string, { status: string; supersededBy?: string }>([
    ["REQ-012", { status: "active" }],
    ["REQ-2", { status: "draft" }],
    ["REQ-3", { status: "retired", supersededBy: "REQ-012" }],
    ["REQ-4", { status: "retired" }],
  ]);

  it.each<[string, string, string[]]>([
    ["an active requirement", "REQ-012", []],
    ["a draft", "REQ-2", []],
    ["an unknown ID with a suggestion", "REQ-12", ["t.ts:7:1: warning: @verifies names REQ-12, which is not a requirement (did you mean REQ-012?)"]],
    ["an unknown ID with nothing close", "SYS-999", ["t.ts:7:1: warning: @verifies names SYS-999, which is not a requirement (correct the ID, or remove it from the line)"]],
    ["a superseded requirement", "REQ-3", ["t.ts:7:1: warning: @verifies names REQ-3, which is retired (REQ-3 is superseded by REQ-012: verify that instead)"]],
    ["a withdrawn requirement", "REQ-4", ["t.ts:7:1: warning: @verifies names REQ-4, which is retired (remove REQ-4 from the line)"]],
  ])("checks evidence for %s", (_name, id, expected) => {
    const diagnostics = evidenceDiagnostics([{ id, file: "t.ts", line: 7 }], byId);
    expect(diagnostics.map(formatDiagnostic)).toEqual(expected);
    expect(diagnostics.map((d) => d.code)).toEqual(expected.length === 0 ? [] : [id.startsWith("REQ-") && byId.has(id) ? "evidence-retired" : "unknown-evidence"]);
  });

  it("warns on every line that names a stale ID", () => {
    const refs = scanEvidence("t.ts", "// @verifies REQ-12\n// @verifies REQ-12, REQ-012\n", prefixes);
    expect(evidenceDiagnostics(refs, byId).map((d) => `${d.line} ${d.code}`)).toEqual(["1 unknown-evidence", "2 unknown-evidence"]);
  });
});

describe("an ignored @verifies line", () => {
  it("is collected, and reported as a warning, never silently worth nothing", () => {
    const ignored: number[] = [];
    const text = "// @verifies REQ-1\n// @verifies req-2\n// @verifies FOO-3\n// @verifies REQ-1234567890123\n";
    expect(scanEvidence("t.js", text, new Set(["REQ"]), "@verifies", ignored)).toEqual([{ id: "REQ-1", file: "t.js", line: 1 }]);
    expect(ignored).toEqual([2, 3, 4]);
    expect(ignoredEvidenceDiagnostics("t.js", [2], new Set(["REQ"]))).toEqual([
      { severity: "warning", line: 2, column: 0, code: "ignored-evidence", file: "t.js", message: "this @verifies line names no requirement ID: it is ignored", hint: "name IDs like REQ-001 after the tag (prefixes: REQ)" },
    ]);
  });
});
