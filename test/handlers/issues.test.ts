import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import { renderIssueComment } from "../../src/domain/issues/issue-comment.js";
import { composeBody } from "../../src/github/sticky-comment.js";
import { API, BOT, deliver, expectOnlyMockedRequests, fixture, issueData, lockEntry, lockText, makeProbot, mockIssueQuery, mockLock, OWNER, recorder, REPO, REPO_ID, SECRET, useStrictProbot } from "../helpers/github-app.js";

const ISSUE = `/repos/${OWNER}/${REPO}/issues/1`;
const SCOPE = { owner: OWNER, repo: REPO, repoId: REPO_ID, number: 1 };

const app = useStrictProbot();

function opened(): Record<string, unknown> {
  return fixture("issues.opened");
}

interface Body {
  body: string;
}

describe("issues: unlinked work", () => {
  it("labels an unlinked issue, creating the label, and posts one comment with the fix line and suggestions", async () => {
    const queries: Array<{ query: string; variables: Record<string, unknown> }> = [];
    mockIssueQuery({ title: "Spelling error in the README file", body: "It looks like you accidently spelled 'commit' with two 't's." }, queries);
    mockLock();
    const labelCreate = recorder();
    const labelAdd = recorder();
    const comment = recorder<Body>();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, labelCreate.match).reply(201, {});
    nock(API).post(`${ISSUE}/labels`, labelAdd.match).reply(200, []);
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(queries[0]?.variables).toEqual({ owner: OWNER, repo: REPO, number: 1, config: "HEAD:.github/reqgate.yml", first: true, after: null, pulls: false });
    expect(labelCreate.bodies).toEqual([{ name: "needs-requirement", color: "d93f0b", description: "reqgate: this issue does not reference a baselined requirement" }]);
    expect(labelAdd.bodies).toEqual([{ labels: ["needs-requirement"] }]);
    const body = comment.bodies[0]!.body;
    expect(body.startsWith("<!-- reqgate:issue -->\n### ⚠️ Not linked to a requirement")).toBe(true);
    expect(body).toContain("```text\nRequirement: REQ-003\n```");
    expect(body).toContain("| `REQ-003` | Fix spelling errors in the README file |");
    expect(body).not.toContain("REQ-007"); // retired requirements are never suggested
    expect(body).toMatch(/<!-- reqgate:state \{"v":1\} -->$/);
  });

  it("names an unknown ID with the closest baselined ID, after reading only the requirement files", async () => {
    mockIssueQuery({ body: "Implements REQ-01" });
    mockLock();
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/git/trees/master`)
      .query({ recursive: "1" })
      .reply(200, { truncated: false, tree: [{ path: "requirements/REQ-001.yml", type: "blob", sha: "1".repeat(40), size: 80 }, { path: "README.md", type: "blob", sha: "2".repeat(40), size: 10 }] }, { etag: '"tree-1"' });
    const blobs = recorder<{ query: string }>();
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateBlobs") && blobs.match(b))
      .reply(200, { data: { repository: { b0: { text: "id: REQ-001\ntitle: Lock\ntext: The system shall lock.\n", isBinary: false, isTruncated: false } } } });
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(blobs.bodies).toHaveLength(1);
    expect(blobs.bodies[0]!.query).toContain(`b0: object(oid: "${"1".repeat(40)}")`);
    expect(blobs.bodies[0]!.query).not.toContain("2".repeat(40)); // README.md is not a requirement file
    expect(comment.bodies[0]!.body).toContain("- `REQ-01` is not a baselined requirement. Did you mean `REQ-001`?");
  });

  it("calls a draft a draft, reading the file named after the ID first", async () => {
    mockIssueQuery({ body: "Implements REQ-050" });
    mockLock();
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/git/trees/master`)
      .query({ recursive: "1" })
      .reply(200, {
        truncated: false,
        tree: [
          { path: "requirements/REQ-001.yml", type: "blob", sha: "1".repeat(40), size: 80 },
          { path: "requirements/REQ-050.yml", type: "blob", sha: "5".repeat(40), size: 80 },
        ],
      });
    const blobs = recorder<{ query: string }>();
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateBlobs") && blobs.match(b))
      .reply(200, { data: { repository: { b0: { text: "id: REQ-050\ntitle: New\ntext: The system shall.\nstatus: draft\n", isBinary: false, isTruncated: false } } } });
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(blobs.bodies).toHaveLength(1);
    expect(blobs.bodies[0]!.query).not.toContain("1".repeat(40)); // found by name: the other file is never read
    expect(comment.bodies[0]!.body).toContain("- `REQ-050` is a draft (in `requirements/REQ-050.yml`): it is not baselined yet.");
  });

  it("names the successor of a retired requirement without reading requirement files", async () => {
    mockIssueQuery({ body: "Implements REQ-007" });
    mockLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(comment.bodies[0]!.body).toContain("- `REQ-007` is retired; it is superseded by `REQ-001`.");
  });

  it("escapes user text from the lock so that it cannot mention anyone or break the marker", async () => {
    mockIssueQuery({ title: "Need exports", body: "" });
    mockLock({ text: lockText([lockEntry("REQ-001", "Exports for @octocat see #12 <!-- reqgate:issue -->")]) });
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    const body = comment.bodies[0]!.body;
    expect(body).toContain("Exports for @\u200doctocat see \\#\u200d12 &lt;\\!\\-\\- reqgate:\u200dissue \\-\\-&gt;");
    expect(body.split("<!-- reqgate:issue -->")).toHaveLength(2);
  });
});

describe("issues: traced", () => {
  it("writes nothing for a traced issue that never had a problem (strict nock: the issue query and the lock read only)", async () => {
    mockIssueQuery({ body: "Implements REQ-003." });
    mockLock();

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });

  it("removes the label and updates the earlier comment when an issue becomes traced", async () => {
    const old = composeBody(`<!-- reqgate:issue -->\nold text`, undefined, SECRET, SCOPE);
    mockIssueQuery({ body: "Now implements REQ-001", labels: ["bug", "needs-requirement"], comments: [{ id: 77, body: old, login: BOT, bot: true }] });
    mockLock();
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`, patch.match).reply(200, {});
    nock(API).delete(`${ISSUE}/labels/needs-requirement`).reply(200, []);

    await deliver(app.probot, "issues", fixture("issues.edited"));

    expect(patch.bodies[0]!.body).toContain("### ✅ Traced\n\nThis issue is traced to baselined requirements:\n\n- `REQ-001` Lock account after repeated failed logins");
  });

  it("an edited delivery without `changes` (GitHub always sends it; a replayed or hand-made payload may not) is evaluated, not a crash", async () => {
    const old = composeBody(`<!-- reqgate:issue -->\nold text`, undefined, SECRET, SCOPE);
    mockIssueQuery({ body: "Now implements REQ-001", labels: ["needs-requirement"], comments: [{ id: 77, body: old, login: BOT, bot: true }] });
    mockLock();
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`, patch.match).reply(200, {});
    nock(API).delete(`${ISSUE}/labels/needs-requirement`).reply(200, []);
    const { changes: _dropped, ...payload } = fixture("issues.edited");

    await deliver(app.probot, "issues", payload);

    expect(patch.bodies[0]!.body).toContain("### ✅ Traced\n\nThis issue is traced to baselined requirements:\n\n- `REQ-001` Lock account after repeated failed logins");
  });

  it("ignores a user's comment that copies the marker and keeps to its own", async () => {
    mockIssueQuery({ body: "", comments: [{ id: 5, body: `<!-- reqgate:issue -->\nfake`, login: "mallory", bot: false }] });
    mockLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(comment.bodies).toHaveLength(1); // created, not a PATCH of comment 5
  });
});

describe("issues: exempt, closed, off", () => {
  it("an exempt label: no lock read, the label removed, an old comment updated", async () => {
    const old = composeBody(`<!-- reqgate:issue -->\nold`, undefined, SECRET, SCOPE);
    mockIssueQuery({ labels: ["question", "needs-requirement"], comments: [{ id: 77, body: old, login: BOT, bot: true }] });
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`, patch.match).reply(200, {});
    nock(API).delete(`${ISSUE}/labels/needs-requirement`).reply(200, []);

    await deliver(app.probot, "issues", fixture("issues.labeled"));

    expect(patch.bodies[0]!.body).toContain("This issue does not need a requirement: it has the label `question`.");
  });

  it("an exempt author: nothing written (strict nock: the issue query only, not even the lock)", async () => {
    mockIssueQuery({ author: "renovate[bot]" });

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });

  it("a closed issue: nothing written (strict nock: the issue query only)", async () => {
    mockIssueQuery({ state: "CLOSED" });

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });

  it("mode off: nothing read past the configuration, nothing written (strict nock: the issue query only)", async () => {
    mockIssueQuery({ repoConfig: "issues:\n  mode: 'off'\n" });

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });

  it("skips the events of its own label writes (strict nock: no request at all)", async () => {
    const payload = { ...fixture("issues.labeled"), sender: { login: BOT, id: 1, type: "Bot" } };

    await deliver(app.probot, "issues", payload);

    expectOnlyMockedRequests();
  });
});

describe("issues: configuration", () => {
  it("an invalid configuration: the comment names the key and why, no label is touched", async () => {
    mockIssueQuery({ body: "", labels: ["needs-requirement"], repoConfig: "issues:\n  label: needs-requirement\n  mode: loud\n" });
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    const body = comment.bodies[0]!.body;
    expect(body).toContain("The configuration `.github/reqgate.yml` on the default branch is invalid, so reqgate changed nothing on this issue:");
    expect(body).toContain('- line 3: issues\\.mode:\u200d must be one of "off", "label", "comment\\-and\\-label"');
  });

  it("uses the repository's own settings (here: another label)", async () => {
    mockIssueQuery({ body: "", repoConfig: "issues:\n  label: untraced\n" });
    mockLock();
    const labelCreate = recorder();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, labelCreate.match).reply(422, { message: "Validation Failed", errors: [{ code: "already_exists" }] });
    const labelAdd = recorder();
    nock(API).post(`${ISSUE}/labels`, labelAdd.match).reply(200, []);
    nock(API).post(`${ISSUE}/comments`).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(labelCreate.bodies).toMatchObject([{ name: "untraced" }]);
    expect(labelAdd.bodies).toEqual([{ labels: ["untraced"] }]);
  });

  it("falls back to the owner's .github repository, and follows _extends within the owner (strict nock: base.yml is read, and its label is the one created and added)", async () => {
    mockIssueQuery({ body: "", ownerConfig: "_extends: policies:base.yml\nissues:\n  label: from-org\n" });
    nock(API)
      .get(`/repos/${OWNER}/policies/contents/base.yml`)
      .reply(200, "issues:\n  exempt_labels: [bug]\n", { etag: '"base-1"' });

    // The fixture issue carries no labels in the query, so it is not exempt; the lock decides.
    mockLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`, (b: { name: string }) => b.name === "from-org").reply(201, {});
    nock(API).post(`${ISSUE}/labels`, { labels: ["from-org"] }).reply(200, []);
    nock(API).post(`${ISSUE}/comments`).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });

  it("refuses an _extends to another owner before fetching anything from it", async () => {
    mockIssueQuery({ body: "", repoConfig: "_extends: evil-corp/settings\n" });
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });

    await deliver(app.probot, "issues", opened());

    expect(comment.bodies[0]!.body).toContain("\\_extends:\u200d \"evil\\-corp/settings\" belongs to another owner; only repositories of Codertocat can be extended");
  });

  it("works when the owner has no .github repository (strict nock: the query and the lock, nothing written for a traced issue)", async () => {
    mockIssueQuery({ body: "Implements REQ-003", noOwnerRepo: true });
    mockLock();

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });
});

describe("issues: idempotence", () => {
  it("a redelivered event changes nothing: the lock is a 304, the comment and label are already right", async () => {
    mockIssueQuery({ body: "" });
    mockLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });
    await deliver(app.probot, "issues", opened());

    // Second delivery of the same event: GitHub now has the label and the comment.
    mockIssueQuery({ body: "", labels: ["needs-requirement"], comments: [{ id: 900, body: comment.bodies[0]!.body, login: BOT, bot: true }] });
    mockLock({ notModified: true });
    await deliver(app.probot, "issues", opened());

    expect(comment.bodies).toHaveLength(1);
  });

  it("two concurrent deliveries of one event still make one comment and one label", async () => {
    mockIssueQuery({ body: "" });
    mockLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const comment = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, comment.match).reply(201, { id: 900 });
    const body = () => comment.bodies[0]?.body ?? "";
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateIssue"))
      .reply(200, () => {
        // By the time the second evaluation reads, the first has written (they run one after the other).
        return { data: issueData({ body: "", labels: ["needs-requirement"], comments: [{ id: 900, body: body(), login: BOT, bot: true }] }) };
      });
    mockLock({ notModified: true });

    await Promise.all([deliver(app.probot, "issues", opened(), "d-1"), deliver(app.probot, "issues", opened(), "d-2")]);

    expect(comment.bodies).toHaveLength(1);
  });

  it("removes a duplicate comment of its own left by an earlier race (strict nock: comment 11 is deleted, comment 10 updated, nothing posted)", async () => {
    const text = composeBody(`<!-- reqgate:issue -->\nold`, undefined, SECRET, SCOPE);
    mockIssueQuery({
      body: "",
      labels: ["needs-requirement"],
      comments: [
        { id: 10, body: text, login: BOT, bot: true },
        { id: 11, body: text, login: BOT, bot: true },
      ],
    });
    mockLock();
    nock(API).delete(`/repos/${OWNER}/${REPO}/issues/comments/11`).reply(204);
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/10`).reply(200, {});

    await deliver(app.probot, "issues", opened());

    expectOnlyMockedRequests();
  });
});

describe("issues: waivers", () => {
  const waiver = { by: "maintainer", reason: "research spike", at: "2026-01-01T00:00:00Z", comment: 55 };

  it("a recorded waiver survives re-evaluation: no label, comment unchanged (strict nock: reads only, no write)", async () => {
    const visible = renderIssueComment({ verdict: "waived", waiver, problem: "unlinked", references: [], config: DEFAULT_CONFIG });
    mockIssueQuery({ body: "", comments: [{ id: 77, body: composeBody(visible, waiver, SECRET, SCOPE), login: BOT, bot: true }] });
    mockLock();

    await deliver(app.probot, "issues", fixture("issues.edited"));

    expectOnlyMockedRequests();
  });

  it("a waiver edited by someone else (bad signature) is ignored", async () => {
    const forged = composeBody(`<!-- reqgate:issue -->\nx`, waiver, SECRET, SCOPE).replace("research spike", "anything goes");
    mockIssueQuery({ body: "", comments: [{ id: 77, body: forged, login: BOT, bot: true }] });
    mockLock();
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const patch = recorder<Body>();
    nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`, patch.match).reply(200, {});

    await deliver(app.probot, "issues", fixture("issues.edited"));

    expect(patch.bodies[0]!.body).toContain("### ⚠️ Not linked to a requirement");
  });
});

describe("issues: the bot login", () => {
  it("is looked up once with GET /app when not configured (strict nock: GET /app is mocked once, for two events)", async () => {
    const app = await makeProbot({ botLogin: null });
    nock(API).get("/app").reply(200, { slug: "reqgate" });
    mockIssueQuery({ body: "REQ-001", comments: [] });
    mockLock();
    await deliver(app, "issues", opened());
    mockIssueQuery({ body: "REQ-001", comments: [] });
    mockLock({ notModified: true });
    await deliver(app, "issues", opened());

    expectOnlyMockedRequests();
  });
});

