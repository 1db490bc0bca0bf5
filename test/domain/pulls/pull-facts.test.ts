import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../../src/domain/config/config.js";
import { evaluateChange } from "../../../src/domain/baseline/evaluate-change.js";
import { evaluateDriftCheck } from "../../../src/domain/pulls/drift.js";
import { evaluateTrace, invalidConfigTrace } from "../../../src/domain/pulls/trace-check.js";
import { waiversFromSummary, waiverMarker } from "../../../src/domain/pulls/waiver.js";
import { diagnostic } from "../../../src/domain/core/diagnostic.js";
import { approvalCommand, approvalEvents, contributorsOf, mergeGroupPull, planReads, type ChangedFile } from "../../../src/domain/pulls/pull-facts.js";
import { classifier } from "../../../src/domain/config/paths.js";

const config = parseConfig({}).config!;
const roles = classifier(config);
const SHA = "a".repeat(40);

describe("planReads", () => {
  it("reads only requirement files, change records and the lock, at the sides that exist", () => {
    const files: ChangedFile[] = [
      { path: "src/app.ts", status: "modified", sha: SHA },
      { path: "requirements/auth/REQ-1.yml", status: "modified", sha: SHA },
      { path: "requirements/REQ-2.yml", status: "added", sha: "b".repeat(40) },
      { path: "requirements/REQ-3.yml", status: "removed" },
      { path: "requirements/changes/CR-2.yml", status: "added", sha: "c".repeat(40) },
      { path: "requirements/baseline.lock", status: "modified", sha: "d".repeat(40) },
      { path: "requirements/notes.md", status: "added" },
    ];
    expect(planReads(files, roles)).toEqual({
      requirements: [
        { path: "requirements/REQ-2.yml", base: false, head: true, headSha: "b".repeat(40) },
        { path: "requirements/REQ-3.yml", base: true, head: false },
        { path: "requirements/auth/REQ-1.yml", base: true, head: true, headSha: SHA },
      ],
      records: [{ path: "requirements/changes/CR-2.yml", base: false, head: true, headSha: "c".repeat(40) }],
      lock: { change: "written", headSha: "d".repeat(40) },
    });
  });

  it("pairs a rename by path, as the CLI does: the old path at the base, the new one at the head", () => {
    const plan = planReads([{ path: "requirements/new/REQ-1.yml", previousPath: "requirements/REQ-1.yml", status: "renamed", sha: SHA }], roles);
    expect(plan.requirements).toEqual([
      { path: "requirements/REQ-1.yml", base: true, head: false },
      { path: "requirements/new/REQ-1.yml", base: false, head: true, headSha: SHA },
    ]);
  });

  it("notes a removed lock, reads nothing for a changed configuration, and ignores a malformed blob SHA", () => {
    const plan = planReads(
      [
        { path: "requirements/baseline.lock", status: "removed" },
        { path: ".github/reqgate.yml", status: "modified" },
        { path: "requirements/REQ-1.yml", status: "modified", sha: "not-a-sha" },
      ],
      roles,
    );
    expect(plan).toEqual({ requirements: [{ path: "requirements/REQ-1.yml", base: true, head: true }], records: [], lock: { change: "removed" } });
  });
});

describe("approvalEvents", () => {
  const subjects: Record<string, string> = { c1: "sha256:s1" };
  const subjectAt = (commit: string) => subjects[commit];

  it("maps reviews (pending ones skipped) and approval comments; the ledger adds subjects and presses", () => {
    const entries = [
      { pr: 2, by: "carl", via: "comment" as const, id: 7, at: "2025-01-02T00:00:00Z", act: "approve" as const, subject: "sha256:s1" },
      { pr: 2, by: "sue", via: "button" as const, id: 3, at: "2025-01-03T00:00:00Z", act: "approve" as const, subject: "sha256:s1" },
    ];
    const events = approvalEvents(
      [
        { id: 1, by: "maya", state: "APPROVED", commit: "c1", at: "2025-01-01T00:00:00Z" },
        { id: 2, by: "rita", state: "APPROVED", commit: "c0", at: "2025-01-01T00:00:00Z" },
        { id: 3, by: "pete", state: "PENDING", commit: "c1" },
      ],
      [
        { id: 7, by: "carl", bot: false, body: "LGTM\n/reqgate approve CR-2", createdAt: "2025-01-02T00:00:00Z" },
        { id: 8, by: "dora", bot: false, body: "/reqgate approve\n/reqgate revoke", createdAt: "2025-01-02T00:00:00Z", edited: { by: "dora" } },
        { id: 9, by: "ci[bot]", bot: true, body: "/reqgate approve", createdAt: "2025-01-02T00:00:00Z" },
        { id: 10, by: "ed", bot: false, body: "> /reqgate approve\nquoted", createdAt: "2025-01-02T00:00:00Z" },
      ],
      subjectAt,
      entries,
    );
    expect(events).toEqual([
      { kind: "review", id: 1, by: "maya", state: "APPROVED", commit: "c1", at: "2025-01-01T00:00:00Z", subject: "sha256:s1" },
      { kind: "review", id: 2, by: "rita", state: "APPROVED", commit: "c0", at: "2025-01-01T00:00:00Z" },
      { kind: "comment", id: 7, by: "carl", command: { name: "approve", records: ["CR-2"] }, at: "2025-01-02T00:00:00Z", subject: "sha256:s1" },
      { kind: "comment", id: 8, by: "dora", command: { name: "revoke" }, at: "2025-01-02T00:00:00Z" },
      { kind: "button", checkRun: 3, by: "sue", subject: "sha256:s1", at: "2025-01-03T00:00:00Z" },
    ]);
  });

  it("a recorded revoke stays a revoke whatever its comment says now, or when it is gone; a recorded approval whose comment is gone withdraws", () => {
    const entries = [
      { pr: 2, by: "maya", via: "comment" as const, id: 7, at: "2025-01-02T00:00:00Z", act: "withdraw" as const },
      { pr: 2, by: "olga", via: "comment" as const, id: 8, at: "2025-01-02T00:00:00Z", act: "withdraw" as const },
      { pr: 2, by: "carl", via: "comment" as const, id: 9, at: "2025-01-02T00:00:00Z", act: "approve" as const, subject: "sha256:s1" },
      { pr: 2, by: "rita", via: "review" as const, id: 5, at: "2025-01-01T00:00:00Z", act: "approve" as const, subject: "sha256:s1" },
    ];
    const events = approvalEvents(
      [{ id: 5, by: "rita", state: "APPROVED", commit: "c9", at: "2025-01-01T00:00:00Z" }],
      [{ id: 7, by: "maya", bot: false, body: "/reqgate approve", createdAt: "2025-01-02T00:00:00Z", edited: { by: "maya" } }],
      () => undefined,
      entries,
    );
    expect(events).toEqual([
      // The recorded subject wins over what the commit's run says now (nothing here).
      { kind: "review", id: 5, by: "rita", state: "APPROVED", commit: "c9", at: "2025-01-01T00:00:00Z", subject: "sha256:s1" },
      { kind: "comment", id: 7, by: "maya", command: { name: "revoke" }, at: "2025-01-02T00:00:00Z" },
      { kind: "comment", id: 8, by: "olga", command: { name: "revoke" }, at: "2025-01-02T00:00:00Z" },
      { kind: "comment", id: 9, by: "carl", command: { name: "revoke" }, at: "2025-01-02T00:00:00Z" },
    ]);
  });

  it("approvalCommand ignores code blocks and other commands", () => {
    expect(approvalCommand({ bot: false, body: "```\n/reqgate approve\n```" })).toBeUndefined();
    expect(approvalCommand({ bot: false, body: "/reqgate recheck" })).toBeUndefined();
    expect(approvalCommand({ bot: false, body: "/reqgate approve CR-1, CR-2" })).toEqual({ name: "approve", records: ["CR-1", "CR-2"] });
  });
});

describe("contributorsOf and mergeGroupPull", () => {
  it("collects distinct logins, not GitHub's web-flow committer", () => {
    expect(contributorsOf([{ logins: ["Alice", "web-flow"] }, { logins: ["bob", "alice"] }])).toEqual(["Alice", "bob"]);
  });

  it("finds the pull request of a merge-queue branch", () => {
    expect(mergeGroupPull("refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64")).toBe(104);
    expect(mergeGroupPull("refs/heads/main")).toBeUndefined();
  });
});

describe("the trace check's waiver", () => {
  const pull = { number: 2, title: "Update the README", body: "", author: "octocat", labels: [] };
  const waiver = { pr: 2, by: "maya", reason: "docs only <!-- x --> & more", at: "2025-01-01T00:00:00Z", comment: 5 };

  it("turns an untraced pull request neutral with who and why, and is carried first in the summary", () => {
    const check = evaluateTrace({ config, pull, linkedIssues: [], baseline: new Map(), waiver })!;
    expect([check.conclusion, check.title]).toEqual(["neutral", "Exempt: waived by maya: docs only <!-- x --> & more"]);
    expect(check.summary.startsWith(`<!-- reqgate:waiver `)).toBe(true);
    expect(waiversFromSummary(check.summary)).toEqual([waiver]);
    expect(check.summary.split("-->")[0]).not.toContain("<!-- x");
  });

  it("changes nothing for a traced pull request but stays on record", () => {
    const check = evaluateTrace({ config, pull: { ...pull, body: "REQ-1" }, linkedIssues: [], baseline: new Map([["REQ-1", { status: "active" as const, title: "T" }]]), waiver })!;
    expect(check.conclusion).toBe("success");
    expect(waiversFromSummary(check.summary)).toEqual([waiver]);
  });

  it("reads no waiver from anywhere but the very start, nor a malformed one", () => {
    expect(waiversFromSummary(`text\n${waiverMarker([waiver])}`)).toEqual([]);
    expect(waiversFromSummary(`<!-- reqgate:waiver {"waivers":[{"pr":2,"by":"x","reason":"r","at":"t","comment":-1}]} -->`)).toEqual([]);
    // A waiver written before waivers named their pull request cannot be attributed: none.
    expect(waiversFromSummary(`<!-- reqgate:waiver {"by":"x","reason":"r","at":"t","comment":1} -->`)).toEqual([]);
    expect(waiversFromSummary(`<!-- reqgate:waiver {nope -->`)).toEqual([]);
    expect(waiversFromSummary(undefined)).toEqual([]);
  });
});

describe("checks that cannot evaluate", () => {
  it("an invalid configuration fails the trace check and points at reqgate/baseline", () => {
    const result = invalidConfigTrace([diagnostic({ code: "config-invalid", file: ".github/reqgate.yml", message: "x" })]);
    expect([result.conclusion, result.title]).toEqual(["failure", "Invalid configuration: 1 problem in .github/reqgate.yml"]);
  });

  it("a drift check that could not read everything fails closed and says why", () => {
    const result = evaluateDriftCheck(evaluateChange({ config, requirementFiles: [], recordFiles: [] }), undefined, ["the push changes more than 300 files"]);
    expect([result.conclusion, result.title]).toEqual(["failure", "Could not evaluate: the push changes more than 300 files"]);
  });
});

describe("renderApprovalReply", () => {
  it("says why an approval comment does not count and who may approve; nothing when it counts", async () => {
    const { renderApprovalReply } = await import("../../../src/domain/approvals/approval-reply.js");
    const rule = config.change_control.rules[0]!;
    const base = { subject: "s", satisfied: false, missing: [], tampered: [] };
    const refused = { rule, requirements: ["REQ-1"], needed: 1, approvedBy: [], satisfied: false, stale: [], mayStillApprove: { users: [], teams: [], excludesAuthor: true, excludesContributors: true } };
    const reply = renderApprovalReply(9, "@mallory", {
      ...base,
      rules: [{ ...refused, refused: [{ login: "@mallory", via: "comment", code: "author", reason: "the author of the pull request cannot approve it" }] }],
    });
    expect(reply).toBe(
      "<!-- reqgate:reply 9 -->\n`/reqgate approve` by @\u200dmallory does not count:\n\n- requirements board: the author of the pull request cannot approve it. It may be approved by maintain permission or higher.",
    );
    expect(renderApprovalReply(9, "maya", { ...base, rules: [{ ...refused, refused: [], approvedBy: ["maya"] }] })).toBeUndefined();
  });
});
