// `reqgate diff` rendered for people, from a diff written out here: each kind of change with its
// before/after, the change records with the pull request that applied them (or why that is unknown),
// user text escaped for Markdown and HTML, and links only to http(s) pages.
import { describe, expect, it } from "@jest/globals";
import type { BaselineDiff } from "../../../src/domain/report/baseline-diff.js";
import { renderDiffHtml, renderDiffMarkdown } from "../../../src/domain/report/render/diff-render.js";

const state = (title: string, text: string | undefined, status: "draft" | "active" | "retired", file: string) => ({ title, ...(text === undefined ? {} : { text }), status, file, fingerprint: "f".repeat(64), change: "CR-1" });

const diff: BaselineDiff = {
  from: { ref: "v1.0", commit: "1111111111111111111111111111111111111111" },
  to: { ref: "v2.0", commit: "2222222222222222222222222222222222222222" },
  summary: { added: 1, modified: 1, "status-changed": 0, retired: 1, removed: 1 },
  changes: [
    { id: "REQ-4", kind: "added", title: "Brake <light>", after: state("Brake <light>", "The light *shall* turn on.", "active", "requirements/REQ-4.yml"), records: ["CR-2"] },
    { id: "REQ-1", kind: "modified", title: "Stop fast", before: state("Stop", "Stop in 2 s.", "draft", "requirements/a.yml"), after: state("Stop fast", undefined, "active", "requirements/b.yml"), records: ["CR-2", "CR-9"] },
    { id: "REQ-2", kind: "retired", title: "Old", before: state("Old", "Old text.", "active", "requirements/REQ-2.yml"), after: state("Old", "Old text.", "retired", "requirements/REQ-2.yml"), records: [] },
    { id: "REQ-3", kind: "removed", title: "Gone", before: state("Gone", "Gone | text.", "active", "requirements/REQ-3.yml"), records: ["CR-3"] },
  ],
  records: [
    {
      id: "CR-2",
      title: "Braking",
      rationale: "Safety board & audit",
      approval: {
        state: "known",
        commit: "3333333333333333333333333333333333333333",
        pull: { number: 7, url: "https://github.com/acme/car/pull/7", title: "Braking", mergedAt: "2026-11-02T10:00:00Z", mergedBy: "lead" },
        check: { conclusion: "success", title: "approved", url: null, app: "reqgate" },
        approvers: [{ login: "alice", via: "review" }, { login: "bob" }],
        reviews: [],
      },
    },
    { id: "CR-3", title: "Drop REQ-3", rationale: "Not needed", approval: { state: "unknown", reason: "not looked up", pull: { number: 8, url: "javascript:alert(1)", title: "x", mergedAt: null, mergedBy: null } } },
    { id: "CR-9", title: "", rationale: "", missing: true },
  ],
  provenance: {
    repository: "acme/car",
    commit: "2222222222222222222222222222222222222222",
    branch: null,
    commitDate: "2026-11-03T09:00:00Z",
    dirty: false,
    generatedAt: "2026-12-04T00:00:00Z",
    tool: { name: "reqgate", version: "0.1.0" },
    configuration: { file: null, sha256: null },
  },
  approvals: { repository: "acme/car", requests: 1, records: 3, known: 1, unknown: 2 },
};

describe("reqgate diff as Markdown", () => {
  it("writes each kind in order with its before/after, the records that moved it, and the records table", () => {
    expect(renderDiffMarkdown(diff)).toBe(
      [
        "# Baseline changes: v1.0 → v2.0",
        "",
        "Repository: acme/car  ",
        "Generated: 2026-12-04T00:00:00Z by reqgate 0.1.0  ",
        "Configuration: defaults (no .github/reqgate.yml)  ",
        "From: v1.0 (111111111111)  ",
        "To: v2.0 (222222222222)",
        "",
        "1 added, 1 modified, 0 status changed, 1 retired, 1 removed; 3 change records applied.",
        "",
        "Approvals from GitHub (acme/car): 1 of 3 change records known, 2 unknown; 1 request.",
        "",
        "## Added (1)",
        "",
        "### REQ-4 Brake \\<light\\>",
        "",
        "The light \\*shall\\* turn on.",
        "",
        "File: requirements/REQ-4.yml · status active",
        "",
        "Change records: **CR-2** Braking (#7 (merged 2026-11-02), approved by alice (review), bob; reqgate/baseline success)",
        "",
        "## Modified (1)",
        "",
        "### REQ-1 Stop fast",
        "",
        "| | before | after |",
        "|---|---|---|",
        "| Title | Stop | Stop fast |",
        "| Text | Stop in 2 s. | (not in the files) |",
        "| Status | draft | active |",
        "| File | requirements/a.yml | requirements/b.yml |",
        "",
        "Change records: **CR-2** Braking (#7 (merged 2026-11-02), approved by alice (review), bob; reqgate/baseline success); **CR-9**",
        "",
        "## Retired (1)",
        "",
        "### REQ-2 Old",
        "",
        "| | before | after |",
        "|---|---|---|",
        "| Text | Old text. | Old text. |",
        "| Status | active | retired |",
        "",
        "Change records: _none_",
        "",
        "## Removed (1)",
        "",
        "### REQ-3 Gone",
        "",
        "Was: Gone \\| text.",
        "",
        "File: requirements/REQ-3.yml · status active",
        "",
        "Change records: **CR-3** Drop REQ-3 (#8: approvers unknown (not looked up))",
        "",
        "## Change records applied",
        "",
        "| ID | Title | Rationale | Pull request |",
        "|---|---|---|---|",
        "| **CR-2** | Braking | Safety board \\& audit | #7 (merged 2026-11-02), approved by alice (review), bob; reqgate/baseline success |",
        "| **CR-3** | Drop REQ-3 | Not needed | #8: approvers unknown (not looked up) |",
        "| **CR-9** | (no change record file) |  |  |",
        "",
      ].join("\n"),
    );
  });

  it("says when nothing changed and no record was applied", () => {
    const empty: BaselineDiff = { from: diff.from, to: diff.to, summary: { added: 0, modified: 0, "status-changed": 0, retired: 0, removed: 0 }, changes: [], records: [] };
    expect(renderDiffMarkdown(empty)).toBe(
      [
        "# Baseline changes: v1.0 → v2.0",
        "",
        "From: v1.0 (111111111111)  ",
        "To: v2.0 (222222222222)",
        "",
        "0 added, 0 modified, 0 status changed, 0 retired, 0 removed; 0 change records applied.",
        "",
        "_The baseline did not change._",
        "",
        "## Change records applied",
        "",
        "_None._",
        "",
      ].join("\n"),
    );
  });
});

describe("reqgate diff as HTML", () => {
  const html = renderDiffHtml(diff);

  it("escapes user text and links the pull request only when its address is http(s)", () => {
    expect(html).toContain('<h3><span class="id">REQ-4</span> Brake &lt;light&gt;</h3>');
    expect(html).toContain('<td><a href="https://github.com/acme/car/pull/7" rel="noopener noreferrer">#7 (merged 2026-11-02), approved by alice (review), bob; reqgate/baseline success</a></td>');
    expect(html).toContain("<td>#8: approvers unknown (not looked up)</td>");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("<td>Safety board &amp; audit</td>");
  });

  it("shows provenance, before/after side by side, and what was removed", () => {
    expect(html).toContain('<dl class="prov"><dt>Repository</dt><dd>acme/car</dd><dt>Generated</dt><dd>2026-12-04T00:00:00Z by reqgate 0.1.0</dd><dt>Configuration</dt><dd>defaults (no .github/reqgate.yml)</dd><dt>From</dt><dd>v1.0 (1111111111111111111111111111111111111111)</dd><dt>To</dt><dd>v2.0 (2222222222222222222222222222222222222222)</dd></dl>');
    expect(html).toContain('<tr><th>Title</th><td class="before text">Stop</td><td class="after text">Stop fast</td></tr><tr><th>Text</th><td class="before text">Stop in 2 s.</td><td class="after text">(not in the files)</td></tr>');
    expect(html).toContain('<p class="text">Was: Gone | text.</p><p class="muted">requirements/REQ-3.yml · active</p>');
    expect(html).toContain('<p>Change records: <span class="muted">none</span></p>');
    expect(html).toContain('; <span class="id">CR-9</span></p>');
    expect(html).toContain('<td class="id">CR-9</td><td>(no change record file)</td>');
    expect(html).toContain("<p>Approvals from GitHub (acme/car): 1 of 3 change records known, 2 unknown; 1 request.</p>");
  });

  it("allows its one style sheet by hash and nothing else", () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/]+=*&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;">/);
    expect(html).not.toContain("<script");
  });

  it("says when nothing changed", () => {
    const empty = renderDiffHtml({ from: diff.from, to: diff.to, summary: { added: 0, modified: 0, "status-changed": 0, retired: 0, removed: 0 }, changes: [], records: [] });
    expect(empty).toContain("<p>The baseline did not change.</p>");
    expect(empty).toContain("<section><h2>Change records applied</h2>\n<p>None.</p>");
  });
});
