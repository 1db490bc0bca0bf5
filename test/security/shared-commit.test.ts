// SPEC 2.4: a waiver, an approval and a button press belong to one pull request, never carried to another
// one that shares a commit. GitHub keeps check runs per commit, so two pull requests with one head share
// reqgate's runs; what is recorded in them names its pull request. Here PR #2 is evaluated, and #3 has
// the same head.
import { describe, expect, it } from "@jest/globals";
import { ledgerMarker } from "../../src/domain/approvals/ledger.js";
import { waiverMarker } from "../../src/domain/pulls/waiver.js";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, mockPullReads, subjectOf } from "../helpers/github-pulls.js";
import { pressEvent } from "./scenario.js";

const app = useStrictProbot();

const BOARD = "change_control:\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [maya] }\n";
const OLD = "1111111111111111111111111111111111111111";

describe("one pull request's record never counts on another that shares a commit", () => {
  it("an Approve press on the run as it showed pull request #3 does not approve #2", async () => {
    const state = changingState({ config: BOARD });
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    // The same content, so the same subject: only the pull request differs.
    await deliver(app.probot, "check_run", pressEvent(`pr3:${subjectOf(state)}`, "maya", { pull_requests: (fixture("check_run.requested_action").check_run as { pull_requests: unknown[] }).pull_requests }));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
    expect(baseline.output.summary).toContain("| board | REQ\\-001 | ⏳ 0 of 1 | — |");
  });

  it("approvals recorded for #3 in the shared run do not count for #2, and are kept for #3", async () => {
    const state = changingState({ config: BOARD });
    const theirs = { entries: [{ pr: 3, by: "maya", via: "button" as const, id: 1002, at: "2026-01-01T09:00:00Z", act: "approve" as const, subject: subjectOf(state) }] };
    state.headRuns = [{ id: 1002, name: "reqgate/baseline", conclusion: "SUCCESS", title: "Approved: 1 requirement change (board)", summary: `${ledgerMarker(theirs)}\n\nshown for #3`, externalId: `pr3:${subjectOf(state)}` }];
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    const update = sink.updated[0]!.body;
    expect([update.conclusion, update.output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
    expect(update.output.summary.startsWith(ledgerMarker(theirs))).toBe(true);
  });

  it("a review's recorded subject counts only for the pull request it was recorded for", async () => {
    const state = changingState({ config: BOARD });
    // maya reviewed an earlier commit whose run reqgate last wrote for #3.
    mockPullReads({ ...state, reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: OLD, at: "2026-01-01T09:00:00Z", runExternalId: `pr3:${subjectOf(state)}` }] });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    expect(sink.byName("reqgate/baseline").output.summary).toContain("maya (review): approved commit 1111111, whose content could not be determined; approve again");
  });

  it("a waiver of #3 in the shared trace run does not waive #2, and stays on record for #3", async () => {
    const waiver = { pr: 3, by: "maya", reason: "release tooling only", at: "2026-01-01T09:00:00Z", comment: 55 };
    mockPullReads({ body: "Quick fix", closingIssues: [], headRuns: [{ id: 1001, name: "reqgate/trace", conclusion: "NEUTRAL", title: "Exempt: waived by maya: release tooling only", summary: `${waiverMarker([waiver])}\n\nshown for #3` }] });
    const sink = checkRunSink();
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    const trace = sink.updated[0]!.body;
    expect(trace.conclusion).toBe("failure");
    expect(trace.output.summary.startsWith(waiverMarker([waiver]))).toBe(true);
  });
});
