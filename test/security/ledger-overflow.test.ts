// SPEC 2.3 step 5, "nothing falls out of the record", when pull requests share a head commit and so its
// `reqgate/baseline` run: the run can carry only so many people's actions. An author with write access
// can open a second pull request on the victim's head and flood it (sockpuppet comments cost nothing).
// The victim's record must survive whole: a recorded revoke that fell out would let its (deleted) comment
// revive the approval, and a pusher who fell out could approve what they pushed.
import { describe, expect, it } from "@jest/globals";
import { ledgerFromSummary, ledgerMarker, MAX_LEDGER_PEOPLE, type ApprovalLedger } from "../../src/domain/approvals/ledger.js";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, mockPullReads, subjectOf, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const BOARD = "change_control:\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [maya] }\n";

function at(second: number): string {
  return new Date(Date.UTC(2026, 0, 1, 9, 0, second)).toISOString().replace(".000", "");
}

/** The victim, pull request #3 on the same head: maya revoked (her comment since deleted), pat pushed. */
function victimRecord(subject: string): ApprovalLedger {
  const approvals = Array.from({ length: 15 }, (_, i) => ({ pr: 3, by: `fan${i}`, via: "button" as const, id: 1002, at: at(30 + i), act: "approve" as const, subject }));
  return {
    entries: [{ pr: 3, by: "maya", via: "comment", id: 7100, at: at(1), act: "withdraw" }, ...approvals],
    pushers: [{ pr: 3, by: "pat" }],
  };
}

describe("a flooded pull request cannot push another pull request's record out of a shared run", () => {
  it("190 people acting on #2 keep #3's revoke and pusher in the run; #2, the largest record, is sealed and fails closed", async () => {
    const base = changingState({ config: BOARD });
    const subject = subjectOf(base);
    const victim = victimRecord(subject);
    const flood: NonNullable<PullState["comments"]> = Array.from({ length: 190 }, (_, i) => ({ id: 9000 + i, by: `puppet${i}`, body: "/reqgate revoke", createdAt: at(10) }));
    mockPullReads({
      ...base,
      comments: flood,
      headRuns: [{ id: 1002, name: "reqgate/baseline", conclusion: "ACTION_REQUIRED", title: "Waiting for 1 approval from board", summary: `${ledgerMarker(victim)}\n\nshown for #3`, externalId: `pr3:${subject}` }],
    });
    const sink = checkRunSink();
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    const written = sink.updated[0]!.body;
    expect(written.conclusion).toBe("failure");
    expect(written.output.title).toBe(`Could not evaluate: the approval record of this pull request outgrew its check run (over ${MAX_LEDGER_PEOPLE} people acted on the pull requests of this commit); it cannot be approved any more: open a new pull request; also waiting for 1 approval from board`);
    // What #3 recorded is all there, and #2 is remembered as sealed (its own entries are not kept).
    const carried = ledgerFromSummary(written.output.summary);
    expect(carried.entries.filter((e) => e.pr === 3)).toEqual(victim.entries);
    expect(carried.pushers).toEqual([{ pr: 3, by: "pat" }]);
    expect(carried.sealed).toEqual([2]);
    expect(carried.entries.some((e) => e.pr === 2)).toBe(false);
  });
});
