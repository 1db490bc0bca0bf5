// What the App feeds the approval domain besides events: per-person team memberships, "no access"
// permissions, and the ledger's revokes and merging (approvals.ts).
import { describe, expect, it } from "@jest/globals";
import { evaluateApprovals, neededLookups, type ApprovalEvent, type ApprovalSnapshot } from "../../../src/domain/approvals/approvals.js";
import type { ChangeRule } from "../../../src/domain/config/config.js";
import { record } from "../helpers.js";

const S1 = "sha256:subject-1";

function rule(name: string, approvers: Partial<ChangeRule["approvers"]>): ChangeRule {
  return { name, match: ["**"], tags: [], approvers: { teams: [], users: [], ...approvers }, count: 1 };
}

function approve(by: string, id: number, at: string): ApprovalEvent {
  return { kind: "comment", id, by, command: { name: "approve", records: [] }, subject: S1, at };
}

function snapshot(rules: ChangeRule[], events: ApprovalEvent[], extra: Partial<ApprovalSnapshot> = {}): ApprovalSnapshot {
  return {
    evaluation: {
      subject: S1,
      demands: rules.map((r) => ({ rule: r, requirements: ["REQ-1"] })),
      changes: [{ id: "REQ-1", kind: "modified", record: "CR-2" }],
      records: [{ record: record("CR-2", ["REQ-1"]), kind: "added", fingerprint: "sha256:a" }],
    },
    author: "author",
    contributors: ["author"],
    changeControl: { allow_author: false, allow_contributors: false },
    events,
    permissions: new Map(),
    memberships: new Map(),
    ...extra,
  };
}

const safety = rule("safety board", { teams: ["@Acme/Safety"] });
const board = rule("requirements board", { permission: "maintain" });

describe("team memberships asked person by person", () => {
  it("names each (team, login) pair that decides a current approval, sorted, once", () => {
    const events = [approve("Sam", 1, "2025-01-01T00:00:00Z"), approve("olga", 2, "2025-01-01T00:01:00Z"), approve("author", 3, "2025-01-01T00:02:00Z")];
    const snap = snapshot([safety, rule("other", { teams: ["acme/safety"] })], events);
    expect(neededLookups(snap)).toEqual({
      permissions: [],
      memberships: [
        { team: "acme/safety", login: "olga" },
        { team: "acme/safety", login: "Sam" },
      ],
    });
  });

  it.each<[string, boolean | "error", string[], string]>([
    ["an active member approves", true, ["sam"], ""],
    ["a non-member does not", false, [], "not-approver"],
    ["a lookup error refuses that person only (fails closed)", "error", [], "unverified"],
  ])("%s", (_name, membership, approvedBy, refusal) => {
    const events = [approve("sam", 1, "2025-01-01T00:00:00Z"), approve("tom", 2, "2025-01-01T00:01:00Z")];
    const memberships = new Map([
      ["acme/safety sam", membership],
      ["acme/safety tom", true],
    ]);
    const result = evaluateApprovals(snapshot([safety], events, { memberships }));
    expect(result.rules[0]!.approvedBy).toEqual([...approvedBy, "tom"]);
    expect(result.rules[0]!.refused.map((r) => r.code)).toEqual(refusal === "" ? [] : [refusal]);
  });

  it("a membership not asked does not count (fails closed)", () => {
    const result = evaluateApprovals(snapshot([safety], [approve("sam", 1, "2025-01-01T00:00:00Z")]));
    expect(result.rules[0]!.approvedBy).toEqual([]);
    expect(result.rules[0]!.refused).toEqual([expect.objectContaining({ login: "sam", code: "unverified" })]);
  });
});

describe("permission: none", () => {
  it("someone without access is no approver; the reason says what the rule asks, not what they have", () => {
    const result = evaluateApprovals(snapshot([board], [approve("eve", 1, "2025-01-01T00:00:00Z")], { permissions: new Map([["eve", "none"]]) }));
    expect(result.rules[0]!.approvedBy).toEqual([]);
    expect(result.rules[0]!.refused).toEqual([expect.objectContaining({ login: "eve", code: "not-approver", reason: 'not an approver of "requirements board" (maintain permission or higher)' })]);
  });
});

