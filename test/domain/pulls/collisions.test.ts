// Colliding pull requests (SPEC 2.7): claims from a change, collisions between claims, what the base
// branch gained since, whom to evaluate again, and the hidden record read back defensively.
import { describe, expect, it } from "@jest/globals";
import { DEFAULT_CONFIG } from "../../../src/domain/config/config.js";
import { evaluateChange } from "../../../src/domain/baseline/evaluate-change.js";
import { parseLock, renderLock, type Lock, type LockEntry } from "../../../src/domain/baseline/baseline.js";
import {
  claimsFromSummary,
  claimsMarker,
  claimsOf,
  findCollisions,
  MAX_CLAIMS,
  MAX_CLAIMS_CHARS,
  movedOnBase,
  parseClaims,
  toReevaluate,
  type Claims,
} from "../../../src/domain/pulls/collisions.js";
import { evaluateBaselineCheck } from "../../../src/domain/pulls/baseline-check.js";
import { evaluateApprovals } from "../../../src/domain/approvals/approvals.js";
import { ledgerFromSummary } from "../../../src/domain/approvals/ledger.js";

const LOCK = "requirements/baseline.lock";
const FP = `sha256:${"a".repeat(64)}`;
const FP2 = `sha256:${"b".repeat(64)}`;
const entry = (id: string, over: Partial<LockEntry> = {}): LockEntry => ({ id, title: `Title ${id}`, status: "active", path: `requirements/${id}.yml`, fingerprint: FP, change: "CR-0001", ...over });
const lockText = (applied: string[], entries: LockEntry[]) => renderLock({ applied, entries });

function claims(pr: number, over: Partial<Claims> = {}): Claims {
  return { pr, base: "main", added: [], records: [], changed: [], cut: false, collides: [], ...over };
}

describe("claimsOf: what a change adds and changes", () => {
  it("a new requirement (and a new draft), a new change record, a modified requirement with its record", () => {
    const base = { "requirements/REQ-001.yml": "id: REQ-001\ntitle: One\ntext: The system shall do one.\n" };
    const evaluation = evaluateChange({
      config: DEFAULT_CONFIG,
      baseLock: { path: LOCK, text: lockText(["CR-0001"], [entry("REQ-001")]) },
      requirementFiles: [
        { path: "requirements/REQ-001.yml", base: base["requirements/REQ-001.yml"], head: "id: REQ-001\ntitle: One\ntext: The system shall do one, faster.\n" },
        { path: "requirements/REQ-009.yml", head: "id: REQ-009\ntitle: Nine\ntext: The system shall do nine.\n" },
        { path: "requirements/REQ-010.yml", head: "id: REQ-010\ntitle: Ten\ntext: The system shall do ten.\nstatus: draft\n" },
      ],
      recordFiles: [{ path: "requirements/changes/CR-0002.yml", head: "id: CR-0002\ntitle: Two\nrationale: Because.\naffects: [REQ-001, REQ-009]\n" }],
    });
    expect(claimsOf(7, "main", evaluation)).toEqual({ pr: 7, base: "main", added: ["REQ-009", "REQ-010"], records: ["CR-0002"], changed: [["REQ-001", "CR-0002"]], cut: false, collides: [] });
  });

  it("a change without a change record claims the requirement with none", () => {
    const evaluation = evaluateChange({
      config: DEFAULT_CONFIG,
      baseLock: { path: LOCK, text: lockText(["CR-0001"], [entry("REQ-001")]) },
      requirementFiles: [{ path: "requirements/REQ-001.yml", base: "id: REQ-001\ntitle: One\ntext: A.\n", head: "id: REQ-001\ntitle: One\ntext: B.\n" }],
      recordFiles: [],
    });
    expect(claimsOf(3, "main", evaluation)).toEqual({ pr: 3, base: "main", added: [], records: [], changed: [["REQ-001", ""]], cut: false, collides: [] });
  });
});

describe("findCollisions", () => {
  it("the same requirement ID, the same change record ID, the same requirement under different records; each named", () => {
    const own = claims(5, { added: ["REQ-009"], records: ["CR-0002"], changed: [["REQ-001", "CR-0002"], ["REQ-002", "CR-0002"]] });
    const others = [
      claims(3, { added: ["REQ-009", "REQ-010"] }),
      claims(4, { records: ["CR-0002"], changed: [["REQ-001", "CR-0002"]] }),
      claims(6, { changed: [["REQ-002", "CR-0003"]] }),
      claims(8, { added: ["REQ-011"], changed: [["REQ-003", "CR-0004"]] }),
    ];
    expect(findCollisions(own, others)).toEqual({
      collisions: [
        { pr: 3, reasons: [{ kind: "adds", id: "REQ-009" }] },
        // REQ-001 under the same record in both is one decision split over two pull requests; the record ID itself collides.
        { pr: 4, reasons: [{ kind: "adds-record", id: "CR-0002" }] },
        { pr: 6, reasons: [{ kind: "changes", id: "REQ-002", ours: "CR-0002", theirs: "CR-0003" }] },
      ],
      more: 0,
    });
  });

  it("a change with no record collides with any other change of the requirement", () => {
    expect(findCollisions(claims(1, { changed: [["REQ-001", ""]] }), [claims(2, { changed: [["REQ-001", ""]] })]).collisions).toEqual([{ pr: 2, reasons: [{ kind: "changes", id: "REQ-001", ours: "", theirs: "" }] }]);
  });

  it("pull requests into another branch, its own record and a pull request that claims nothing do not collide", () => {
    const own = claims(5, { added: ["REQ-009"] });
    expect(findCollisions(own, [claims(5, { added: ["REQ-009"] }), claims(6, { base: "release-1", added: ["REQ-009"] }), claims(7)])).toEqual({ collisions: [], more: 0 });
    expect(findCollisions(claims(5), [claims(6, { added: ["REQ-009"] })])).toEqual({ collisions: [], more: 0 });
  });

  it("names at most 20 pull requests and counts the rest", () => {
    const others = Array.from({ length: 23 }, (_, i) => claims(100 + i, { added: ["REQ-009"] }));
    const found = findCollisions(claims(1, { added: ["REQ-009"] }), others);
    expect(found.collisions.map((c) => c.pr)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119]);
    expect(found.more).toBe(3);
  });
});

describe("toReevaluate: only the pull requests whose record disagrees", () => {
  it("a new collision they do not name yet, and one they still name that is gone; not those that agree", () => {
    const own = claims(5, { added: ["REQ-009"] });
    const found = [{ pr: 3, reasons: [{ kind: "adds" as const, id: "REQ-009" }] }, { pr: 4, reasons: [{ kind: "adds" as const, id: "REQ-009" }] }];
    const others = [claims(3, { collides: [5] }), claims(4), claims(6, { collides: [5] }), claims(7)];
    expect(toReevaluate(own, found, others, [])).toEqual([4, 6]);
  });

  it("when the others were not read (it claims nothing now): those it collided with before", () => {
    expect(toReevaluate(claims(5), [], undefined, [3, 9, 5, 3])).toEqual([3, 9]);
  });
});

describe("movedOnBase: another pull request merged first", () => {
  const base = parseLock(LOCK, lockText(["CR-0001"], [entry("REQ-001"), entry("REQ-002")])).lock as Lock;
  const tip = parseLock(LOCK, lockText(["CR-0001", "CR-0002"], [entry("REQ-001", { fingerprint: FP2, change: "CR-0002" }), entry("REQ-002"), entry("REQ-009", { change: "CR-0002" })])).lock as Lock;

  it("an ID it adds is in the tip's lock, a record it adds is applied there, a requirement it changes changed there", () => {
    const own = claims(5, { added: ["REQ-009", "REQ-010"], records: ["CR-0002", "CR-0003"], changed: [["REQ-001", "CR-0003"], ["REQ-002", "CR-0003"]] });
    expect(movedOnBase(own, base, tip)).toEqual([
      { kind: "added", id: "REQ-009", record: "CR-0002" },
      { kind: "record-applied", id: "CR-0002" },
      { kind: "changed", id: "REQ-001", record: "CR-0002" },
    ]);
  });

  it("nothing when the lock did not move", () => {
    expect(movedOnBase(claims(5, { added: ["REQ-009"], changed: [["REQ-001", "CR-0003"]] }), base, base)).toEqual([]);
  });
});

describe("the hidden record", () => {
  it("round-trips, after the approval ledger at the start of the summary", () => {
    const c = claims(12, { added: ["REQ-009"], records: ["CR-0002"], changed: [["REQ-001", ""]], collides: [3] });
    expect(claimsMarker(c)).toBe('<!-- reqgate:claims {"pr":12,"b":"main","a":["REQ-009"],"r":["CR-0002"],"c":[["REQ-001",""]],"x":[3]} -->');
    const summary = `<!-- reqgate:approvals {"entries":[]} -->\n${claimsMarker(c)}\n\nThis pull request…`;
    expect(claimsFromSummary(summary)).toEqual(c);
  });

  it("a record further down (user text) is not read; malformed data is dropped, never trusted", () => {
    expect(claimsFromSummary(`Some text\n${claimsMarker(claims(1, { added: ["REQ-1"] }))}`)).toBeUndefined();
    expect(parseClaims({ pr: -1, b: "main" })).toBeUndefined();
    expect(parseClaims({ pr: 1, b: "" })).toBeUndefined();
    expect(parseClaims({ pr: 1, b: "main", a: ["REQ-1", "not an id", "<script>", 5, "REQ-1"], r: ["CR-1", "cr-2"], c: [["REQ-2", "CR-1"], ["REQ-3", "bad"], "x", ["REQ-4", ""]], x: [2, -3, "4", 2], t: 1 })).toEqual({
      pr: 1,
      base: "main",
      added: ["REQ-1"],
      records: ["CR-1"],
      changed: [["REQ-2", "CR-1"], ["REQ-4", ""]],
      cut: true,
      collides: [2],
    });
  });

  it("bounded: lists cut at MAX_CLAIMS and the record within its budget, marked cut", () => {
    const many = Array.from({ length: 1000 }, (_, i) => `ABCDEFGHIJKLMNOPQRST-${100000000 + i}`);
    const big = claims(1, { added: many, records: many, changed: many.map((id) => [id, "ABCDEFGHIJKLMNOPQRST-999999999"] as [string, string]) });
    const marker = claimsMarker(big);
    expect(marker.length).toBeLessThanOrEqual(MAX_CLAIMS_CHARS);
    const back = claimsFromSummary(marker)!;
    expect(back.cut).toBe(true);
    expect(back.added.length).toBeLessThanOrEqual(MAX_CLAIMS);
    expect(back.added[0]).toBe("ABCDEFGHIJKLMNOPQRST-100000000");
  });
});

describe("the baseline check with a collision", () => {
  const evaluation = evaluateChange({ config: DEFAULT_CONFIG, requirementFiles: [], recordFiles: [] });
  const approvals = evaluateApprovals({ evaluation, author: "a", contributors: [], changeControl: DEFAULT_CONFIG.change_control, events: [], permissions: new Map(), memberships: new Map() });

  it("fails, the title leads with what to fix and names the other pull request; the claims follow the ledger", () => {
    const own = claims(5, { added: ["REQ-009"], collides: [3] });
    const check = evaluateBaselineCheck({ evaluation, approvals, baseBranch: "main", ledger: { entries: [] }, collisions: { claims: own, checked: 4, collisions: [{ pr: 3, reasons: [{ kind: "adds", id: "REQ-009" }] }], more: 0, moved: [] } });
    expect(check.conclusion).toBe("failure");
    expect(check.title).toBe("Collides with #3 (both add REQ-009): renumber in one of them");
    expect(check.summary.startsWith('<!-- reqgate:approvals {"entries":[]} -->\n<!-- reqgate:claims {"pr":5,"b":"main","a":["REQ-009"],"r":[],"c":[],"x":[3]} -->\n\n### Colliding pull requests\n')).toBe(true);
    expect(check.summary).toContain("- ❌ #3: both add `REQ-009`");
    expect(ledgerFromSummary(check.summary)).toEqual({ entries: [] });
    expect(check.actions).toEqual([]);
  });

  it("a requirement both change: one waits; the base branch moved: rebase first", () => {
    const changes = evaluateBaselineCheck({ evaluation, approvals, collisions: { claims: claims(5), collisions: [{ pr: 3, reasons: [{ kind: "changes", id: "REQ-001", ours: "CR-0002", theirs: "" }] }], more: 2, moved: [] } });
    expect(changes.title).toBe("Collides with #3 and 2 more pull requests (both change REQ-001: CR-0002 here, no change record there): one of them waits for the other to merge, then rebases");
    const moved = evaluateBaselineCheck({ evaluation, approvals, baseBranch: "main", collisions: { claims: claims(5), checked: 0, collisions: [], more: 0, moved: [{ kind: "added", id: "REQ-009", record: "CR-0002" }] } });
    expect(moved.conclusion).toBe("failure");
    expect(moved.title).toBe("Rebase onto main: REQ-009 was added to main since this branch left it (by CR-0002); rebase and renumber");
  });

  it("no collision: said with how many were read; not looked for: nothing said", () => {
    const none = evaluateBaselineCheck({ evaluation, approvals, baseBranch: "main", collisions: { claims: claims(5, { added: ["REQ-009"] }), checked: 199, collisions: [], more: 0, moved: [] } });
    expect(none.conclusion).toBe("success");
    expect(none.summary).toContain("No other open pull request into `main` adds the same IDs or changes the same requirements (199 read).");
    const unread = evaluateBaselineCheck({ evaluation, approvals, baseBranch: "main", collisions: { claims: claims(5), collisions: [], more: 0, moved: [] } });
    expect(unread.summary).not.toContain("No other open pull request");
  });
});
