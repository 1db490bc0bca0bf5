// Table-driven approval tests in the style of policy-bot's approve_test.go: one snapshot per row, no mocks.
import { describe, expect, it } from "@jest/globals";
import { evaluateApprovals, neededLookups, type ApprovalEvent, type ApprovalSnapshot, type Lookup } from "../../../src/domain/approvals/approvals.js";
import type { ChangeRule, Permission } from "../../../src/domain/config/config.js";
import { record } from "../helpers.js";

const S1 = "sha256:subject-1";
const S2 = "sha256:subject-2";

function rule(name: string, approvers: Partial<ChangeRule["approvers"]>, count = 1): ChangeRule {
  return { name, match: ["**"], tags: [], approvers: { teams: [], users: [], ...approvers }, count };
}

const board = rule("requirements board", { permission: "maintain" });
const safety = rule("safety board", { teams: ["@acme/safety"] }, 2);
const named = rule("named", { users: ["Carol"] });

interface Row {
  name: string;
  rules?: ChangeRule[];
  events: ApprovalEvent[];
  permissions?: Record<string, Lookup<Permission>>;
  teams?: Record<string, Lookup<string[]>>;
  allowAuthor?: boolean;
  allowContributors?: boolean;
  /** Approvers per rule, by rule name. */
  approvedBy: Record<string, string[]>;
  satisfied: boolean;
  stale?: string[];
  /** "login:code" for every refusal, over all rules. */
  refused?: string[];
  /** A substring of some refusal or stale reason. */
  says?: string;
  tampered?: Array<{ login: string; editedBy: string }>;
}

let clock = 0;
function at(): string {
  clock += 60_000;
  return new Date(Date.UTC(2025, 0, 1) + clock).toISOString();
}
/** A review; `subject: null` for a reviewed commit whose content the App could not compute. */
function review(by: string, state: "APPROVED" | "DISMISSED" | "CHANGES_REQUESTED" | "COMMENTED", subject: string | null = S1): ApprovalEvent {
  return { kind: "review", id: clock, by, state, commit: "0123456789abcdef", ...(subject !== null ? { subject } : {}), at: at() };
}
function approve(by: string, records: string[] = [], extra: { subject?: string; edited?: { by?: string } } = {}): ApprovalEvent {
  return { kind: "comment", id: clock, by, command: { name: "approve", records }, subject: S1, at: at(), ...extra };
}
function revoke(by: string): ApprovalEvent {
  return { kind: "comment", id: clock, by, command: { name: "revoke" }, subject: S1, at: at() };
}
function button(by: string, subject = S1): ApprovalEvent {
  return { kind: "button", checkRun: 7, by, subject, at: at() };
}

/** The per-person lookups the App would make for `row.teams` ("org/slug login", lower case). */
function membershipsOf(row: Row): Map<string, Lookup<boolean>> {
  const memberships = new Map<string, Lookup<boolean>>();
  for (const [team, members] of Object.entries(row.teams ?? {})) {
    for (const { by } of row.events) {
      const login = by.toLowerCase();
      memberships.set(`${team} ${login}`, members === "error" ? "error" : members.some((m) => m.toLowerCase() === login));
    }
  }
  return memberships;
}

function snapshot(row: Row): ApprovalSnapshot {
  const rules = row.rules ?? [board];
  return {
    evaluation: {
      subject: S1,
      demands: rules.map((r) => ({ rule: r, requirements: ["REQ-1", "REQ-2"] })),
      changes: [
        { id: "REQ-1", kind: "modified", record: "CR-2" },
        { id: "REQ-2", kind: "added", record: "CR-3" },
      ],
      records: [
        { record: record("CR-2", ["REQ-1"]), kind: "added", fingerprint: "sha256:a" },
        { record: record("CR-3", ["REQ-2"]), kind: "added", fingerprint: "sha256:b" },
      ],
    },
    author: "Author",
    contributors: ["author", "pusher"],
    changeControl: { allow_author: row.allowAuthor ?? false, allow_contributors: row.allowContributors ?? false },
    events: row.events,
    permissions: new Map(Object.entries(row.permissions ?? {})),
    memberships: membershipsOf(row),
  };
}

const rows: Row[] = [
  { name: "nobody approved", events: [], approvedBy: { "requirements board": [] }, satisfied: false },
  {
    name: "a maintainer's review approves",
    events: [review("maya", "APPROVED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "the author cannot approve",
    events: [review("author", "APPROVED")],
    permissions: { author: "admin" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["author:author"],
  },
  {
    name: "the author can approve with allow_author (when not also a contributor who is excluded)",
    events: [approve("Author")],
    permissions: { Author: "admin" },
    allowAuthor: true,
    allowContributors: true,
    approvedBy: { "requirements board": ["Author"] },
    satisfied: true,
  },
  {
    name: "a contributor cannot approve",
    events: [approve("pusher")],
    permissions: { pusher: "admin" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["pusher:contributor"],
  },
  {
    name: "a contributor can approve with allow_contributors",
    events: [approve("pusher")],
    permissions: { pusher: "admin" },
    allowContributors: true,
    approvedBy: { "requirements board": ["pusher"] },
    satisfied: true,
  },
  {
    name: "a team member can approve",
    rules: [rule("safety board", { teams: ["@Acme/Safety"] })],
    events: [approve("sam")],
    teams: { "acme/safety": ["Sam"] },
    approvedBy: { "safety board": ["sam"] },
    satisfied: true,
  },
  {
    name: "someone outside the team cannot",
    rules: [rule("safety board", { teams: ["acme/safety"] })],
    events: [approve("olga")],
    teams: { "acme/safety": ["sam"] },
    approvedBy: { "safety board": [] },
    satisfied: false,
    refused: ["olga:not-approver"],
  },
  {
    name: "a read-only user cannot approve under permission: maintain",
    events: [review("rita", "APPROVED")],
    permissions: { rita: "read" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["rita:not-approver"],
    says: "(maintain permission or higher)",
  },
  {
    name: "a permission API error refuses (fails closed)",
    events: [review("maya", "APPROVED")],
    permissions: { maya: "error" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["maya:unverified"],
    says: "could not verify",
  },
  {
    name: "a team API error refuses (fails closed)",
    rules: [rule("safety board", { teams: ["acme/safety"] })],
    events: [approve("sam")],
    teams: { "acme/safety": "error" },
    approvedBy: { "safety board": [] },
    satisfied: false,
    refused: ["sam:unverified"],
  },
  {
    name: "a lookup the App did not make refuses too",
    events: [approve("maya")],
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["maya:unverified"],
  },
  {
    name: "a listed user needs no lookup",
    rules: [named],
    events: [approve("carol")],
    approvedBy: { named: ["carol"] },
    satisfied: true,
  },
  {
    name: "a dismissed review does not count",
    events: [review("maya", "DISMISSED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
  },
  {
    name: "a review then changes requested withdraws",
    events: [review("maya", "APPROVED"), review("maya", "CHANGES_REQUESTED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
  },
  {
    name: "changes requested then a new approval counts again",
    events: [review("maya", "CHANGES_REQUESTED"), review("maya", "APPROVED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "changes requested withdraws a comment approval too",
    events: [approve("maya"), review("maya", "CHANGES_REQUESTED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
  },
  {
    // GitHub does not say what a dismissed review was: it may have requested changes (fail closed).
    name: "a later dismissed review withdraws the reviewer's earlier comment approval",
    events: [approve("maya"), review("maya", "DISMISSED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
  },
  {
    name: "an approval after a dismissed review stands",
    events: [review("maya", "DISMISSED"), approve("maya")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "the author cannot approve even when listed by login",
    rules: [rule("named", { users: ["author"] })],
    events: [approve("author")],
    approvedBy: { named: [] },
    satisfied: false,
    refused: ["author:author"],
  },
  {
    name: "a commented review changes nothing",
    events: [review("maya", "APPROVED"), review("maya", "COMMENTED")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "a code-only push (same subject, new commit) keeps the approval",
    events: [{ kind: "review", id: 1, by: "maya", state: "APPROVED", commit: "aaaaaaa1", subject: S1, at: at() }],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "a requirement push (new subject) makes the approval stale and names it",
    events: [review("maya", "APPROVED", S2)],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    stale: ["maya"],
    says: "approved an earlier version at commit 0123456",
  },
  {
    name: "a review whose content is unknown is stale",
    events: [review("maya", "APPROVED", null)],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    stale: ["maya"],
    says: "could not be determined",
  },
  {
    // Each person's latest action stands: approving other content later is what counts (and is stale).
    name: "a later approval of other content replaces an approval of the current content",
    events: [button("maya", S1), approve("maya", [], { subject: S2 })],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    stale: ["maya"],
  },
  {
    name: "an edited comment does not approve",
    events: [approve("maya", [], { edited: { by: "maya" } })],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["maya:edited"],
    says: "edited comments do not approve",
  },
  {
    name: "an approval comment edited by someone else is voided and names the editor",
    events: [approve("maya", [], { edited: { by: "mallory" } })],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["maya:edited"],
    says: "edited by mallory",
    tampered: [{ login: "maya", editedBy: "mallory" }],
  },
  {
    name: "revoke withdraws every earlier approval of the revoker",
    events: [review("maya", "APPROVED"), button("maya"), revoke("maya")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
  },
  {
    name: "revoke withdraws only the revoker's approvals",
    events: [review("maya", "APPROVED"), revoke("mike")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "approving after a revoke counts",
    events: [approve("maya"), revoke("maya"), button("maya")],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "a bot is ignored",
    events: [review("renovate[bot]", "APPROVED"), approve("github-actions[bot]")],
    permissions: { "renovate[bot]": "admin", "github-actions[bot]": "admin" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["github-actions[bot]:bot", "renovate[bot]:bot"],
  },
  {
    name: "an unknown change record is named and the approval does not count",
    events: [approve("maya", ["CR-2", "CR-99"])],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["maya:unknown-record"],
    says: "CR-99",
  },
  {
    name: "approving the records that cover a rule's requirements counts",
    events: [approve("maya", ["CR-2", "CR-3"])],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": ["maya"] },
    satisfied: true,
  },
  {
    name: "approving one record does not approve requirements another record changes",
    events: [approve("maya", ["CR-2"])],
    permissions: { maya: "maintain" },
    approvedBy: { "requirements board": [] },
    satisfied: false,
    refused: ["maya:out-of-scope"],
    says: "do not cover REQ-2",
  },
  {
    name: "count: 2 needs two distinct people",
    rules: [safety],
    events: [approve("sam"), review("sam", "APPROVED"), button("sam")],
    teams: { "acme/safety": ["sam", "sue"] },
    approvedBy: { "safety board": ["sam"] },
    satisfied: false,
  },
  {
    name: "count: 2 is met by two people",
    rules: [safety],
    events: [approve("sam"), review("sue", "APPROVED")],
    teams: { "acme/safety": ["sam", "sue"] },
    approvedBy: { "safety board": ["sam", "sue"] },
    satisfied: true,
  },
  {
    name: "one person approving satisfies every rule they qualify for",
    rules: [board, rule("safety board", { teams: ["acme/safety"] }), named],
    events: [approve("carol")],
    permissions: { carol: "admin" },
    teams: { "acme/safety": ["carol"] },
    approvedBy: { "requirements board": ["carol"], "safety board": ["carol"], named: ["carol"] },
    satisfied: true,
  },
  {
    name: "one person qualifying for some rules only leaves the others missing",
    rules: [board, rule("safety board", { teams: ["acme/safety"] })],
    events: [approve("maya")],
    permissions: { maya: "maintain" },
    teams: { "acme/safety": ["sam"] },
    approvedBy: { "requirements board": ["maya"], "safety board": [] },
    satisfied: false,
    refused: ["maya:not-approver"],
  },
];

describe("evaluateApprovals", () => {
  it.each(rows.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const result = evaluateApprovals(snapshot(row));
    expect(Object.fromEntries(result.rules.map((r) => [r.rule.name, r.approvedBy]))).toEqual(row.approvedBy);
    expect(result.satisfied).toBe(row.satisfied);
    expect([...new Set(result.rules.flatMap((r) => r.stale.map((s) => s.login)))]).toEqual(row.stale ?? []);
    expect([...new Set(result.rules.flatMap((r) => r.refused.map((s) => `${s.login}:${s.code}`)))].sort()).toEqual(row.refused ?? []);
    const reasons = result.rules.flatMap((r) => [...r.stale, ...r.refused].map((s) => s.reason));
    expect(row.says === undefined || reasons.some((reason) => reason.includes(row.says!))).toBe(true);
    expect(result.tampered.map((t) => ({ login: t.login, editedBy: t.editedBy }))).toEqual(row.tampered ?? []);
  });

  it("says how many approvals each unmet rule still needs, and who may give them", () => {
    const row: Row = { name: "", rules: [board, safety, named], events: [approve("sam")], teams: { "acme/safety": ["sam"] }, permissions: { sam: "write" }, approvedBy: {}, satisfied: false };
    const result = evaluateApprovals(snapshot(row));
    expect(result.missing).toEqual([
      { rule: "requirements board", remaining: 1 },
      { rule: "safety board", remaining: 1 },
      { rule: "named", remaining: 1 },
    ]);
    expect(result.rules.map((r) => r.mayStillApprove)).toEqual([
      { users: [], teams: [], permission: "maintain", excludesAuthor: true, excludesContributors: true },
      { users: [], teams: ["acme/safety"], excludesAuthor: true, excludesContributors: true },
      { users: ["Carol"], teams: [], excludesAuthor: true, excludesContributors: true },
    ]);
  });

  it("orders events by time, not by the order they were given in", () => {
    const approveLate: ApprovalEvent = { kind: "comment", id: 2, by: "maya", command: { name: "approve", records: [] }, subject: S1, at: "2025-02-01T00:00:00Z" };
    const revokeEarly: ApprovalEvent = { kind: "comment", id: 1, by: "maya", command: { name: "revoke" }, subject: S1, at: "2025-01-01T00:00:00Z" };
    const result = evaluateApprovals(snapshot({ name: "", events: [approveLate, revokeEarly], permissions: { maya: "maintain" }, approvedBy: {}, satisfied: true }));
    expect(result.rules[0]!.approvedBy).toEqual(["maya"]);
  });

  it("an edited revoke still revokes", () => {
    const approved = review("maya", "APPROVED");
    const edited: ApprovalEvent = { kind: "comment", id: 9, by: "maya", command: { name: "revoke" }, at: at(), edited: { by: "maya" } };
    const result = evaluateApprovals(snapshot({ name: "", events: [approved, edited], permissions: { maya: "maintain" }, approvedBy: {}, satisfied: false }));
    expect(result.satisfied).toBe(false);
  });
});

describe("neededLookups", () => {
  const base = (row: Partial<Row> & { events: ApprovalEvent[] }) => {
    const full: Partial<ApprovalSnapshot> = snapshot({ name: "", approvedBy: {}, satisfied: false, ...row });
    delete full.permissions;
    delete full.memberships;
    return full as Omit<ApprovalSnapshot, "permissions" | "memberships">;
  };

  it("asks for nothing when nobody approved", () => {
    expect(neededLookups(base({ rules: [board, safety], events: [review("maya", "COMMENTED")] }))).toEqual({ permissions: [], memberships: [] });
  });

  it("asks for nothing when the change needs no approval", () => {
    const snap = base({ events: [approve("maya")] });
    expect(neededLookups({ ...snap, evaluation: { ...snap.evaluation, demands: [] } })).toEqual({ permissions: [], memberships: [] });
  });

  it("asks only about current, possibly eligible approvers", () => {
    const events = [
      approve("maya"),
      approve("sam"),
      review("author", "APPROVED"), // the author: refused without a lookup
      review("pusher", "APPROVED"), // a contributor
      review("old", "APPROVED", S2), // stale
      approve("dependabot[bot]"), // a bot
      approve("ed", [], { edited: { by: "ed" } }), // edited
      approve("carol"), // listed by login in every rule below that has users
    ];
    expect(neededLookups(base({ rules: [board, safety, named], events }))).toEqual({ permissions: ["carol", "maya", "sam"], memberships: [{ team: "acme/safety", login: "carol" }, { team: "acme/safety", login: "maya" }, { team: "acme/safety", login: "sam" }] });
    expect(neededLookups(base({ rules: [named], events }))).toEqual({ permissions: [], memberships: [] });
  });
});

