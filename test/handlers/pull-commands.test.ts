// `/reqgate` commands on pull requests (SPEC 2.4): approve and revoke (recorded in the ledger the
// baseline run carries), waive, recheck, help; edited and deleted comments.
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ledgerFromSummary, ledgerMarker } from "../../src/domain/approvals/ledger.js";
import { waiversFromSummary } from "../../src/domain/pulls/waiver.js";
import { API, BOT, deliver, expectOnlyMockedRequests, fixture, OWNER, recorder, REPO, useStrictProbot } from "../helpers/github-app.js";
import { changingState, checkRunSink, HEAD, mockPullReads, permission, runsFrom, subjectOf, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const COMMENT_ID = 492700400;
const CREATED = "2019-05-15T15:20:21Z";
const REACTION = `/repos/${OWNER}/${REPO}/issues/comments/${COMMENT_ID}/reactions`;
const REPLY = `/repos/${OWNER}/${REPO}/issues/2/comments`;

function comment(action: "created" | "edited" | "deleted", body: string, by = "maya", extra: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = fixture(`issue_comment.${action}.pr`);
  const c = { ...(payload.comment as Record<string, unknown>), body, user: { login: by, id: 1, type: by.endsWith("[bot]") ? "Bot" : "User" } };
  return { ...payload, comment: c, sender: { login: extra.sender ?? by, id: 1, type: "User" }, ...extra };
}

function withComment(body: string, by = "maya", over: Partial<PullState> = {}): PullState {
  return changingState({ comments: [{ id: COMMENT_ID, by, body, createdAt: CREATED }], ...over });
}

interface Body {
  body: string;
}

describe("/reqgate approve", () => {
  it("by a maintainer: recorded with the subject it approved, the rule met, a reaction", async () => {
    const state = withComment("Looks right.\n/reqgate approve");
    mockPullReads(state);
    permission("maya", "maintain");
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reaction = recorder();
    nock(API).post(REACTION, reaction.match).reply(201, {});

    await deliver(app.probot, "issue_comment", comment("created", "Looks right.\n/reqgate approve"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["success", "Approved: 1 requirement change (requirements board)"]);
    expect(ledgerFromSummary(baseline.output.summary)).toEqual({ entries: [{ pr: 2, by: "maya", via: "comment", id: COMMENT_ID, at: CREATED, act: "approve", subject: subjectOf(state) }] });
    expect(baseline.external_id).toBe(`pr2:${subjectOf(state)}`);
    expect(reaction.bodies).toEqual([{ content: "+1" }]);
  });

  it("by the author: not counted, and a reply says why and who may approve (no reaction)", async () => {
    mockPullReads(withComment("/reqgate approve", "Codertocat"));
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reply = recorder<Body>();
    nock(API).post(REPLY, reply.match).reply(201, { id: 900 });

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate approve", "Codertocat"));

    expect(sink.byName("reqgate/baseline").conclusion).toBe("action_required");
    expect(reply.bodies).toEqual([
      {
        body: `<!-- reqgate:reply ${COMMENT_ID} -->\n\`/reqgate approve\` by Codertocat does not count:\n\n- requirements board: the author of the pull request cannot approve it. It may be approved by maintain permission or higher.`,
      },
    ]);
  });

  it("naming a change record the pull request does not touch: not counted, the record named", async () => {
    mockPullReads(withComment("/reqgate approve CR-0009"));
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reply = recorder<Body>();
    nock(API).post(REPLY, reply.match).reply(201, { id: 900 });

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate approve CR-0009"));

    expect(reply.bodies[0]!.body).toContain("named CR\\-0009, which this pull request does not add or change");
  });

  it("a redelivered approval is answered once: no second reply, nothing rewritten", async () => {
    const state = withComment("/reqgate approve", "Codertocat");
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reply = recorder<Body>();
    nock(API).post(REPLY, reply.match).reply(201, { id: 900 });
    await deliver(app.probot, "issue_comment", comment("created", "/reqgate approve", "Codertocat"));

    const replied = { id: 900, by: BOT, bot: true, body: reply.bodies[0]!.body, createdAt: CREATED };
    mockPullReads({ ...state, comments: [...state.comments!, replied], headRuns: runsFrom(sink.created) }, { warm: true });
    await deliver(app.probot, "issue_comment", comment("created", "/reqgate approve", "Codertocat"), "delivery-2");

    expect(reply.bodies).toHaveLength(1);
    expect(sink.created).toHaveLength(2);
  });

  it("quoted or in a code block, a command is no command: nothing is read (strict nock: no request at all)", async () => {
    await deliver(app.probot, "issue_comment", comment("created", "> /reqgate approve\n\n```\n/reqgate approve\n```"));

    expectOnlyMockedRequests();
  });

  it("commands written by bots are ignored (strict nock: no request at all)", async () => {
    await deliver(app.probot, "issue_comment", comment("created", "/reqgate approve", "ci-bot[bot]"));

    expectOnlyMockedRequests();
  });
});

describe("approval comments across pushes", () => {
  it("a code-only push keeps an approval comment: the ledger comes from the earlier head's run", async () => {
    const state = withComment("/reqgate approve");
    const ledger = { entries: [{ pr: 2, by: "maya", via: "comment" as const, id: COMMENT_ID, at: CREATED, act: "approve" as const, subject: subjectOf(state) }] };
    state.earlierRuns = [{ oid: "1".repeat(40), runs: [{ name: "reqgate/baseline", summary: `${ledgerMarker(ledger)}\n\nold` }] }];
    mockPullReads(state);
    permission("maya", "maintain");
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("success");
    expect(ledgerFromSummary(baseline.output.summary)).toEqual(ledger);
  });

  it("a push that changes a requirement makes the approval comment stale", async () => {
    const state = withComment("/reqgate approve");
    const ledger = { entries: [{ pr: 2, by: "maya", via: "comment" as const, id: COMMENT_ID, at: CREATED, act: "approve" as const, subject: "sha256:what-maya-saw" }] };
    state.earlierRuns = [{ oid: "1".repeat(40), runs: [{ name: "reqgate/baseline", summary: `${ledgerMarker(ledger)}\n\nold` }] }];
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    expect(sink.byName("reqgate/baseline").output.summary).toContain("maya (comment): approved an earlier version; requirements, change records or the base changed since");
  });
});

describe("edited and deleted comments", () => {
  it("an approval comment edited by someone else is void, and the check says who edited it", async () => {
    const state = withComment("/reqgate approve");
    const ledger = { entries: [{ pr: 2, by: "maya", via: "comment" as const, id: COMMENT_ID, at: CREATED, act: "approve" as const, subject: subjectOf(state) }] };
    state.comments![0]!.editedBy = "mallory";
    state.headRuns = [{ id: 1002, name: "reqgate/baseline", conclusion: "SUCCESS", title: "Approved", summary: `${ledgerMarker(ledger)}\n\nold`, externalId: `pr2:${subjectOf(state)}` }];
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "issue_comment", comment("edited", "/reqgate approve", "maya", { sender: "mallory", changes: { body: { from: "/reqgate approve" } } }));

    const update = sink.updated[0]!;
    expect([update.id, update.body.conclusion]).toEqual([1002, "action_required"]);
    expect(update.body.output.summary).toContain("⚠️ The approval comment of maya was edited by mallory; it does not count.");
    expect(update.body.output.summary).toContain("maya (comment): approval comment edited by mallory; voided");
  });

  it("an approval comment its author edited does not approve either (post a new one)", async () => {
    const state = withComment("/reqgate approve");
    state.comments![0]!.editedBy = "maya";
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "issue_comment", comment("edited", "/reqgate approve", "maya", { changes: { body: { from: "/reqgate approve CR-0002" } } }));

    expect(sink.byName("reqgate/baseline").output.summary).toContain("maya (comment): the approval comment was edited; edited comments do not approve \\(post a new one\\)");
  });

  it("an edit that does not touch a command reads nothing (strict nock: no request at all)", async () => {
    await deliver(app.probot, "issue_comment", comment("edited", "Typo fixed", "maya", { changes: { body: { from: "Typo fxed" } } }));

    expectOnlyMockedRequests();
  });

  it("a recorded revoke still withdraws after its comment was deleted", async () => {
    const state = changingState({ reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: "2019-05-15T15:00:00Z" }] });
    const ledger = { entries: [{ pr: 2, by: "maya", via: "comment" as const, id: COMMENT_ID, at: CREATED, act: "withdraw" as const }] };
    state.headRuns = [{ id: 1002, name: "reqgate/baseline", conclusion: "ACTION_REQUIRED", title: "Waiting", summary: `${ledgerMarker(ledger)}\n\nold`, externalId: `pr2:${subjectOf(state)}` }];
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "issue_comment", comment("deleted", "/reqgate revoke"));

    expect(sink.updated[0]!.body.conclusion).toBe("action_required");
    expect(ledgerFromSummary(sink.updated[0]!.body.output.summary)).toEqual(ledger);
  });
});

describe("/reqgate revoke, waive, recheck, help", () => {
  it("revoke withdraws one's own approval and is recorded", async () => {
    const state = changingState({
      reviews: [{ id: 80, by: "maya", state: "APPROVED", commit: HEAD, at: "2019-05-15T15:00:00Z" }],
      comments: [{ id: COMMENT_ID, by: "maya", body: "/reqgate revoke", createdAt: CREATED }],
    });
    mockPullReads(state);
    const sink = checkRunSink();
    sink.acceptCreates(2);
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate revoke"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("action_required");
    expect(ledgerFromSummary(baseline.output.summary)).toEqual({ entries: [{ pr: 2, by: "maya", via: "comment", id: COMMENT_ID, at: CREATED, act: "withdraw" }] });
  });

  it("waive by a maintainer: the untraced pull request is neutral with who and why, carried in the trace run", async () => {
    mockPullReads({ body: "Quick fix", closingIssues: [], comments: [{ id: COMMENT_ID, by: "maya", body: "/reqgate waive release tooling only", createdAt: CREATED }] });
    permission("maya", "maintain");
    const sink = checkRunSink();
    sink.acceptCreates(2);
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate waive release tooling only"));

    const trace = sink.byName("reqgate/trace");
    expect([trace.conclusion, trace.output.title]).toEqual(["neutral", "Exempt: waived by maya: release tooling only"]);
    expect(waiversFromSummary(trace.output.summary)).toEqual([{ pr: 2, by: "maya", reason: "release tooling only", at: CREATED, comment: COMMENT_ID }]);
  });

  it("the waiver stays on the next head", async () => {
    const waived = { pr: 2, by: "maya", reason: "release tooling only", at: CREATED, comment: COMMENT_ID };
    const { waiverMarker } = await import("../../src/domain/pulls/waiver.js");
    mockPullReads({ body: "Quick fix", closingIssues: [], earlierRuns: [{ oid: "2".repeat(40), runs: [{ name: "reqgate/trace", summary: `${waiverMarker([waived])}\n\nold` }] }] });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.synchronize"));

    expect(waiversFromSummary(sink.byName("reqgate/trace").output.summary)).toEqual([waived]);
  });

  it("waive by a writer is refused with a reply; the check is still evaluated", async () => {
    mockPullReads({ body: "Quick fix", closingIssues: [] });
    permission("maya", "write");
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reply = recorder<Body>();
    nock(API).post(REPLY, reply.match).reply(201, { id: 900 });

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate waive trust me"));

    expect(sink.byName("reqgate/trace").conclusion).toBe("failure");
    expect(reply.bodies[0]!.body).toContain("`/reqgate waive` was refused: it needs the maintain or admin permission on this repository.");
  });

  it("recheck by a writer: evaluated again, acknowledged", async () => {
    mockPullReads({});
    permission("maya", "write");
    const sink = checkRunSink();
    sink.acceptCreates(2);
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate recheck"));

    expect(sink.created.map((b) => b.name)).toEqual(["reqgate/trace", "reqgate/baseline"]);
  });

  it("help: one reply with the commands", async () => {
    mockPullReads({});
    const sink = checkRunSink();
    sink.acceptCreates(2);
    const reply = recorder<Body>();
    nock(API).post(REPLY, reply.match).reply(201, { id: 900 });

    await deliver(app.probot, "issue_comment", comment("created", "/reqgate help"));

    expect(reply.bodies[0]!.body).toContain("| `/reqgate approve [CR-…]` | pull requests | approvers | approve a pull request's baseline change |");
  });
});
