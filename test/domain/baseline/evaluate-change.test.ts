import { describe, expect, it } from "@jest/globals";
import { computeBaseline, EMPTY_LOCK, renderLock } from "../../../src/domain/baseline/baseline.js";
import { parseConfig, type Config } from "../../../src/domain/config/config.js";
import { evaluateChange, type FileVersions } from "../../../src/domain/baseline/evaluate-change.js";
import { parseChangeRecordFile, parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";

const config: Config = parseConfig({
  requirements: { prefixes: ["REQ", "SYS"] },
  change_control: {
    rules: [
      { name: "requirements board", match: ["requirements/**"], approvers: { permission: "maintain" } },
      { name: "safety board", tags: ["safety"], approvers: { teams: ["acme/safety"] }, count: 2 },
    ],
  },
}).config!;

const opts = { prefixes: new Set(["REQ", "SYS"]), maxBytes: 1 << 20 };
const REQ1 = "id: REQ-1\ntitle: Lock\ntext: Lock after 5 failures.\ntags: [safety]\n";
const REQ2 = "id: REQ-2\ntitle: Log\ntext: Log every login.\n";
const CR1 = "id: CR-1\ntitle: Initial\nrationale: First baseline.\naffects: [REQ-1, REQ-2]\n";

/** A repository state: requirement files, record files and the lock `reqgate baseline` would write. */
function baseState(files: Record<string, string>, records: Record<string, string>) {
  const reqs = Object.entries(files).flatMap(([path, text]) => parseRequirementFile(path, text, opts).requirements);
  const recs = Object.entries(records).map(([path, text]) => parseChangeRecordFile(path, text, { ...opts, changePrefix: "CR" }).record!);
  const result = computeBaseline(EMPTY_LOCK, reqs, recs);
  expect(result.diagnostics).toEqual([]);
  return renderLock(result.lock!);
}

const baseLockText = baseState({ "requirements/a.yml": REQ1, "requirements/b.yml": REQ2 }, { "requirements/changes/CR-1.yml": CR1 });
const LOCK = "requirements/baseline.lock";

function evaluate(requirementFiles: FileVersions[], recordFiles: FileVersions[], headLock?: string) {
  return evaluateChange({
    config,
    baseLock: { path: LOCK, text: baseLockText },
    ...(headLock !== undefined ? { headLock: { path: LOCK, text: headLock } } : {}),
    requirementFiles,
    recordFiles,
  });
}

/** The head lock a well-behaved author would commit: the base lock advanced by this change. */
function advancedLock(requirementFiles: FileVersions[], recordFiles: FileVersions[]): string {
  const result = evaluate(requirementFiles, recordFiles, baseLockText);
  expect(result.lock.expected).toBeDefined();
  return result.lock.expected!;
}

describe("evaluateChange", () => {
  it("passes a change with no requirement files", () => {
    const result = evaluate([], [], baseLockText);
    expect(result.changes).toEqual([]);
    expect(result.demands).toEqual([]);
    expect(result.lock.state).toBe("current");
    expect(result.diagnostics).toEqual([]);
  });

  it("ignores edits to drafts", () => {
    const draft = "id: REQ-9\ntitle: Idea\ntext: Maybe.\nstatus: draft\n";
    const result = evaluate([{ path: "requirements/c.yml", base: draft, head: draft.replace("Maybe", "Perhaps") }], [], baseLockText);
    expect(result.changes).toEqual([]);
    expect(result.lock.state).toBe("current");
  });

  const modifyReq1: FileVersions[] = [{ path: "requirements/a.yml", base: REQ1, head: REQ1.replace("5 failures", "3 failures") }];
  const cr2: FileVersions[] = [{ path: "requirements/changes/CR-2.yml", head: "id: CR-2\ntitle: Lower\nrationale: PT-19.\naffects: [REQ-1]\n" }];

  it("credits a modified requirement to the record the change adds and demands every matching rule", () => {
    const result = evaluate(modifyReq1, cr2, advancedLock(modifyReq1, cr2));
    expect(result.diagnostics).toEqual([]);
    expect(result.lock.state).toBe("current");
    expect(result.changes.map((c) => [c.id, c.kind, c.record, c.baseRequirement?.text, c.headRequirement?.text])).toEqual([
      ["REQ-1", "modified", "CR-2", "Lock after 5 failures.", "Lock after 3 failures."],
    ]);
    expect(result.records.map((r) => [r.record.id, r.kind])).toEqual([["CR-2", "added"]]);
    expect(result.demands.map((d) => [d.rule.name, d.requirements])).toEqual([["requirements board", ["REQ-1"]], ["safety board", ["REQ-1"]]]);
  });

  it("fails a modified requirement that no change record covers", () => {
    const result = evaluate(modifyReq1, [], baseLockText);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["change-without-record"]);
    expect(result.lock.state).toBe("undetermined");
  });

  it("says the lock is stale when the author did not run `reqgate baseline`", () => {
    const result = evaluate(modifyReq1, cr2, baseLockText);
    expect(result.lock.state).toBe("stale");
    expect(result.diagnostics.map((d) => [d.code, d.file, d.hint])).toEqual([["lock-stale", LOCK, "run `reqgate baseline` and commit the lock"]]);
  });

  it("refuses rewriting or deleting an applied change record", () => {
    const result = evaluate([], [
      { path: "requirements/changes/CR-1.yml", base: CR1, head: CR1.replace("First baseline.", "Something else.") },
    ], baseLockText);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["applied-record-changed"]);
    const deleted = evaluate([], [{ path: "requirements/changes/CR-1.yml", base: CR1 }], baseLockText);
    expect(deleted.diagnostics.map((d) => d.message)).toEqual(["CR-1 is already applied to the baseline; a decision that was applied cannot be deleted"]);
  });

  it("keeps the approval subject through a reformatting push and changes it with the meaning", () => {
    const reformatted: FileVersions[] = [{ path: "requirements/a.yml", base: REQ1, head: "title: Lock\nid: REQ-1\ntags: [safety]\ntext: >\n  Lock after\n  3 failures.\n" }];
    const a = evaluate(modifyReq1, cr2);
    const b = evaluate(reformatted, cr2);
    const c = evaluate([{ path: "requirements/a.yml", base: REQ1, head: REQ1.replace("5 failures", "4 failures") }], cr2);
    const d = evaluate(modifyReq1, [{ path: "requirements/changes/CR-2.yml", head: "id: CR-2\ntitle: Lower\nrationale: PT-20.\naffects: [REQ-1]\n" }]);
    expect(b.subject).toBe(a.subject);
    expect(c.subject).not.toBe(a.subject);
    expect(d.subject).not.toBe(a.subject);
  });

  it("reports a requirement removed from a file, and a file moved without meaning change needs no record", () => {
    const removed = evaluate([{ path: "requirements/b.yml", base: REQ2 }], [], baseLockText);
    expect(removed.changes.map((c) => [c.id, c.kind])).toEqual([["REQ-2", "removed"]]);
    const movedFiles: FileVersions[] = [{ path: "requirements/b.yml", base: REQ2 }, { path: "requirements/moved.yml", head: REQ2 }];
    const headLock = advancedLock(movedFiles, []);
    expect(headLock).toContain('"path":"requirements/moved.yml"');
    const moved = evaluate(movedFiles, [], headLock);
    expect(moved.changes.map((c) => [c.id, c.kind])).toEqual([["REQ-2", "moved"]]);
    expect(moved.demands).toEqual([]);
    expect(moved.diagnostics).toEqual([]);
    expect(moved.lock).toEqual({ state: "current" });
  });

  it("gives the same lock as a full rebuild from every file (the CLI's baseline)", () => {
    const files: FileVersions[] = [
      { path: "requirements/a.yml", base: REQ1, head: REQ1.replace("5 failures", "3 failures") },
      { path: "requirements/c.yml", head: "id: REQ-3\ntitle: New\ntext: Added.\n" },
    ];
    const records: FileVersions[] = [{ path: "requirements/changes/CR-2.yml", head: "id: CR-2\ntitle: Two\nrationale: R.\naffects: [REQ-1, REQ-3]\n" }];
    const incremental = advancedLock(files, records);
    const full = baseState(
      { "requirements/a.yml": REQ1.replace("5 failures", "3 failures"), "requirements/b.yml": REQ2, "requirements/c.yml": "id: REQ-3\ntitle: New\ntext: Added.\n" },
      { "requirements/changes/CR-1.yml": CR1.replace("[REQ-1, REQ-2]", "[REQ-1, REQ-2, REQ-3]") },
    );
    // The full rebuild credits everything to CR-1 (its only record); the incremental one, the changes to CR-2.
    expect(incremental.replace(/CR-2/g, "CR-1").split("\n").filter((l) => !l.includes('"applied"'))).toEqual(full.split("\n").filter((l) => !l.includes('"applied"')));
  });

  it("reports a duplicate ID added in a changed file", () => {
    const result = evaluate([{ path: "requirements/c.yml", head: REQ2.replace("Log every", "Again") }], [], baseLockText);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["duplicate-id", "REQ-2 is already defined in requirements/b.yml"]]);
  });

  it("reports parse errors of the head files", () => {
    const result = evaluate([{ path: "requirements/a.yml", base: REQ1, head: REQ1 + "titel: x\n" }], [], baseLockText);
    expect(result.diagnostics.map((d) => d.code)).toContain("unknown-key");
  });
});

describe("a requirement whose file has an error", () => {
  it("is the file's error at its line, not a removal with an all-minus diff", () => {
    const typo = REQ2.replace("title:", "titel:");
    const result = evaluate([{ path: "requirements/b.yml", base: REQ2, head: typo }], [], baseLockText);
    expect(result.changes).toEqual([]);
    expect(result.lock.state).toBe("current");
    expect(result.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      ["missing-field", "requirements/b.yml", "`title` is required"],
      ["unknown-key", "requirements/b.yml", 'unknown key "titel"'],
    ]);
  });

  it("still sees the changes of the requirements of that file that do parse", () => {
    const both = `requirements:\n  - ${REQ1.trimEnd().replace(/\n/g, "\n    ")}\n  - id: REQ-2\n    titel: Log\n    text: Log every login.\n`;
    const base = `requirements:\n  - ${REQ1.trimEnd().replace(/\n/g, "\n    ")}\n  - ${REQ2.trimEnd().replace(/\n/g, "\n    ")}\n`;
    const lock = baseState({ "requirements/ab.yml": base }, { "requirements/changes/CR-1.yml": CR1 });
    const result = evaluateChange({
      config,
      baseLock: { path: LOCK, text: lock },
      headLock: { path: LOCK, text: lock },
      requirementFiles: [{ path: "requirements/ab.yml", base, head: both.replace("Lock after 5 failures.", "Lock after 3 failures.") }],
      recordFiles: [],
    });
    expect(result.changes.map((c) => [c.id, c.kind])).toEqual([["REQ-1", "modified"]]);
  });
});

describe("a change record whose rationale is the init --adopt placeholder", () => {
  it("is a failure in the pull-request check (a warning in check)", () => {
    const placeholder = "id: CR-2\ntitle: Initial baseline\nrationale: \"Adopt the set. TO COMPLETE: name the review.\"\naffects: [REQ-1]\n";
    const changed = [{ path: "requirements/a.yml", base: REQ1, head: REQ1.replace("5 failures", "3 failures") }];
    const result = evaluate(changed, [{ path: "requirements/changes/CR-2.yml", head: placeholder }]);
    expect(result.diagnostics.filter((d) => d.code === "placeholder-rationale").map((d) => [d.severity, d.file, d.message])).toEqual([
      ["error", "requirements/changes/CR-2.yml", "CR-2: the rationale is still the placeholder written by `reqgate init --adopt`"],
    ]);
  });
});

describe("references of the changed requirements (parents, superseded_by)", () => {
  const refs = (requirementFiles: FileVersions[]) =>
    evaluate(requirementFiles, []).diagnostics.filter((d) => ["unknown-parent", "parent-not-active", "superseded-unknown", "superseded-invalid"].includes(d.code)).map((d) => [d.code, d.file, d.message, d.hint]);

  it("are checked against the base lock for the files the change does not touch, and against the head for those it does", () => {
    const child = { path: "requirements/c.yml", head: "id: REQ-3\ntitle: Child\ntext: Refines REQ-2.\nparents: [REQ-2, SYS-9]\n" };
    expect(refs([child])).toEqual([["unknown-parent", "requirements/c.yml", "REQ-3 refines SYS-9, which is not defined", "define SYS-9, or remove it from parents"]]);
    // REQ-2 retired in the same change: its child refines a retired requirement (a warning, as in `check`).
    const retired = { path: "requirements/b.yml", base: REQ2, head: `${REQ2}status: retired\nsuperseded_by: REQ-1\n` };
    expect(refs([retired, { ...child, head: child.head.replace(", SYS-9", "") }])).toEqual([["parent-not-active", "requirements/c.yml", "REQ-3 refines REQ-2, which is retired", "REQ-2 is superseded by REQ-1: refine that instead"]]);
  });

  it("do not count a requirement the change removes", () => {
    const retiring = { path: "requirements/b.yml", base: REQ2, head: `${REQ2}status: retired\nsuperseded_by: REQ-1\n` };
    expect(refs([retiring, { path: "requirements/a.yml", base: REQ1 }])).toEqual([["superseded-unknown", "requirements/b.yml", "REQ-2 is superseded by REQ-1, which is not defined", "name the requirement that replaces it, or remove superseded_by if it was simply withdrawn"]]);
  });
});
