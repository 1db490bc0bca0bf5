// SPEC 2.3 step 5: an approval is for the content its approver saw, base included. Retargeting a pull
// request to another base changes what it changes; approvals made before (reviews, comments and button
// presses alike) are then stale, even on the same head commit.
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { BASE_LOCK, changingState, checkRunSink, HEAD, LOCK, lockFor, mockPullReads, REQ1, REQ2, requirementChange, type PullState } from "../helpers/github-pulls.js";
import { parseLock } from "../../src/domain/baseline/baseline.js";
import { commentEvent, lastBaseline, pressEvent, reaction, runsOnHead } from "./scenario.js";

const app = useStrictProbot();

const BOARD = "change_control:\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [carol, bob, maya] }\n      count: 3\n";
const CR2_BOTH = "id: CR-0002\ntitle: Lower the lockout threshold\nrationale: Penetration test PT-19.\naffects: [REQ-001, REQ-002]\n";
/** An older release branch: REQ-002 said something else there. */
const B2 = "2222222222222222222222222222222222222222";
const REQ2_OLD = REQ2.replace("as CSV.", "as a spreadsheet.");
const CR1 = "id: CR-0001\ntitle: Initial baseline\nrationale: First release.\naffects: [REQ-001, REQ-002]\n";
const B2_LOCK = lockFor({ "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2_OLD }, { "requirements/changes/CR-0001.yml": CR1 });

const CAROL_COMMENT = 7001;

function onMain(over: Partial<PullState> = {}): PullState {
  const change = requirementChange();
  const headLock = lockFor({ "requirements/REQ-001.yml": change.head, "requirements/REQ-002.yml": REQ2 }, { "requirements/changes/CR-0002.yml": CR2_BOTH }, parseLock(LOCK, BASE_LOCK).lock);
  return changingState({
    config: BOARD,
    files: [
      { filename: "requirements/REQ-001.yml", status: "modified", text: change.head },
      { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2_BOTH },
      { filename: LOCK, status: "modified", text: headLock },
    ],
    comments: [{ id: CAROL_COMMENT, by: "carol", body: "/reqgate approve", createdAt: "2026-01-01T09:00:00Z" }],
    ...over,
  });
}

describe("retargeting the base", () => {
  it("retargeting the base to one with more requirement changes makes approvals stale", async () => {
    const sink = checkRunSink();
    // 1. carol approves by comment, 2. bob presses Approve, 3. maya approves in a review: all on main.
    mockPullReads(onMain());
    sink.acceptCreates(2);
    reaction(CAROL_COMMENT);
    await deliver(app.probot, "issue_comment", commentEvent("created", CAROL_COMMENT, "/reqgate approve", "carol", "2026-01-01T09:00:00Z"), "d1");

    mockPullReads(onMain({ headRuns: runsOnHead(sink) }), { warm: true });
    sink.acceptUpdates(1);
    await deliver(app.probot, "check_run", pressEvent(lastBaseline(sink).external_id!, "bob"), "d2");

    const reviewed = onMain({ headRuns: runsOnHead(sink), reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: "2026-01-01T09:10:00Z" }] });
    mockPullReads(reviewed, { warm: true });
    sink.acceptUpdates(1);
    await deliver(app.probot, "pull_request_review", fixture("pull_request_review.submitted"), "d3");
    expect([lastBaseline(sink).conclusion, lastBaseline(sink).output.title]).toEqual(["success", "Approved: 1 requirement change (board)"]);

    // 4. The author retargets the same head to the release branch, where REQ-002 changes too.
    const retargeted: PullState = {
      ...reviewed,
      headRuns: runsOnHead(sink),
      baseSha: B2,
      baseLock: B2_LOCK,
      base: { "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2_OLD },
      files: [...reviewed.files!, { filename: "requirements/REQ-002.yml", status: "modified", text: REQ2 }],
      baseChangedAt: "2026-01-01T09:20:00Z",
    };
    mockPullReads(retargeted, { headLockCached: true });
    sink.acceptUpdates(1);
    await deliver(app.probot, "pull_request", { ...fixture("pull_request.edited"), changes: { base: { ref: { from: "master" }, sha: { from: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e" } } } }, "d4");

    const baseline = lastBaseline(sink);
    expect(baseline.conclusion).not.toBe("success");
    expect(baseline.output.title).toContain("waiting for 3 approvals from board (3 stale)");
    expect(baseline.output.summary).toContain("| board | REQ\\-001, REQ\\-002 | ⏳ 0 of 3 | — |");
    expect(baseline.output.summary).toContain("bob (button): approved an earlier version; requirements, change records or the base changed since");
    expect(baseline.output.summary).toContain("carol (comment): approved an earlier version; requirements, change records or the base changed since");
    expect(baseline.output.summary).toContain("maya (review): approved an earlier version at commit ec26c3e; requirements, change records or the base changed since");
  });
});
