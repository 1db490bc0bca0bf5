// `verification.required` on `reqgate/baseline` (SPEC 1.4): a changed requirement whose method is
// demanded must have a `@verifies` line in the head's files under verification.paths. Strict nock: the
// head tree is listed once and only the evidence files are read, and a pull request that demands
// nothing reads neither (the other handler tests mock no tree at all).
import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { parseLock } from "../../src/domain/baseline/baseline.js";
import { API, deliver, expectOnlyMockedRequests, fixture, OWNER, REPO, useStrictProbot } from "../helpers/github-app.js";
import { BASE_LOCK, blobSha, BOARD, checkRunSink, CR2, HEAD, LOCK, lockFor, mockPullReads, REQ1, REQ2, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const TREE_PATH = `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`;
const HEAD_REQ = "id: REQ-001\ntitle: Lock account after repeated failed logins\ntext: The system shall lock an account after 3 failed logins.\nverification: test\n";

/** REQ-001 changed (now `verification: test`), credited to CR-0002, under `verification.required: [test]`. */
function demandingState(required = "[test]"): PullState {
  const headLock = lockFor({ "requirements/REQ-001.yml": HEAD_REQ, "requirements/REQ-002.yml": REQ2 }, { "requirements/changes/CR-0002.yml": CR2 }, parseLock(LOCK, BASE_LOCK).lock);
  return {
    config: `${BOARD}verification:\n  required: ${required}\n`,
    files: [
      { filename: "requirements/REQ-001.yml", status: "modified", text: HEAD_REQ },
      { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2 },
      { filename: LOCK, status: "modified", text: headLock },
    ],
    base: { "requirements/REQ-001.yml": REQ1 },
  };
}

/** The head's recursive tree: these files (path -> text), plus a README and a source file outside verification.paths. */
function mockTree(files: Record<string, string>, over: { truncated?: boolean; extra?: number } = {}): void {
  const entries = [
    { path: "README.md", mode: "100644", type: "blob", sha: blobSha("readme"), size: 6 },
    { path: "src", mode: "040000", type: "tree", sha: "a".repeat(40) },
    { path: "src/lockout.js", mode: "100644", type: "blob", sha: blobSha("// @verifies REQ-001\n"), size: 21 },
    ...Object.entries(files).map(([path, text]) => ({ path, mode: "100644", type: "blob", sha: blobSha(text), size: Buffer.byteLength(text) })),
    ...Array.from({ length: over.extra ?? 0 }, (_, i) => ({ path: `test/generated/t${i}.test.js`, mode: "100644", type: "blob", sha: blobSha(`t${i}`), size: 2 })),
  ];
  nock(API).get(TREE_PATH).query({ recursive: "1" }).reply(200, { sha: HEAD, url: `${API}${TREE_PATH}`, tree: entries, truncated: over.truncated ?? false }, { etag: '"tree-1"' });
}

/** The evidence files' contents by blob SHA, in one GraphQL object query; `seen` receives the SHAs asked for. */
function mockEvidenceObjects(files: Record<string, string>, seen: string[]): void {
  const byOid = new Map(Object.values(files).map((text) => [blobSha(text), text]));
  nock(API)
    .post("/graphql", (b: { query: string; variables: Record<string, unknown> }) => b.query.includes("query reqgateObjects(") && Object.values(b.variables).some((v) => byOid.has(String(v))))
    .reply(200, (_uri, body) => {
      const repository: Record<string, unknown> = {};
      for (const [name, value] of Object.entries((body as { variables: Record<string, unknown> }).variables)) {
        if (!/^v\d+$/.test(name)) continue;
        seen.push(String(value));
        const text = byOid.get(String(value));
        repository[`f${name.slice(1)}`] = text === undefined ? null : { oid: String(value), byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
      }
      return { data: { repository } };
    });
}

describe("verification.required on reqgate/baseline", () => {
  it("a changed requirement with `verification: test` and no @verifies line in the head fails, annotated at its verification line", async () => {
    const tests = { "tests/login.test.js": "// @verifies REQ-002\ntest('exports', () => {});\n", "tests/unrelated.test.js": "test('x', () => {});\n" };
    mockPullReads(demandingState());
    mockTree(tests);
    const seen: string[] = [];
    mockEvidenceObjects(tests, seen);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("REQ-001 must be verified by test (verification.required), and nothing verifies it; also waiting for 1 approval from requirements board");
    expect(baseline.output.annotations).toEqual([
      expect.objectContaining({ path: "requirements/REQ-001.yml", start_line: 4, end_line: 4, annotation_level: "failure", message: expect.stringContaining("REQ-001 must be verified by test (verification.required), and nothing verifies it") as unknown }),
    ]);
    expect(baseline.actions).toEqual([]);
    // Only the two files under verification.paths were read (not README.md, not src/).
    expect(seen.sort()).toEqual([blobSha(tests["tests/login.test.js"]), blobSha(tests["tests/unrelated.test.js"])].sort());
    expectOnlyMockedRequests();
  });

  it("a @verifies line in the head counts: the change waits for approval only", async () => {
    const tests = { "tests/login.test.js": "// @verifies REQ-001\ntest('locks the account', () => {});\n" };
    mockPullReads(demandingState());
    mockTree(tests);
    mockEvidenceObjects(tests, []);
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from requirements board"]);
    expect(baseline.output.annotations).toBeUndefined();
  });

  it("a method that is not demanded reads no evidence (no tree request)", async () => {
    mockPullReads(demandingState("[analysis]"));
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    expect(sink.byName("reqgate/baseline").conclusion).toBe("action_required");
    expectOnlyMockedRequests();
  });

  it("more files under verification.paths than the App reads: fails closed, reads none of them", async () => {
    mockPullReads(demandingState());
    mockTree({}, { extra: 501 });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe(
      "REQ-001 must be verified by test (verification.required); its evidence could not be searched: 501 files under verification.paths, over the App's limit of 500; also waiting for 1 approval from requirements board",
    );
    expect(baseline.output.annotations).toEqual([expect.objectContaining({ path: "requirements/REQ-001.yml", start_line: 4, annotation_level: "failure" })]);
    expectOnlyMockedRequests();
  });

  it("a tree GitHub truncates: fails closed with the reason", async () => {
    mockPullReads(demandingState());
    mockTree({ "tests/login.test.js": "// @verifies REQ-001\n" }, { truncated: true });
    const sink = checkRunSink();
    sink.acceptCreates(2);

    await deliver(app.probot, "pull_request", fixture("pull_request.opened"));

    const baseline = sink.byName("reqgate/baseline");
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.output.title).toBe("REQ-001 must be verified by test (verification.required); its evidence could not be searched: GitHub truncated the head's file tree (too many files to list); also waiting for 1 approval from requirements board");
  });
});
