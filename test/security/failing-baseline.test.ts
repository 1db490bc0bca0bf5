// A failing `reqgate/baseline` (SPEC 5 "a failing change never offers an Approve button"): pressing Approve
// on a change that cannot merge anyway would record an approval of content that is still wrong.
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, mockPullReads } from "../helpers/github-pulls.js";

const app = useStrictProbot();

describe("a failing reqgate/baseline", () => {
  it("never offers the Approve button, and its title leads with what to fix", async () => {
    // REQ-001 changes with its change record, but the lock is the base's: stale, a failure that also needs approval.
    const state = changingState();
    state.files = state.files!.filter((f) => f.filename !== "requirements/baseline.lock");
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.actions).toEqual([]);
    expect(baseline.output.title).toBe("The baseline lock is out of date: run `reqgate baseline`; also waiting for 1 approval from requirements board");
    expect(baseline.output.summary).not.toContain("press **Approve**");
  });
});
