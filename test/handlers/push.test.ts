// push to the default branch: the drift check (SPEC 2.5).
import { describe, expect, it } from "@jest/globals";
import { deliver, expectOnlyMockedRequests, useStrictProbot } from "../helpers/github-app.js";
import { BASE, BASE_LOCK, checkRunSink, mockBlob, mockCompare, mockMovingPush, mockObjects, mockPushContext, MOVING_PATHS, PUSH_AFTER, pushOf, REQ1, REQ2 } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const AFTER = PUSH_AFTER;
const COMMIT_URL = `https://github.com/Codertocat/Hello-World/commit/${AFTER}`;

const push = pushOf;

describe("push to the default branch", () => {
  it("requirement files changed without the lock: a failing reqgate/baseline check on the commit naming what drifted", async () => {
    const edited = REQ1.replace("5 failed", "4 failed");
    const files = [{ filename: "requirements/REQ-001.yml", status: "modified", text: edited }];
    mockPushContext();
    mockCompare(BASE, AFTER, files);
    mockObjects({ files, base: { "requirements/REQ-001.yml": REQ1 } });
    mockBlob(BASE_LOCK);
    const sink = checkRunSink();
    sink.acceptCreates(1);

    await deliver(app.probot, "push", push(["requirements/REQ-001.yml"]));

    expect(sink.created).toEqual([
      expect.objectContaining({ name: "reqgate/baseline", head_sha: AFTER, status: "completed", conclusion: "failure", details_url: COMMIT_URL, external_id: `drift:${BASE}`, actions: [] }),
    ]);
    const output = sink.created[0]!.output;
    expect(output.title).toBe("Baseline drift: REQ-001 changed without a matching lock");
    expect(output.summary).toContain("Drifted requirements: REQ\\-001");
    expect(output.annotations).toContainEqual(expect.objectContaining({ path: "requirements/REQ-001.yml", annotation_level: "failure", title: "reqgate: change-without-record" }));
  });

  it("a merged change with its record and lock: success", async () => {
    const sink = mockMovingPush();

    await deliver(app.probot, "push", push(MOVING_PATHS));

    expect([sink.created[0]!.conclusion, sink.created[0]!.output.title]).toEqual(["success", "The baseline lock matches the requirement files"]);
    // GitHub refuses an empty summary (422 "summary wasn't supplied"); the contract check would fail this test.
    expect(sink.created[0]!.output.summary).toBe(
      "The baseline lock matches the requirement files and change records of this commit. The baseline moved (1 requirement):\n\n- `REQ-001` modified by `CR-0002`",
    );
  });

  it("a push that changes a requirement file's layout only: success, and a summary that says the baseline did not move", async () => {
    const files = [{ filename: "requirements/REQ-002.yml", status: "modified", text: `${REQ2}# reformatted\n` }];
    mockPushContext();
    mockCompare(BASE, AFTER, files);
    mockObjects({ files, base: { "requirements/REQ-002.yml": REQ2 } });
    mockBlob(BASE_LOCK);
    const sink = checkRunSink();
    sink.acceptCreates(1);

    await deliver(app.probot, "push", push(["requirements/REQ-002.yml"]));

    expect(sink.created[0]!.conclusion).toBe("success");
    expect(sink.created[0]!.output.summary).toBe("The baseline lock matches the requirement files and change records of this commit; the baseline did not move.");
  });

  it("a code-only push: no check; once the configuration is known, not even a request (strict nock: one context read and one comparison, for two pushes)", async () => {
    mockPushContext();
    mockCompare(BASE, AFTER, [{ filename: "src/app.ts", status: "modified", text: "x" }]);
    await deliver(app.probot, "push", push(["src/app.ts"]));

    // The configuration is remembered now: the payload's paths say the push cannot matter.
    await deliver(app.probot, "push", push(["src/app.ts", "README.md"]), "delivery-2");

    expectOnlyMockedRequests();
  });

  it("pushes to other branches, deletions and new branches are not evaluated (strict nock: no request at all)", async () => {
    await deliver(app.probot, "push", push(["requirements/REQ-001.yml"], { ref: "refs/heads/feature" }));
    await deliver(app.probot, "push", push(["requirements/REQ-001.yml"], { deleted: true }), "delivery-2");
    await deliver(app.probot, "push", push(["requirements/REQ-001.yml"], { before: "0".repeat(40) }), "delivery-3");

    expectOnlyMockedRequests();
  });

  it("more than 300 changed files: not success, and it says why", async () => {
    const files = Array.from({ length: 300 }, (_, i) => ({ filename: `requirements/r${i}.yml`, status: "added", text: `id: REQ-${900 + i}\ntitle: T\ntext: The system shall.\n` }));
    mockPushContext();
    mockCompare(BASE, AFTER, files);
    // Nothing else is read: the check cannot pass whatever the listed files say.
    const sink = checkRunSink();
    sink.acceptCreates(1);

    await deliver(app.probot, "push", push([], { forced: true }));

    expect([sink.created[0]!.conclusion, sink.created[0]!.output.title]).toEqual(["failure", "Could not evaluate: the push changes 300 files or more; GitHub compares at most 300"]);
  });
});
