// SPEC 2.3 step 5: no amount of later activity (comments, commits, re-runs) can push a recorded approval
// or revoke out of what the App reads. The ledger keeps each person's latest action (one entry each, so
// only that person can replace it), and every head's run carries it; the latest earlier run is found
// however many commits were pushed at once.
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, NOW, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, subjectOf, type PullState } from "../helpers/github-pulls.js";
import { ledgerMarker } from "../../src/domain/approvals/ledger.js";
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

  describe("the run that carries the record is found however the head moved", () => {
    // maya approved in a review of the earlier head EARLIER, whose run reqgate wrote for #2, then revoked;
    // the author deleted her revoke comment. Only EARLIER's run remembers the revoke.
    const EARLIER = "0".repeat(39) + "e";
    function earlierRun() {
      const ledger = { entries: [{ pr: 2, by: "maya", via: "comment" as const, id: REVOKE, at: at(1), act: "withdraw" as const }] };
      return { oid: EARLIER, runs: [{ name: "reqgate/baseline", summary: `${ledgerMarker(ledger)}\n\nshown for #2` }] };
    }
    function reviewedEarlier(subject: string): NonNullable<PullState["reviews"]> {
      return [{ id: 80, by: "maya", state: "APPROVED", commit: EARLIER, at: at(0), runExternalId: `pr2:${subject}` }];
    }
    const noRun = (i: number) => ({ oid: (i + 1).toString(16).padStart(40, "b"), runs: [] });

    it("12 force-pushes the App never saw: the record on the head before them is still read", async () => {
      const base = changingState({ config: BOARD });
      const subject = subjectOf(base);
      // Strict nock: the one page of earlier force-pushes the helper answers must be read, and nothing else.
      mockPullReads({ ...base, reviews: reviewedEarlier(subject), forcePushed: [earlierRun(), ...Array.from({ length: 11 }, (_, i) => noRun(i))] });
      const sink = checkRunSink();
      sink.acceptCreates(2);

      await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

      const baseline = sink.byName("reqgate/baseline");
      expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
      expect(baseline.output.summary).toContain(`{"pr":2,"by":"maya","via":"comment","id":${REVOKE},"at":"${at(1)}","act":"withdraw"}`);
    });

    // Strict nock: the 9 earlier pages of commits the helper answers must all be read (1,000 commits in all, the head's included).
    it.each([
      ["1,000 commits pushed in one batch: the earlier head's record is read from the tenth page", 998, ["action_required", "Waiting for 1 approval from board"]],
      ["past 1,000 commits since the last run the check fails closed, saying why", 999, ["failure", "Could not evaluate: the pull request has more than 1000 commits; reqgate reads at most that many"]],
    ])("%s", async (_name, count, expected) => {
      const base = changingState({ config: BOARD });
      const pushed = Array.from({ length: count }, (_, i) => noRun(i));
      mockPullReads({ ...base, reviews: reviewedEarlier(subjectOf(base)), earlierRuns: [earlierRun(), ...pushed] });
      const sink = checkRunSink();
      sink.acceptCreates(2);

      await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

      const baseline = sink.byName("reqgate/baseline");
      expect([baseline.conclusion, baseline.output.title]).toEqual(expected);
    });
  });
});
