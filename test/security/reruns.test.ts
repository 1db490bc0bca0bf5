// SPEC 2.3: nothing falls out of the record, re-runs included. A re-run (`check_run.rerequested`,
// `check_suite.rerequested`) evaluates the pull request as it is now, on its current head, with the
// approvals the record carries: however many re-runs, an approval made with the Approve button (which
// GitHub keeps nowhere) stands, and a re-run of an earlier head's run never writes to that old run.
import { describe, expect, it } from "@jest/globals";
import { ledgerFromSummary } from "../../src/domain/approvals/ledger.js";
import { deliver, fixture, NOW, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, permission, subjectOf, type PullState } from "../helpers/github-pulls.js";
import { lastBaseline, pressEvent, runsOnHead, type Sink } from "./scenario.js";

const app = useStrictProbot();

const NEXT = "9".repeat(40);
const APPROVED = ["success", "Approved: 1 requirement change (requirements board)"];

function rerun(event: "check_run" | "check_suite", headSha: string, runId = 1002): Record<string, unknown> {
  if (event === "check_run") {
    const payload = fixture("check_run.rerequested");
    return { ...payload, check_run: { ...(payload.check_run as object), id: runId, head_sha: headSha }, sender: { login: "rita", id: 9, type: "User" } };
  }
  const payload = fixture("check_suite.rerequested");
  return { ...payload, check_suite: { ...(payload.check_suite as object), head_sha: headSha }, sender: { login: "rita", id: 9, type: "User" } };
}

/** maya (maintain) presses Approve on the run that shows the change: recorded in the run's ledger only. */
async function mayaPresses(sink: Sink, state: PullState): Promise<void> {
  mockPullReads(state);
  permission("maya", "maintain");
  sink.acceptCreates(2);
  await deliver(app.probot, "check_run", pressEvent(`pr2:${subjectOf(state)}`, "maya"), "press");
  expect([lastBaseline(sink).conclusion, lastBaseline(sink).output.title]).toEqual(APPROVED);
}

describe("re-runs", () => {
  it("ten re-runs of the runs and the suite keep an Approve press in the record", async () => {
    const state = changingState();
    const sink = checkRunSink();
    await mayaPresses(sink, state);

    for (let i = 0; i < 10; i++) {
      mockPullReads({ ...state, headRuns: runsOnHead(sink) }, { warm: true });
      permission("maya", "maintain");
      const event = i % 2 === 0 ? "check_run" : "check_suite";
      await deliver(app.probot, event, rerun(event, HEAD, i % 4 === 0 ? 1001 : 1002), `rerun-${i}`);
    }

    // Nothing changed, so nothing was written again: the run still carries maya's press.
    expect(sink.updated).toEqual([]);
    expect(ledgerFromSummary(lastBaseline(sink).output.summary)).toEqual({ entries: [{ pr: 2, by: "maya", via: "button", id: 1002, at: NOW, act: "approve", subject: subjectOf(state) }] });
  });

  it("a re-run of an earlier head's run evaluates the current head, with the record carried to it", async () => {
    const state = changingState();
    const sink = checkRunSink();
    await mayaPresses(sink, state);
    const earlier = runsOnHead(sink).map((r) => ({ name: r.name, summary: r.summary! }));

    // A code-only push moved the head; then someone re-runs the old head's baseline run.
    mockPullReads({ ...state, headSha: NEXT, earlierRuns: [{ oid: HEAD, runs: earlier }] }, { warm: true });
    permission("maya", "maintain");
    sink.acceptCreates(2);
    await deliver(app.probot, "check_run", rerun("check_run", HEAD), "rerun-old");

    // Strict nock: no write to the old head's runs (no PATCH was mocked); the new head's runs are created.
    expect(sink.created.slice(2).map((b) => [b.name, b.head_sha])).toEqual([
      ["reqgate/trace", NEXT],
      ["reqgate/baseline", NEXT],
    ]);
    const baseline = lastBaseline(sink);
    expect([baseline.conclusion, baseline.output.title]).toEqual(APPROVED);
    expect(baseline.external_id).toBe(`pr2:${subjectOf(state)}`);
    expect(ledgerFromSummary(baseline.output.summary).entries.map((e) => [e.by, e.via, e.act])).toEqual([["maya", "button", "approve"]]);
  });
});
