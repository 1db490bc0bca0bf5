// Retry and throttling ON (reqgate's own Octokit class, as in production).
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { MAX_PRIMARY_RETRIES, MAX_PRIMARY_WAIT, MAX_SECONDARY_RETRIES, onRateLimit, onSecondaryRateLimit } from "../../src/github/octokit.js";
import { API, assertNockDone, BOT, deliver, expectOnlyMockedRequests, fixture, issueData, makeProbot, mockIssueQuery, mockLock, OWNER, recorder, REPO, strictNock } from "../helpers/github-app.js";

const ISSUE = `/repos/${OWNER}/${REPO}/issues/1`;

beforeEach(() => {
  strictNock();
});

afterEach(() => {
  assertNockDone();
});

interface Body {
  body: string;
}

describe("reliability (retry and throttling on)", () => {
  it("a 502 on creating the comment that GitHub applied anyway leaves one comment: re-list, then nothing to do", async () => {
    const probot = await makeProbot({ reliable: true });
    mockIssueQuery({ body: "" });
    mockLock();
    const posts = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, posts.match).reply(502, { message: "Bad Gateway" });
    // The re-list sees the comment the failed POST created.
    nock(API)
      .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateIssue"))
      .reply(200, () => ({ data: issueData({ body: "", comments: [{ id: 900, body: posts.bodies[0]!.body, login: BOT, bot: true }] }) }));
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);

    await deliver(probot, "issues", fixture("issues.opened"));

    expect(posts.bodies).toHaveLength(1);
  });

  it("a 502 on creating the comment that GitHub did not apply: re-list, then create once more", async () => {
    const probot = await makeProbot({ reliable: true });
    mockIssueQuery({ body: "" });
    mockLock();
    const posts = recorder<Body>();
    nock(API).post(`${ISSUE}/comments`, posts.match).reply(502, { message: "Bad Gateway" });
    mockIssueQuery({ body: "" });
    nock(API).post(`${ISSUE}/comments`, posts.match).reply(201, { id: 900 });
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);

    await deliver(probot, "issues", fixture("issues.opened"));

    expect(posts.bodies).toHaveLength(2);
    expect(posts.bodies[1]).toEqual(posts.bodies[0]);
  });

  it("a secondary rate limit is waited out (retry-after) and the write retried, not dropped", async () => {
    const probot = await makeProbot({ reliable: true });
    mockIssueQuery({ body: "" });
    mockLock();
    const posts = recorder<Body>();
    nock(API)
      .post(`${ISSUE}/comments`, posts.match)
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "7" });
    nock(API).post(`${ISSUE}/comments`, posts.match).reply(201, { id: 900 });
    nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    nock(API).post(`${ISSUE}/labels`).reply(200, []);
    const warned: object[] = [];
    probot.log.warn = ((fields: object) => void warned.push(fields));

    await deliver(probot, "issues", fixture("issues.opened"));

    expect(posts.bodies).toHaveLength(2);
    expect(posts.bodies[1]).toEqual(posts.bodies[0]);
    expect(warned).toContainEqual(expect.objectContaining({ method: "POST", retryAfter: 7, retryCount: 0, retry: true }));
  });

  it("a 5xx on a read is retried by the retry plugin (strict nock: the query is made twice, then the lock read; nothing is written for a traced issue)", async () => {
    const probot = await makeProbot({ reliable: true });
    nock(API).post("/graphql").reply(502, { message: "Bad Gateway" });
    mockIssueQuery({ body: "Implements REQ-001" });
    mockLock();

    await deliver(probot, "issues", fixture("issues.opened"));

    expectOnlyMockedRequests();
  });
});

describe("rate-limit handlers", () => {
  const log = { warn: () => undefined };
  const request = { method: "POST", url: "/repos/o/r/issues/1/comments" };

  it.each([0, 1, MAX_SECONDARY_RETRIES - 1])("retry a secondary limit (attempt %i)", (retryCount) => {
    expect(onSecondaryRateLimit(60, request, { log }, retryCount)).toBe(true);
  });

  it("give up a secondary limit after MAX_SECONDARY_RETRIES", () => {
    expect(onSecondaryRateLimit(60, request, { log }, MAX_SECONDARY_RETRIES)).toBe(false);
  });

  it.each<[number, number, boolean]>([
    [10, 0, true],
    [MAX_PRIMARY_WAIT, MAX_PRIMARY_RETRIES - 1, true],
    [MAX_PRIMARY_WAIT + 1, 0, false],
    [10, MAX_PRIMARY_RETRIES, false],
  ])("a primary limit resetting in %i s at attempt %i: retry %s", (retryAfter, retryCount, expected) => {
    expect(onRateLimit(retryAfter, request, { log }, retryCount)).toBe(expected);
  });
});
