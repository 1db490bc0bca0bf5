import { describe, expect, it } from "@jest/globals";
import { buildReport, traceRequirement, type ReportRequirement, type RequirementTrace } from "../../../src/domain/report/report.js";
import { BASE_REQS, CR1, CR2, EVIDENCE, HEAD_REQS, item, ITEMS, lockFor, referenceRepo, repo, yaml } from "./report-fixture.js";

const check = referenceRepo();
const report = buildReport(check, ITEMS, { exemptLabels: ["question"] });
const byId = new Map(report.requirements.map((r) => [r.id, r]));

describe("buildReport: requirements", () => {
  it("lists every requirement once, sorted, whatever its status", () => {
    expect(report.requirements.map((r) => `${r.id}:${r.status}`)).toEqual([
      "REQ-1:active", "REQ-2:active", "REQ-3:draft", "REQ-4:retired", "REQ-5:active", "REQ-6:active", "SYS-1:active", "SYS-2:active",
    ]);
    expect(check.lockState).toBe("stale");
  });

  type Row = [string, Partial<ReportRequirement>];
  it.each<Row>([
    ["SYS-1", { text: "Logins are secure.", file: "requirements/sys.yml", parents: [], children: ["REQ-1", "REQ-2", "REQ-3", "REQ-6"], baselined: true, lastChange: "CR-1", changeRecords: ["CR-1"], verification: "analysis", workItems: [], hasWork: true, gaps: [] }],
    ["SYS-2", { children: [], baselined: true, workItems: [], hasWork: false, gaps: ["no-work", "not-decomposed"] }],
    ["REQ-1", { parents: ["SYS-1"], children: ["REQ-5"], baselined: true, workItems: [1, 9], hasWork: true, gaps: [] }],
    ["REQ-2", { baselined: true, pendingChange: "modified", lastChange: "CR-1", changeRecords: ["CR-1", "CR-2"], evidence: [], hasWork: false, gaps: ["no-work", "no-evidence"] }],
    ["REQ-3", { status: "draft", baselined: false, workItems: [3], gaps: [] }],
    ["REQ-4", { status: "retired", baselined: false, supersededBy: "REQ-1", lastChange: "CR-1", workItems: [4], gaps: [] }],
    ["REQ-5", { parents: ["REQ-1"], children: [], verification: "demonstration", workItems: [8], hasWork: true, gaps: [] }],
    ["REQ-6", { baselined: false, pendingChange: "added", changeRecords: ["CR-2"], workItems: [9], gaps: [] }],
  ])("%s", (id, expected) => {
    expect(byId.get(id)).toMatchObject(expected);
  });

  it("keeps the lines of the @verifies tags as evidence, with the test each belongs to", () => {
    expect(byId.get("REQ-1")!.evidence).toEqual([
      { id: "REQ-1", file: "test/login.test.ts", line: 1, test: { name: "locks", kind: "title" } },
      { id: "REQ-1", file: "test/login.test.ts", line: 4 },
    ]);
    expect(byId.get("REQ-6")!.evidence).toEqual([{ id: "REQ-6", file: "test/login.test.ts", line: 4 }]);
  });

  it("describes the change records and whether the lock applied them", () => {
    expect(report.records).toEqual([
      { id: "CR-1", title: "First baseline", rationale: "Start.", file: "requirements/changes/CR-1.yml", affects: ["SYS-1", "SYS-2", "REQ-1", "REQ-2", "REQ-4", "REQ-5"], applied: true },
      { id: "CR-2", title: "Log failures too", rationale: "Audit asked.", file: "requirements/changes/CR-2.yml", affects: ["REQ-2", "REQ-6"], applied: false },
    ]);
  });
});

describe("buildReport: work items", () => {
  it.each([
    [1, "traced", []],
    [2, "unlinked", []],
    [3, "bad-references", [{ id: "REQ-3", problem: "draft" }]],
    [4, "bad-references", [{ id: "REQ-4", problem: "retired", supersededBy: "REQ-1" }]],
    [5, "bad-references", [{ id: "REQ-01", problem: "unknown", suggestion: "REQ-1" }]],
    [6, "pull-request", []],
    [7, "exempt", []],
    [8, "traced", []],
    [9, "bad-references", [{ id: "REQ-6", problem: "not-baselined" }]],
  ])("#%s is %s", (number, trace, problems) => {
    const w = report.workItems!.find((i) => i.number === number)!;
    expect(w.trace).toBe(trace);
    expect(w.references.filter((r) => r.problem !== undefined)).toEqual(problems);
  });

  it("gathers the gaps", () => {
    expect(report.gaps).toEqual({
      noWork: ["REQ-2", "SYS-2"],
      noEvidence: ["REQ-2"],
      failedEvidence: [],
      notDecomposed: ["SYS-2"],
      unlinkedWork: [2],
      badReferences: [3, 4, 5, 9],
    });
    expect(report.higherLevelPrefixes).toEqual(["SYS"]);
  });

  it("sums up counts and coverage", () => {
    expect(report.summary).toMatchObject({
      lockState: "stale",
      requirements: { total: 8, active: 6, draft: 1, retired: 1, baselined: 5, pending: 2 },
      records: { total: 2, applied: 1 },
      workItems: { total: 9, open: 8, closed: 1, pullRequests: 1, traced: 2, unlinked: 1, badReferences: 4, exempt: 1 },
      coverage: {
        // Baselined active: SYS-1, SYS-2, REQ-1, REQ-2, REQ-5; with work: SYS-1 (through REQ-1), REQ-1, REQ-5.
        work: { covered: 3, total: 5, percent: 60 },
        // verification: test and baselined: REQ-1 (evidence), REQ-2 (none).
        evidence: { covered: 1, total: 2, percent: 50 },
        decomposition: { covered: 1, total: 2, percent: 50 },
      },
    });
  });

  it("leaves work out entirely when no work items were read", () => {
    const plain = buildReport(check);
    expect(plain.workItems).toBeUndefined();
    expect(plain.summary.workItems).toBeUndefined();
    expect(plain.summary.coverage.work).toBeUndefined();
    expect(plain.gaps).toEqual({ noEvidence: ["REQ-2"], failedEvidence: [], notDecomposed: ["SYS-2"] });
    expect(plain.requirements.every((r) => !r.gaps.includes("no-work") && !r.hasWork)).toBe(true);
  });

  it("does not flag a work item with an exempt label only when told the labels", () => {
    expect(buildReport(check, ITEMS).workItems!.find((i) => i.number === 7)!.trace).toBe("unlinked");
  });
});

describe("buildReport: the tree", () => {
  it("shows roots with their subtrees in ID order", () => {
    expect(report.tree.map((n) => `${"  ".repeat(n.depth)}${n.id}${n.repeated ? "*" : ""}`)).toEqual([
      "SYS-1", "  REQ-1", "    REQ-5", "  REQ-2", "  REQ-3", "  REQ-6", "SYS-2", "REQ-4",
    ]);
  });

  it("puts higher levels first, however the prefixes sort", () => {
    const r = buildReport(
      repo(
        {
          "r.yml": [
            "requirements:",
            "  - { id: REQ-1, title: A, text: a }",
            "  - { id: SYS-1, title: B, text: b, parents: [REQ-1] }",
            "  - { id: SYS-2, title: C, text: c }",
            "  - { id: REQ-2, title: D, text: d }",
          ].join("\n"),
        },
        {},
      ),
    );
    expect(r.tree.map((n) => n.id)).toEqual(["REQ-1", "SYS-1", "REQ-2", "SYS-2"]);
    expect(r.higherLevelPrefixes).toEqual(["REQ"]);
  });

  it("shows a requirement with two parents once in full and once as a reference", () => {
    const diamond = repo(
      {
        "r.yml": [
          "requirements:",
          "  - { id: SYS-1, title: A, text: a }",
          "  - { id: SYS-2, title: B, text: b }",
          "  - { id: REQ-1, title: C, text: c, parents: [SYS-1, SYS-2] }",
          "  - { id: REQ-2, title: D, text: d, parents: [REQ-1] }",
        ].join("\n"),
      },
      {},
    );
    const r = buildReport(diamond);
    expect(r.tree.map((n) => [n.id, n.depth, n.repeated])).toEqual([
      ["SYS-1", 0, false], ["REQ-1", 1, false], ["REQ-2", 2, false], ["SYS-2", 0, false], ["REQ-1", 1, true],
    ]);
  });

  it("still shows every member of a parent cycle, once", () => {
    const cyclic = repo(
      { "r.yml": ["requirements:", "  - { id: REQ-1, title: A, text: a, parents: [REQ-2] }", "  - { id: REQ-2, title: B, text: b, parents: [REQ-1] }"].join("\n") },
      {},
    );
    expect(cyclic.diagnostics.some((d) => d.code === "parent-cycle")).toBe(true);
    const r = buildReport(cyclic, [item(1, "x", ["REQ-2"])]);
    expect(r.tree.map((n) => [n.id, n.depth, n.repeated])).toEqual([["REQ-1", 0, false], ["REQ-2", 1, false], ["REQ-1", 2, true]]);
    const trace = traceRequirement(cyclic, "REQ-1") as RequirementTrace;
    expect(trace.ancestors.map((n) => [n.id, n.repeated])).toEqual([["REQ-2", false], ["REQ-1", true]]);
  });

  it("treats an unknown parent as no parent for the tree", () => {
    const r = buildReport(repo({ "r.yml": yaml({ id: "REQ-1", title: "A", text: "a", parents: ["SYS-9"] }) }, {}));
    expect(r.tree).toEqual([{ id: "REQ-1", depth: 0, repeated: false }]);
  });
});

describe("buildReport: the baseline", () => {
  it("has nothing baselined without a lock, and says why references are not baselined", () => {
    const r = buildReport(repo(BASE_REQS, CR1), [item(1, "x", ["REQ-1"])]);
    expect(r.summary.lockState).toBe("missing");
    expect(r.summary.requirements.baselined).toBe(0);
    expect(r.workItems![0]!.references).toEqual([{ id: "REQ-1", problem: "not-baselined" }]);
    expect(r.gaps.noWork).toEqual([]);
  });

  it("keeps a requirement only the lock still has, marked removed", () => {
    const rest = Object.fromEntries(Object.entries(BASE_REQS).filter(([path]) => path !== "requirements/req-5.yml"));
    const r = buildReport(repo(rest, CR1, lockFor(BASE_REQS, CR1)), [item(1, "x", ["REQ-5"])]);
    expect(r.requirements.find((x) => x.id === "REQ-5")!.text).toBeUndefined();
    expect(r.requirements.find((x) => x.id === "REQ-5")).toMatchObject({ title: "Unlock by email", status: "active", file: "requirements/req-5.yml", baselined: true, pendingChange: "removed", lastChange: "CR-1" });
    // The default branch's lock is what the App checks references against: still baselined.
    expect(r.workItems![0]!.trace).toBe("traced");
  });

  it("counts only test-verified requirements for the evidence gap", () => {
    const files = {
      "r.yml": ["requirements:", ...["test", "analysis", "inspection", "demonstration"].map((v, i) => `  - { id: REQ-${i + 1}, title: T, text: t, verification: ${v} }`), "  - { id: REQ-9, title: T, text: t }"].join("\n"),
    };
    const records = { "c.yml": yaml({ id: "CR-1", title: "t", rationale: "r", affects: ["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-9"] }) };
    const r = buildReport(repo(files, records, lockFor(files, records)));
    expect(r.gaps.noEvidence).toEqual(["REQ-1"]);
  });

  it("does not call leaves of a same-prefix refinement undecomposed", () => {
    const files = { "r.yml": ["requirements:", "  - { id: REQ-1, title: A, text: a }", "  - { id: REQ-2, title: B, text: b, parents: [REQ-1] }", "  - { id: REQ-3, title: C, text: c }"].join("\n") };
    const records = { "c.yml": yaml({ id: "CR-1", title: "t", rationale: "r", affects: ["REQ-1", "REQ-2", "REQ-3"] }) };
    const r = buildReport(repo(files, records, lockFor(files, records)));
    expect(r.gaps.notDecomposed).toEqual([]);
    expect(r.higherLevelPrefixes).toEqual([]);
    expect(r.summary.coverage.decomposition).toEqual({ covered: 0, total: 0, percent: null });
  });

  it("does not count a draft or retired child as decomposition, nor its work", () => {
    const files = {
      "r.yml": ["requirements:", "  - { id: SYS-1, title: A, text: a }", "  - { id: REQ-1, title: B, text: b, parents: [SYS-1], status: draft }", "  - { id: REQ-2, title: C, text: c, parents: [SYS-1], status: retired }"].join("\n"),
    };
    const records = { "c.yml": yaml({ id: "CR-1", title: "t", rationale: "r", affects: ["SYS-1", "REQ-2"] }) };
    const r = buildReport(repo(files, records, lockFor(files, records)), [item(1, "x", ["REQ-1"])]);
    expect(r.requirements.find((x) => x.id === "SYS-1")!.gaps).toEqual(["no-work", "not-decomposed"]);
  });
});

describe("traceRequirement", () => {
  it("follows one requirement up to the roots and down to the leaves", () => {
    const trace = traceRequirement(check, "REQ-5", ITEMS) as RequirementTrace;
    expect(trace.found).toBe(true);
    expect(trace.ancestors).toEqual([
      { id: "REQ-1", depth: 1, known: true, title: "Lock after failures", status: "active", baselined: true, repeated: false },
      { id: "SYS-1", depth: 2, known: true, title: "Secure login", status: "active", baselined: true, repeated: false },
    ]);
    expect(trace.descendants).toEqual([]);
    expect(trace.records.map((r) => r.id)).toEqual(["CR-1"]);
    expect(trace.workItems!.map((i) => i.number)).toEqual([8]);
  });

  it("lists the descendants and the change records, the last one first", () => {
    const trace = traceRequirement(check, "SYS-1") as RequirementTrace;
    expect(trace.descendants.map((n) => `${n.depth}:${n.id}`)).toEqual(["1:REQ-1", "2:REQ-5", "1:REQ-2", "1:REQ-3", "1:REQ-6"]);
    expect(trace.workItems).toBeUndefined();
    const two = traceRequirement(check, "REQ-2") as RequirementTrace;
    expect(two.records.map((r) => [r.id, r.applied])).toEqual([["CR-1", true], ["CR-2", false]]);
    expect(two.requirement.gaps).toEqual(["no-evidence"]);
  });

  it("marks parents that no file defines", () => {
    const r = repo({ "r.yml": yaml({ id: "REQ-1", title: "A", text: "a", parents: ["SYS-9"] }) }, {});
    expect((traceRequirement(r, "REQ-1") as RequirementTrace).ancestors).toEqual([{ id: "SYS-9", depth: 1, known: false, baselined: false, repeated: false }]);
  });

  it.each([
    ["REQ-01", "REQ-1"],
    ["req-1", "REQ-1"],
    [" SYS-3 ", "SYS-1"],
    ["NOPE-123456", undefined],
  ])("answers an unknown ID %j with a suggestion", (id, suggestion) => {
    const trace = traceRequirement(check, id);
    expect(trace).toEqual({ found: false, id: id.trim(), ...(suggestion ? { suggestion } : {}) });
  });

  it("names a change record the lock credits but that no file defines", () => {
    const lock = lockFor(BASE_REQS, CR1);
    const trace = traceRequirement(repo(BASE_REQS, {}, lock), "REQ-1") as RequirementTrace;
    expect(trace.records).toEqual([{ id: "CR-1", title: "", rationale: "", file: "", affects: [], applied: true, missing: true }]);
  });
});

it("uses the evidence files given to the snapshot", () => {
  const r = buildReport(repo(HEAD_REQS, { ...CR1, ...CR2 }, lockFor(BASE_REQS, CR1), { ...EVIDENCE, "test/x.test.ts": "# @verifies REQ-2\n" }));
  expect(r.gaps.noEvidence).toEqual([]);
});

it("orders IDs as people count: REQ-2 before REQ-10", () => {
  const files = { "r.yml": ["requirements:", ...["REQ-10", "REQ-2", "REQ-012", "REQ-1"].map((id) => `  - { id: ${id}, title: T, text: t }`)].join("\n") };
  expect(buildReport(repo(files, {})).requirements.map((r) => r.id)).toEqual(["REQ-1", "REQ-2", "REQ-10", "REQ-012"]);
});
