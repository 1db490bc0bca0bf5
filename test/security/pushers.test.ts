// SPEC 1.4 `allow_contributors: false` ("may someone who pushed commits to the PR approve?"): someone
// who pushes commits that others wrote is a contributor, like a commit's author or committer. GitHub
// keeps no record of who pushed (only the `synchronize` webhook's sender says), so the App records the
// pusher in its ledger and carries it from head to head.
import { describe, expect, it } from "@jest/globals";
import { ledgerFromSummary } from "../../src/domain/approvals/ledger.js";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, type PullState } from "../helpers/github-pulls.js";
import { lastBaseline, runsOnHead } from "./scenario.js";

const app = useStrictProbot();

const AT = "2026-01-01T09:00:00Z";
const BOARD = "change_control:\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [pat, maya] }\n";
/** The commits were written and committed by someone else: pat only pushed them. */
const WRITTEN_BY_OTHERS: NonNullable<PullState["commitIdentities"]> = [{ authors: ["octo-other"], committer: "octo-other" }];

function pushedBy(login: string): Record<string, unknown> {
  return { ...fixture("pull_request.synchronize"), sender: { login, id: 31, type: "User" } };
}

function state(over: Partial<PullState> = {}): PullState {
  return changingState({ config: BOARD, commitIdentities: WRITTEN_BY_OTHERS, ...over });
}

/** pat pushes; the baseline run written for the push is what the next evaluation reads. */
async function patPushes(sink: ReturnType<typeof checkRunSink>, config = BOARD): Promise<void> {
  mockPullReads(state({ config }));
  sink.acceptCreates(2);
  await deliver(app.probot, "pull_request", pushedBy("pat"), "push-1");
}

describe("someone who pushed commits to the pull request", () => {
  it("cannot approve it, though the commits name others as author and committer", async () => {
    const sink = checkRunSink();
    await patPushes(sink);
    expect(ledgerFromSummary(lastBaseline(sink).output.summary).pushers).toEqual([{ pr: 2, by: "pat" }]);

    mockPullReads(state({ headRuns: runsOnHead(sink), reviews: [{ id: 80, by: "pat", state: "APPROVED", commit: HEAD, at: AT }] }), { warm: true });
    sink.acceptUpdates(1);
    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"), "review-1");

    const baseline = lastBaseline(sink);
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from board"]);
    expect(baseline.output.summary).toContain("pat (review): pushed commits to this pull request, so cannot approve it");
  });

  it("stays a contributor on later heads pushed by someone else", async () => {
    const sink = checkRunSink();
    await patPushes(sink);
    const earlier = runsOnHead(sink).map((r) => ({ name: r.name, summary: r.summary! }));

    const next = "9".repeat(40);
    mockPullReads(state({ headSha: next, earlierRuns: [{ oid: HEAD, runs: earlier }], reviews: [{ id: 80, by: "pat", state: "APPROVED", commit: next, at: AT }] }), { warm: true });
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", pushedBy("maya"), "push-2");

    const baseline = lastBaseline(sink);
    expect(baseline.head_sha).toBe(next);
    expect(ledgerFromSummary(baseline.output.summary).pushers).toEqual([{ pr: 2, by: "maya" }, { pr: 2, by: "pat" }]);
    expect(baseline.output.summary).toContain("pat (review): pushed commits to this pull request, so cannot approve it");
  });

  it("may approve where the configuration allows contributors (the rule is what refused it)", async () => {
    const allowing = BOARD.replace("change_control:\n", "change_control:\n  allow_contributors: true\n");
    const sink = checkRunSink();
    await patPushes(sink, allowing);

    mockPullReads(state({ config: allowing, headRuns: runsOnHead(sink), reviews: [{ id: 80, by: "pat", state: "APPROVED", commit: HEAD, at: AT }] }), { warm: true });
    sink.acceptUpdates(1);
    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"), "review-1");

    expect([lastBaseline(sink).conclusion, lastBaseline(sink).output.title]).toEqual(["success", "Approved: 1 requirement change (board)"]);
  });

  it("the author pushing is not recorded again (the author is refused as the author)", async () => {
    mockPullReads(state());
    const sink = checkRunSink();
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", pushedBy("Codertocat"), "push-1");

    expect(ledgerFromSummary(lastBaseline(sink).output.summary).pushers).toBeUndefined();
  });
});
