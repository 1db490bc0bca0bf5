// The zod-free check of the usual valid requirement and change record (schemas.ts): it returns what zod's
// safeParse returns, or undefined so that zod parses the value and reports on it. Written-out cases, then
// a differential property against zod over generated mappings.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ChangeRecordSchema, quickChangeRecord, quickRequirement, RequirementSchema } from "../../../src/domain/requirements/schemas.js";

describe("quickRequirement", () => {
  it("fills in zod's defaults for a minimal requirement", () => {
    expect(quickRequirement({ id: "REQ-001", title: "Lock", text: "The app shall lock." })).toEqual({
      id: "REQ-001",
      title: "Lock",
      text: "The app shall lock.",
      status: "active",
      parents: [],
      tags: [],
      links: [],
      attributes: {},
    });
  });

  it("keeps every field of a full requirement", () => {
    const attributes = { risk: "high", score: 3 };
    expect(quickRequirement({ id: "REQ-002", title: "T", text: "X", status: "retired", parents: ["SYS-001"], verification: "test", owner: "@acme/a", tags: ["t"], links: ["l"], superseded_by: "REQ-003", attributes })).toEqual({
      id: "REQ-002",
      title: "T",
      text: "X",
      status: "retired",
      parents: ["SYS-001"],
      verification: "test",
      owner: "@acme/a",
      tags: ["t"],
      links: ["l"],
      superseded_by: "REQ-003",
      attributes: { risk: "high", score: 3 },
    });
  });

  it.each([
    ["an unknown key", { id: "REQ-1", title: "T", text: "X", priority: 1 }],
    ["a missing text", { id: "REQ-1", title: "T" }],
    ["a number for an ID", { id: 1, title: "T", text: "X" }],
    ["an unknown status", { id: "REQ-1", title: "T", text: "X", status: "done" }],
    ["an unknown method", { id: "REQ-1", title: "T", text: "X", verification: "review" }],
    ["a null owner", { id: "REQ-1", title: "T", text: "X", owner: null }],
    ["a parent that is a number", { id: "REQ-1", title: "T", text: "X", parents: ["SYS-1", 2] }],
    ["tags that are text", { id: "REQ-1", title: "T", text: "X", tags: "a" }],
    ["attributes that are a list", { id: "REQ-1", title: "T", text: "X", attributes: [1] }],
    ["a __proto__ key in attributes", { id: "REQ-1", title: "T", text: "X", attributes: JSON.parse('{"__proto__": 1}') as Record<string, unknown> }],
  ])("leaves %s to zod", (_, value) => {
    expect(quickRequirement(value)).toBeUndefined();
  });
});

describe("quickChangeRecord", () => {
  it("returns the record", () => {
    expect(quickChangeRecord({ id: "CR-0001", title: "T", rationale: "R", affects: ["REQ-001"] })).toEqual({ id: "CR-0001", title: "T", rationale: "R", affects: ["REQ-001"] });
  });

  it.each([
    ["a missing affects", { id: "CR-1", title: "T", rationale: "R" }],
    ["an unknown key", { id: "CR-1", title: "T", rationale: "R", affects: [], by: "x" }],
    ["affects that is text", { id: "CR-1", title: "T", rationale: "R", affects: "REQ-1" }],
  ])("leaves %s to zod", (_, value) => {
    expect(quickChangeRecord(value)).toBeUndefined();
  });
});

describe("against zod", () => {
  // Mostly valid fields, now and then a wrong type, an unknown value or an unknown key.
  const scalar = fc.oneof(fc.constantFrom("REQ-001", "active", "draft", "retired", "test", "analysis", "", " x "), fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
  const anyValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 3 }));
  const often = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: anyValue });
  const strings = fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 });
  const requirement = fc.record(
    {
      id: often(fc.string({ maxLength: 8 })),
      title: often(fc.string({ maxLength: 8 })),
      text: often(fc.string({ maxLength: 8 })),
      status: often(fc.constantFrom("draft", "active", "retired")),
      parents: often(strings),
      verification: often(fc.constantFrom("test", "analysis", "inspection", "demonstration")),
      owner: often(fc.string({ maxLength: 6 })),
      tags: often(strings),
      links: often(strings),
      superseded_by: often(fc.string({ maxLength: 6 })),
      attributes: often(fc.dictionary(fc.string({ maxLength: 4 }), anyValue, { maxKeys: 3 })),
      extra: anyValue,
    },
    { requiredKeys: [] },
  ).map((r) => (Math.abs(JSON.stringify(r).length % 5) === 0 ? r : (({ extra: _, ...rest }) => rest)(r)));
  const record = fc.record({ id: often(fc.string({ maxLength: 8 })), title: often(fc.string({ maxLength: 8 })), rationale: often(fc.string({ maxLength: 8 })), affects: often(strings), extra: anyValue }, { requiredKeys: [] })
    .map((r) => (Math.abs(JSON.stringify(r).length % 5) === 0 ? r : (({ extra: _, ...rest }) => rest)(r)));

  it("a requirement it accepts, zod accepts with the same data; one it leaves, zod rejects", () => {
    let accepted = 0;
    fc.assert(
      fc.property(requirement, (input) => {
        const quick = quickRequirement(input);
        const zod = RequirementSchema.safeParse(input);
        if (quick !== undefined) accepted++;
        expect(zod.success ? { accepted: true, data: zod.data } : { accepted: false }).toEqual(quick === undefined ? { accepted: false } : { accepted: true, data: quick });
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it("a change record it accepts, zod accepts with the same data; one it leaves, zod rejects", () => {
    let accepted = 0;
    fc.assert(
      fc.property(record, (input) => {
        const quick = quickChangeRecord(input);
        const zod = ChangeRecordSchema.safeParse(input);
        if (quick !== undefined) accepted++;
        expect(zod.success ? { accepted: true, data: zod.data } : { accepted: false }).toEqual(quick === undefined ? { accepted: false } : { accepted: true, data: quick });
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
