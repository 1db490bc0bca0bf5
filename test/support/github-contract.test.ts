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
    ["POST", "https://api.github.com/repos/o/r/check-runs", { name: "reqgate/baseline", head_sha: "abc", output: { title: "T", summary: "" } }, ['checks/create: empty body property "output.summary" (GitHub answers 422: "summary wasn\'t supplied")']],
    ["POST", "https://api.github.com/repos/o/r/check-runs", { name: "reqgate/baseline", head_sha: "abc", output: { summary: "S" } }, ['checks/create: missing body property "output.title"']],
    ["PATCH", "https://api.github.com/repos/o/r/check-runs/7", { output: { title: " ", summary: "S" } }, ['checks/update: empty body property "output.title" (GitHub answers 422: "title wasn\'t supplied")']],
    ["PATCH", "https://api.github.com/repos/o/r/check-runs/7", { output: { title: "T", summary: "x".repeat(65536) } }, ['checks/update: body property "output.summary" is 65536 characters; at most 65535']],
    ["GET", "https://api.github.com/search/issues?q=repo%3Ao%2Fr&per_page=100&page=1", undefined, []],
    ["POST", "https://api.github.com/repos/o/r/issues/1/comments", { text: "x" }, ['issues/create-comment: unknown body property "text"', 'issues/create-comment: missing body property "body"']],
  ])("%s %s", (method, url, body, expected) => {
    expect(contractProblems({ method, url, body })).toEqual(expected);
  });

  it("validates GraphQL documents against GitHub's schema", () => {
    expect(contractProblems({ method: "POST", url: "https://api.github.com/graphql", body: { query: "query { viewer { login } }" } })).toEqual([]);
    expect(contractProblems({ method: "POST", url: "https://api.github.com/graphql", body: { query: "query { viewer { nosuchfield } }" } })).toEqual(['GraphQL: Cannot query field "nosuchfield" on type "User".']);
  });
});
