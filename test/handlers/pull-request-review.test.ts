// Reviews and the approvals they carry: counted only for approvers checked through the API (failing
// closed), bound to the content they approved.
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { API, deliver, fixture, OWNER, REPO, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, permission, runsFrom, subjectOf, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const AT = "2026-01-01T09:00:00Z";
const OLD = "1111111111111111111111111111111111111111";

function reviewed(state: NonNullable<PullState["reviews"]>, over: Partial<PullState> = {}): PullState {
  return changingState({ reviews: state, ...over });
}

describe("pull_request_review.submitted", () => {
  it("an approving review by a maintainer on the head meets the rule: success, and only that reviewer's permission is read", async () => {
    mockPullReads(reviewed([{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: AT }]));
    permission("maya", "maintain");
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title, baseline.actions]).toEqual(["success", "Approved: 1 requirement change (requirements board)", []]);
    expect(baseline.output.summary).toContain("| requirements board | REQ\\-001 | ✅ 1 of 1 | maya | — |");
  });

  it("updates the runs already on the head instead of creating new ones", async () => {
    const first = changingState();
    mockPullReads(first);
    const sink = checkRunSink();
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    mockPullReads(reviewed([{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: AT }], { headRuns: runsFrom(sink.created) }), { warm: true });
    permission("maya", "maintain");
    sink.acceptUpdates(1);
    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"), "delivery-2");

    // The trace run shows the same result: not written. The baseline run is updated in place.
    expect(sink.created).toHaveLength(2);
    expect(sink.updated.map((u) => [u.id, u.body.conclusion, u.body.output.title])).toEqual([[1002, "success", "Approved: 1 requirement change (requirements board)"]]);
    expect(sink.updated[0]!.body.actions).toEqual([]);
  });

  it("the author cannot approve, and no permission is looked up for them", async () => {
    mockPullReads(reviewed([{ id: 80, by: "Codertocat", state: "APPROVED", commit: HEAD, at: AT }]));
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.summary).toContain("Codertocat (review): the author of the pull request cannot approve it");
  });

  it("a contributor who pushed commits cannot approve either", async () => {
    mockPullReads(reviewed([{ id: 80, by: "pat", state: "APPROVED", commit: HEAD, at: AT }], { commits: [["Codertocat"], ["pat"]] }));
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    expect(sink.byName("reqgate/baseline").output.summary).toContain("pat (review): pushed commits to this pull request, so cannot approve it");
  });

  it("a read-only reviewer does not count, and the check says what the rule asks for", async () => {
    mockPullReads(reviewed([{ id: 80, by: "rita", state: "APPROVED", commit: HEAD, at: AT }]));
    permission("rita", "read");
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    expect(sink.byName("reqgate/baseline").output.summary).toContain('rita (review): not an approver of "requirements board" \\(maintain permission or higher\\)');
  });

  it("a permission API error refuses the approval (fails closed)", async () => {
    mockPullReads(reviewed([{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: AT }]));
    nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/maya/permission`).reply(500, { message: "Server Error" });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.summary).toContain("maya (review): could not verify repository permission \\(GitHub API error\\); the approval does not count");
  });

  it("a team member approves through GET /orgs/{org}/teams/{team}/memberships/{user}, state active", async () => {
    const config = "change_control:\n  rules:\n    - name: safety board\n      match: ['requirements/**']\n      approvers: { teams: ['@Codertocat/safety'] }\n";
    mockPullReads(reviewed([{ id: 80, by: "sam", state: "APPROVED", commit: HEAD, at: AT }, { id: 81, by: "pia", state: "APPROVED", commit: HEAD, at: AT }], { config }));
    nock(API).get("/orgs/codertocat/teams/safety/memberships/pia").reply(200, { state: "pending", role: "member" });
    nock(API).get("/orgs/codertocat/teams/safety/memberships/sam").reply(200, { state: "active", role: "member" });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["success", "Approved: 1 requirement change (safety board)"]);
    expect(baseline.output.summary).toContain('pia (review): not an approver of "safety board" \\(members of codertocat/safety\\)');
  });
});

describe("approvals bound to content", () => {
  it("a push that leaves requirements and change records alone keeps an approval of an earlier commit", async () => {
    const state = changingState();
    mockPullReads({ ...state, reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: OLD, at: AT, subject: subjectOf(state) }] });
    permission("maya", "maintain");
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    expect(sink.byName("reqgate/baseline").conclusion).toBe("success");
  });

  it("a push that changes a requirement makes it stale, and the check names it", async () => {
    const approved = changingState();
    const changed = changingState();
    const { requirementChange } = await import("../helpers/github-pulls.js");
    const change = requirementChange("The system shall lock an account after 2 failed logins.");
    changed.files = [{ filename: "requirements/REQ-001.yml", status: "modified", text: change.head }, changed.files![1]!, { filename: "requirements/baseline.lock", status: "modified", text: change.headLock }];
    mockPullReads({ ...changed, reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: OLD, at: AT, subject: subjectOf(approved) }] });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from requirements board (1 stale)"]);
    expect(baseline.output.summary).toContain("maya (review): approved an earlier version at commit 1111111; requirements, change records or the base changed since");
  });

  it("a review of a commit reqgate never evaluated cannot be shown current: stale", async () => {
    mockPullReads(reviewed([{ id: 80, by: "maya", state: "APPROVED", commit: OLD, at: AT }]));
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    expect(sink.byName("reqgate/baseline").output.summary).toContain("maya (review): approved commit 1111111, whose content could not be determined; approve again");
  });
});

describe("pull_request_review.dismissed and edited", () => {
  it("a dismissed review no longer counts", async () => {
    mockPullReads(reviewed([{ id: 80, by: "maya", state: "DISMISSED", commit: HEAD, at: AT }]));
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.dismissed"));

    expect(sink.byName("reqgate/baseline")).toMatchObject({ conclusion: "action_required", output: expect.objectContaining({ title: "Waiting for 1 approval from requirements board" }) });
  });

  it("an edited review is evaluated again; changes requested withdraw an earlier approval", async () => {
    mockPullReads(reviewed([
      { id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: AT },
      { id: 81, by: "maya", state: "CHANGES_REQUESTED", commit: HEAD, at: "2026-01-01T09:30:00Z" },
    ]));
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.edited"));

    expect(sink.byName("reqgate/baseline").conclusion).toBe("action_required");
  });
});
