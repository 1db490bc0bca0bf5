import { describe, expect, it } from "@jest/globals";
import type { Lock, LockEntry } from "../../../src/domain/baseline/baseline.js";
import { baselineView } from "../../../src/domain/issues/baseline-view.js";
import { ConfigSchema, DEFAULT_CONFIG, parseConfig } from "../../../src/domain/config/config.js";
import {
  evaluateIssue,
  idsMissingFromLock,
  MAX_REFERENCES,
  plannedWrites,
  type IssueFacts,
  type IssueResult,
  type IssueSnapshot,
  type RequirementLookup,
} from "../../../src/domain/issues/evaluate-issue.js";

const FP = `sha256:${"0".repeat(64)}`;

function entry(id: string, title: string, over: Partial<LockEntry> = {}): LockEntry {
  return { id, title, status: "active", path: `requirements/${id}.yml`, fingerprint: FP, change: "CR-1", ...over };
}

const LOCK: Lock = {
  applied: ["CR-1"],
  entries: [
    entry("REQ-001", "Lock account after repeated failed logins"),
    entry("REQ-002", "Export the audit log as CSV"),
    entry("REQ-003", "Reset a forgotten password by email"),
    entry("REQ-007", "Old login page", { status: "retired", supersededBy: "REQ-001" }),
    entry("REQ-008", "Legacy password hints", { status: "retired" }),
  ],
};
const VIEW = baselineView(LOCK);

function issue(over: Partial<IssueFacts> = {}): IssueFacts {
  return { number: 1, title: "Something", body: "", author: "octocat", labels: [], state: "open", ...over };
}

function snapshot(over: Partial<IssueSnapshot> & { issue?: IssueFacts } = {}): IssueSnapshot {
  return { issue: issue(), config: { config: DEFAULT_CONFIG, diagnostics: [] }, baseline: { view: VIEW, diagnostics: [], missing: false }, ...over };
}

const lookup = (found: Array<[string, "draft" | "active" | "retired"]>, complete = true): RequirementLookup => ({
  found: new Map(found.map(([id, status]) => [id, { status, file: `requirements/${id}.yml` }])),
  complete,
});

describe("evaluateIssue", () => {
  it.each<[string, IssueSnapshot, Partial<IssueResult>]>([
    ["a traced issue", snapshot({ issue: issue({ body: "Implements REQ-001." }) }), { verdict: "traced", references: [{ id: "REQ-001", kind: "baselined", title: "Lock account after repeated failed logins" }] }],
    ["a reference in the title", snapshot({ issue: issue({ title: "REQ-002: CSV export" }) }), { verdict: "traced" }],
    ["an unlinked issue", snapshot({ issue: issue({ title: "Accounts get locked", body: "After failed logins the account should lock" }) }), { verdict: "unlinked", fixLine: "Requirement: REQ-001", baselineMissing: false }],
    [
      "an unknown ID, with the closest baselined ID",
      snapshot({ issue: issue({ body: "REQ-01" }), lookup: lookup([]) }),
      { verdict: "bad-references", references: [{ id: "REQ-01", kind: "unknown", closest: "REQ-001", lookupIncomplete: false }] },
    ],
    [
      "an unknown ID when the requirement files could not all be read",
      snapshot({ issue: issue({ body: "REQ-900" }), lookup: lookup([], false) }),
      { verdict: "bad-references", references: [{ id: "REQ-900", kind: "unknown", closest: "REQ-001", lookupIncomplete: true }] },
    ],
    ["a draft", snapshot({ issue: issue({ body: "REQ-050" }), lookup: lookup([["REQ-050", "draft"]]) }), { verdict: "bad-references", references: [{ id: "REQ-050", kind: "draft", file: "requirements/REQ-050.yml" }] }],
    [
      "an active requirement that is not in the lock yet",
      snapshot({ issue: issue({ body: "REQ-051" }), lookup: lookup([["REQ-051", "active"]]) }),
      { verdict: "bad-references", references: [{ id: "REQ-051", kind: "not-baselined", file: "requirements/REQ-051.yml" }] },
    ],
    [
      "a retired requirement with its successor",
      snapshot({ issue: issue({ body: "REQ-007" }) }),
      { verdict: "bad-references", references: [{ id: "REQ-007", kind: "retired", title: "Old login page", supersededBy: "REQ-001" }] },
    ],
    ["a retired requirement without successor", snapshot({ issue: issue({ body: "REQ-008" }) }), { verdict: "bad-references", references: [{ id: "REQ-008", kind: "retired", title: "Legacy password hints" }] }],
    [
      "one good and one bad reference",
      snapshot({ issue: issue({ body: "REQ-001 and REQ-007" }) }),
      { verdict: "bad-references", references: [{ id: "REQ-001", kind: "baselined", title: "Lock account after repeated failed logins" }, { id: "REQ-007", kind: "retired", title: "Old login page", supersededBy: "REQ-001" }] },
    ],
    ["an exempt label", snapshot({ issue: issue({ labels: ["bug", "question"] }) }), { verdict: "exempt", because: { label: "question" } }],
    ["an exempt author", snapshot({ issue: issue({ author: "dependabot[bot]" }) }), { verdict: "exempt", because: { author: "dependabot[bot]" } }],
    ["a closed issue", snapshot({ issue: issue({ state: "closed" }) }), { verdict: "skip", reason: "closed" }],
    [
      "mode off",
      snapshot({ config: { config: ConfigSchema.parse({ issues: { mode: "off" } }), diagnostics: [] } }),
      { verdict: "skip", reason: "mode-off" },
    ],
    [
      "a waived unlinked issue",
      snapshot({ waiver: { by: "maintainer", reason: "spike", at: "2026-01-01T00:00:00Z", comment: 5 } }),
      { verdict: "waived", problem: "unlinked", waiver: { by: "maintainer", reason: "spike", at: "2026-01-01T00:00:00Z", comment: 5 } },
    ],
    ["a waived issue with a bad reference", snapshot({ issue: issue({ body: "REQ-008" }), waiver: { by: "m", reason: "r", at: "t", comment: 1 } }), { verdict: "waived", problem: "bad-references" }],
    ["a waiver does not hide a traced issue", snapshot({ issue: issue({ body: "REQ-001" }), waiver: { by: "m", reason: "r", at: "t", comment: 1 } }), { verdict: "traced", waiver: { by: "m", reason: "r", at: "t", comment: 1 } }],
    ["no lock yet", snapshot({ baseline: { diagnostics: [], missing: true } }), { verdict: "unlinked", suggestions: [], fixLine: "Requirement: REQ-…", baselineMissing: true }],
    [
      "an unreadable lock",
      snapshot({ baseline: { diagnostics: [{ severity: "error", code: "lock-invalid", file: "requirements/baseline.lock", line: 2, column: 1, message: "bad" }], missing: false } }),
      { verdict: "baseline-invalid" },
    ],
  ])("%s", (_name, input, expected) => {
    expect(evaluateIssue(input)).toMatchObject(expected);
  });

  it("reports an invalid configuration with the exact key", () => {
    const parsed = parseConfig({ issues: { mode: "loud" } });
    const result = evaluateIssue(snapshot({ config: parsed }));
    expect(result.verdict).toBe("config-invalid");
    expect(result.verdict === "config-invalid" && result.diagnostics[0]?.message).toBe('issues.mode: must be one of "off", "label", "comment-and-label"');
  });

  it("suggests at most three active requirements, best first, never a retired one", () => {
    const result = evaluateIssue(snapshot({ issue: issue({ title: "Password reset by email is broken", body: "login password email lock audit old page legacy hints" }) }));
    expect(result.verdict).toBe("unlinked");
    if (result.verdict !== "unlinked") return;
    expect(result.suggestions.length).toBeLessThanOrEqual(3);
    expect(result.suggestions[0]?.id).toBe("REQ-003");
    expect(result.suggestions.map((s) => s.id)).not.toContain("REQ-007");
    expect(result.suggestions.map((s) => s.id)).not.toContain("REQ-008");
    expect(result.fixLine).toBe("Requirement: REQ-003");
  });

  it("lists at most MAX_REFERENCES references and counts the rest", () => {
    const body = Array.from({ length: MAX_REFERENCES + 5 }, (_, i) => `REQ-${900 + i}`).join(" ");
    const result = evaluateIssue(snapshot({ issue: issue({ body }), lookup: lookup([]) }));
    expect(result.verdict === "bad-references" && [result.references.length, result.omitted]).toEqual([MAX_REFERENCES, 5]);
  });
});

describe("idsMissingFromLock", () => {
  it.each<[string, string, string[]]>([
    ["all in the lock", "REQ-001 REQ-007", []],
    ["one missing", "REQ-001 REQ-099", ["REQ-099"]],
    ["an unconfigured prefix is no reference", "SYS-1", []],
  ])("%s", (_name, body, expected) => {
    expect(idsMissingFromLock(issue({ body }), DEFAULT_CONFIG, { view: VIEW, diagnostics: [], missing: false })).toEqual(expected);
  });
});

describe("plannedWrites", () => {
  const labelMode = ConfigSchema.parse({ issues: { mode: "label" } });
  it.each<[string, IssueSnapshot, ReturnType<typeof plannedWrites>]>([
    ["traced: remove the label, update an existing comment only", snapshot({ issue: issue({ body: "REQ-001" }) }), { label: "remove", comment: "update" }],
    ["unlinked: add the label and the comment", snapshot(), { label: "add", comment: "upsert" }],
    ["unlinked in label mode: no new comment", snapshot({ config: { config: labelMode, diagnostics: [] } }), { label: "add", comment: "update" }],
    ["bad references: add the label and the comment", snapshot({ issue: issue({ body: "REQ-008" }) }), { label: "add", comment: "upsert" }],
    ["exempt: remove the label, update an old comment", snapshot({ issue: issue({ labels: ["question"] }) }), { label: "remove", comment: "update" }],
    ["waived: remove the label, keep the comment that holds the waiver", snapshot({ waiver: { by: "m", reason: "r", at: "t", comment: 1 } }), { label: "remove", comment: "upsert" }],
    ["config invalid: no label change, say what is wrong", snapshot({ config: parseConfig({ nope: 1 }) }), { label: "keep", comment: "upsert" }],
    ["closed: nothing", snapshot({ issue: issue({ state: "closed" }) }), { label: "keep", comment: "none" }],
  ])("%s", (_name, input, expected) => {
    expect(plannedWrites(evaluateIssue(input))).toEqual(expected);
  });
});
