import { describe, expect, it } from "@jest/globals";
import { adoptionRecord, adoptionRecords, nextRecordId } from "../../../src/domain/baseline/adoption.js";
import { parseChangeRecordFile } from "../../../src/domain/requirements/parse-requirements.js";

const options = { changePrefix: "CR", prefixes: new Set(["REQ", "SYS"]), maxBytes: 64 * 1024 };

describe("nextRecordId", () => {
  it("starts at CR-0001", () => {
    expect(nextRecordId([], "CR")).toBe("CR-0001");
  });

  it("follows the highest existing number, not the first gap", () => {
    expect(nextRecordId(["CR-0001", "CR-0003"], "CR")).toBe("CR-0004");
  });

  it("keeps the padding in use and grows past it", () => {
    expect(nextRecordId(["CR-7", "CR-12"], "CR")).toBe("CR-13");
    expect(nextRecordId(["CR-000041"], "CR")).toBe("CR-000042");
    expect(nextRecordId(["CR-9999"], "CR")).toBe("CR-10000");
  });

  it("ignores IDs of other prefixes and malformed ones", () => {
    expect(nextRecordId(["DEC-0009", "CR-x", "XCR-0005", "CR-0002"], "CR")).toBe("CR-0003");
    expect(nextRecordId(["DEC-0009"], "DEC")).toBe("DEC-0010");
  });
});

describe("adoptionRecord", () => {
  it("writes one change record affecting every given requirement, sorted and once", () => {
    const { path, text } = adoptionRecord(["REQ-010", "SYS-001", "REQ-002", "REQ-010"], [], "CR");
    expect(path).toBe("requirements/changes/CR-0001.yml");
    const parsed = parseChangeRecordFile(path, text, options);
    expect(parsed.diagnostics.map((d) => [d.code, d.severity])).toEqual([["placeholder-rationale", "warning"]]);
    expect(parsed.record).toMatchObject({ id: "CR-0001", title: "Initial baseline", affects: ["REQ-002", "REQ-010", "SYS-001"] });
    expect(parsed.record?.rationale).toMatch(/TO COMPLETE/);
    expect(text).toContain("reqgate baseline");
  });

  it("takes the next free number and the configured folder", () => {
    const { path, text } = adoptionRecord(["REQ-1"], ["CR-0001", "CR-0002"], "CR", "./docs/decisions/");
    expect(path).toBe("docs/decisions/CR-0003.yml");
    expect(text).toContain("id: CR-0003\n");
  });

  it("is deterministic", () => {
    expect(adoptionRecord(["REQ-2", "REQ-1"], [], "CR")).toEqual(adoptionRecord(["REQ-1", "REQ-2"], [], "CR"));
  });

  it("never lets an odd ID become YAML syntax", () => {
    const { text } = adoptionRecord(["REQ-1", "x: [y]\n# z"], [], "CR");
    expect(text).toContain('  - "x: [y]\\n# z"\n');
    const parsed = parseChangeRecordFile("c.yml", text, options);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["placeholder-rationale", "invalid-id"]);
  });

  it("writes an empty list when there is nothing to baseline (the caller should say so first)", () => {
    const { text } = adoptionRecord([], [], "CR");
    expect(text).toContain("affects: []\n");
  });
});

describe("adoptionRecords", () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `REQ-${String(i + 1).padStart(6, "0")}`);

  it("splits 100k requirements into records each under the limit, every ID in exactly one", () => {
    const records = adoptionRecords(ids, [], "CR", "requirements/changes", 512 * 1024);
    expect(records.map((r) => r.path)).toEqual(["requirements/changes/CR-0001.yml", "requirements/changes/CR-0002.yml", "requirements/changes/CR-0003.yml"]);
    const parsed = records.map((r) => parseChangeRecordFile(r.path, r.text, { ...options, maxBytes: 512 * 1024 }));
    for (const r of records) expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(512 * 1024);
    expect(parsed.map((p) => p.record?.title)).toEqual(["Initial baseline, part 1 of 3", "Initial baseline, part 2 of 3", "Initial baseline, part 3 of 3"]);
    expect(parsed.flatMap((p) => p.record!.affects)).toEqual(ids);
  });

  it("writes one record when the set fits, the same as adoptionRecord", () => {
    expect(adoptionRecords(["REQ-2", "REQ-1"], ["CR-0001"], "CR", "requirements/changes", 512 * 1024)).toEqual([adoptionRecord(["REQ-1", "REQ-2"], ["CR-0001"], "CR")]);
  });

  it("writes a rationale that check warns about until a person replaces it", () => {
    const [record] = adoptionRecords(["REQ-1"], [], "CR", "requirements/changes", 512 * 1024);
    expect(parseChangeRecordFile(record!.path, record!.text, options).diagnostics).toEqual([
      {
        severity: "warning",
        line: 0,
        column: 0,
        code: "placeholder-rationale",
        file: "requirements/changes/CR-0001.yml",
        path: ["rationale"],
        message: "CR-0001: the rationale is still the placeholder written by `reqgate init --adopt`",
        hint: "say who approved this requirement set, when, and where it is recorded",
      },
    ]);
  });
});
