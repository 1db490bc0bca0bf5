// The check run and the replies are shown to everyone who can read the pull request: they must not say
// what repository permission a refused person has (that is for the repository's admins to look up).
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { API, deliver, fixture, OWNER, recorder, REPO, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, permission } from "../helpers/github-pulls.js";
import { commentEvent } from "./scenario.js";

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

describe("a refused command", () => {
  it("the reply to a refused /reqgate waive says what is needed, not the commenter's permission", async () => {
    mockPullReads({ body: "Quick fix", closingIssues: [] });
    permission("wendy", "write");
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reply = recorder<{ body: string }>();
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/2/comments`, reply.match).reply(201, { id: 900 });

    await deliver(app.probot, "issue_comment", commentEvent("created", 492700400, "/reqgate waive trust me", "wendy", "2019-05-15T15:20:21Z"));

    expect(reply.bodies).toEqual([{ body: "<!-- reqgate:reply 492700400 -->\n- `/reqgate waive` was refused: it needs the maintain or admin permission on this repository." }]);
    expect(sink.byName("reqgate/trace").conclusion).toBe("failure");
  });
});
