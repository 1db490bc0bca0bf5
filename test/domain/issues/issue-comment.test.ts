import { describe, expect, it } from "@jest/globals";
import { decideCommand, parseCommands } from "../../../src/domain/approvals/commands.js";
import { DEFAULT_CONFIG } from "../../../src/domain/config/config.js";
import type { IssueResult } from "../../../src/domain/issues/evaluate-issue.js";
import { ZWJ } from "../../../src/domain/core/markdown.js";
import { renderCommandReply, renderIssueComment } from "../../../src/domain/issues/issue-comment.js";

const config = DEFAULT_CONFIG;
const HOSTILE = "@octocat #12 acme/app#3 GH-4 <!-- reqgate:issue --> | `x` \n# heading";

/** Lines of the rendered body that GitHub would turn into a mention or a reference (code spans never are). */
function linkable(body: string): string[] {
  return body
    .split("\n")
    .map((l) => l.replace(/(`+).*?\1/g, ""))
    .filter((l) => /(^|[^\w`])@[A-Za-z0-9]|#\d|\bGH-\d/.test(l));
}

describe("renderIssueComment", () => {
  it.each<[string, IssueResult, string[]]>([
    [
      "unlinked, with the fix line and suggestions",
      { verdict: "unlinked", suggestions: [{ id: "REQ-001", title: "Lock account", score: 2 }], fixLine: "Requirement: REQ-001", baselineMissing: false, config },
      ["### ⚠️ Not linked to a requirement", "```text\nRequirement: REQ-001\n```", "| Requirement | Title |", "| `REQ-001` | Lock account |", "`/reqgate waive <reason>`"],
    ],
    [
      "unlinked, without a baseline",
      { verdict: "unlinked", suggestions: [], fixLine: "Requirement: REQ-…", baselineMissing: true, config },
      ["`requirements/baseline.lock` is missing on the default branch"],
    ],
    [
      "bad references, each with what to do",
      {
        verdict: "bad-references",
        omitted: 2,
        config,
        references: [
          { id: "REQ-001", kind: "baselined", title: "ok" },
          { id: "REQ-01", kind: "unknown", closest: "REQ-001", lookupIncomplete: false },
          { id: "REQ-050", kind: "draft", file: "requirements/a.yml" },
          { id: "REQ-051", kind: "not-baselined", file: "requirements/b.yml" },
          { id: "REQ-007", kind: "retired", title: "old", supersededBy: "REQ-077" },
          { id: "REQ-900", kind: "unknown", lookupIncomplete: true },
        ],
      },
      [
        "- `REQ-01` is not a baselined requirement. Did you mean `REQ-001`?",
        "- `REQ-050` is a draft (in `requirements/a.yml`): it is not baselined yet.",
        "- `REQ-051` is in `requirements/b.yml` but not in the baseline lock yet.",
        "- `REQ-007` is retired; it is superseded by `REQ-077`.",
        "- `REQ-900` is not a baselined requirement (reqgate could not read every requirement file to tell whether it is a draft).",
        "- … and 2 more references (not checked).",
      ],
    ],
    ["traced", { verdict: "traced", references: [{ id: "REQ-001", kind: "baselined", title: "Lock account" }], config }, ["### ✅ Traced", "- `REQ-001` Lock account"]],
    [
      "traced, with a waiver on record",
      { verdict: "traced", references: [{ id: "REQ-001", kind: "baselined", title: "Lock account" }], config, waiver: { by: "alice", reason: "spike", at: "t", comment: 1 } },
      ["<sub>A waiver by alice is on record (spike); it applies again if this issue loses its references.</sub>"],
    ],
    ["exempt by label", { verdict: "exempt", because: { label: "question" }, config }, ["it has the label `question`"]],
    [
      "waived, with who and why",
      { verdict: "waived", waiver: { by: "alice", reason: "research spike", at: "t", comment: 1 }, problem: "unlinked", references: [], config },
      ["### Waived", "alice accepted this issue without a requirement:", "> research spike"],
    ],
    [
      "an invalid configuration, naming the key",
      { verdict: "config-invalid", diagnostics: [{ severity: "error", code: "config-invalid", file: ".github/reqgate.yml", line: 3, column: 3, message: 'issues.mode: must be one of "off", "label", "comment-and-label"' }] },
      ["The configuration `.github/reqgate.yml` on the default branch is invalid", `- line 3: issues\\.mode:${ZWJ} must be one of "off", "label", "comment\\-and\\-label"`],
    ],
  ])("renders %s", (_name, result, expected) => {
    const body = renderIssueComment(result);
    expect(body.startsWith("<!-- reqgate:issue -->\n")).toBe(true);
    for (const text of expected) expect(body).toContain(text);
  });

  it("escapes user text everywhere it is echoed", () => {
    const results: IssueResult[] = [
      { verdict: "unlinked", suggestions: [{ id: "REQ-001", title: HOSTILE, score: 1 }], fixLine: "Requirement: REQ-001", baselineMissing: false, config },
      { verdict: "traced", references: [{ id: "REQ-001", kind: "baselined", title: HOSTILE }], config },
      { verdict: "waived", waiver: { by: "alice", reason: HOSTILE, at: "t", comment: 1 }, problem: "unlinked", references: [], config },
      { verdict: "bad-references", references: [{ id: "REQ-050", kind: "draft", file: HOSTILE }], omitted: 0, config },
      { verdict: "config-invalid", diagnostics: [{ severity: "error", code: "config-invalid", file: "f", line: 0, column: 0, message: HOSTILE, hint: HOSTILE }] },
    ];
    for (const result of results) {
      const body = renderIssueComment(result);
      expect(linkable(body)).toEqual([]);
      // The marker appears once, at the top; user text cannot open or close an HTML comment.
      expect(body.split("<!--")).toHaveLength(2);
      expect(body.split("-->")).toHaveLength(2);
      expect(body).not.toMatch(/\n#\s*heading/);
    }
  });
});

describe("renderCommandReply", () => {
  function reply(body: string, permission: Parameters<typeof decideCommand>[2]) {
    return renderCommandReply(42, "bob", parseCommands(body).map((c) => decideCommand(c, "issue", permission)));
  }

  it("says why a waiver was refused and who may waive", () => {
    expect(reply("/reqgate waive because", "write")).toBe(
      `<!-- reqgate:reply 42 -->\n- \`/reqgate waive\` was refused: it needs the maintain or admin permission on this repository.`,
    );
  });

  it("refuses when the permission could not be read", () => {
    expect(reply("/reqgate recheck", "unknown")).toContain("could not read bob's permission from GitHub, and does not guess");
  });

  it("asks for a reason", () => {
    expect(reply("/reqgate waive", "admin")).toContain("`/reqgate waive` needs a reason");
  });

  it("answers help and unknown commands with the command list", () => {
    expect(reply("/reqgate help", "none")).toBe(
      [
        "<!-- reqgate:reply 42 -->",
        "reqgate commands (one per line, at the start of the line):",
        "",
        "| Command | Where | Who | What |",
        "| --- | --- | --- | --- |",
        "| `/reqgate waive <reason>` | issues, pull requests | maintain and up | accept unlinked work, recording who and why |",
        "| `/reqgate recheck` | issues, pull requests | write and up | check this issue again now |",
        "| `/reqgate reviewed` | issues, pull requests | write and up | clear the suspect flag after a requirement changed |",
        "| `/reqgate approve [CR-…]` | pull requests | approvers | approve a pull request's baseline change |",
        "| `/reqgate revoke` | pull requests | approvers | withdraw your approval |",
        "| `/reqgate help` | issues, pull requests | anyone | show this list |",
      ].join("\n"),
    );
    const unknown = reply("/reqgate frobnicate", "none");
    expect(unknown).toContain("- `/reqgate frobnicate` is not a reqgate command.");
    expect(unknown).toContain("| `/reqgate waive <reason>` | issues, pull requests | maintain and up |");
  });

  it("stays silent for accepted commands", () => {
    expect(reply("/reqgate recheck", "write")).toBeUndefined();
    expect(reply("/reqgate waive ok", "maintain")).toBeUndefined();
  });
});
