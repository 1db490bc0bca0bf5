// The work bound of `queryIndex` (maxPostings), which keeps the App's suggestions flat in the number of
// requirements (src/domain/issues/baseline-view.ts).
import { describe, expect, it } from "@jest/globals";
import { buildIndex, queryIndex } from "../../../src/domain/issues/similarity.js";

// "account" is in every candidate; "invoice" in two; "refund" in one.
const candidates = [
  { id: "REQ-1", text: "account invoice refund" },
  { id: "REQ-2", text: "account invoice" },
  ...Array.from({ length: 50 }, (_, i) => ({ id: `REQ-${100 + i}`, text: `account settings page ${i}` })),
];
const index = buildIndex(candidates);

describe("queryIndex with maxPostings", () => {
  it.each<[string, string, number, string[]]>([
    ["a budget that covers every term changes nothing", "account invoice refund", 1_000, ["REQ-1", "REQ-2", "REQ-100"]],
    ["the rare terms fit, the common one is skipped", "account invoice refund", 3, ["REQ-1", "REQ-2"]],
    ["the rarest term is scored even when it alone exceeds the budget", "account", 1, ["REQ-2", "REQ-1", "REQ-100"]],
    ["only the rarest term when the budget is tiny", "invoice refund", 1, ["REQ-1"]],
  ])("%s", (_name, query, budget, expected) => {
    expect(queryIndex(index, query, 3, budget).map((s) => s.id)).toEqual(expected);
  });

  it("gives the same ranking as an unbounded query when nothing is skipped", () => {
    expect(queryIndex(index, "account invoice refund settings", 3, 10_000)).toEqual(queryIndex(index, "account invoice refund settings", 3));
  });
});
