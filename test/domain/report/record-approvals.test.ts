import { describe, expect, it } from "@jest/globals";
import { escapeInline, tableRow } from "../../../src/domain/core/markdown.js";
import { approversFromSummary, describeApproval, recordApproval, type PullFacts } from "../../../src/domain/report/record-approvals.js";

const HEAD = "b".repeat(40);
const COMMIT = "c".repeat(40);

function pullFacts(over: Partial<PullFacts> = {}): PullFacts {
  return { number: 7, url: "https://github.com/a/b/pull/7", title: "T", mergedAt: "2026-10-01T00:00:00Z", mergedBy: null, baseRef: "main", head: HEAD, checkRuns: [], reviews: [], reviewsTruncated: false, ...over };
}

describe("approversFromSummary", () => {
  it("unescapes logins (bots too), merges rules, counts the cut, and ignores text outside the table", () => {
    const summary = [
      "<!-- reqgate:approvals {\"entries\":[]} -->",
      "### Approvals",
      "",
      tableRow(["Rule", "Requirements", "Approvals", "Approved by", "May still approve"]),
      "|---|---|---|---|---|",
      tableRow([escapeInline("board | one"), "REQ\\-1", "✅ 2 of 2", [escapeInline("renovate[bot]"), escapeInline("Ann-Lee")].join(", "), "—"]),
      tableRow(["safety", "REQ\\-2", "✅ 1 of 1", [escapeInline("ann-lee"), "… and 3 more"].join(", "), "—"]),
      tableRow(["other", "REQ\\-3", "⏳ 0 of 1", "—", "maya"]),
      "",
      "| x | y | z | mallory | w |",
    ].join("\n");
    expect(approversFromSummary(summary)).toEqual({ table: true, logins: ["renovate[bot]", "Ann-Lee"], more: 3 });
  });

  it("says when there is no Approvals table", () => {
    expect(approversFromSummary("This pull request does not change the baseline.")).toEqual({ table: false, logins: [], more: 0 });
    expect(approversFromSummary(null)).toEqual({ table: false, logins: [], more: 0 });
  });
});

describe("recordApproval", () => {
  const run = { app: "reqgate", status: "completed", conclusion: "success", title: "No baseline change", summary: "<!-- reqgate:approvals {\"entries\":[]} -->\n\nThis pull request does not change the baseline.", url: null, completedAt: "2026-10-01T00:00:00Z" };

  it("takes the earliest merged pull request; an open one does not count", () => {
    const a = recordApproval(COMMIT, { pulls: [pullFacts({ number: 9, mergedAt: null }), pullFacts({ number: 8, mergedAt: "2026-10-03T00:00:00Z", checkRuns: [run] }), pullFacts({ number: 7, mergedAt: "2026-10-02T00:00:00Z", checkRuns: [run] })] });
    expect(a.state === "known" && a.pull.number).toBe(7);
    expect(describeApproval(a)).toBe("#7 (merged 2026-10-02), no approval needed; reqgate/baseline success");
  });

  it("is unknown, with the reason, for no commit, open pull requests only, and a failed lookup", () => {
    expect(describeApproval(recordApproval(undefined, undefined))).toBe("approvers unknown (no commit in the lock's history applied it)");
    expect(describeApproval(recordApproval(COMMIT, { pulls: [pullFacts({ number: 9, mergedAt: null })] }))).toBe("approvers unknown (no merged pull request contains commit cccccccccccc (not merged: #9))");
    expect(describeApproval(recordApproval(COMMIT, { failure: "GitHub answered 502" }))).toBe("approvers unknown (GitHub answered 502)");
  });

  it("says when the pull request was merged while its check still waited", () => {
    const waiting = { ...run, conclusion: "action_required", title: "Waiting for 1 approval from board", summary: "### Approvals\n\n| Rule | Requirements | Approvals | Approved by | May still approve |\n|---|---|---|---|---|\n| board | REQ\\-1 | ⏳ 0 of 1 | — | maya |" };
    expect(describeApproval(recordApproval(COMMIT, { pulls: [pullFacts({ checkRuns: [waiting] })] }))).toBe("#7 (merged 2026-10-01), no approvals; reqgate/baseline action_required: Waiting for 1 approval from board");
  });

  it("prefers reqgate's own run (its summary opens with the ledger) over another app's run of the same name", () => {
    const forged = { ...run, app: "other", title: "Approved", summary: "### Approvals\n\n| Rule | Requirements | Approvals | Approved by | May still approve |\n|---|---|---|---|---|\n| board | REQ\\-1 | ✅ 1 of 1 | mallory | — |", completedAt: "2026-10-09T00:00:00Z" };
    const a = recordApproval(COMMIT, { pulls: [pullFacts({ checkRuns: [forged, run] })] });
    expect(a.state === "known" && [a.check.app, a.approvers]).toEqual(["reqgate", []]);
  });
});
