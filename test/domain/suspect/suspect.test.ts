import { describe, expect, it } from "@jest/globals";
import { readHiddenLeading, writeHidden } from "../../../src/domain/core/hidden-data.js";
import { addMarks, clearOnEdit, EMPTY_SUSPECT, reviewAll, suspectFromData, suspectQueries, type SuspectMark } from "../../../src/domain/suspect/suspect.js";

const mark = (id: string, key: string, over: Partial<SuspectMark> = {}): SuspectMark => ({ id, kind: "modified", key, commit: "c".repeat(40), at: "2026-01-01T00:00:00Z", ...over });

describe("suspect queries", () => {
  it("⌈k/6⌉ queries, six exact IDs joined by five ORs, titles and bodies of open items of the repository", () => {
    const ids = Array.from({ length: 13 }, (_, i) => `REQ-${String(i + 1).padStart(3, "0")}`);
    expect(suspectQueries({ owner: "o", repo: "r" }, ids)).toEqual([
      'repo:o/r is:open in:title,body ("REQ-001" OR "REQ-002" OR "REQ-003" OR "REQ-004" OR "REQ-005" OR "REQ-006")',
      'repo:o/r is:open in:title,body ("REQ-007" OR "REQ-008" OR "REQ-009" OR "REQ-010" OR "REQ-011" OR "REQ-012")',
      'repo:o/r is:open in:title,body ("REQ-013")',
    ]);
    expect(suspectQueries({ owner: "o", repo: "r" }, [])).toEqual([]);
  });
});

describe("suspect state", () => {
  it("the same move twice is one mark; a reviewed move is not marked again; a new move of it is", () => {
    const once = addMarks(EMPTY_SUSPECT, [mark("REQ-1", "CR-2:f2")]);
    expect(addMarks(once, [mark("REQ-1", "CR-2:f2")])).toEqual(once);
    const reviewed = reviewAll(once, "maya", "2026-01-02T00:00:00Z");
    expect(reviewed).toEqual({ marks: [], reviewed: [{ id: "REQ-1", key: "CR-2:f2", by: "maya", at: "2026-01-02T00:00:00Z", how: "reviewed" }] });
    expect(addMarks(reviewed, [mark("REQ-1", "CR-2:f2")])).toEqual(reviewed);
    expect(addMarks(reviewed, [mark("REQ-1", "CR-3:f3")]).marks.map((m) => m.key)).toEqual(["CR-3:f3"]);
  });

  it("an edit clears a modified requirement the issue still names, a retired one it no longer names, and nothing marked after the edit", () => {
    const state = addMarks(EMPTY_SUSPECT, [mark("REQ-1", "a"), mark("REQ-2", "b", { kind: "retired", supersededBy: "REQ-3" }), mark("REQ-4", "c", { at: "2026-03-01T00:00:00Z" })]);
    const after = clearOnEdit(state, new Set(["REQ-1", "REQ-3", "REQ-4"]), "ann", "2026-02-01T00:00:00Z");
    expect(after.marks.map((m) => m.id)).toEqual(["REQ-4"]);
    expect(after.reviewed.map((r) => [r.id, r.how])).toEqual([["REQ-1", "edited"], ["REQ-2", "edited"]]);
    // Still naming the retired requirement: it stays suspect; an edit that drops the modified one confirms nothing either.
    expect(clearOnEdit(state, new Set(["REQ-2"]), "ann", "2026-02-01T00:00:00Z").marks.map((m) => m.id)).toEqual(["REQ-1", "REQ-2", "REQ-4"]);
  });

  it("reads back what it wrote, through the hidden record after a waiver; anything malformed reads as nothing", () => {
    const state = addMarks(EMPTY_SUSPECT, [mark("REQ-1", "a", { change: "CR-2", before: "old <b>", after: "new -->" })]);
    const summary = `${writeHidden("reqgate:waiver", { by: "m" })}\n${writeHidden("reqgate:suspect", state)}\n\nvisible`;
    expect(suspectFromData(readHiddenLeading(summary, "reqgate:suspect"))).toEqual(state);
    // A record further down (user text shown in the summary) is never read.
    expect(readHiddenLeading(`visible\n${writeHidden("reqgate:suspect", state)}`, "reqgate:suspect")).toBeUndefined();
    expect(suspectFromData({ marks: [{ id: 1 }], reviewed: "x" })).toEqual(EMPTY_SUSPECT);
    expect(suspectFromData(null)).toEqual(EMPTY_SUSPECT);
  });
});
