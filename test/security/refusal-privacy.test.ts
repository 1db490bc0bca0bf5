// The check run is shown to everyone who can read the pull request: it must not say what repository
// permission a refused reviewer has (that is for the repository's admins to look up).
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, permission } from "../helpers/github-pulls.js";

const app = useStrictProbot();

describe("a refused reviewer", () => {
  it("the check's text does not expose a refused reviewer's permission level", async () => {
    mockPullReads(changingState({ reviews: [{ id: 80, by: "rita", state: "APPROVED", commit: HEAD, at: "2026-01-01T09:00:00Z" }] }));
    permission("rita", "triage");
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.summary).toContain('rita (review): not an approver of "requirements board" \\(maintain permission or higher\\)');
    expect(baseline.output.summary).not.toContain("triage");
    expect(JSON.stringify(baseline)).not.toContain("triage");
  });
});
