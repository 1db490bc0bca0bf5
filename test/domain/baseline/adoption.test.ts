import { describe, expect, it } from "@jest/globals";
import { adoptionRecord, nextRecordId } from "../../../src/domain/baseline/adoption.js";
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
    expect(parsed.diagnostics).toEqual([]);
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
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["invalid-id"]);
  });

  it("writes an empty list when there is nothing to baseline (the caller should say so first)", () => {
    const { text } = adoptionRecord([], [], "CR");
    expect(text).toContain("affects: []\n");
  });
});
