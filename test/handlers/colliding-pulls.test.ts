// Pull requests that collide (SPEC 2.7), through the handlers on strict nock: the other open pull
// requests' claims are read from their head runs in one query (never their files), a collision fails
// both pull requests' `reqgate/baseline` naming the other, and the pull request that does not name it
// yet is evaluated again; a failed or cut read is said, never "no collision"; a redelivery changes
// nothing; a pull request that closes re-evaluates those it collided with; one that merged first moved
// the base branch under the other, which must rebase.
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { parseLock } from "../../src/domain/baseline/baseline.js";
import { API, deliver, expectOnlyMockedRequests, fixture, makeProbot, OWNER, REPO, useStrictProbot } from "../helpers/github-app.js";
import {
  BASE_LOCK,
  baselineOn,
  changingState,
  checkRunSink,
  LOCK,
  lockFor,
  HEAD,
  mockBlob,
  mockOpenPulls,
  mockPullReads,
  pullPath,
  REQ1,
  REQ2,
  runsFrom,
  runState,
  type PullState,
  type RunState,
} from "../helpers/github-pulls.js";

const app = useStrictProbot();

const REQ9 = "id: REQ-009\ntitle: Show the last login time\ntext: The system shall show the time of the last login.\n";
const CR_ADD = "id: CR-0002\ntitle: Show the last login\nrationale: Users asked for it.\naffects: [REQ-009]\n";
const CR_ADD_5 = "id: CR-0003\ntitle: Last login, the other way\nrationale: Support asked for it.\naffects: [REQ-009]\n";
const BASE = parseLock(LOCK, BASE_LOCK).lock;

/** PR #2 adds REQ-009 with CR-0002, and the lock `reqgate baseline` writes for it. */
function addingState(over: Partial<PullState> = {}): PullState {
  const lock = lockFor({ "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2, "requirements/REQ-009.yml": REQ9 }, { "requirements/changes/CR-0002.yml": CR_ADD }, BASE);
  return {
    files: [
      { filename: "requirements/REQ-009.yml", status: "added", text: REQ9 },
      { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR_ADD },
      { filename: LOCK, status: "modified", text: lock },
    ],
    ...over,
  };
}

/** PR #5 adds REQ-009 too, in another file and with CR-0003. */
const H5 = "5".repeat(40);
function addingState5(over: Partial<PullState> = {}): PullState {
  const lock = lockFor({ "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2, "requirements/auth/REQ-009.yml": REQ9 }, { "requirements/changes/CR-0003.yml": CR_ADD_5 }, BASE);
  return {
    number: 5,
    headSha: H5,
    files: [
      { filename: "requirements/auth/REQ-009.yml", status: "added", text: REQ9 },
      { filename: "requirements/changes/CR-0003.yml", status: "added", text: CR_ADD_5 },
      { filename: LOCK, status: "modified", text: lock },
    ],
    ...over,
  };
}

/** A `reqgate/baseline` summary as this App writes it: the ledger, then the claims record, then words. */
function summaryWith(claims: Record<string, unknown>): string {
  return `<!-- reqgate:approvals {"entries":[]} -->\n<!-- reqgate:claims ${JSON.stringify(claims)} -->\n\nWaiting for approval.`;
}

const opened = () => fixture("pull_request.opened");

describe("colliding pull requests: found from the open pull requests' runs", () => {
  it("two pull requests adding the same requirement ID are each flagged, naming the other", async () => {
    const sink = checkRunSink();
    const seen: Array<{ query: string; variables: Record<string, unknown> }> = [];
    // #5 was evaluated before #2 existed: its record names nobody yet.
    const five = summaryWith({ pr: 5, b: "master", a: ["REQ-009"], r: ["CR-0003"], c: [], x: [] });
    mockPullReads(addingState(), { openPulls: { open: [{ number: 2 }, { number: 5, summary: five }], seen } });
    sink.acceptCreates(2);
    // Then #5 again, because its record disagrees: it now sees #2's fresh record.
    const ownBaseline5 = { id: 7005, name: "reqgate/baseline", conclusion: "ACTION_REQUIRED", title: "Waiting for 1 approval from requirements board", summary: five, externalId: "pr5:x" };
    mockPullReads(addingState5({ headRuns: [ownBaseline5] }), {
      baseLockCached: true,
      openPulls: { open: [{ number: 2, summary: () => sink.byName("reqgate/baseline").output.summary }, { number: 5, summary: five }] },
    });
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "pull_request", opened());

    const two = sink.created.find((b) => b.name === "reqgate/baseline" && b.head_sha !== H5)!;
    expect(two.conclusion).toBe("failure");
    expect(two.output.title).toBe("Collides with #5 (both add REQ-009): renumber in one of them; also waiting for 1 approval from requirements board");
    expect(two.output.summary).toContain("- ❌ #5: both add `REQ-009`");
    expect(two.output.summary.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":2,"b":"master","a":["REQ-009"],"r":["CR-0002"],"c":[],"x":[5]} -->');
    expect(two.actions).toEqual([]);
    // One query of the open pull requests into the base branch, with the lock at its tip; the same query
    // again once #2's run is written (without the tip), for a pull request evaluated at the same moment.
    expect(seen.map((b) => b.variables)).toEqual([
      { owner: OWNER, repo: REPO, base: "master", tip: `refs/heads/master:${LOCK}`, appId: 31337, cursor: null, first: true },
      { owner: OWNER, repo: REPO, base: "master", tip: `refs/heads/master:${LOCK}`, appId: 31337, cursor: null, first: false },
    ]);

    const update = sink.updated.find((u) => u.id === 7005)!;
    expect(update.body.conclusion).toBe("failure");
    expect(update.body.output.title).toBe("Collides with #2 (both add REQ-009): renumber in one of them; also waiting for 1 approval from requirements board");
    expect(update.body.output.summary).toContain("- ❌ #2: both add `REQ-009`");
    expect(update.body.output.summary.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":5,"b":"master","a":["REQ-009"],"r":["CR-0003"],"c":[],"x":[2]} -->');
  });

  it("the same change record ID: flagged; the other already names this one, so it is not evaluated again", async () => {
    const five = summaryWith({ pr: 5, b: "master", a: [], r: ["CR-0002"], c: [["REQ-002", "CR-0002"]], x: [2] });
    const baseline = await baselineOn(app.probot, changingState(), "pull_request.opened", { openPulls: { open: [{ number: 2 }, { number: 5, summary: five }] } });
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("Collides with #5 (both add change record CR-0002): renumber in one of them; also waiting for 1 approval from requirements board");
    expect(baseline.output.summary).toContain("- ❌ #5: both add change record `CR-0002`");
  });

  it("the same requirement changed under different change records: flagged, one waits for the other", async () => {
    const five = summaryWith({ pr: 5, b: "master", a: [], r: ["CR-0003"], c: [["REQ-001", "CR-0003"]], x: [2] });
    const baseline = await baselineOn(app.probot, changingState(), "pull_request.opened", { openPulls: { open: [{ number: 2 }, { number: 5, summary: five }] } });
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("Collides with #5 (both change REQ-001: CR-0002 here, CR-0003 there): one of them waits for the other to merge, then rebases; also waiting for 1 approval from requirements board");
    expect(baseline.output.summary).toContain("- ❌ #5: both change `REQ-001`: `CR-0002` here, `CR-0003` there");
  });

  it("unrelated pull requests do not collide: the check waits for approval and says how many it read", async () => {
    const open = [
      { number: 2 },
      { number: 5, summary: summaryWith({ pr: 5, b: "master", a: ["REQ-010"], r: ["CR-0003"], c: [["REQ-002", "CR-0003"]], x: [] }) },
      // Not evaluated yet: no run, nothing claimed.
      { number: 6 },
      // A run that shares #7's head but was written for #8 is not #7's record.
      { number: 7, summary: summaryWith({ pr: 8, b: "master", a: [], r: ["CR-0002"], c: [], x: [] }) },
    ];
    const baseline = await baselineOn(app.probot, changingState(), "pull_request.opened", { openPulls: { open } });
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.title).toBe("Waiting for 1 approval from requirements board");
    expect(baseline.output.summary).toContain("No other open pull request into `master` adds the same IDs or changes the same requirements (3 read).");
    expect(baseline.output.summary.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":2,"b":"master","a":[],"r":["CR-0002"],"c":[["REQ-001","CR-0002"]],"x":[]} -->');
  });

  it("a pull request that changes no requirement claims nothing and reads no other pull request", async () => {
    const baseline = await baselineOn(app.probot, {}, "pull_request.opened", { openPulls: false });
    expect(baseline.conclusion).toBe("success");
    expect(baseline.output.summary.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":2,"b":"master","a":[],"r":[],"c":[],"x":[]} -->');
    expect(baseline.output.summary).not.toContain("No other open pull request");
  });
});

describe("colliding pull requests: evaluated at the same moment", () => {
  it("two replicas that each miss the other at first: the re-read after writing finds it, and both runs end naming each other", async () => {
    const sink = checkRunSink();
    /** The runs GitHub holds on `head` now: each created one, with its latest update. */
    const runsOn = (head: string): RunState[] =>
      sink.created.flatMap((b, i) => {
        if (b.head_sha !== head) return [];
        const last = sink.updated.filter((u) => u.id === 1001 + i).at(-1);
        return [runState(1001 + i, last ? { ...b, ...last.body, output: last.body.output } : b)];
      });
    const baselineOf = (head: string) => runsOn(head).find((r) => r.name === "reqgate/baseline")?.summary;
    // What the claims query answers at the moment it is asked: each pull request's head run as it is then.
    const open = [
      { number: 2, summary: () => baselineOf(HEAD) },
      { number: 5, summary: () => baselineOf(H5) },
    ];
    const replicaA = app.probot;
    const replicaB = await makeProbot();

    // Replica A evaluates #2: its first claims read sees no run of #5 yet; then it is held before publishing.
    let reached!: () => void;
    const atPublish = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    mockPullReads(addingState(), { noPublish: true, openPulls: { open } });
    nock(API)
      .get(pullPath(2))
      .matchHeader("if-none-match", `"pull-${HEAD}"`)
      .reply((_uri, _body, callback) => {
        reached();
        void released.then(() => callback(null, [304, "", { etag: `"pull-${HEAD}"` }]));
      });
    const a = deliver(replicaA, "pull_request", opened(), "delivery-a");
    await atPublish;

    // Meanwhile replica B evaluates #5 from start to end: #2 has no run yet either, so #5 names nobody.
    mockPullReads(addingState5(), { openPulls: { open }, reread: { open } });
    sink.acceptCreates(2);
    const payload = opened();
    await deliver(replicaB, "pull_request", { ...payload, number: 5, pull_request: { ...(payload.pull_request as object), number: 5, head: { ...((payload.pull_request as { head: object }).head), sha: H5 } } }, "delivery-b");
    expect(baselineOf(H5)!.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":5,"b":"master","a":["REQ-009"],"r":["CR-0003"],"c":[],"x":[]} -->');

    // Replica A goes on: writes #2's runs (naming nobody), reads the claims again and now sees #5, which
    // does not name #2: #5 is evaluated again (in replica A), finds #2 and names it; #2's run does not name
    // #5, so #2 is evaluated again and names #5. Then both agree: nothing more.
    sink.acceptCreates(2);
    mockOpenPulls({ open, reread: true });
    const five: PullState = addingState5();
    Object.defineProperty(five, "headRuns", { get: () => runsOn(H5) });
    mockPullReads(five, { baseLockCached: true, openPulls: { open }, reread: { open } });
    const two: PullState = addingState();
    Object.defineProperty(two, "headRuns", { get: () => runsOn(HEAD) });
    mockPullReads(two, { warm: true, headLockCached: true, openPulls: { open }, reread: { open } });
    sink.acceptUpdates(2);
    release();
    await a;

    expect(baselineOf(HEAD)!.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":2,"b":"master","a":["REQ-009"],"r":["CR-0002"],"c":[],"x":[5]} -->');
    expect(baselineOf(H5)!.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":5,"b":"master","a":["REQ-009"],"r":["CR-0003"],"c":[],"x":[2]} -->');
    const final = (head: string) => runsOn(head).find((r) => r.name === "reqgate/baseline")!;
    expect(final(HEAD).conclusion).toBe("FAILURE");
    expect(final(HEAD).title).toBe("Collides with #5 (both add REQ-009): renumber in one of them; also waiting for 1 approval from requirements board");
    expect(final(H5).conclusion).toBe("FAILURE");
    expect(final(H5).title).toBe("Collides with #2 (both add REQ-009): renumber in one of them; also waiting for 1 approval from requirements board");
    // Two creates per pull request, then one update of each one's baseline run (the trace runs show the same).
    expect(sink.created.map((b) => `${b.head_sha === HEAD ? 2 : 5} ${b.name}`)).toEqual(["5 reqgate/trace", "5 reqgate/baseline", "2 reqgate/trace", "2 reqgate/baseline"]);
    expect(sink.updated.map((u) => u.id)).toEqual([1002, 1004]);
  });

  it("the re-read failing leaves the run as the first read found it, and evaluates nobody else", async () => {
    const sink = checkRunSink();
    const five = summaryWith({ pr: 5, b: "master", a: ["REQ-010"], r: ["CR-0003"], c: [], x: [] });
    const reread: Array<{ query: string; variables: Record<string, unknown> }> = [];
    mockPullReads(changingState(), { openPulls: { open: [{ number: 2 }, { number: 5, summary: five }] }, reread: { failWith: 502, optional: false, seen: reread } });
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", opened());

    expect(reread.map((b) => b.variables.first)).toEqual([false]);
    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.summary).toContain("No other open pull request into `master` adds the same IDs or changes the same requirements (1 read).");
    expect(sink.updated).toEqual([]);
  });
});

describe("colliding pull requests: when they cannot all be read", () => {
  it("the query failing is said, and the check fails closed (never 'no collision')", async () => {
    const baseline = await baselineOn(app.probot, changingState(), "pull_request.opened", { openPulls: { failWith: 502 } });
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("Could not evaluate: the open pull requests could not be read to find colliding ones: GitHub answered with an error (502); also waiting for 1 approval from requirements board");
    expect(baseline.output.summary).not.toContain("No other open pull request");
    expect(baseline.external_id).toBe("incomplete");
  });

  it("more open pull requests than it reads (10 pages of 100) is said, and fails closed", async () => {
    const sink = checkRunSink();
    const open = [{ number: 2 }, ...Array.from({ length: 1000 }, (_, i) => ({ number: 100 + i }))];
    const seen: Array<{ query: string; variables: Record<string, unknown> }> = [];
    // 1,001 open pull requests: the App reads 10 pages and does not ask for the 11th.
    mockPullReads(changingState(), { openPulls: { open, seen, pages: 10 } });
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", opened());

    expect(seen.map((b) => b.variables.cursor)).toEqual([null, "100", "200", "300", "400", "500", "600", "700", "800", "900"]);
    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("Could not evaluate: more than 1000 open pull requests into master (1001); reqgate reads at most 1000 to find colliding ones; also waiting for 1 approval from requirements board");
    expect(baseline.output.summary).not.toContain("No other open pull request");
  });
});

describe("colliding pull requests: redelivery, closing, merging first", () => {
  it("a redelivered event changes nothing more: the same runs, no write, nobody else evaluated", async () => {
    const sink = checkRunSink();
    const five = summaryWith({ pr: 5, b: "master", a: [], r: ["CR-0002"], c: [["REQ-002", "CR-0002"]], x: [2] });
    const openPulls = { open: [{ number: 2 }, { number: 5, summary: five }] };
    mockPullReads(changingState(), { openPulls });
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", opened());
    expect(sink.byName("reqgate/baseline").conclusion).toBe("failure");

    // The same delivery again: the runs it wrote are found and show the same; nothing is written, and
    // the claims are not read a second time (the run was visible all along; strict nock: no re-read).
    mockPullReads(changingState({ headRuns: runsFrom(sink.created) }), { warm: true, openPulls, reread: false });
    await deliver(app.probot, "pull_request", opened());

    expect(sink.created).toHaveLength(2);
    expect(sink.updated).toEqual([]);
  });

  /** The one query that reads what a closed pull request last claimed. */
  function mockClaimsOf(number: number, summary: string): void {
    nock(API)
      .post("/graphql", (b: { query: string; variables: Record<string, unknown> }) => b.query.includes("query reqgateClaimsOf(") && b.variables.number === number)
      .reply(200, { data: { repository: { pullRequest: { commits: { nodes: [{ commit: { checkSuites: { nodes: [{ checkRuns: { nodes: [{ summary }] } }] } } }] } } } } });
  }

  const closed = (number: number) => {
    const payload = opened();
    return { ...payload, action: "closed", number, pull_request: { ...(payload.pull_request as object), number, state: "closed" } };
  };

  it("closing one pull request evaluates again those it collided with: the collision is gone", async () => {
    const sink = checkRunSink();
    const flagged = { id: 7002, name: "reqgate/baseline", conclusion: "FAILURE", title: "Collides with #5", summary: summaryWith({ pr: 2, b: "master", a: [], r: ["CR-0002"], c: [["REQ-001", "CR-0002"]], x: [5] }), externalId: "pr2:x" };
    mockClaimsOf(5, summaryWith({ pr: 5, b: "master", a: [], r: ["CR-0003"], c: [["REQ-001", "CR-0003"]], x: [2] }));
    mockPullReads(changingState({ headRuns: [flagged] }), { openPulls: { open: [{ number: 2, summary: flagged.summary }] } });
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "pull_request", closed(5));

    const update = sink.updated.find((u) => u.id === 7002)!;
    expect(update.body.conclusion).toBe("action_required");
    expect(update.body.output.title).toBe("Waiting for 1 approval from requirements board");
    expect(update.body.output.summary.split("\n")[1]).toBe('<!-- reqgate:claims {"pr":2,"b":"master","a":[],"r":["CR-0002"],"c":[["REQ-001","CR-0002"]],"x":[]} -->');
  });

  it("closing a pull request that collided with nobody evaluates nothing", async () => {
    mockClaimsOf(5, summaryWith({ pr: 5, b: "master", a: ["REQ-010"], r: [], c: [], x: [] }));

    await deliver(app.probot, "pull_request", closed(5));

    // Strict nock: the one query, and no evaluation.
    expectOnlyMockedRequests();
  });

  it("the one that merges second must rebase: before, the base branch's lock has the ID; after the rebase, its own diff sees it", async () => {
    // #5 merged first: REQ-009 (in requirements/auth/) by CR-0003 is on master now.
    const merged = addingState5().files!.find((f) => f.filename === LOCK)!.text!;
    const sink = checkRunSink();
    const flagged = { id: 7002, name: "reqgate/baseline", conclusion: "FAILURE", title: "Collides with #5", summary: summaryWith({ pr: 2, b: "master", a: ["REQ-009"], r: ["CR-0002"], c: [], x: [5] }), externalId: "pr2:x" };
    mockClaimsOf(5, summaryWith({ pr: 5, b: "master", a: ["REQ-009"], r: ["CR-0003"], c: [], x: [2] }));
    mockPullReads(addingState({ headRuns: [flagged] }), { openPulls: { open: [{ number: 2, summary: flagged.summary }], tipLock: merged } });
    // The tip's lock differs from #2's base: read once (by blob) to see what merged.
    mockBlob(merged);
    sink.acceptCreates(1);
    sink.acceptUpdates(1);

    await deliver(app.probot, "pull_request", closed(5));

    const before = sink.updated.find((u) => u.id === 7002)!.body;
    expect(before.conclusion).toBe("failure");
    expect(before.output.title).toBe("Rebase onto master: REQ-009 was added to master since this branch left it (by CR-0003); rebase and renumber; also waiting for 1 approval from requirements board");
    expect(before.output.summary).toContain("- ❌ `REQ-009` was added to `master` since this branch left it (by `CR-0003`)");

    // Rebased onto master without renumbering (a tag added on the way): the base has REQ-009 now; the change's own diff says so.
    const NEW_BASE = "b".repeat(40);
    const rebased = addingState({ baseSha: NEW_BASE, baseLock: merged, headSha: "c".repeat(40), files: [{ filename: "requirements/REQ-009.yml", status: "added", text: `${REQ9}tags: [ui]\n` }, { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR_ADD }] });
    mockPullReads(rebased, { baseLockCached: true, openPulls: { open: [{ number: 2 }], tipLock: merged } });
    sink.acceptCreates(2);
    await deliver(app.probot, "pull_request", { ...fixture("pull_request.synchronize") });

    const after = sink.created.filter((b) => b.name === "reqgate/baseline").at(-1)!;
    expect(after.conclusion).toBe("failure");
    // Not a collision any more (the other is merged, the base has what it merged): a duplicate ID to renumber.
    expect(after.output.title).toBe("REQ-009 is already defined in requirements/auth/REQ-009.yml");
  });
});
