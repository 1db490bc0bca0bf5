// The lock's suspect links (SPEC 2.5): the version-2 lines, read back and refused with a line and a
// reason; what a baseline move makes and clears (`nextLinks`); `reqgate review`'s confirmation; and the
// judgement of a change's head lock against its base (`judgeLinks`).
import { describe, expect, it } from "@jest/globals";
import { parseLock, renderLock, type Lock, type LockLink } from "../../../src/domain/baseline/baseline.js";
import { judgeLinks, nextLinks, reviewLinks } from "../../../src/domain/baseline/links.js";

const FP = `sha256:${"a".repeat(64)}`;
const entry = (id: string) => ({ id, status: "active" as const, fingerprint: FP, change: "CR-1", path: `r/${id}.yml`, title: id });
const child = (item: string, moved: string, change = "CR-2"): LockLink => ({ kind: "child", item, moved, change });
const evidence = (item: string, moved: string, change = "CR-2"): LockLink => ({ kind: "evidence", item, moved, change });

describe("the lock's link lines", () => {
  it("are written after the entries, sorted, in version 2; read back the same", () => {
    const lock: Lock = { applied: ["CR-1"], entries: [entry("REQ-1"), entry("REQ-2")], links: [evidence("test/a.ts", "REQ-1"), { ...child("REQ-2", "REQ-1"), review: { by: "Ann <a@x>", at: "2026-12-03T10:00:00Z" } }] };
    const text = renderLock(lock);
    expect(text.split("\n").slice(1)).toEqual([
      '{"lock":2}',
      '{"applied":"CR-1"}',
      `{"id":"REQ-1","status":"active","fingerprint":"${FP}","change":"CR-1","path":"r/REQ-1.yml","title":"REQ-1"}`,
      `{"id":"REQ-2","status":"active","fingerprint":"${FP}","change":"CR-1","path":"r/REQ-2.yml","title":"REQ-2"}`,
      '{"suspect":"REQ-2","parent":"REQ-1","change":"CR-2","reviewed_by":"Ann <a@x>","reviewed_at":"2026-12-03T10:00:00Z"}',
      '{"suspect":"test/a.ts","verifies":"REQ-1","change":"CR-2"}',
      "",
    ]);
    expect(parseLock("l", text).lock?.links).toEqual([{ ...child("REQ-2", "REQ-1"), review: { by: "Ann <a@x>", at: "2026-12-03T10:00:00Z" } }, evidence("test/a.ts", "REQ-1")]);
  });

  it.each([
    ["a link in a version-1 lock", '{"lock":1}\n{"suspect":"REQ-2","parent":"REQ-1","change":"CR-2"}', 'a suspect link needs lock version 2 (this lock says 1)', 2],
    ["both parent and verifies", '{"lock":2}\n{"suspect":"REQ-2","parent":"REQ-1","verifies":"REQ-1","change":"CR-2"}', "a suspect link names either a `parent` or what it `verifies`", 2],
    ["an unknown key", '{"lock":2}\n{"suspect":"REQ-2","parent":"REQ-1","change":"CR-2","x":1}', 'unknown key "x" in a suspect link', 2],
    ["a child that is no ID", '{"lock":2}\n{"suspect":"a b","parent":"REQ-1","change":"CR-2"}', "a suspect link's `suspect` must be a requirement ID", 2],
    ["a review without a time", '{"lock":2}\n{"suspect":"REQ-2","parent":"REQ-1","change":"CR-2","reviewed_by":"Ann"}', "REQ-2: `reviewed_at` must be an ISO time (2026-01-31T12:00:00Z)", 2],
    ["a link twice", '{"lock":2}\n{"suspect":"REQ-2","parent":"REQ-1","change":"CR-2"}\n{"suspect":"REQ-2","parent":"REQ-1","change":"CR-3"}', "the suspect link REQ-2 → REQ-1 appears twice", 3],
    ["a version 3", '{"lock":3}', "unsupported lock version 3 (this reqgate reads versions 1 and 2)", 1],
  ])("refuses %s with its line", (_name, text, message, line) => {
    const parsed = parseLock("requirements/baseline.lock", text);
    expect(parsed.lock).toBeUndefined();
    expect(parsed.diagnostics[0]).toMatchObject({ code: "lock-invalid", file: "requirements/baseline.lock", line, message });
  });
});

describe("nextLinks", () => {
  const requirements = new Map([["REQ-1", { parents: [] }], ["REQ-2", { parents: ["REQ-1"] }], ["REQ-3", { parents: ["REQ-1"] }]]);
  const evidenceOf = new Map([["REQ-1", [{ file: "test/a.ts" }, { file: "test/b.ts" }]]]);

  it("a move links its children and evidence, except what the move itself touches", () => {
    const links = nextLinks({ previous: [], moves: new Map([["REQ-1", "CR-2"]]), touchedIds: new Set(["REQ-1", "REQ-3"]), touchedFiles: new Set(["test/b.ts"]), requirements, evidence: evidenceOf });
    expect(links).toEqual([child("REQ-2", "REQ-1"), evidence("test/a.ts", "REQ-1")]);
  });

  it("a later move touching the child or the file clears; a new move of the parent replaces the link and its review", () => {
    const reviewed = { ...child("REQ-3", "REQ-1"), review: { by: "Ann", at: "2026-12-03T10:00:00Z" } };
    const previous = [child("REQ-2", "REQ-1"), reviewed, evidence("test/a.ts", "REQ-1")];
    expect(nextLinks({ previous, moves: new Map(), touchedIds: new Set(["REQ-2"]), touchedFiles: new Set(["test/a.ts"]), requirements, evidence: evidenceOf })).toEqual([reviewed]);
    expect(nextLinks({ previous, moves: new Map([["REQ-1", "CR-5"]]), touchedIds: new Set(["REQ-1"]), touchedFiles: new Set(), requirements, evidence: evidenceOf })).toEqual([
      child("REQ-2", "REQ-1", "CR-5"),
      child("REQ-3", "REQ-1", "CR-5"),
      evidence("test/a.ts", "REQ-1", "CR-5"),
      evidence("test/b.ts", "REQ-1", "CR-5"),
    ]);
  });

  it("keeps the working tree's review of the same link and move, not of an older move", () => {
    const review = { by: "Ann", at: "2026-12-03T10:00:00Z" };
    const links = nextLinks({ previous: [child("REQ-2", "REQ-1")], reviewed: [{ ...child("REQ-2", "REQ-1"), review }, { ...child("REQ-3", "REQ-1", "CR-1"), review }], moves: new Map([["REQ-9", "CR-2"]]), touchedIds: new Set(), touchedFiles: new Set(), requirements: new Map([...requirements, ["REQ-3", { parents: ["REQ-1"] }]]), evidence: new Map() });
    expect(links).toEqual([{ ...child("REQ-2", "REQ-1"), review }]);
  });
});

describe("reviewLinks", () => {
  it("an ID confirms its own links and the evidence of it; a path that evidence file; unknown targets are named", () => {
    const lock: Lock = { applied: [], entries: [], links: [child("REQ-2", "REQ-1"), evidence("test/a.ts", "REQ-2"), evidence("test/b.ts", "REQ-1")] };
    const result = reviewLinks(lock, ["REQ-2", "REQ-7"], "Ann", "2026-12-03T10:00:00Z");
    const review = { by: "Ann", at: "2026-12-03T10:00:00Z" };
    expect(result.reviewed).toEqual([{ ...child("REQ-2", "REQ-1"), review }, { ...evidence("test/a.ts", "REQ-2"), review }]);
    expect(result.unknown).toEqual(["REQ-7"]);
    expect(reviewLinks(result.lock, ["test/b.ts"], "Bo", "2026-12-04T10:00:00Z").lock.links).toEqual([{ ...child("REQ-2", "REQ-1"), review }, { ...evidence("test/a.ts", "REQ-2"), review }, { ...evidence("test/b.ts", "REQ-1"), review: { by: "Bo", at: "2026-12-04T10:00:00Z" } }]);
  });
});

describe("judgeLinks", () => {
  const base = { moves: new Map<string, string>(), touchedIds: new Set<string>(), lockPath: "l" };
  it("a review is named; a touch clears; an evidence link is not dropped when the touched files are unknown", () => {
    const review = { by: "Ann", at: "2026-12-03T10:00:00Z" };
    const judged = judgeLinks({ ...base, base: [child("REQ-2", "REQ-1"), child("REQ-3", "REQ-1"), evidence("t.ts", "REQ-1")], head: [{ ...child("REQ-2", "REQ-1"), review }], touchedIds: new Set(["REQ-3"]) });
    expect(judged.reviews).toEqual([{ ...child("REQ-2", "REQ-1"), review }]);
    expect(judged.cleared).toEqual([child("REQ-3", "REQ-1")]);
    expect(judged.diagnostics.map((d) => d.message)).toEqual(["the lock drops the suspect link t.ts → REQ-1 (CR-2), but the change neither touches t.ts nor reviews it"]);
  });

  it("a link no move of the change makes is refused; one it makes is added", () => {
    const judged = judgeLinks({ ...base, base: [], head: [child("REQ-2", "REQ-1"), child("REQ-4", "REQ-9", "CR-3")], moves: new Map([["REQ-1", "CR-2"]]) });
    expect(judged.added).toEqual([child("REQ-2", "REQ-1")]);
    expect(judged.diagnostics.map((d) => d.message)).toEqual(["the lock names a suspect link REQ-4 → REQ-9 (CR-3) that no move of this change makes"]);
  });
});
