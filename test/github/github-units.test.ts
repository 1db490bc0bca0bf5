// The GitHub layer's pieces on their own: conditional reads, configuration loading, permissions,
// the signed state of the comment, requirement-file lookup, the LRU.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import { formatDiagnostic } from "../../src/domain/core/diagnostic.js";
import { conditionalGet, createEtagCache, rawText } from "../../src/github/conditional.js";
import { loadConfig, type FetchConfigFile } from "../../src/github/config.js";
import { Lru } from "../../src/github/lru.js";
import { permissionFromResponse, type PermissionResponse } from "../../src/github/permissions.js";
import { createBlobCache, lookupRequirements, MAX_FILES_READ } from "../../src/github/requirement-files.js";
import { composeBody, findSticky, MAX_BODY, readWaiver } from "../../src/github/sticky-comment.js";
import { assertNockDone, strictNock } from "../helpers/github-app.js";
import { githubContract } from "../support/github-contract.js";

const API = "https://api.github.com";

function octokit(): ProbotOctokit {
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })).plugin(githubContract as never);
  return new Octokit({ auth: "test" });
}

describe("Lru", () => {
  it("evicts the least recently used entry", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // a is now the most recent
    lru.set("c", 3);
    expect([lru.get("a"), lru.get("b"), lru.get("c"), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe("conditionalGet", () => {
  beforeEach(strictNock);
  afterEach(assertNockDone);

  it("sends the ETag back and reuses the parsed value on 304, parsing once", async () => {
    const cache = createEtagCache(10);
    let parses = 0;
    const parse = (data: unknown) => {
      parses++;
      return String(data).toUpperCase();
    };
    nock(API).get("/repos/o/r/contents/f").reply(200, "hello", { etag: '"v1"', "content-type": "text/plain; charset=utf-8" });
    // Owner and repository names are case-insensitive on GitHub: one cache entry.
    nock(API).get("/repos/O/R/contents/f").matchHeader("if-none-match", '"v1"').reply(304, "");
    const gh = octokit();
    const first = await conditionalGet(gh, cache, "GET /repos/{owner}/{repo}/contents/{path}", { owner: "o", repo: "r", path: "f" }, parse);
    const second = await conditionalGet(gh, cache, "GET /repos/{owner}/{repo}/contents/{path}", { owner: "O", repo: "R", path: "f" }, parse);
    expect([first, second, parses]).toEqual([{ value: "HELLO", notModified: false }, { value: "HELLO", notModified: true }, 1]);
  });

  it("returns undefined on 404 and throws other errors", async () => {
    nock(API).get("/repos/o/r/contents/missing").reply(404, { message: "Not Found" });
    nock(API).get("/repos/o/r/contents/broken").reply(500, { message: "boom" });
    const gh = octokit();
    const cache = createEtagCache(10);
    await expect(conditionalGet(gh, cache, "GET /repos/{owner}/{repo}/contents/{path}", { owner: "o", repo: "r", path: "missing" }, String)).resolves.toBeUndefined();
    await expect(conditionalGet(gh, cache, "GET /repos/{owner}/{repo}/contents/{path}", { owner: "o", repo: "r", path: "broken" }, String)).rejects.toMatchObject({ status: 500 });
  });

  it.each<[string, unknown, string | undefined]>([
    ["a string", "abc", "abc"],
    ["UTF-8 bytes", new TextEncoder().encode("é").buffer, "é"],
    ["invalid UTF-8", new Uint8Array([0xff, 0xfe]).buffer, undefined],
    ["a directory listing", [{ name: "x" }], undefined],
  ])("rawText of %s", (_name, data, expected) => {
    expect(rawText(data)).toBe(expected);
  });
});

describe("loadConfig", () => {
  const none: FetchConfigFile = () => Promise.resolve(undefined);
  const messages = (d: ReadonlyArray<Parameters<typeof formatDiagnostic>[0]>) => d.map(formatDiagnostic);

  it("gives the defaults when there is no file anywhere", async () => {
    expect(await loadConfig("acme", "app", {}, none)).toEqual({ config: DEFAULT_CONFIG, diagnostics: [] });
  });

  it("prefers the repository's file over the owner's", async () => {
    const loaded = await loadConfig("acme", "app", { repoConfig: { text: "issues:\n  label: mine\n", truncated: false }, ownerConfig: { text: "issues:\n  label: org\n", truncated: false } }, none);
    expect(loaded.config?.issues.label).toBe("mine");
  });

  it("merges an _extends chain: mappings key by key, arrays replaced", async () => {
    const files: Record<string, string> = {
      "base:.github/reqgate.yml": "_extends: root:policy.yml\nrequirements:\n  prefixes: [REQ, SYS]\nissues:\n  label: base\n",
      "root:policy.yml": "issues:\n  exempt_labels: [chore]\n  mode: label\n",
    };
    const fetched: string[] = [];
    const fetch: FetchConfigFile = (repo, path) => {
      fetched.push(`${repo}:${path}`);
      const text = files[`${repo}:${path}`];
      return Promise.resolve(text === undefined ? undefined : { text, truncated: false });
    };
    const loaded = await loadConfig("acme", "app", { repoConfig: { text: "_extends: base\nrequirements:\n  prefixes: [SYS]\n", truncated: false } }, fetch);
    expect(fetched).toEqual(["base:.github/reqgate.yml", "root:policy.yml"]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.config?.requirements.prefixes).toEqual(["SYS"]);
    expect(loaded.config?.issues).toMatchObject({ label: "base", exempt_labels: ["chore"], mode: "label" });
  });

  it.each<[string, string, Record<string, string>, string[]]>([
    ["another owner", "_extends: other/settings\n", {}, ['.github/reqgate.yml:1:1: error: _extends: "other/settings" belongs to another owner; only repositories of acme can be extended (copy the settings, or extend a repository of acme)']],
    ["a missing base", "_extends: gone\n", {}, [".github/reqgate.yml:1:1: error: _extends: acme/gone has no .github/reqgate.yml on its default branch (or reqgate cannot read that repository)"]],
    ["a loop", "_extends: a\n", { "a:.github/reqgate.yml": "_extends: app\n" }, ["acme/a:.github/reqgate.yml:1:1: error: _extends: app:.github/reqgate.yml is already part of this chain (a loop) (remove one of the _extends)"]],
    ["a bad value", "_extends: [x]\n", {}, [".github/reqgate.yml:1:1: error: _extends: must be a string: repo, owner/repo, owner/repo:path.yml, or ./path/in/this/repository.yml"]],
    ["a missing local file", "_extends: ./policies/reqgate.yml\n", {}, [".github/reqgate.yml:1:1: error: _extends: policies/reqgate.yml does not exist on its default branch"]],
    ["a schema error, placed on its line", "issues:\n  mode: loud\n", {}, ['.github/reqgate.yml:2:3: error: issues.mode: must be one of "off", "label", "comment-and-label"']],
    ["an unknown key", "isues: {}\n", {}, ['.github/reqgate.yml:1:1: error: (top level): unknown key "isues"']],
    ["a YAML syntax error", "issues: [\n", {}, [".github/reqgate.yml:2:1: error: invalid YAML: unexpected end of the stream within a flow collection"]],
    ["a list at the top", "- a\n", {}, [".github/reqgate.yml:1:1: error: the configuration must be a mapping of keys"]],
  ])("reports %s as a diagnostic", async (_name, text, files, expected) => {
    const fetch: FetchConfigFile = (repo, path) => {
      const t = files[`${repo}:${path}`];
      return Promise.resolve(t === undefined ? undefined : { text: t, truncated: false });
    };
    const loaded = await loadConfig("acme", "app", { repoConfig: { text, truncated: false } }, fetch);
    expect(loaded.config).toBeUndefined();
    expect(messages(loaded.diagnostics)).toEqual(expected);
  });

  it("stops at MAX_EXTENDS files", async () => {
    const fetch: FetchConfigFile = (repo) => Promise.resolve({ text: `_extends: ${repo}x\n`, truncated: false });
    const loaded = await loadConfig("acme", "app", { repoConfig: { text: "_extends: a\n", truncated: false } }, fetch);
    expect(messages(loaded.diagnostics)).toEqual(["acme/ax:.github/reqgate.yml:1:1: error: _extends: the chain of _extends is longer than 3 files (merge some of the files of the chain)"]);
  });

  it("reads a local _extends from the same repository, and one in the owner's copy from the .github repository", async () => {
    const fetched: string[] = [];
    const fetch: FetchConfigFile = (repo, path) => {
      fetched.push(`${repo}:${path}`);
      return Promise.resolve({ text: "requirements:\n  prefixes: [SYS]\n", truncated: false });
    };
    const own = await loadConfig("acme", "app", { repoConfig: { text: "_extends: ./policies/reqgate.yml\n", truncated: false } }, fetch);
    const owners = await loadConfig("acme", "app", { ownerConfig: { text: "_extends: ./org.yml\n", truncated: false } }, fetch);
    expect(fetched).toEqual(["app:policies/reqgate.yml", ".github:org.yml"]);
    expect([own.config?.requirements.prefixes, owners.config?.requirements.prefixes]).toEqual([["SYS"], ["SYS"]]);
  });
});

describe("permissionFromResponse", () => {
  it.each<[string, PermissionResponse, string]>([
    ["a maintainer (role name)", { permission: "write", role_name: "maintain" }, "maintain"],
    ["a triager (role name)", { permission: "read", role_name: "triage" }, "triage"],
    ["a custom role with maintain rights", { permission: "write", role_name: "release-manager", user: { permissions: { maintain: true, push: true, pull: true } } }, "maintain"],
    ["a custom role with write rights", { permission: "write", role_name: "dev", user: { permissions: { push: true, pull: true } } }, "write"],
    ["an admin (legacy field only)", { permission: "admin" }, "admin"],
    ["no access", { permission: "none" }, "none"],
  ])("%s", (_name, data, expected) => {
    expect(permissionFromResponse(data)).toBe(expected);
  });
});

describe("the comment's signed state", () => {
  const scope = { owner: "acme", repo: "app", repoId: 1, number: 7 };
  const waiver = { by: "maintainer", reason: "spike --> <!-- @x", at: "2026-01-01T00:00:00Z", comment: 3 };
  const body = composeBody(`<!-- reqgate:issue -->\nvisible`, waiver, "s3cret", scope);

  it("reads back a waiver it signed", () => {
    expect(readWaiver(body, "s3cret", scope)).toEqual(waiver);
  });

  it.each([
    ["another secret", body, "other", scope],
    ["another issue", body, "s3cret", { ...scope, number: 8 }],
    ["another repository", body, "s3cret", { ...scope, repoId: 2 }],
    ["an edited reason", body.replace("spike", "anything"), "s3cret", scope],
    ["an edited author", body.replace('"by":"maintainer"', '"by":"mallory"'), "s3cret", scope],
  ])("ignores a waiver read with %s", (_name, text, secret, where) => {
    expect(readWaiver(text, secret, where)).toBeUndefined();
  });

  it("finds only its own marked comments, the oldest first", () => {
    const found = findSticky(
      [
        { id: 1, body: `<!-- reqgate:issue -->\nforged`, own: false },
        { id: 2, body: "unrelated", own: true },
        { id: 3, body, own: true },
        { id: 4, body, own: true },
      ],
      "s3cret",
      scope,
    );
    expect([found.comment?.id, found.duplicates.map((d) => d.id), found.waiver]).toEqual([3, [4], waiver]);
  });

  it("keeps the body within GitHub's limit, state block included", () => {
    const long = composeBody(`<!-- reqgate:issue -->\n${"x".repeat(100_000)}`, waiver, "s3cret", scope);
    expect(long.length).toBeLessThanOrEqual(MAX_BODY);
    expect(readWaiver(long, "s3cret", scope)).toEqual(waiver);
  });
});

describe("lookupRequirements", () => {
  beforeEach(strictNock);
  afterEach(assertNockDone);
  const target = { owner: "o", repo: "r", defaultBranch: "main" };
  const sha = (n: number) => n.toString(16).padStart(40, "0");

  function tree(files: Array<[string, number]>, truncated = false) {
    return { truncated, tree: files.map(([path, n]) => ({ path, type: "blob", sha: sha(n), size: 100 })) };
  }

  it("reads by name first, then the rest, caching blobs by SHA; a warm tree is a 304", async () => {
    const caches = { trees: createEtagCache(5), blobs: createBlobCache(100) };
    const gh = octokit();
    nock(API)
      .get("/repos/o/r/git/trees/main")
      .query({ recursive: "1" })
      .reply(200, tree([["requirements/REQ-050.yml", 1], ["requirements/more.yml", 2], ["requirements/changes/CR-1.yml", 3], ["docs/x.yml", 4]]), { etag: '"t1"' });
    const queries: string[] = [];
    nock(API)
      .post("/graphql", (b: { query: string }) => queries.push(b.query) > 0)
      .reply(200, { data: { repository: { b0: { text: "id: REQ-050\ntitle: A\ntext: T\nstatus: active\n", isBinary: false, isTruncated: false } } } });
    nock(API)
      .post("/graphql", (b: { query: string }) => queries.push(b.query) > 0)
      .reply(200, { data: { repository: { b0: { text: "requirements:\n  - id: REQ-060\n    title: B\n    text: T\n    status: draft\n", isBinary: false, isTruncated: false } } } });

    const first = await lookupRequirements(gh, caches, target, DEFAULT_CONFIG, ["REQ-050", "REQ-060", "REQ-070"]);
    expect(first).toEqual({
      found: new Map([
        ["REQ-050", { status: "active", file: "requirements/REQ-050.yml" }],
        ["REQ-060", { status: "draft", file: "requirements/more.yml" }],
      ]),
      complete: true,
    });
    expect(queries.map((q) => (q.match(/oid: "(\w+)"/g) ?? []).join())).toEqual([`oid: "${sha(1)}"`, `oid: "${sha(2)}"`]);

    // Warm: the tree is a 304 and no blob is fetched again.
    nock(API).get("/repos/o/r/git/trees/main").query({ recursive: "1" }).matchHeader("if-none-match", '"t1"').reply(304, "");
    const second = await lookupRequirements(gh, caches, target, DEFAULT_CONFIG, ["REQ-060"]);
    expect(second.found.get("REQ-060")?.status).toBe("draft");
  });

  it("is incomplete when the tree is truncated or a blob is unreadable, never a confident unknown", async () => {
    const caches = { trees: createEtagCache(5), blobs: createBlobCache(100) };
    nock(API).get("/repos/o/r/git/trees/main").query({ recursive: "1" }).reply(200, tree([["requirements/a.yml", 1]], true));
    nock(API).post("/graphql").reply(200, { data: { repository: { b0: { text: null, isBinary: true, isTruncated: false } } } });

    const result = await lookupRequirements(octokit(), caches, target, DEFAULT_CONFIG, ["REQ-1"]);
    expect(result).toEqual({ found: new Map(), complete: false });
  });

  it("reads at most MAX_FILES_READ files, batched many per GraphQL request", async () => {
    const caches = { trees: createEtagCache(5), blobs: createBlobCache(10_000) };
    const files: Array<[string, number]> = Array.from({ length: MAX_FILES_READ + 10 }, (_, i) => [`requirements/r${i}.yml`, i + 1]);
    nock(API).get("/repos/o/r/git/trees/main").query({ recursive: "1" }).reply(200, tree(files));
    nock(API)
      .post("/graphql")
      .times(MAX_FILES_READ / 50)
      .reply(200, { data: { repository: {} } });

    const result = await lookupRequirements(octokit(), caches, target, DEFAULT_CONFIG, ["REQ-1"]);
    expect(result.complete).toBe(false);
  });
});
