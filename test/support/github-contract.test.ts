import { describe, expect, it } from "@jest/globals";
import { contractProblems } from "./github-contract.js";

describe("the GitHub contract check", () => {
  it.each([
    ["GET", "https://api.github.com/repos/o/r/contents/requirements%2Fbaseline.lock", undefined, []],
    ["GET", "https://api.github.com/repos/o/r/collaborators/maya/permission", undefined, []],
    ["GET", "https://api.github.com/repos/o/r/issues/1/comments?per_page=100&page=2", undefined, []],
    ["POST", "https://api.github.com/repos/o/r/check-runs", { name: "reqgate/trace", head_sha: "abc" }, []],
    ["GET", "https://api.github.com/repos/o/r/issues/1/comments?perpage=100", undefined, ['issues/list-comments: unknown query parameter "perpage"']],
    ["GET", "https://api.github.com/repos/o/r/no-such-thing", undefined, ["GET /repos/o/r/no-such-thing is not an operation of GitHub's REST API"]],
    ["POST", "https://api.github.com/repos/o/r/issues/1/labels", { label: ["x"] }, []],
    ["POST", "https://api.github.com/repos/o/r/issues/1/comments", { text: "x" }, ['issues/create-comment: unknown body property "text"', 'issues/create-comment: missing body property "body"']],
  ])("%s %s", (method, url, body, expected) => {
    expect(contractProblems({ method, url, body })).toEqual(expected);
  });

  it("validates GraphQL documents against GitHub's schema", () => {
    expect(contractProblems({ method: "POST", url: "https://api.github.com/graphql", body: { query: "query { viewer { login } }" } })).toEqual([]);
    expect(contractProblems({ method: "POST", url: "https://api.github.com/graphql", body: { query: "query { viewer { nosuchfield } }" } })).toEqual(['GraphQL: Cannot query field "nosuchfield" on type "User".']);
  });
});
