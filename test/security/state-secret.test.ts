// The waiver-signing secret has no guessable default: Probot's own default webhook secret is the public
// word "development", and a waiver signed with it would be accepted by every App started without one.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { Probot } from "probot";
import { stateSecretFrom } from "../../src/app/state-secret.js";
import { composeBody } from "../../src/github/sticky-comment.js";
import { API, assertNockDone, BOT, deliver, fixture, makeProbot, mockIssueQuery, mockLock, OWNER, recorder, REPO, REPO_ID, strictNock } from "../helpers/github-app.js";

const SCOPE = { owner: OWNER, repo: REPO, repoId: REPO_ID, number: 1 };
const ISSUE = `/repos/${OWNER}/${REPO}/issues/1`;

describe("the waiver-signing secret", () => {
  it("outside production without WEBHOOK_SECRET or REQGATE_STATE_SECRET, a secret is generated per process", () => {
    const first = stateSecretFrom({});
    const second = stateSecretFrom({});
    expect(first.generated).toBe(true);
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(second.secret).not.toBe(first.secret);
    // Probot's public default webhook secret is no signing key either.
    expect(stateSecretFrom({ WEBHOOK_SECRET: "development" }).generated).toBe(true);
    expect(stateSecretFrom({ WEBHOOK_SECRET: " " }).generated).toBe(true);
  });

  it("a configured secret is used: REQGATE_STATE_SECRET first, then WEBHOOK_SECRET", () => {
    expect(stateSecretFrom({ REQGATE_STATE_SECRET: "s3cret-state", WEBHOOK_SECRET: "hook" })).toEqual({ secret: "s3cret-state", generated: false });
    expect(stateSecretFrom({ WEBHOOK_SECRET: "hook" })).toEqual({ secret: "hook", generated: false });
  });

  describe("an App started without a secret", () => {
    let probot: Probot;
    beforeEach(async () => {
      strictNock();
      probot = await makeProbot({ stateSecret: stateSecretFrom({}).secret });
    });
    afterEach(assertNockDone);

    it("ignores a waiver someone signed with the old default secret", async () => {
      const forged = composeBody(`<!-- reqgate:issue -->\nwaived`, { by: "mallory", reason: "trust me", at: "2026-01-01T00:00:00Z", comment: 55 }, "development", SCOPE);
      mockIssueQuery({ body: "", comments: [{ id: 77, body: forged, login: BOT, bot: true }] });
      mockLock();
      nock(API).post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
      const label = recorder<{ labels: string[] }>();
      nock(API).post(`${ISSUE}/labels`, label.match).reply(200, []);
      const patch = recorder<{ body: string }>();
      nock(API).patch(`/repos/${OWNER}/${REPO}/issues/comments/77`, patch.match).reply(200, {});

      await deliver(probot, "issues", fixture("issues.edited"));

      expect(label.bodies).toEqual([{ labels: ["needs-requirement"] }]);
      expect(patch.bodies[0]!.body).toContain("### ⚠️ Not linked to a requirement");
      expect(patch.bodies[0]!.body).not.toContain("trust me");
    });
  });
});
