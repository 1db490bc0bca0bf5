// Reconciliation against strict nock (every request checked against GitHub's description): failed
// deliveries redelivered once each within GitHub's window, and pull requests missing reqgate's checks
// evaluated again through the handlers.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { evaluateMissing, redeliverFailed, redeliveryMemory } from "../../src/server/reconcile.js";
import type { Delivery } from "../../src/server/delivery-queue.js";
import { githubContract } from "../support/github-contract.js";
import { assertNockDone, strictNock } from "../helpers/github-app.js";

const API = "https://api.github.com";
const NOW = Date.parse("2026-12-03T12:00:00Z");
let probot: Probot;

beforeEach(() => {
  strictNock();
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })).plugin(githubContract as never);
  probot = new Probot({ githubToken: "test", Octokit, logLevel: "fatal" });
});
afterEach(assertNockDone);

function delivery(id: number, guid: string, hoursAgo: number, status: number): Record<string, unknown> {
  return { id, guid, delivered_at: new Date(NOW - hoursAgo * 3600_000).toISOString(), redelivery: false, duration: 0.1, status: status === 200 ? "OK" : "failed", status_code: status, event: "issues", action: "opened", installation_id: 42, repository_id: 7 };
}

describe("redelivering failed deliveries", () => {
  it("redelivers each delivery that never succeeded within the window, once", async () => {
    nock(API)
      .get("/app/hook/deliveries")
      .query({ per_page: 100 })
      .reply(200, [
        delivery(11, "g-failed", 1, 502),
        delivery(12, "g-recovered", 2, 500),
        delivery(13, "g-recovered", 1, 200),
        delivery(14, "g-fine", 3, 202),
        delivery(15, "g-timeout", 5, 0),
        delivery(16, "g-ancient", 80, 502),
      ], { link: `<${API}/app/hook/deliveries?per_page=100&cursor=abc>; rel="next"` });
    nock(API).post("/app/hook/deliveries/11/attempts").reply(202, {});
    nock(API).post("/app/hook/deliveries/15/attempts").reply(202, {});
    const app = await probot.auth();
    const remember = redeliveryMemory(undefined);
    expect(await redeliverFailed(app, remember, NOW)).toEqual(["g-failed", "g-timeout"]);
    assertNockDone();

    // The next pass sees the same failures (redeliveries that failed again too): nothing is sent twice.
    strictNock();
    nock(API).get("/app/hook/deliveries").query({ per_page: 100 }).reply(200, [delivery(11, "g-failed", 1, 502), delivery(17, "g-failed", 0.5, 502), delivery(15, "g-timeout", 5, 0)]);
    expect(await redeliverFailed(app, remember, NOW)).toEqual([]);
  });
});

describe("pull requests missing reqgate's checks", () => {
  it("evaluates the open pull requests whose head lacks either check, through the handlers", async () => {
    const repository = { id: 7, name: "widgets", full_name: "acme/widgets", owner: { login: "acme" }, default_branch: "main", html_url: "https://github.com/acme/widgets" };
    nock(API).get("/app/installations").query({ per_page: 20 }).reply(200, [{ id: 42 }]);
    nock(API).get("/installation/repositories").query({ per_page: 50 }).reply(200, { total_count: 1, repositories: [repository] });
    nock(API).get("/repos/acme/widgets/pulls").query({ state: "open", per_page: 50 }).reply(200, [{ number: 1, head: { sha: "a".repeat(40) } }, { number: 2, head: { sha: "b".repeat(40) } }]);
    nock(API).get(`/repos/acme/widgets/commits/${"a".repeat(40)}/check-runs`).query({ app_id: 31337, per_page: 100 }).reply(200, { total_count: 2, check_runs: [{ name: "reqgate/trace" }, { name: "reqgate/baseline" }] });
    nock(API).get(`/repos/acme/widgets/commits/${"b".repeat(40)}/check-runs`).query({ app_id: 31337, per_page: 100 }).reply(200, { total_count: 1, check_runs: [{ name: "reqgate/trace" }] });
    const handled: Delivery[] = [];
    const app = await probot.auth();
    expect(await evaluateMissing(probot, app, (d) => Promise.resolve(void handled.push(d)), 31337, 99)).toEqual(["acme/widgets#2"]);
    expect(handled).toEqual([
      { id: "reconcile-99-7-2", name: "pull_request", payload: { action: "synchronize", number: 2, pull_request: { number: 2, head: { sha: "b".repeat(40) } }, repository, installation: { id: 42 }, sender: { login: "reqgate-reconcile", type: "Bot" } } },
    ]);
  });
});
