// Every GraphQL document the App sends, validated against GitHub's published schema without a request
// (the handler tests validate the ones they send, too).
import { describe, expect, it } from "@jest/globals";
import { ISSUE_QUERY } from "../../src/github/issue-query.js";
import { contextQuery, FORCE_PUSH_PAGE, LOCK_AT, PAGE_QUERIES, PUSH_QUERY, RUN_SUMMARIES } from "../../src/github/pull-query.js";
import { contractProblems } from "../support/github-contract.js";

function problems(query: string): string[] {
  return contractProblems({ method: "POST", url: "https://api.github.com/graphql", body: { query } });
}

describe("GraphQL documents", () => {
  it.each([
    ["the issue query", ISSUE_QUERY],
    ["the pull request context, with mentioned issues and social data", contextQuery([3, 12], true)],
    ["the pull request context, trace only", contextQuery([], false)],
    ["more reviews", PAGE_QUERIES.reviews],
    ["more comments", PAGE_QUERIES.comments],
    ["more commits", PAGE_QUERIES.commits],
    ["earlier commits, for runs", PAGE_QUERIES.recent],
    ["earlier force-pushes, for runs", FORCE_PUSH_PAGE],
    ["the summaries of runs", RUN_SUMMARIES],
    ["a pushed commit", PUSH_QUERY],
    ["a lock's blob", LOCK_AT],
  ])("%s is valid", (_name, query) => {
    expect(problems(query)).toEqual([]);
  });
});
