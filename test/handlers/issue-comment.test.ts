import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { composeBody, readWaiver } from "../../src/github/sticky-comment.js";
import { API, BOT, deliver, expectOnlyMockedRequests, fixture, mockIssueQuery, mockLock, OWNER, recorder, REPO, REPO_ID, SECRET, useStrictProbot } from "../helpers/github-app.js";

const ISSUE = `/repos/${OWNER}/${REPO}/issues/1`;
const SCOPE = { owner: OWNER, repo: REPO, repoId: REPO_ID, number: 1 };
const COMMENT_ID = 492700400;
const PERMISSION = `/repos/${OWNER}/${REPO}/collaborators/Codertocat/permission`;
const REACTION = `/repos/${OWNER}/${REPO}/issues/comments/${COMMENT_ID}/reactions`;

const app = useStrictProbot();

function commented(body: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = fixture("issue_comment.created");
  const comment = { ...(payload.comment as Record<string, unknown>), body };
  return { ...payload, comment, ...over };
}

function role(name: string) {
  return { permission: name === "maintain" ? "write" : name, role_name: name, user: { login: "Codertocat" } };
}

interface Body {
  body: string;
}

describe("issue_comment: /reqgate waive", () => {
  it("a maintainer's waiver: reaction, label removed, the comment shows who and why and keeps the waiver", async () => {
    nock(API).get(PERMISSION).reply(200, role("maintain"));
    const reaction = recorder();
    nock(API).post(REACTION, reaction.match).reply(201, {});
    mockIssueQuery({ body: "", labels: ["needs-requirement"], comments: [{ id: 77, body: composeBody(`<!-- reqgate:issue -->\nold`, undefined, SECRET, SCOPE), login: BOT, bot: true }] });
    mockLock();
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`, patch.match).reply(200, {});
    nock(API).delete(`${ISSUE}/labels/needs-requirement`).reply(200, []);

    await deliver(app.probot, "issue_comment", commented("Discussed offline.\n/reqgate waive exploratory spike, no product change"));

    expect(reaction.bodies).toEqual([{ content: "+1" }]);
    const body = patch.bodies[0]!.body;
    expect(body).toContain("### Waived\n\nCodertocat accepted this issue without a requirement:\n\n> exploratory spike, no product change");
    expect(readWaiver(body, SECRET, SCOPE)).toEqual({ by: "Codertocat", reason: "exploratory spike, no product change", at: "2019-05-15T15:20:21Z", comment: COMMENT_ID });
  });

  it("a waiver on a traced issue that has no reqgate comment is still recorded", async () => {
    nock(API).get(PERMISSION).reply(200, role("admin"));
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});
    mockIssueQuery({ body: "Implements REQ-001" });
    mockLock();
    const created = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, created.match).reply(201, { id: 902 });

    await deliver(app.probot, "issue_comment", commented("/reqgate waive in case the reference goes"));

    expect(created.bodies[0]!.body).toContain("### ✅ Traced");
    expect(readWaiver(created.bodies[0]!.body, SECRET, SCOPE)?.reason).toBe("in case the reference goes");
  });

  it("a writer's waiver is refused with a reply saying why and who may", async () => {
    nock(API).get(PERMISSION).reply(200, role("write"));
    mockIssueQuery({ body: "" });
    const reply = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, reply.match).reply(201, { id: 901 });

    await deliver(app.probot, "issue_comment", commented("/reqgate waive trust me"));

    expect(reply.bodies).toEqual([
      { body: `<!-- reqgate:reply 492700400 -->\n- \`/reqgate waive\` was refused: it needs the maintain or admin permission on this repository.` },
    ]);
  });

  it("fails closed when the permission cannot be read", async () => {
    nock(API).get(PERMISSION).reply(500, { message: "boom" });
    mockIssueQuery({ body: "" });
    const reply = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, reply.match).reply(201, { id: 901 });

    await deliver(app.probot, "issue_comment", commented("/reqgate waive please"));

    expect(reply.bodies[0]!.body).toContain("was refused: reqgate could not read Codertocat's permission from GitHub, and does not guess.");
  });

  it("a refused command that is redelivered is answered once (strict nock: the permission and the issue are read, no second reply is posted)", async () => {
    nock(API).get(PERMISSION).reply(200, role("read"));
    mockIssueQuery({ body: "", comments: [{ id: 901, body: `<!-- reqgate:reply 492700400 -->\n- refused`, login: BOT, bot: true }] });

    await deliver(app.probot, "issue_comment", commented("/reqgate waive again"));

    expectOnlyMockedRequests();
  });
});

describe("issue_comment: /reqgate recheck and help", () => {
  it("recheck by a writer: reaction and a fresh evaluation (strict nock: the +1 reaction, the issue and lock reads, the stale label removed)", async () => {
    nock(API).get(PERMISSION).reply(200, role("write"));
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});
    mockIssueQuery({ body: "Implements REQ-001", labels: ["needs-requirement"] });
    mockLock();
    nock(API).delete(`${ISSUE}/labels/needs-requirement`).reply(200, []);

    await deliver(app.probot, "issue_comment", commented("/reqgate recheck"));

    expectOnlyMockedRequests();
  });

  it("recheck by a triager is refused", async () => {
    nock(API).get(PERMISSION).reply(200, role("triage"));
    mockIssueQuery({ body: "" });
    const reply = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, reply.match).reply(201, { id: 901 });

    await deliver(app.probot, "issue_comment", commented("/reqgate recheck"));

    expect(reply.bodies[0]!.body).toContain("`/reqgate recheck` was refused: it needs the write, maintain or admin permission on this repository.");
  });

  it("help needs no permission and is answered with the command list", async () => {
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});
    mockIssueQuery({ body: "" });
    const reply = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, reply.match).reply(201, { id: 901 });

    await deliver(app.probot, "issue_comment", commented("/reqgate help"));

    expect(reply.bodies[0]!.body).toContain("| `/reqgate waive <reason>` | issues, pull requests | maintain and up | accept unlinked work, recording who and why |");
  });

  it("an unknown command is answered with help", async () => {
    nock(API).post(REACTION, { content: "+1" }).reply(201, {});
    mockIssueQuery({ body: "" });
    const reply = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, reply.match).reply(201, { id: 901 });

    await deliver(app.probot, "issue_comment", commented("/reqgate wave hello"));

    expect(reply.bodies[0]!.body).toContain("- `/reqgate wave` is not a reqgate command.");
  });
});

describe("issue_comment: what never executes", () => {
  it.each([
    ["a comment by a bot", commented("/reqgate waive x", { sender: { login: "other[bot]", id: 9, type: "Bot" } })],
    ["a command inside a quote", commented("> /reqgate waive x")],
    ["a command inside a code block", commented("```\n/reqgate waive x\n```")],
    ["a comment without a command", commented("Thanks!")],
  ])("%s: no request at all", async (_name, payload) => {
    await deliver(app.probot, "issue_comment", payload);

    expectOnlyMockedRequests();
  });

  it("an edited comment on an issue: no request at all (strict nock)", async () => {
    await deliver(app.probot, "issue_comment", { ...commented("/reqgate waive x"), action: "edited", changes: { body: { from: "hi" } } });

    expectOnlyMockedRequests();
  });
});
