// SPEC 2.3 step 5: each person's latest action stands. A revoke, or a later "changes requested" review,
// withdraws that person's earlier approval; editing, deleting or dismissing the later action never
// revives the earlier approval.
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, type PullState } from "../helpers/github-pulls.js";
import { commentEvent, lastBaseline, reaction, runsOnHead } from "./scenario.js";

const app = useStrictProbot();

const BOARD = "change_control:\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [maya] }\n";
const REVIEWED = "2026-01-01T09:00:00Z";
const REVOKED = "2026-01-01T09:05:00Z";
const REVOKE = 7002;

function approvedByMaya(over: Partial<PullState> = {}): PullState {
  return changingState({ config: BOARD, reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: REVIEWED }], ...over });
}

/** maya approves in a review, then revokes with a comment: the App records the revoke. */
async function approveThenRevoke(sink: ReturnType<typeof checkRunSink>): Promise<void> {
  mockPullReads(approvedByMaya({ comments: [{ id: REVOKE, by: "maya", body: "/reqgate revoke", createdAt: REVOKED }] }));
  sink.acceptCreates(2);
  reaction(REVOKE);
  await deliver(app.probot, "issue_comment", commentEvent("created", REVOKE, "/reqgate revoke", "maya", REVOKED), "d1");
  expect([lastBaseline(sink).conclusion, lastBaseline(sink).output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
}

describe("each person's latest action stands", () => {
  it("a /reqgate revoke stays a revoke when its comment is later edited into /reqgate approve", async () => {
    const sink = checkRunSink();
    await approveThenRevoke(sink);

    mockPullReads(approvedByMaya({ headRuns: runsOnHead(sink), comments: [{ id: REVOKE, by: "maya", body: "/reqgate approve", createdAt: REVOKED, editedBy: "maya" }] }), { warm: true });
    await deliver(app.probot, "issue_comment", commentEvent("edited", REVOKE, "/reqgate approve", "maya", REVOKED, { changes: { body: { from: "/reqgate revoke" } } }), "d2");

    // Nothing to write: the run already says that maya's approval is withdrawn.
    expect(sink.updated).toEqual([]);
    expect(lastBaseline(sink).output.summary).toContain("| board | REQ\\-001 | ⏳ 0 of 1 | — | maya (not the author or anyone who pushed commits) |");
  });

  it("a /reqgate revoke stays a revoke when its comment is edited into anything else", async () => {
    const sink = checkRunSink();
    await approveThenRevoke(sink);

    mockPullReads(approvedByMaya({ headRuns: runsOnHead(sink), comments: [{ id: REVOKE, by: "maya", body: "never mind", createdAt: REVOKED, editedBy: "mallory" }] }), { warm: true });
    await deliver(app.probot, "issue_comment", commentEvent("edited", REVOKE, "never mind", "mallory", REVOKED, { changes: { body: { from: "/reqgate revoke" } } }), "d2");

    expect(sink.updated).toEqual([]);
    expect(lastBaseline(sink).conclusion).toBe("action_required");
  });

  it("a /reqgate revoke stays a revoke when its comment is deleted", async () => {
    const sink = checkRunSink();
    await approveThenRevoke(sink);

    mockPullReads(approvedByMaya({ headRuns: runsOnHead(sink), comments: [] }), { warm: true });
    await deliver(app.probot, "issue_comment", commentEvent("deleted", REVOKE, "/reqgate revoke", "maya", REVOKED), "d2");

    expect(sink.updated).toEqual([]);
    expect(lastBaseline(sink).conclusion).toBe("action_required");
  });

  it("a changes-requested review withdraws the earlier approval, and dismissing it does not revive it", async () => {
    const sink = checkRunSink();
    // GitHub rewrites a dismissed review's state to DISMISSED: what it said is gone.
    mockPullReads(approvedByMaya({ reviews: [
      { id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: REVIEWED },
      { id: 81, by: "maya", state: "DISMISSED", commit: HEAD, at: REVOKED },
    ] }));
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.dismissed"));

    const baseline = lastBaseline(sink);
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
    expect(baseline.output.summary).toContain("| board | REQ\\-001 | ⏳ 0 of 1 | — |");
  });

  it("a later approval stands again after a withdrawal", async () => {
    const sink = checkRunSink();
    mockPullReads(approvedByMaya({ reviews: [
      { id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: REVIEWED },
      { id: 81, by: "maya", state: "CHANGES_REQUESTED", commit: HEAD, at: REVOKED },
      { id: 82, by: "maya", state: "APPROVED", commit: HEAD, at: "2026-01-01T09:10:00Z" },
    ] }));
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    expect([lastBaseline(sink).conclusion, lastBaseline(sink).output.title]).toEqual(["success", "Approved: 1 requirement change (board)"]);
  });
});
