// check_run (re-run, the "Approve" button), check_suite and merge_group: the same evaluation, reached
// from a commit rather than a pull request.
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ledgerFromSummary } from "../../src/domain/approvals/ledger.js";
import { API, deliver, expectOnlyMockedRequests, fixture, NOW, OWNER, REPO, useStrictProbot } from "../helpers/github-app.js";
import { BASE, BASE_LOCK, BOARD, changingState, checkRunSink, CR2, HEAD, LOCK, mockBlob, mockCompare, mockLockAt, mockObjects, mockPullReads, mockPushContext, permission, PR_URL, REQ1, requirementChange } from "../helpers/github-pulls.js";

const app = useStrictProbot();

function checkRun(name: string, over: Record<string, unknown> = {}, sender = "maya"): Record<string, unknown> {
  const payload = fixture(name);
  return { ...payload, check_run: { ...(payload.check_run as object), ...over }, sender: { login: sender, id: 7, type: "User" } };
}

describe("check_run.requested_action (the Approve button)", () => {
  it("approves what the pressed run showed, for the sender, at the time of the press", async () => {
    const state = changingState();
    mockPullReads(state);
    permission("maya", "maintain");
    const sink = checkRunSink();
    sink.acceptCreates(2);
    // The press is bound to the run's external_id: computed the same way as now, so it counts.
    const { subjectOf } = await import("../helpers/github-pulls.js");
    const subject = subjectOf(state);

    await deliver(app.probot, "check_run", checkRun("check_run.requested_action", { external_id: `pr2:${subject}` }));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["success", "Approved: 1 requirement change (requirements board)"]);
    expect(ledgerFromSummary(baseline.output.summary)).toEqual({ entries: [{ pr: 2, by: "maya", via: "button", id: 128620228, at: NOW, act: "approve", subject }] });
    expect(baseline.output.summary).toContain("| requirements board | REQ\\-001 | ✅ 1 of 1 | maya | — |");
  });

  it("a press on a run that showed other content is stale", async () => {
    mockPullReads(changingState());
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_run", checkRun("check_run.requested_action", { external_id: "pr2:sha256:older" }));

    expect(sink.byName("reqgate/baseline").output.summary).toContain("maya (button): approved an earlier version; requirements, change records or the base changed since");
  });

  it("a press on a run that showed no subject (its evaluation was incomplete) approves nothing", async () => {
    mockPullReads(changingState());
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_run", checkRun("check_run.requested_action", { external_id: "incomplete" }));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from requirements board (1 stale)"]);
    // Recorded as maya's latest action, bound to nothing: a later press of a complete run replaces it.
    expect(ledgerFromSummary(baseline.output.summary)).toEqual({ entries: [{ pr: 2, by: "maya", via: "button", id: 128620228, at: NOW, act: "approve" }] });
  });

  it("ignores another App's runs and other actions (strict nock: no request at all)", async () => {
    await deliver(app.probot, "check_run", checkRun("check_run.requested_action", { app: { id: 1, slug: "other" } }));
    await deliver(app.probot, "check_run", { ...checkRun("check_run.requested_action"), requested_action: { identifier: "other" } }, "delivery-2");

    expectOnlyMockedRequests();
  });
});

describe("check_run.rerequested", () => {
  it("evaluates the pull request the payload names", async () => {
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_run", checkRun("check_run.rerequested"));

    expect(sink.created.map((b) => [b.name, b.head_sha])).toEqual([
      ["reqgate/trace", HEAD],
      ["reqgate/baseline", HEAD],
    ]);
  });

  it("a fork's pull request (no pull_requests in the payload) is found by the head SHA", async () => {
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/commits/${HEAD}/pulls`)
      .query({ per_page: "100" })
      .reply(200, [{ number: 2, state: "open", head: { sha: HEAD }, base: { repo: { full_name: `${OWNER}/${REPO}` } } }]);
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_run", checkRun("check_run.rerequested.fork"));

    expect(sink.created).toHaveLength(2);
  });

  it("falls back to searching by SHA when GitHub associates no pull request with the commit", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/commits/${HEAD}/pulls`).query({ per_page: "100" }).reply(200, []);
    nock(API)
      .get("/search/issues")
      .query({ q: `repo:${OWNER}/${REPO} is:pr is:open ${HEAD}`, per_page: "10" })
      .reply(200, { total_count: 1, items: [{ number: 2 }] });
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_run", checkRun("check_run.rerequested.fork"));

    expect(sink.created).toHaveLength(2);
  });

  it("a drift run on the default branch is re-run against the base it recorded", async () => {
    const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
    nock(API).get(`/repos/${OWNER}/${REPO}/commits/${SHA}/pulls`).query({ per_page: "100" }).reply(200, []);
    nock(API).get("/search/issues").query(true).reply(200, { total_count: 0, items: [] });
    mockPushContext({ runs: [{ id: 77, name: "reqgate/baseline", conclusion: "FAILURE", title: "Baseline drift", summary: "old", externalId: `drift:${BASE}` }] });
    const edited = REQ1.replace("5 failed", "4 failed");
    const files = [{ filename: "requirements/REQ-001.yml", status: "modified", text: edited }];
    mockCompare(BASE, SHA, files);
    mockObjects({ files, base: { "requirements/REQ-001.yml": REQ1 } });
    mockLockAt(BASE_LOCK);
    mockBlob(BASE_LOCK);
    const sink = checkRunSink();
    sink.acceptUpdates(1);

    await deliver(app.probot, "check_run", checkRun("check_run.rerequested.fork", { head_sha: SHA }));

    expect(sink.updated.map((u) => [u.id, u.body.conclusion, u.body.output.title, u.body.external_id])).toEqual([[77, "failure", "Baseline drift: REQ-001 changed without a matching lock", `drift:${BASE}`]]);
  });
});

describe("check_suite", () => {
  it.each(["requested", "rerequested"])("check_suite.%s evaluates the suite's pull requests", async (action) => {
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_suite", fixture(`check_suite.${action}`));

    expect(sink.created).toHaveLength(2);
  });

  it("check_suite.requested with no pull request listed (a branch without one, or a fork's): no lookup, no request (strict nock)", async () => {
    const payload = fixture("check_suite.requested");
    await deliver(app.probot, "check_suite", { ...payload, check_suite: { ...(payload.check_suite as object), pull_requests: [] } });

    expectOnlyMockedRequests();
  });

  it("check_suite.rerequested with no pull request listed finds a fork's by the head SHA", async () => {
    const payload = fixture("check_suite.rerequested");
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/commits/${HEAD}/pulls`)
      .query({ per_page: "100" })
      .reply(200, [{ number: 2, state: "open", head: { sha: HEAD }, base: { repo: { full_name: `${OWNER}/${REPO}` } } }]);
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "check_suite", { ...payload, check_suite: { ...(payload.check_suite as object), pull_requests: [] } });

    expect(sink.created).toHaveLength(2);
  });

  it("a suite on the default branch with no pull request is left to the push's drift check (strict nock: no request at all)", async () => {
    const payload = fixture("check_suite.requested");
    await deliver(app.probot, "check_suite", { ...payload, check_suite: { ...(payload.check_suite as object), head_branch: "master", pull_requests: [] } });

    expectOnlyMockedRequests();
  });
});

describe("merge_group.checks_requested", () => {
  const GROUP = "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d";

  it("reports the queued pull request's checks on the group's commit, without an Approve button", async () => {
    const state = changingState();
    mockPushContext({ config: state.config! });
    mockPullReads(state);
    const change = requirementChange();
    const files = [
      { filename: "requirements/REQ-001.yml", status: "modified", text: change.head },
      { filename: "requirements/changes/CR-0002.yml", status: "added", text: state.files![1]!.text! },
      { filename: LOCK, status: "modified", text: change.headLock },
    ];
    // The group's files and locks were read for the pull request just before: nothing is read twice.
    mockCompare(BASE, GROUP, files);
    const sink = checkRunSink();
    sink.acceptCreates(4);

    await deliver(app.probot, "merge_group", fixture("merge_group.checks_requested"));

    const onGroup = sink.created.filter((b) => b.head_sha === GROUP);
    expect(onGroup.map((b) => [b.name, b.conclusion, b.details_url])).toEqual([
      ["reqgate/trace", "success", PR_URL],
      ["reqgate/baseline", "action_required", PR_URL],
    ]);
    expect(onGroup[1]!.actions).toEqual([]);
    expect(sink.created.filter((b) => b.head_sha === HEAD)).toHaveLength(2);
  });

  it("fails reqgate/baseline on the group when the group's own lock drifted, though the queued pull request passes", async () => {
    // The pull request changes code only; a pull request queued before it edited REQ-001 without the lock.
    const state = { config: BOARD };
    mockPushContext({ config: BOARD });
    mockPullReads(state);
    const edited = REQ1.replace("5 failed", "4 failed");
    const files = [{ filename: "requirements/REQ-001.yml", status: "modified", text: edited }];
    mockCompare(BASE, GROUP, files);
    mockObjects({ files, base: { "requirements/REQ-001.yml": REQ1 } });
    const sink = checkRunSink();
    sink.acceptCreates(4);

    await deliver(app.probot, "merge_group", fixture("merge_group.checks_requested"));

    expect(sink.created.filter((b) => b.head_sha === HEAD).map((b) => [b.name, b.conclusion])).toEqual([
      ["reqgate/trace", "success"],
      ["reqgate/baseline", "success"],
    ]);
    const onGroup = sink.created.filter((b) => b.head_sha === GROUP);
    expect(onGroup.map((b) => [b.name, b.conclusion, b.output.title])).toEqual([
      ["reqgate/trace", "success", expect.any(String)],
      ["reqgate/baseline", "failure", "Baseline drift: REQ-001 changed without a matching lock"],
    ]);
    expect(onGroup[1]!.actions).toEqual([]);
  });

  it("a group whose pull request cannot be told is never success, even when its own lock is consistent", async () => {
    const payload = fixture("merge_group.checks_requested");
    const group = { ...(payload.merge_group as object), head_ref: "refs/heads/gh-readonly-queue/master/not-a-pull-request" };
    // The group carries a consistent change (record and lock), so its drift check alone would pass.
    const change = requirementChange();
    const files = [
      { filename: "requirements/REQ-001.yml", status: "modified", text: change.head },
      { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2 },
      { filename: LOCK, status: "modified", text: change.headLock },
    ];
    mockPushContext({ config: BOARD });
    mockCompare(BASE, GROUP, files);
    mockObjects({ files, base: { "requirements/REQ-001.yml": REQ1 } });
    mockBlob(BASE_LOCK);
    mockBlob(change.headLock);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "merge_group", { ...payload, merge_group: group });

    expect(sink.created.map((b) => [b.name, b.head_sha, b.conclusion, b.output.title, b.details_url])).toEqual([
      ["reqgate/trace", GROUP, "failure", "Could not evaluate the pull request of this merge group", `https://github.com/${OWNER}/${REPO}/commit/${GROUP}`],
      ["reqgate/baseline", GROUP, "failure", "Could not evaluate the pull request of this merge group", `https://github.com/${OWNER}/${REPO}/commit/${GROUP}`],
    ]);
    expect(sink.created[1]!.output.summary).toBe("reqgate could not evaluate the queued pull request, so the merge group cannot pass this check.");
  });
});
