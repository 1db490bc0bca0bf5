// Suspect work (SPEC 2.5) through the handlers: a push that moves the baseline marks the open issues and
// pull requests that reference the moved requirement; `/reqgate reviewed` and an edit clear the mark.
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ISSUE_MARKER } from "../../src/domain/issues/issue-comment.js";
import { composeBody, readSuspect } from "../../src/github/sticky-comment.js";
import { API, BOT, deliver, expectOnlyMockedRequests, fixture, mockIssueQuery, mockLock, OWNER, recorder, REPO, REPO_ID, SECRET, useStrictProbot } from "../helpers/github-app.js";
import { BASE, BASE_LOCK, checkRunSink, HEAD, LOCK, mockBlob, mockCompare, mockMovingPush, mockObjects, mockPullReads, mockPushContext, movingFiles, MOVING_PATHS, PR, PUSH_AFTER, pushOf, REQ1, requirementChange, runsFrom, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const AFTER = PUSH_AFTER;
const ISSUE = `/repos/${OWNER}/${REPO}/issues/1`;
const SCOPE = { owner: OWNER, repo: REPO, repoId: REPO_ID, number: 1 };
const PUSHED = "2019-05-15T15:19:25Z";
const QUERY = `repo:${OWNER}/${REPO} is:open in:title,body ("REQ-001")`;
const change = requirementChange();

/** REQ-001 was "5 failed logins", CR-0002 makes it "3 failed logins" (the push moves the baseline). */
const MARK = {
  id: "REQ-001",
  kind: "modified" as const,
  key: expect.stringMatching(/^CR-0002:sha256:[0-9a-f]{64}$/) as unknown as string,
  commit: AFTER,
  at: PUSHED,
  change: "CR-0002",
  before: "The system shall lock an account after 5 failed logins.",
  after: "The system shall lock an account after 3 failed logins.",
};

const push = pushOf;
const PUSHED_PATHS = MOVING_PATHS;

interface SearchItem {
  number: number;
  title: string;
  body: string;
  pull?: boolean;
}

function mockSearch(items: SearchItem[], over: { total?: number; incomplete?: boolean; q?: string } = {}): void {
  nock(API)
    .get("/search/issues")
    .query({ q: over.q ?? QUERY, per_page: "100", page: "1", advanced_search: "true" })
    .reply(200, {
      total_count: over.total ?? items.length,
      incomplete_results: over.incomplete ?? false,
      items: items.map((i) => ({ number: i.number, title: i.title, body: i.body, state: "open", ...(i.pull ? { pull_request: { url: `${API}/repos/${OWNER}/${REPO}/pulls/${i.number}` } } : {}) })),
    });
}

/** Pull request #2 names REQ-001 itself and fixes issue #1; its base is the default branch after the push. */
const SUSPECT_PULL: PullState = {
  body: "Lockout for REQ-001\n\nFixes #1",
  baseLock: change.headLock,
  closingIssues: [{ number: 1, title: "Lockout", body: "Requirement: REQ-001" }],
};

interface Body {
  body: string;
}

describe("push that moves the baseline: suspect work", () => {
  it("one search; the issue gets the label and the comment (requirement, change record, before/after, how to clear); the pull request a neutral trace with a note and the label", async () => {
    const drift = mockMovingPush();
    mockSearch([
      { number: 1, title: "Lockout", body: "Requirement: REQ-001" },
      { number: PR, title: "Update the README with new information.", body: SUSPECT_PULL.body!, pull: true },
      // Search matches words: this one names REQ-0011, not REQ-001, and is left alone.
      { number: 9, title: "Other", body: "See REQ-0011 and req 001" },
    ]);
    // Issue #1: traced, never had a comment; it gets one now, and the label (created first).
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001" });
    mockLock({ text: change.headLock });
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });
    const labelCreated = recorder();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, labelCreated.match).reply(201, {});
    const issueLabel = recorder();
    nock(API).post(`${ISSUE}/labels`, issueLabel.match).reply(200, []);
    // Pull request #2: its trace only (the lock blob is known from the push), then the label.
    mockPullReads(SUSPECT_PULL, { traceOnly: true, warm: true });
    const trace = checkRunSink();
    trace.acceptCreates(1);
    const pullLabel = recorder();
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/${PR}/labels`, pullLabel.match).reply(200, []);

    await deliver(app.probot, "push", push(PUSHED_PATHS));

    expect(drift.created[0]!.conclusion).toBe("success");
    const body = comment.bodies[0]!.body;
    expect(body.startsWith(`${ISSUE_MARKER}\n### ✅ Traced`)).toBe(true);
    expect(body).toContain(
      [
        "### ⚠️ Suspect: a requirement this issue builds on changed",
        "",
        "This work was planned against content that no longer holds. Check it against the current requirement:",
        "",
        "- `REQ-001` was modified by change record `CR-0002` (commit `6113728`)",
        "  - Before: The system shall lock an account after 5 failed logins\\.",
        "  - After: The system shall lock an account after 3 failed logins\\.",
        "",
        "To clear the `suspect` flag: once the work matches the current requirement, someone with write access replies `/reqgate reviewed`; or edit this issue so that it points at the current requirement (for a retired one, reference its successor instead).",
      ].join("\n"),
    );
    expect(readSuspect(body, SECRET, SCOPE)).toEqual({ marks: [MARK], reviewed: [] });
    expect(labelCreated.bodies).toEqual([{ name: "suspect", color: "d93f0b", description: "reqgate: a requirement this work references changed; review it, then /reqgate reviewed" }]);
    expect(issueLabel.bodies).toEqual([{ labels: ["suspect"] }]);

    const run = trace.created[0]!;
    expect(run).toMatchObject({ name: "reqgate/trace", head_sha: HEAD, conclusion: "neutral" });
    expect(run.output.title).toBe("Suspect: REQ-001 changed since this work started; review with /reqgate reviewed");
    expect(run.output.summary).toMatch(/^<!-- reqgate:suspect \{/);
    expect(run.output.summary).toContain("**Suspect:** a requirement this pull request references changed after the work started:\n\n- `REQ-001` was modified by change record `CR-0002` (commit `6113728`)");
    expect(pullLabel.bodies).toEqual([{ labels: ["suspect"] }]);
  });

  it("a redelivered push changes nothing more: the mark is on record, the comment and the check are as they should be", async () => {
    const suspectBody = await markedIssueBody();
    mockMovingPushRedelivered();
    mockSearch([
      { number: 1, title: "Lockout", body: "Requirement: REQ-001" },
      { number: PR, title: "Update the README with new information.", body: SUSPECT_PULL.body!, pull: true },
    ]);
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001", labels: ["suspect"], comments: [{ id: 900, body: suspectBody.body, login: BOT, bot: true }] });
    mockLock({ text: change.headLock });
    mockPullReads({ ...SUSPECT_PULL, labels: ["suspect"], headRuns: suspectBody.runs }, { traceOnly: true, warm: true });

    await deliver(app.probot, "push", push(PUSHED_PATHS), "delivery-2");
    // Nothing written: strict nock fails on any request not mocked above.

    expectOnlyMockedRequests();
  });

  it("when the search fails the push still gets its check, and nothing is claimed", async () => {
    mockMovingPush();
    nock(API).get("/search/issues").query(true).reply(503, { message: "unavailable" });

    await deliver(app.probot, "push", push(PUSHED_PATHS));

    expectOnlyMockedRequests();
  });

  it("seven moved requirements take two searches of at most six IDs (five OR operators) each", async () => {
    const ids = ["REQ-001", "REQ-002", "REQ-003", "REQ-004", "REQ-005", "REQ-006", "REQ-007"];
    const texts = ids.map((id) => `id: ${id}\ntitle: T ${id}\ntext: The system shall do ${id}.\n`);
    const paths = ids.map((id) => `requirements/${id}.yml`);
    const record = `id: CR-0002\ntitle: Many\nrationale: R.\naffects: [${ids.join(", ")}]\n`;
    const records0 = `id: CR-0001\ntitle: Initial\nrationale: R.\naffects: [${ids.join(", ")}]\n`;
    const { lockFor } = await import("../helpers/github-pulls.js");
    const { parseLock } = await import("../../src/domain/baseline/baseline.js");
    const base = lockFor(Object.fromEntries(paths.map((p, i) => [p, texts[i]!])), { "requirements/changes/CR-0001.yml": records0 });
    const edited = texts.map((t) => t.replace("shall do", "shall now do"));
    const head = lockFor(Object.fromEntries(paths.map((p, i) => [p, edited[i]!])), { "requirements/changes/CR-0002.yml": record }, parseLock(LOCK, base).lock);
    const files = [...paths.map((p, i) => ({ filename: p, status: "modified", text: edited[i]! })), { filename: "requirements/changes/CR-0002.yml", status: "added", text: record }, { filename: LOCK, status: "modified", text: head }];
    mockPushContext({ baseLock: base });
    mockCompare(BASE, AFTER, files);
    mockObjects({ files, base: Object.fromEntries(paths.map((p, i) => [p, texts[i]!])) });
    mockBlob(base);
    mockBlob(head);
    checkRunSink().acceptCreates(1);
    mockSearch([], { q: `repo:${OWNER}/${REPO} is:open in:title,body ("REQ-001" OR "REQ-002" OR "REQ-003" OR "REQ-004" OR "REQ-005" OR "REQ-006")` });
    mockSearch([], { q: `repo:${OWNER}/${REPO} is:open in:title,body ("REQ-007")` });

    await deliver(app.probot, "push", push([...paths, "requirements/changes/CR-0002.yml", LOCK]));

    expectOnlyMockedRequests();
  });
});

/** The comment and trace runs the first push leaves (from running it once in a fresh app). */
async function markedIssueBody(): Promise<{ body: string; runs: ReturnType<typeof runsFrom> }> {
  const { makeProbot } = await import("../helpers/github-app.js");
  const probot = await makeProbot();
  mockMovingPush();
  mockSearch([
    { number: 1, title: "Lockout", body: "Requirement: REQ-001" },
    { number: PR, title: "Update the README with new information.", body: SUSPECT_PULL.body!, pull: true },
  ]);
  mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001" });
  mockLock({ text: change.headLock });
  const comment = recorder<Body>();
  nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });
  nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
  nock(API).post(`${ISSUE}/labels`).reply(200, []);
  mockPullReads(SUSPECT_PULL, { traceOnly: true, warm: true });
  const trace = checkRunSink();
  trace.acceptCreates(1);
  nock(API).post(`/repos/${OWNER}/${REPO}/issues/${PR}/labels`).reply(200, []);
  await deliver(probot, "push", push(PUSHED_PATHS), "delivery-0");
  expect(nock.pendingMocks()).toEqual([]);
  return { body: comment.bodies[0]!.body, runs: runsFrom(trace.created) };
}

/** The same push again: its drift run exists now (unchanged: no write). */
function mockMovingPushRedelivered(): void {
  const files = movingFiles();
  mockPushContext({ runs: [{ id: 1001, name: "reqgate/baseline", conclusion: "SUCCESS", title: "The baseline lock matches the requirement files", summary: "The baseline lock matches the requirement files and change records of this commit. The baseline moved (1 requirement):\n\n- `REQ-001` modified by `CR-0002`", externalId: `drift:${BASE}`, detailsUrl: `https://github.com/${OWNER}/${REPO}/commit/${AFTER}` }] });
  mockCompare(BASE, AFTER, files);
  mockObjects({ files, base: { "requirements/REQ-001.yml": REQ1 } });
  mockBlob(BASE_LOCK);
  mockBlob(change.headLock);
}

describe("clearing the suspect flag", () => {
  function markedComment(): string {
    const mark = { ...MARK, key: "CR-0002:sha256:abc" };
    return composeBody(`${ISSUE_MARKER}\n### ✅ Traced`, undefined, SECRET, SCOPE, { marks: [mark], reviewed: [] });
  }

  it("/reqgate reviewed by a writer: reaction, the mark becomes a review with who and when, the label goes", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write", user: { login: "Codertocat" } });
    nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/492700400/reactions`, { content: "+1" }).reply(201, {});
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001", labels: ["suspect"], comments: [{ id: 900, body: markedComment(), login: BOT, bot: true }] });
    mockLock({ text: change.headLock });
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/900`, patch.match).reply(200, {});
    nock(API).delete(`${ISSUE}/labels/suspect`).reply(200, []);

    const payload = fixture("issue_comment.created");
    await deliver(app.probot, "issue_comment", { ...payload, comment: { ...(payload.comment as object), body: "Checked against CR-0002.\n/reqgate reviewed" } });

    const body = patch.bodies[0]!.body;
    expect(body).not.toContain("### ⚠️ Suspect");
    expect(body).toContain("<sub>Reviewed after a baseline move: `REQ-001` by Codertocat on 2019\\-05\\-15.</sub>");
    expect(readSuspect(body, SECRET, SCOPE)).toEqual({ marks: [], reviewed: [{ id: "REQ-001", key: "CR-0002:sha256:abc", by: "Codertocat", at: "2019-05-15T15:20:21Z", how: "reviewed" }] });
  });

  it("/reqgate reviewed by a reader is refused and the flag stays", async () => {
    nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/Codertocat/permission`).reply(200, { permission: "read", role_name: "read", user: { login: "Codertocat" } });
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001", labels: ["suspect"], comments: [{ id: 900, body: markedComment(), login: BOT, bot: true }] });
    const reply = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, reply.match).reply(201, { id: 901 });

    const payload = fixture("issue_comment.created");
    await deliver(app.probot, "issue_comment", { ...payload, comment: { ...(payload.comment as object), body: "/reqgate reviewed" } });

    expect(reply.bodies[0]!.body).toContain("`/reqgate reviewed` was refused: it needs the write, maintain or admin permission on this repository.");
  });

  it("an edit of the issue after the move that still names the (current) requirement clears it; the label goes", async () => {
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001 (3 attempts now)", labels: ["suspect"], comments: [{ id: 900, body: markedComment(), login: BOT, bot: true }] });
    mockLock({ text: change.headLock });
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/900`, patch.match).reply(200, {});
    nock(API).delete(`${ISSUE}/labels/suspect`).reply(200, []);

    const payload = fixture("issues.edited");
    const issue = { ...(payload.issue as object), number: 1, updated_at: "2019-05-16T08:00:00Z" };
    await deliver(app.probot, "issues", { ...payload, issue, changes: { body: { from: "Requirement: REQ-001" } } });

    expect(readSuspect(patch.bodies[0]!.body, SECRET, SCOPE).reviewed).toEqual([{ id: "REQ-001", key: "CR-0002:sha256:abc", by: "Codertocat", at: "2019-05-16T08:00:00Z", how: "edited" }]);
  });

  it("a label change is no edit of the text: the mark stays, and so does the label", async () => {
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001", labels: ["suspect", "bug"], comments: [{ id: 900, body: markedComment(), login: BOT, bot: true }] });
    mockLock({ text: change.headLock });
    // The stub comment above is rendered in full now; no label is removed (no DELETE is mocked).
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/900`, patch.match).reply(200, {});

    const payload = fixture("issues.labeled");
    await deliver(app.probot, "issues", { ...payload, issue: { ...(payload.issue as object), number: 1 } });

    expect(readSuspect(patch.bodies[0]!.body, SECRET, SCOPE).marks.map((m) => m.id)).toEqual(["REQ-001"]);
    expect(patch.bodies[0]!.body).toContain("### ⚠️ Suspect: a requirement this issue builds on changed");
  });

  it("a later move of the same requirement makes reviewed work suspect again", async () => {
    const reviewed = composeBody(`${ISSUE_MARKER}\n### ✅ Traced`, undefined, SECRET, SCOPE, { marks: [], reviewed: [{ id: "REQ-001", key: "CR-0001:sha256:old", by: "maya", at: "2019-01-01T00:00:00Z", how: "reviewed" }] });
    mockMovingPush();
    mockSearch([{ number: 1, title: "Lockout", body: "Requirement: REQ-001" }]);
    mockIssueQuery({ title: "Lockout", body: "Requirement: REQ-001", comments: [{ id: 900, body: reviewed, login: BOT, bot: true }] });
    mockLock({ text: change.headLock });
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/900`, patch.match).reply(200, {});
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`, { labels: ["suspect"] }).reply(200, []);

    await deliver(app.probot, "push", push(PUSHED_PATHS));

    expect(readSuspect(patch.bodies[0]!.body, SECRET, SCOPE).marks).toEqual([MARK]);
  });
});

describe("/reqgate reviewed on a pull request", () => {
  it("by a writer: the trace passes again, the review is carried in the run, the label goes, a reaction", async () => {
    const mark = { ...MARK, key: "CR-0002:sha256:abc" };
    const by = "maya";
    const trace = await reviewedByWriter(by, { marks: [mark], reviewed: [] });
    expect([trace.conclusion, trace.output.title]).toEqual(["success", "Traced to REQ-001"]);
    const { readHiddenLeading } = await import("../../src/domain/core/hidden-data.js");
    // A run written before states were kept per pull request is read as this one's; it is written back per pull request.
    expect(readHiddenLeading(trace.output.summary, "reqgate:suspect")).toEqual({ prs: [{ pr: 2, marks: [], reviewed: [{ id: "REQ-001", key: "CR-0002:sha256:abc", by, at: "2019-05-15T15:20:21Z", how: "reviewed" }] }] });
    expect(trace.output.summary).not.toContain("**Suspect:**");
  });

  it("pull request #2's review does not clear #7's marks on the same head commit, and #7's marks do not make #2 suspect", async () => {
    const mark = { ...MARK, key: "CR-0002:sha256:abc" };
    const { readHiddenLeading } = await import("../../src/domain/core/hidden-data.js");
    const shared = { prs: [{ pr: 2, marks: [mark], reviewed: [] }, { pr: 7, marks: [mark], reviewed: [] }] };
    const by = "maya";
    const trace = await reviewedByWriter(by, shared);
    expect([trace.conclusion, trace.output.title]).toEqual(["success", "Traced to REQ-001"]);
    expect(readHiddenLeading(trace.output.summary, "reqgate:suspect")).toEqual({
      prs: [
        { pr: 2, marks: [], reviewed: [{ id: "REQ-001", key: "CR-0002:sha256:abc", by, at: "2019-05-15T15:20:21Z", how: "reviewed" }] },
        { pr: 7, marks: [mark], reviewed: [] },
      ],
    });
  });

  it("marks of another pull request on the same head commit do not make this one suspect", async () => {
    const mark = { ...MARK, key: "CR-0002:sha256:abc" };
    const { writeHidden, readHiddenLeading } = await import("../../src/domain/core/hidden-data.js");
    const shared = { prs: [{ pr: 7, marks: [mark], reviewed: [] }] };
    const run = { id: 1001, name: "reqgate/trace", conclusion: "SUCCESS", title: "Traced to REQ-001", summary: `${writeHidden("reqgate:suspect", shared)}\n\n…` };
    mockPullReads({ ...withoutBaseLock(SUSPECT_PULL), headRuns: [run] });
    const sink = checkRunSink();
    sink.acceptUpdates(1);
    sink.acceptCreates(1);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const trace = sink.updated[0]!.body;
    expect([trace.conclusion, trace.output.title]).toEqual(["success", "Traced to REQ-001"]);
    expect(trace.output.summary).not.toContain("**Suspect:**");
    expect(readHiddenLeading(trace.output.summary, "reqgate:suspect")).toEqual(shared);
  });
});

/** The pull with the default base lock of the helpers (its own base lock left out). */
function withoutBaseLock(state: PullState): PullState {
  const { baseLock: _default, ...rest } = state;
  return rest;
}

/** `/reqgate reviewed` by a writer on a pull request whose trace run carries `record`: the trace run written. */
async function reviewedByWriter(by: string, record: unknown) {
  const { writeHidden } = await import("../../src/domain/core/hidden-data.js");
  const suspectRun = { id: 1001, name: "reqgate/trace", conclusion: "NEUTRAL", title: "Suspect: REQ-001 changed since this work started; review with /reqgate reviewed", summary: `${writeHidden("reqgate:suspect", record)}\n\n**Suspect:** …` };
  mockPullReads({ ...withoutBaseLock(SUSPECT_PULL), labels: ["suspect"], headRuns: [suspectRun], comments: [{ id: 492700400, by, body: "/reqgate reviewed", createdAt: "2019-05-15T15:20:21Z" }] });
  nock(API).get(`/repos/${OWNER}/${REPO}/collaborators/${by}/permission`).reply(200, { permission: "write", role_name: "write", user: { login: by } });
  const sink = checkRunSink();
  sink.acceptUpdates(1);
  sink.acceptCreates(1);
  nock(API).delete(`/repos/${OWNER}/${REPO}/issues/${PR}/labels/suspect`).reply(200, []);
  nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/492700400/reactions`, { content: "+1" }).reply(201, {});

  const payload = fixture("issue_comment.created.pr");
  await deliver(app.probot, "issue_comment", { ...payload, comment: { ...(payload.comment as object), body: "/reqgate reviewed", user: { login: by, id: 1, type: "User" } }, sender: { login: by, id: 1, type: "User" } });
  return sink.updated[0]!.body;
}
