// A pull request that changes the lock's suspect links (SPEC 2.5), through the handlers against strict
// nock: a review written by `reqgate review` is a lock change like any other for `reqgate/baseline`: it
// is shown (who, when, which link), needs the approval of the rules of the reviewed requirement (and no
// change record: no requirement's meaning changes), and binds the approval; a link dropped by hand fails.
import { describe, expect, it } from "@jest/globals";
import { deliver, fixture, useStrictProbot } from "../helpers/github-app.js";
import { BASE_LOCK, baselineOn, BOARD, checkRunSink, LOCK, mockObjects, mockPullReads, REQ2 } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const LINK = '{"suspect":"REQ-002","parent":"REQ-001","change":"CR-0001"}';
const REVIEWED = '{"suspect":"REQ-002","parent":"REQ-001","change":"CR-0001","reviewed_by":"Ann Lee <ann@example.com>","reviewed_at":"2026-12-03T10:00:00Z"}';
/** The default branch's lock with one open suspect link (version 2). */
const LINKED = `${BASE_LOCK.replace('{"lock":1}', '{"lock":2}')}${LINK}\n`;

describe("reqgate/baseline on a lock change of suspect links", () => {
  it("a review: shown with who and when, waiting for the rules of the reviewed requirement, no change record asked", async () => {
    const head = LINKED.replace(LINK, REVIEWED);
    const baseline = await baselineOn(app.probot, { config: BOARD, baseLock: LINKED, files: [{ filename: LOCK, status: "modified", text: head }] }, "pull_request.opened");
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.title).toBe("Waiting for 1 approval from requirements board");
    expect(baseline.output.summary).toContain("### Suspect links\n\nReviewed in this pull request (a review needs the approval of the rules of the reviewed requirement, like a change):\n\n- REQ\\-002 → REQ\\-001 (CR\\-0001): reviewed by Ann Lee &lt;ann@\u200dexample\\.com&gt; at 2026\\-12\\-03T10:\u200d00:\u200d00Z");
    expect(baseline.output.summary).toContain("| requirements board | REQ\\-002 | ⏳ 0 of 1 |");
    // The e-mail address cannot become a link, nor the time a mention.
    expect(baseline.output.summary).not.toContain("no change record");
  });

  it("a review waits for a rule that selects the reviewed requirement by tag, its file read at the head for the tags", async () => {
    const head = LINKED.replace(LINK, REVIEWED);
    const SAFETY = "change_control:\n  rules:\n    - name: safety board\n      tags: [safety]\n      approvers: { users: [maya] }\n";
    const state = { config: SAFETY, baseLock: LINKED, files: [{ filename: LOCK, status: "modified", text: head }], headTree: { "requirements/REQ-002.yml": `${REQ2}tags: [safety]\n` } };
    mockPullReads(state);
    mockObjects(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from safety board"]);
    expect(baseline.output.summary).toContain("| safety board | REQ\\-002 | ⏳ 0 of 1 |");
  });

  it("a link dropped without a review or a touch of the child: failure, naming the link", async () => {
    const head = BASE_LOCK;
    const baseline = await baselineOn(app.probot, { config: BOARD, baseLock: LINKED, files: [{ filename: LOCK, status: "modified", text: head }] }, "pull_request.opened");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("the lock drops the suspect link REQ-002 → REQ-001 (CR-0001), but the change neither touches REQ-002 nor reviews it");
    expect(baseline.actions).toEqual([]);
  });

  it("a recorded review cannot be rewritten", async () => {
    const base = LINKED.replace(LINK, REVIEWED);
    const head = base.replace("Ann Lee", "Someone Else");
    const baseline = await baselineOn(app.probot, { config: BOARD, baseLock: base, files: [{ filename: LOCK, status: "modified", text: head }] }, "pull_request.opened");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("the lock changes the recorded review of REQ-002 → REQ-001");
  });
});
