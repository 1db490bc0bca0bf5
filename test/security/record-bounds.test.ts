// SPEC 2.3 step 5: no amount of later activity (comments, commits, re-runs) can push a recorded approval
// or revoke out of what the App reads. The ledger keeps each person's latest action (one entry each, so
// only that person can replace it), and every head's run carries it; the latest earlier run is found
// however many commits were pushed at once.
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, NOW, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, type PullState } from "../helpers/github-pulls.js";
import { commentEvent, lastBaseline, pressEvent, reaction, runsOnHead } from "./scenario.js";

const app = useStrictProbot();

const BOARD = "change_control:\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [maya] }\n";
const REVOKE = 7100;

function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString().replace(".000", "");
}

describe("nothing falls out of the record", () => {
  it("over 100 later comments do not push a recorded revoke out of what the App reads", async () => {
    const sink = checkRunSink();
    const comments: NonNullable<PullState["comments"]> = [{ id: REVOKE, by: "maya", body: "/reqgate revoke", createdAt: at(1) }];
    const state = (): PullState => changingState({ config: BOARD, reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: at(0) }], comments: [...comments], headRuns: runsOnHead(sink) });

    // maya approved in a review, then revoked; then she deletes the revoke comment.
    mockPullReads(state());
    sink.acceptCreates(2);
    reaction(REVOKE);
    await deliver(app.probot, "issue_comment", commentEvent("created", REVOKE, "/reqgate revoke", "maya", at(1)), "d0");
    comments.splice(0, 1);

    // 101 other people comment `/reqgate revoke`, one after the other (each is recorded as it comes).
    for (let i = 0; i < 101; i++) {
      const id = 8000 + i;
      comments.push({ id, by: `user${i}`, body: "/reqgate revoke", createdAt: at(2 + i) });
      mockPullReads(state(), { warm: true });
      sink.acceptUpdates(1);
      reaction(id);
      await deliver(app.probot, "issue_comment", commentEvent("created", id, "/reqgate revoke", `user${i}`, at(2 + i)), `d${i + 1}`);
    }

    const baseline = lastBaseline(sink);
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
    expect(baseline.output.summary).toContain(`{"pr":2,"by":"maya","via":"comment","id":${REVOKE},"at":"${at(1)}","act":"withdraw"}`);
  }, 120_000);

  it("commits pushed in one batch of any size keep the approvals recorded on the earlier head", async () => {
    const EARLIER = "0".repeat(39) + "e";
    const sink = checkRunSink();
    // The pull request is opened on the earlier head; maya presses Approve on its run.
    const earlier = changingState({ config: BOARD, headSha: EARLIER });
    mockPullReads(earlier);
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", fixture("pull_request.opened"), "d0");
    mockPullReads({ ...earlier, headRuns: runsOnHead(sink) }, { warm: true });
    sink.acceptUpdates(1);
    await deliver(app.probot, "check_run", pressEvent(lastBaseline(sink).external_id!, "maya", { head_sha: EARLIER }), "d1");
    expect(lastBaseline(sink).conclusion).toBe("success");

    // 150 commits pushed at once that leave requirements alone: the earlier head is 151st from the last.
    const pushed = Array.from({ length: 150 }, (_, i) => ({ oid: (i + 1).toString(16).padStart(40, "a"), runs: [] }));
    const later: PullState = { ...changingState({ config: BOARD }), earlierRuns: [{ oid: EARLIER, runs: runsOnHead(sink).map((r) => ({ name: r.name, summary: r.summary! })) }, ...pushed] };
    mockPullReads(later, { warm: true });
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"), "d2");

    const baseline = sink.created.filter((b) => b.head_sha === HEAD && b.name === "reqgate/baseline").at(-1)!;
    expect([baseline.conclusion, baseline.output.title]).toEqual(["success", "Approved: 1 requirement change (board)"]);
    expect(baseline.output.summary).toContain(`"by":"maya","via":"button","id":1002,"at":"${NOW}","act":"approve"`);
  });
});
