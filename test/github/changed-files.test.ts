// A pull request's file list as GitHub pages it (100 a page, at most 3,000 files): when the count is
// unknown or above what GitHub lists, the list is marked incomplete, and an incomplete list never passes.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { listPullFiles } from "../../src/github/changed-files.js";
import { createEtagCache } from "../../src/github/conditional.js";
import { assertNockDone, strictNock } from "../helpers/github-app.js";
import { githubContract } from "../support/github-contract.js";

const API = "https://api.github.com";
const FILES = "/repos/acme/app/pulls/7/files";

function octokit(): ProbotOctokit {
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })).plugin(githubContract as never);
  return new Octokit({ auth: "test" });
}

/** Pages 1..pages of the file list, each `perPage` files named f<page>-<i>.txt. */
function mockPages(pages: number, last = 100): void {
  for (let page = 1; page <= pages; page++) {
    const count = page === pages ? last : 100;
    const files = Array.from({ length: count }, (_, i) => ({ sha: "a".repeat(40), filename: `f${page}-${i}.txt`, status: "modified", additions: 1, deletions: 0, changes: 1 }));
    nock(API).get(FILES).query({ per_page: "100", page: String(page) }).reply(200, files);
  }
}

describe("listPullFiles", () => {
  beforeEach(strictNock);
  afterEach(assertNockDone);

  it("with an unknown count (0), 30 full pages are 3,000 files or more: incomplete", async () => {
    mockPages(30);
    const list = await listPullFiles(octokit(), createEtagCache(100), "acme", "app", { number: 7, changedFiles: 0 });
    expect(list.files).toHaveLength(3000);
    expect(list.incomplete).toBe("the pull request changes 3,000 files or more");
  });

  it("with an unknown count, a last page that is not full is the whole list", async () => {
    mockPages(3, 40);
    const list = await listPullFiles(octokit(), createEtagCache(100), "acme", "app", { number: 7, changedFiles: 0 });
    expect(list.files).toHaveLength(240);
    expect(list.incomplete).toBeUndefined();
  });

  it("a known count of exactly 3,000 is read in 30 pages and is complete", async () => {
    mockPages(30);
    const list = await listPullFiles(octokit(), createEtagCache(100), "acme", "app", { number: 7, changedFiles: 3000 });
    expect(list.files).toHaveLength(3000);
    expect(list.incomplete).toBeUndefined();
  });

  it("a known count above 3,000 reads nothing (strict nock: no request) and says why", async () => {
    const list = await listPullFiles(octokit(), createEtagCache(100), "acme", "app", { number: 7, changedFiles: 3001 });
    expect(list).toEqual({ files: [], incomplete: "the pull request changes 3001 files; GitHub lists at most 3,000, so reqgate cannot see every change" });
  });

  it("fewer files listed than the count says: incomplete", async () => {
    mockPages(2, 50);
    const list = await listPullFiles(octokit(), createEtagCache(100), "acme", "app", { number: 7, changedFiles: 200 });
    expect(list.incomplete).toBe("GitHub listed 150 of the 200 changed files");
  });
});
