import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { buildReport, traceRequirement, type TraceReport } from "../../../src/domain/report/report.js";
import { csvField } from "../../../src/domain/report/render/report-csv.js";
import { renderReport, renderTrace } from "../../../src/domain/report/render/report-formats.js";
import { escapeHtml } from "../../../src/domain/report/render/report-html.js";
import { escapeMarkdown } from "../../../src/domain/report/render/report-markdown.js";
import { item, ITEMS, lockFor, referenceRepo, repo, yaml } from "./report-fixture.js";

const report = buildReport(referenceRepo(), ITEMS, { exemptLabels: ["question"] });

// A repository whose every text field is hostile.
const EVIL = `<script>alert("x")</script> & 'q' | *b* [l](javascript:alert(1)) =HYPERLINK("http://evil")`;
const hostileFiles = {
  "requirements/evil.yml": yaml({ id: "REQ-1", title: EVIL, text: EVIL, owner: "@x <img src=x onerror=alert(1)>", tags: ["<b>tag</b>"], verification: "test" }),
  "requirements/sys.yml": yaml({ id: "SYS-1", title: "-2+3", text: "t" }),
};
const hostileRecords = { "requirements/changes/CR-1.yml": yaml({ id: "CR-1", title: EVIL, rationale: "</td></tr><script>alert(2)</script>", affects: ["REQ-1", "SYS-1"] }) };
const hostileItems = [
  item(1, "<img src=x onerror=alert(1)>", ["REQ-1"], { url: "javascript:alert(1)", labels: ["<i>l</i>"] }),
  item(2, "@here =cmd|' /C calc'!A0", ["REQ-1"], { url: 'https://github.com/acme/app/issues/2"><script>alert(3)</script>' }),
  item(3, "data link", [], { url: "data:text/html,<script>alert(4)</script>" }),
  item(4, "with credentials", ["REQ-1"], { url: "https://user:secret@example.com/x" }),
];
const hostile = buildReport(
  repo(hostileFiles, hostileRecords, lockFor(hostileFiles, hostileRecords), { "test/<x>.test.ts": "// @verifies REQ-1\n" }),
  hostileItems,
);

describe("markdown", () => {
  const md = renderReport(report, "md");

  it("has the summary, coverage, gaps, hierarchy, tables", () => {
    expect(md).toMatch(/^# Traceability report\n/);
    expect(md).toContain("Lock: the baseline lock is out of date (run `reqgate baseline`).");
    expect(md).toContain("| Baselined active requirements with work | 3/5 (60%) |");
    expect(md).toContain("### At risk: no work (2)\n\n- **REQ-2** Log logins\n- **SYS-2** Audit trail\n");
    expect(md).toContain("### Unlinked work (1)\n\n- [#2](https://github.com/acme/app/issues/2) Misc cleanup (open)\n");
    expect(md).toContain("- [#5](https://github.com/acme/app/issues/5) Typo in ID (open): REQ-01: unknown ID (did you mean REQ-1?)");
    expect(md).toContain("- **SYS-1** Secure login · active, baselined\n  - **REQ-1** Lock after failures · active, baselined\n    - **REQ-5**");
    expect(md).toContain("| **REQ-2** | Log logins | active, baselined, modified since the baseline | SYS-1 |  | test |  |  | CR-1 (last), CR-2 |  | at risk: no work, no test evidence |");
    expect(md).toContain("| **CR-2** | Log failures too | not yet | REQ-2, REQ-6 | Audit asked. |");
  });

  it("says when work items were not read", () => {
    const plain = renderReport(buildReport(referenceRepo()), "md");
    expect(plain).toContain("Work items were not read");
    expect(plain).not.toContain("At risk: no work");
    expect(plain).not.toContain("## Work items");
  });

  it("escapes user text so it cannot open tags, links or table cells, and links only http(s)", () => {
    const out = renderReport(hostile, "md");
    // Every < in user text is backslash-escaped: Markdown shows it, never parses a tag from it.
    expect(out).not.toMatch(/(^|[^\\])<[a-z/]/im);
    expect(out).not.toMatch(/[^\\]\]\(javascript:/);
    expect(out).toContain("\\<script\\>alert(\"x\")\\</script\\> \\& 'q' \\| \\*b\\* \\[l\\](javascript:alert(1))");
    expect(out).toContain("| #1 | \\<img src=x onerror=alert(1)\\> |");
    expect(out).toContain("| #3 | data link |");
    // A URL with parentheses would end a Markdown link early: it stays plain text.
    expect(out).toContain("| #2 | @\u200dhere =cmd\\|' /C calc'!A0 |");
    expect(out).toContain("| #4 | with credentials |");
    expect(escapeMarkdown("a\nb\u001b[31mc\u202e")).toBe("a b\uFFFD\\[31mc\uFFFD");
  });
});

describe("csv", () => {
  const csv = renderReport(report, "csv");
  const lines = csv.split("\r\n");

  it("has a header and one CRLF-terminated row per requirement", () => {
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(lines[0]).toBe("id,title,text,status,baselined,pending_change,file,parents,children,verification,evidence,evidence_status,test_results,implementations,last_change,change_records,work_items,has_work,gaps,superseded_by,owner,tags,suspect");
    expect(lines).toHaveLength(report.requirements.length + 2);
    expect(lines[1]).toBe("REQ-1,Lock after failures,Lock after 5 failures.,active,yes,,requirements/req-1.yml,SYS-1,REQ-5,test,test/login.test.ts:1; test/login.test.ts:4,tagged,,,CR-1,CR-1,#1 open; #9 open,yes,,,,,");
    expect(lines.find((l) => l.startsWith("SYS-2,"))).toBe("SYS-2,Audit trail,Everything is audited.,active,yes,,requirements/sys.yml,,,,,missing,,,CR-1,CR-1,,no,no-work not-decomposed,,,,");
  });

  it.each([
    ["plain", "plain"],
    ['say "hi", then go', '"say ""hi"", then go"'],
    ["two\nlines", '"two\nlines"'],
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["a=b", "a=b"],
  ])("field %j is %j", (input, output) => {
    expect(csvField(input)).toBe(output);
  });

  it("neutralises formulas in user text", () => {
    const out = renderReport(hostile, "csv");
    expect(out).toContain("\nSYS-1,'-2+3,t,");
    const evil = `"<script>alert(""x"")</script> & 'q' | *b* [l](javascript:alert(1)) =HYPERLINK(""http://evil"")"`;
    expect(out).toContain(`\nREQ-1,${evil},${evil},`);
    expect(out).toContain(",'@x <img src=x onerror=alert(1)>,");
  });
});

describe("json", () => {
  it("is versioned, complete and stable", () => {
    const json = renderReport(report, "json");
    expect(renderReport(report, "json")).toBe(json);
    const parsed = JSON.parse(json) as Record<string, unknown> & TraceReport;
    expect(Object.keys(parsed)).toEqual(["version", "kind", "summary", "requirements", "tree", "records", "workItems", "gaps", "higherLevelPrefixes", "diagnostics"]);
    expect(parsed.version).toBe(1);
    expect(parsed.kind).toBe("reqgate-report");
    expect(parsed.requirements).toEqual(report.requirements);
    expect(parsed.gaps).toEqual(report.gaps);
  });

  it("renders the trace, found or not", () => {
    const found: unknown = JSON.parse(renderTrace(traceRequirement(referenceRepo(), "REQ-1"), "json"));
    expect(found).toMatchObject({ version: 1, kind: "reqgate-trace", found: true, id: "REQ-1", ancestors: [{ id: "SYS-1" }], descendants: [{ id: "REQ-5" }] });
    expect(JSON.parse(renderTrace(traceRequirement(referenceRepo(), "REQ-01"), "json"))).toEqual({ version: 1, kind: "reqgate-trace", found: false, id: "REQ-01", suggestion: "REQ-1" });
  });
});

describe("html", () => {
  const html = renderReport(report, "html", { title: "acme/app" });

  it("is one page with the summary, meters, tree, gaps, records and work items", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>Traceability report: acme/app</title>");
    expect(html).toContain('<meter min="0" max="100" low="50" high="80" optimum="100" value="60"');
    // A small report opens its top level only.
    expect(html).toContain('<details class="req" open id="r-SYS-1"');
    expect(html).toContain('<details class="req" id="r-REQ-1"');
    expect(html).toContain('<section class="gaps" id="gaps">');
    expect(html).toContain('id="cr-CR-2"');
    expect(html).toContain('<section id="work">');
    expect(html).toContain("<code>test/login.test.ts:1 (locks)</code>");
    expect(html).toContain('<input type="search" id="filter"');
    // REQ-5 sits inside REQ-1, which sits inside SYS-1.
    const sys1 = html.indexOf('id="r-SYS-1"');
    const req1 = html.indexOf('id="r-REQ-1"');
    const req5 = html.indexOf('id="r-REQ-5"');
    expect(sys1).toBeLessThan(req1);
    expect(req1).toBeLessThan(req5);
    expect(html.match(/<details class="req"/g)).toHaveLength(report.requirements.length);
    expect(html.match(/<details class="req"/g)!.length).toBe(html.match(/<\/div><\/details>/g)!.length);
  });

  it("is self-contained: nothing loads from anywhere, only work items link out", () => {
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    const outside = [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]);
    const itemUrls = new Set(ITEMS.map((i) => i.url));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((u) => itemUrls.has(u))).toBe(true);
  });

  it("allows exactly its own style and script through the Content-Security-Policy", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it("renders user text as text: <script> in a title is not a script", () => {
    const out = renderReport(hostile, "html");
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<b>tag");
    expect(out).not.toContain("<i>l");
    // "onerror=" survives only as text, never inside a tag.
    const tags = out.match(/<[a-z][^<>]*>/gi)!;
    expect(tags.map((t) => t.replace(/="[^"]*"/g, "")).filter((t) => /\son[a-z]+/i.test(t))).toEqual([]);
    expect(out).toContain("<summary><span class=\"id\">REQ-1</span> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; | *b* [l](javascript:alert(1))");
    expect(out).toContain("&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(out).toContain("<code>test/&lt;x&gt;.test.ts:1</code>");
  });

  it("links only http(s) work item URLs, without credentials", () => {
    const out = renderReport(hostile, "html");
    const links = [...out.matchAll(/<a href="([^"#][^"]*)"/g)].map((m) => m[1]);
    expect(new Set(links)).toEqual(new Set(["https://github.com/acme/app/issues/2%22%3E%3Cscript%3Ealert(3)%3C/script%3E"]));
    expect(out).not.toContain("javascript:alert(1)\"");
    expect(out).not.toContain('href="javascript');
    expect(out).not.toContain('href="data');
    expect(out).not.toContain("secret");
  });

  it("escapes the five HTML characters and drops invisible controls", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>\u0000\u202e`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;\uFFFD\uFFFD");
  });

  it("renders 10,000 requirements in one pass", () => {
    // 100 systems of 99 requirements each, every requirement also refining the one before it.
    const files: Record<string, string> = {};
    for (let s = 1; s <= 100; s++) {
      const lines = ["requirements:", `  - { id: SYS-${s}, title: "System ${s}", text: "t" }`];
      for (let r = 1; r <= 99; r++) {
        const n = (s - 1) * 99 + r;
        lines.push(`  - { id: REQ-${n}, title: "Requirement ${n} <x>", text: "t", parents: [SYS-${s}${r > 1 ? `, REQ-${n - 1}` : ""}], verification: test }`);
      }
      files[`requirements/sys-${s}.yml`] = lines.join("\n") + "\n";
    }
    const big = repo(files, {});
    expect(big.requirements).toHaveLength(10_000);
    const items = Array.from({ length: 2_000 }, (_, i) => item(i + 1, `Work ${i}`, [`REQ-${i * 4 + 1}`]));
    const r = buildReport(big, items);
    expect(r.tree.filter((n) => !n.repeated)).toHaveLength(10_000);
    // Over LAZY_FROM requirements the tree is embedded data, built in the browser.
    const out = renderReport(r, "html");
    expect(out).not.toContain('<details class="req"');
    expect(out.match(/\["REQ-\d+","Requirement \d+ \\u003cx>"/g)).toHaveLength(9_900);
    // Rendered statically, every requirement is a folded <details>.
    const full = renderReport(r, "html", { lazyFrom: Infinity });
    expect(full.match(/<details class="req"/g)).toHaveLength(10_000);
    expect(full).not.toContain('<details class="req" open');
    expect(full).toContain("Requirement 9900 &lt;x&gt;");
    for (const format of ["md", "csv", "json"] as const) expect(renderReport(r, format).length).toBeGreaterThan(10_000);
  });
});

describe("trace text", () => {
  it("prints the chain of one requirement", () => {
    const text = renderTrace(traceRequirement(referenceRepo(), "REQ-1", ITEMS), "text");
    expect(text).toBe(
      [
        "REQ-1  Lock after failures",
        "  text:          Lock after 5 failures.",
        "  status:        active, baselined",
        "  file:          requirements/req-1.yml",
        "  verification:  test; evidence tagged (no test results read)",
        "  note:          the baseline lock is out of date (run `reqgate baseline`)",
        "",
        "Parents (up to the roots)",
        "  SYS-1  Secure login  [active, baselined]",
        "",
        "Children",
        "  REQ-5  Unlock by email  [active, baselined]",
        "",
        "Change records",
        "  CR-1  First baseline  (last moved it; applied)",
        "      why: Start.",
        "",
        "Tests (@verifies)",
        "  test/login.test.ts:1 (locks)",
        "  test/login.test.ts:4",
        "",
        "Implementation (@implements)",
        "  none found",
        "",
        "Work items",
        "  #1  open    Implement lockout  (traced)  https://github.com/acme/app/issues/1",
        "  #9  open    Rate limiter  (bad references; REQ-6: active but not in the baseline lock yet)  https://github.com/acme/app/issues/9",
        "",
      ].join("\n"),
    );
  });

  it("says when work items were not read, and what has no parents", () => {
    const text = renderTrace(traceRequirement(referenceRepo(), "SYS-2"), "text");
    expect(text).toContain("  gaps:          not decomposed\n");
    expect(text).toContain("Parents (up to the roots)\n  none: SYS-2 is a top-level requirement\n");
    expect(text).toContain("Work items\n  not read (pass --github OWNER/REPO or --issues FILE)\n");
  });

  it("answers an unknown ID with the closest one", () => {
    expect(renderTrace(traceRequirement(referenceRepo(), "REQ-01"), "text")).toBe("REQ-01 is not a requirement in this repository. Did you mean REQ-1?\n");
    expect(renderTrace(traceRequirement(referenceRepo(), "X\u001b[2J"), "text")).toBe("X\uFFFD[2J is not a requirement in this repository.\n");
  });

  it("keeps terminal controls in titles from reaching the terminal", () => {
    const files = { "r.yml": yaml({ id: "REQ-1", title: "T\u001b[31mred\u0007", text: "t" }) };
    const text = renderTrace(traceRequirement(repo(files, {}), "REQ-1"), "text");
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text).toContain("REQ-1  T\uFFFD[31mred\uFFFD");
  });
});

describe("html: problems in the files", () => {
  const warning = (n: number) => ({ severity: "warning" as const, code: "verification-skipped", file: `requirements/a${String(n).padStart(3, "0")}.yml`, line: 3, column: 5, message: `W${n}` });
  const error = { severity: "error" as const, code: "verification-failed", file: "requirements/z.yml", line: 11, column: 5, message: "REQ-2: its test failed", hint: "fix the test" };

  it("lists errors before warnings, so the cap of 200 never hides an error", () => {
    const html = renderReport({ ...report, diagnostics: [...Array.from({ length: 250 }, (_, i) => warning(i)), error] }, "html");
    const section = html.slice(html.indexOf('<section id="problems">'), html.indexOf("</section>", html.indexOf('<section id="problems">')));
    const rows = [...section.matchAll(/<td class="sev-(\w+)">\w+<\/td><td><code>([^<]+)<\/code>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toHaveLength(200);
    expect(rows.slice(0, 3)).toEqual(["error requirements/z.yml:11:5", "warning requirements/a000.yml:3:5", "warning requirements/a001.yml:3:5"]);
    expect(rows.at(-1)).toBe("warning requirements/a198.yml:3:5");
    expect(section).toContain("and 51 more: run <code>reqgate check</code> for all of them.");
  });
});
