// The large HTML report: the tree as compact embedded data, built in the browser (rendered by a real
// Chromium in test/cli/report-print.test.ts); here the page's shape and the data's content and escaping.
import { describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { buildReport } from "../../../src/domain/report/report.js";
import { LAZY_FROM, LAZY_SCRIPT } from "../../../src/domain/report/render/report-html-lazy.js";
import { renderReportHtml } from "../../../src/domain/report/render/report-html.js";
import { ITEMS, lockFor, referenceRepo, repo, yaml } from "./report-fixture.js";

const report = buildReport(referenceRepo(), ITEMS, { exemptLabels: ["question"] });

function embedded(html: string): { r: unknown[][]; t: number[]; w: Record<string, unknown>; e: Record<string, string> } {
  const m = /<script type="application\/json" id="reqgate-data">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error("no embedded data");
  return JSON.parse(m[1]!) as { r: unknown[][]; t: number[]; w: Record<string, unknown>; e: Record<string, string> };
}

describe("the HTML report of a large requirement set", () => {
  it("is the static page below LAZY_FROM requirements, the lazy one from it on", () => {
    expect(LAZY_FROM).toBe(2000);
    const small = renderReportHtml(report);
    expect(small).toContain('<details class="req"');
    expect(small).not.toContain("reqgate-data");
    const lazy = renderReportHtml(report, { lazyFrom: 8 });
    expect(lazy).not.toContain('<details class="req"');
    expect(lazy).toContain('<div id="tree-root"></div>');
    // The page's one script is allowed by its hash, and nothing else.
    const hash = createHash("sha256").update(LAZY_SCRIPT, "utf8").digest("base64");
    expect(lazy).toContain(`script-src &#39;sha256-${hash}&#39;`);
    expect(lazy).toContain(`<script>${LAZY_SCRIPT}</script>`);
  });

  it("embeds one compact row per requirement, the tree as [row, depth, repeated] and the work items", () => {
    const data = embedded(renderReportHtml(report, { lazyFrom: 1 }));
    const ids = data.r.map((r) => r[0]);
    expect(ids).toEqual(["REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5", "REQ-6", "SYS-1", "SYS-2"]);
    expect(data.r[0]).toEqual([
      "REQ-1", "Lock after failures", "active", 1 | 2 | 4, "", [], "Lock after 5 failures.", "requirements/req-1.yml", ["SYS-1"], "test", "tagged",
      ["test/login.test.ts:1 (locks)", "test/login.test.ts:4"], [], [], "CR-1", [], [1, 9], "", "", [],
    ]);
    expect(data.r[1]![4]).toBe("modified since the baseline");
    expect(data.r[1]![5]).toEqual(["at risk: no work", "no test evidence"]);
    // SYS-1 (row 6) first with its children; REQ-5 under REQ-1; REQ-4 (retired, no parent) and SYS-2 as roots.
    expect(data.t).toEqual([6, 0, 0, 0, 1, 0, 4, 2, 0, 1, 1, 0, 2, 1, 0, 5, 1, 0, 7, 0, 0, 3, 0, 0]);
    expect(data.w["9"]).toEqual(["Rate limiter", "open", 0, "https://github.com/acme/app/issues/9"]);
    expect(data.e.tagged).toBe("tagged (no test results read)");
  });

  it("no text can close the data element or become markup: < is \\u003c, and the script uses textContent", () => {
    const evil = buildReport(repo({ "requirements/a.yml": yaml({ id: "REQ-1", title: "</script><script>alert(1)</script>", text: "<img src=x onerror=alert(1)>" }) }, {}));
    const html = renderReportHtml(evil, { lazyFrom: 1 });
    const data = /<script type="application\/json" id="reqgate-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toContain("<");
    expect(data).toContain("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>");
    expect(embedded(html).r[0]![1]).toBe("</script><script>alert(1)</script>");
    expect(LAZY_SCRIPT).not.toContain("innerHTML");
  });

  it("cuts long gap lists and change records' affects lists, saying how many more", () => {
    const reqs: Record<string, string> = {};
    for (let i = 1; i <= 205; i++) reqs[`requirements/r${i}.yml`] = yaml({ id: `REQ-${i}`, title: `R${i}`, text: "t", verification: "test" });
    const records = { "requirements/changes/CR-1.yml": yaml({ id: "CR-1", title: "All", rationale: "r", affects: Object.keys(reqs).map((_, i) => `REQ-${i + 1}`) }) };
    const big = buildReport(repo(reqs, records, lockFor(reqs, records)));
    expect(big.gaps.noEvidence).toHaveLength(205);
    const html = renderReportHtml(big, { lazyFrom: 100 });
    expect(html).toContain('<span class="muted">and 5 more</span></td>');
    expect(html).toContain("<p class=\"muted\">and 5 more: tick “only requirements with gaps” above to list them.</p>");
    expect(html.match(/<li><a class="id" href="#r-REQ-\d+">/g)).toHaveLength(200);
  });
});
