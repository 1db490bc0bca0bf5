// Idempotence and failing closed on the pull-request side: redeliveries, a create GitHub applied
// before answering 502 (retry and throttling ON here, as in production), a head that moved while
// evaluating, file lists GitHub cannot give whole, annotations past 50.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ledgerFromSummary } from "../../src/domain/approvals/ledger.js";
import { API, APP_ID, assertNockDone, deliver, expectOnlyMockedRequests, fixture, makeProbot, OWNER, REPO, strictNock } from "../helpers/github-app.js";
import {
  BASE_LOCK,
  blobSha,
  changingState,
  checkRunSink,
  contextData,
  HEAD,
  mockBlob,
  mockObjects,
  mockPullReads,
  permission,
  PR_URL,
  PULL_PATH,
  pullRest,
  runsFrom,
  subjectOf,
  type PullState,
  mockOpenPulls,
} from "../helpers/github-pulls.js";

beforeEach(() => {
  strictNock();
});

afterEach(() => {
  assertNockDone();
});

const RUNS = `/repos/${OWNER}/${REPO}/check-runs`;

describe("idempotence", () => {
  it("a redelivered event writes nothing when the runs already show the result", async () => {
    const probot = await makeProbot();
    const state = changingState();
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);
    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    mockPullReads({ ...state, headRuns: runsFrom(sink.created) }, { warm: true });
    await deliver(probot, "pull_request", fixture("pull_request.opened"), "delivery-2");

    expect(sink.created).toHaveLength(2);
    expect(sink.updated).toEqual([]);
  });

  it("a create that GitHub applied before answering 502 is not made twice: the runs are listed again", async () => {
    const probot = await makeProbot({ reliable: true });
    mockPullReads({});
    const posts: Array<{ name: string }> = [];
    nock(API)
      .post(RUNS, (b: { name: string }) => b.name === "reqgate/trace" && posts.push(b) > 0)
      .reply(502, { message: "Bad Gateway" });
    // The re-list finds the run the failed POST created, showing exactly this result: nothing more to write.
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/commits/${HEAD}/check-runs`)
      .query({ check_name: "reqgate/trace", app_id: String(APP_ID), filter: "latest" })
      .reply(200, () => ({
        total_count: 1,
        check_runs: [{ id: 555, name: "reqgate/trace", status: "completed", conclusion: "success", external_id: "", details_url: PR_URL, output: { title: "Traced to REQ-001", summary: (posts[0] as unknown as { output: { summary: string } }).output.summary, text: null, annotations_count: 0 } }],
      }));
    const sink = checkRunSink();
    sink.acceptCreates(1);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    expect(posts).toHaveLength(1);
    expect(sink.created.map((b) => b.name)).toEqual(["reqgate/baseline"]);
  });

  it("a create that GitHub did not apply is sent again after the re-list finds nothing", async () => {
    const probot = await makeProbot({ reliable: true });
    mockPullReads({});
    nock(API)
      .post(RUNS, (b: { name: string }) => b.name === "reqgate/trace")
      .reply(502, { message: "Bad Gateway" });
    nock(API).get(`/repos/${OWNER}/${REPO}/commits/${HEAD}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    expect(sink.created.map((b) => b.name).sort()).toEqual(["reqgate/baseline", "reqgate/trace"]);
  });
});

describe("a head that moved while evaluating", () => {
  it("the result for the older head is dropped, never written (strict nock: the reads and the head re-read happen, no check run is created or updated)", async () => {
    const probot = await makeProbot();
    mockPullReads({}, { headAtPublish: "9".repeat(40) });

    await deliver(probot, "pull_request", fixture("pull_request.synchronize"));

    expectOnlyMockedRequests();
  });

  it("an approval comment keeps the subject it was made on, and is recorded on the new head's run", async () => {
    const probot = await makeProbot();
    const NEW = "9".repeat(40);
    const body = "/reqgate approve";
    const state: PullState = changingState({ comments: [{ id: 492700400, by: "maya", body, createdAt: "2019-05-15T15:20:21Z" }] });
    mockPullReads(state, { headAtPublish: NEW });
    permission("maya", "maintain");
    // Second attempt, on the new head (a code-only push): what is cached is not read again.
    const moved = { ...state, headSha: NEW };
    nock(API).get(PULL_PATH).matchHeader("if-none-match", '"pull-moved"').reply(304, "", { etag: '"pull-moved"' });
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgatePull("))
      .reply(200, { data: contextData(moved) });
    nock(API).get(`${PULL_PATH}/files`).query({ per_page: "100", page: "1" }).matchHeader("if-none-match", '"files-1"').reply(304, "", { etag: '"files-1"' });
    permission("maya", "maintain");
    mockOpenPulls();
    nock(API).get(PULL_PATH).matchHeader("if-none-match", '"pull-moved"').reply(304, "", { etag: '"pull-moved"' });
    const sink = checkRunSink();
    sink.acceptCreates(2);
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/492700400/reactions`, { content: "+1" }).reply(201, {});

    const payload = fixture("issue_comment.created.pr");
    await deliver(probot, "issue_comment", { ...payload, comment: { ...(payload.comment as object), body, user: { login: "maya", id: 1, type: "User" } }, sender: { login: "maya", id: 1, type: "User" } });

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.head_sha).toBe(NEW);
    expect(baseline.conclusion).toBe("success");
    expect(ledgerFromSummary(baseline.output.summary).entries).toEqual([expect.objectContaining({ pr: 2, via: "comment", id: 492700400, act: "approve", subject: subjectOf(state) })]);
  });
});

describe("failing closed", () => {
  it("more than 3,000 changed files: the baseline check is not success and says why (the list is not even read)", async () => {
    const probot = await makeProbot();
    mockPullReads({ changedFiles: 3001 }, { traceOnly: true });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["failure", "Could not evaluate: the pull request changes 3001 files; GitHub lists at most 3,000, so reqgate cannot see every change"]);
    expect(baseline.external_id).toBe("incomplete");
  });

  it("a file list shorter than the pull request's count is incomplete too", async () => {
    const probot = await makeProbot();
    mockPullReads({ changedFiles: 2 });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    expect(sink.byName("reqgate/baseline").output.title).toBe("Could not evaluate: GitHub listed 1 of the 2 changed files");
  });

  it("a changed file GitHub does not give: not success", async () => {
    const probot = await makeProbot();
    const state = changingState();
    mockPullReads({ ...state, files: state.files!.map((f, i) => { if (i !== 0) return f; const { text: _dropped, ...rest } = f; return rest; }), base: state.base! }, { warm: true, noPublish: true });
    // Cold reads, by hand: the head of REQ-001 is asked by path (no blob SHA listed) and GitHub has nothing.
    nock.cleanAll();
    nock(API).get(PULL_PATH).reply(200, pullRest(state), { etag: '"p"' });
    nock(API).post("/graphql", (b: { query: string }) => b.query.includes("query reqgatePull(")).reply(200, { data: contextData(state) });
    nock(API)
      .get(`${PULL_PATH}/files`)
      .query(true)
      .reply(200, [
        { filename: "requirements/REQ-001.yml", status: "modified" },
        { filename: "requirements/changes/CR-0002.yml", status: "added", sha: blobSha(state.files![1]!.text!) },
        { filename: "requirements/baseline.lock", status: "modified", sha: blobSha(state.files![2]!.text!) },
      ]);
    mockObjects({ ...state, files: state.files!.slice(1), base: state.base! });
    mockBlob(BASE_LOCK);
    mockBlob(state.files![2]!.text!);
    nock(API).get(PULL_PATH).matchHeader("if-none-match", '"p"').reply(304, "", { etag: '"p"' });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    // REQ-001 reads as removed at the head: the change is judged on what was read and cannot pass.
    expect(sink.byName("reqgate/baseline").conclusion).toBe("failure");
  });
});

describe("annotations", () => {
  const files = Array.from({ length: 60 }, (_, i) => ({ filename: `requirements/new/REQ-${500 + i}.yml`, status: "added", text: `id: REQ-${500 + i}\ntitle: New ${i}\ntext: The system shall do ${i}.\ntitel: typo\n` }));

  it("one request carries them all: 49 findings and a notice counting the rest, no update appends", async () => {
    const probot = await makeProbot();
    mockPullReads({ files });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    const annotations = sink.byName("reqgate/baseline").output.annotations!;
    expect(annotations).toHaveLength(50);
    expect(annotations[49]).toMatchObject({ annotation_level: "notice", title: "reqgate: more findings" });
    expect(annotations[49]!.message).toMatch(/^and \d+ more annotations in \d+ files, not shown; run `reqgate check` to see them all$/);
    expect(sink.updated).toEqual([]);
  });

  it("a run that holds more annotations than the result is replaced by a new run (GitHub cannot remove annotations)", async () => {
    const probot = await makeProbot();
    mockPullReads({ headRuns: [{ id: 77, name: "reqgate/baseline", conclusion: "FAILURE", title: "old", summary: "old", annotations: 12 }] });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(probot, "pull_request", fixture("pull_request.opened"));

    expect(sink.created.map((b) => [b.name, b.conclusion])).toEqual([
      ["reqgate/trace", "success"],
      ["reqgate/baseline", "success"],
    ]);
  });
});
