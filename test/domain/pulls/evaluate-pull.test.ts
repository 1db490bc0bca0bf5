import { describe, expect, it } from "@jest/globals";
import { evaluateApprovals, type ApprovalEvent } from "../../../src/domain/approvals/approvals.js";
import { ledgerFromSummary } from "../../../src/domain/approvals/ledger.js";
import { computeBaseline, EMPTY_LOCK, renderLock } from "../../../src/domain/baseline/baseline.js";
import { parseConfig, type Config } from "../../../src/domain/config/config.js";
import { diagnostic } from "../../../src/domain/core/diagnostic.js";
import { evaluateChange, type FileVersions } from "../../../src/domain/baseline/evaluate-change.js";
import { evaluateBaselineCheck } from "../../../src/domain/pulls/baseline-check.js";
import { approversFromSummary } from "../../../src/domain/report/record-approvals.js";
import { evaluateDriftCheck } from "../../../src/domain/pulls/drift.js";
import { closingReferences } from "../../../src/domain/pulls/references.js";
import { batchAnnotations, toAnnotations } from "../../../src/domain/pulls/render/check-output.js";
import { evaluateTrace, type BaselineInfo, type LinkedIssue, type TraceInput } from "../../../src/domain/pulls/trace-check.js";
import { MAX_OUTPUT_CHARS } from "../../../src/domain/pulls/render/check-output.js";
import { parseChangeRecordFile, parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";

const repo = { owner: "acme", repo: "app" };

describe("closingReferences", () => {
  const rows: Array<[string, string, number[], number[]]> = [
    ["a plain closing keyword", "Fixes #12", [12], []],
    ["every keyword, any case, optional colon", "close #1 closes #2 CLOSED #3 fix #4 Fixes: #5 fixed #6 resolve #7 Resolves:#8 resolved #9", [1, 2, 3, 4, 5, 6, 7, 8, 9], []],
    ["the same repository by slug, any case", "fixes Acme/App#3", [3], []],
    ["another repository is not ours", "fixes other/app#3 and see other/app#4", [], []],
    ["a full issue URL of the same repository", "Resolves https://github.com/acme/app/issues/42", [42], []],
    ["an issue URL of another repository or host", "fixes https://github.com/other/app/issues/42 fixes https://evil.example/acme/app/issues/43", [], []],
    ["plain mentions are references, not closes", "Related to #7 and GH-8; fixes #9; see https://github.com/acme/app/issues/10", [9], [7, 8, 10]],
    ["a keyword covers one reference only", "Fixes #1, #2", [1], [2]],
    ["a keyword glued to a word is not a keyword", "prefixes #3 unfixed #4", [], [3, 4]],
    ["fragments, anchors and numbers in words are not references", "see page#12, abc#3, /#4, &#5; and #6x", [], []],
    ["code and HTML comments do not count", "<!-- Fixes #1 -->\n`fixes #2`\n```\nfixes #3\n```\nFixes #4", [4], []],
    ["an unterminated HTML comment hides the rest", "Fixes #1 <!-- fixes #2", [1], []],
    ["#0 is no issue", "fixes #0", [], []],
    ["a mention that is also closed is listed once", "#5 fixes #5", [5], []],
  ];
  it.each(rows)("%s", (_name, body, closes, mentions) => {
    expect(closingReferences(body, repo)).toEqual({ closes, mentions });
  });

  it("honours the GitHub Enterprise host", () => {
    expect(closingReferences("fixes https://ghe.acme.io/acme/app/issues/3", { ...repo, host: "ghe.acme.io" })).toEqual({ closes: [3], mentions: [] });
  });

  // Each hostile body, then a real reference after it: nothing is found in the hostile part, and it
  // does not stop the scan (except an unterminated HTML comment, which hides everything after it).
  it.each<[string, string, { closes: number[]; mentions: number[] }]>([
    ["a megabyte of #", "#".repeat(1 << 20), { closes: [7], mentions: [8] }],
    ["a megabyte of fixes", "fixes ".repeat(180_000), { closes: [7], mentions: [8] }],
    ["keywords followed by almost-slugs", "fixes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/".repeat(10_000), { closes: [7], mentions: [8] }],
    ["unterminated comments", "<!--".repeat(250_000), { closes: [], mentions: [] }],
    ["unterminated fences and code spans", "```\n`".repeat(200_000), { closes: [7], mentions: [8] }],
    ["almost URLs", "fixes https://github.com/acme/app/issues/".repeat(20_000), { closes: [7], mentions: [8] }],
  ])("finishes on hostile input: %s", (_name, body, after) => {
    expect(closingReferences(body, repo)).toEqual({ closes: [], mentions: [] });
    expect(closingReferences(`${body}\n\nfixes #7 and #8\n`, repo)).toEqual(after);
  });
});

// ---------------------------------------------------------------------------------------------------

function config(raw: object = {}): Config {
  const parsed = parseConfig(raw);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.config!;
}

const baseline = new Map<string, BaselineInfo>([
  ["REQ-001", { status: "active", title: "Lock accounts" }],
  ["REQ-002", { status: "retired", title: "Old", supersededBy: "REQ-001" }],
]);

function issue(number: number, requirementIds: string[], over: Partial<LinkedIssue> = {}): LinkedIssue {
  return { number, relation: "closes", state: "open", title: `Issue ${number}`, labels: [], requirementIds, ...over };
}

function trace(over: { config?: object; pull?: Partial<TraceInput["pull"]>; issues?: LinkedIssue[] } = {}) {
  return evaluateTrace({
    config: config(over.config),
    pull: { number: 50, title: "Work", body: "", author: "dev", labels: [], ...over.pull },
    linkedIssues: over.issues ?? [],
    baseline,
  });
}

describe("evaluateTrace", () => {
  const rows: Array<[string, Parameters<typeof trace>[0], string, string]> = [
    ["a closed issue that is traced passes", { issues: [issue(12, ["REQ-001"])] }, "success", "Traced to REQ-001"],
    ["a linked issue that is traced passes", { issues: [issue(12, ["REQ-001"], { relation: "linked" })] }, "success", "Traced to REQ-001"],
    ["a traced mention alone passes", { issues: [issue(12, ["REQ-001"], { relation: "mentions" })] }, "success", "Traced to REQ-001"],
    ["the pull request naming a baselined requirement passes", { pull: { body: "Implements REQ-001." } }, "success", "Traced to REQ-001"],
    ["nothing referenced fails", {}, "failure", "Not traced: the pull request neither closes nor references an issue, and names no requirement"],
    ["an issue with no requirement fails", { issues: [issue(12, [])] }, "failure", "Not traced: #12 references no requirement"],
    ["an issue with an unknown requirement fails and suggests", { issues: [issue(12, ["REQ-01"])] }, "failure", "Not traced: #12: REQ-01 is not baselined (unknown or still a draft); did you mean REQ-001?"],
    ["an issue with a retired requirement fails", { issues: [issue(12, ["REQ-002"])] }, "failure", "Not traced: #12: REQ-002 is retired; superseded by REQ-001"],
    ["one untraced closing issue among traced ones fails", { issues: [issue(12, ["REQ-001"]), issue(13, [])] }, "failure", "Not traced: #13 references no requirement"],
    ["an untraced mention next to a traced closing issue does not block", { issues: [issue(12, ["REQ-001"]), issue(13, [], { relation: "mentions" })] }, "success", "Traced to REQ-001"],
    ["an untraced issue is forgiven when the pull request names a requirement itself", { pull: { body: "REQ-001" }, issues: [issue(13, [])] }, "success", "Traced to REQ-001"],
    ["a waived issue traces", { issues: [issue(12, [], { exempt: "infrastructure" })] }, "success", "Traced: 1 waived issue"],
    ["an issue with an exempt label traces", { issues: [issue(12, [], { labels: ["question"] })] }, "success", "Traced: 1 waived issue"],
    ["advisory gives neutral", { config: { pull_requests: { trace: "advisory" } } }, "neutral", "Advisory: not traced: the pull request neither closes nor references an issue, and names no requirement"],
    ["a draft gives neutral until ready", { pull: { draft: true }, issues: [issue(12, [])] }, "neutral", "Draft, not traced yet: #12 references no requirement"],
    ["an exempt label gives neutral with the reason", { config: { pull_requests: { exempt_labels: ["no-trace"] } }, pull: { labels: ["no-trace"] } }, "neutral", 'Exempt: labelled "no-trace"'],
    ["an exempt author gives neutral with the reason", { pull: { author: "Dependabot[bot]" } }, "neutral", "Exempt: author Dependabot[bot] is exempt"],
    ["two problems are counted in the title", { issues: [issue(12, []), issue(13, ["REQ-9"])] }, "failure", "Not traced: 2 problems"],
  ];
  it.each(rows)("%s", (_name, input, conclusion, title) => {
    const result = trace(input)!;
    expect([result.conclusion, result.title]).toEqual([conclusion, title]);
  });

  it("gives no check when trace is off", () => {
    expect(trace({ config: { pull_requests: { trace: "off" } } })).toBeUndefined();
  });

  it("returns the PR → issues → requirements rows as data, one per issue with its strongest relation", () => {
    const result = trace({ pull: { body: "REQ-001" }, issues: [issue(13, ["REQ-001"], { relation: "mentions" }), issue(13, ["REQ-001"], { relation: "linked" }), issue(12, ["REQ-002"])] })!;
    expect(result.rows.map((r) => [r.source.kind, r.source.number, r.source.kind === "issue" ? r.source.relation : "-", r.references.map((x) => `${x.id}:${x.status}`), r.verdict, r.required])).toEqual([
      ["pull", 50, "-", ["REQ-001:active"], "traced", false],
      ["issue", 12, "closes", ["REQ-002:retired"], "bad-references", true],
      ["issue", 13, "linked", ["REQ-001:active"], "traced", true],
    ]);
    expect(result.summary).toContain("| Pull request | Issue | Requirements | |");
    expect(result.summary).toContain("| #50 | #12 Issue 12 (closes) |");
  });

  it("escapes issue titles in the table", () => {
    const result = trace({ issues: [issue(12, ["REQ-001"], { title: "@octocat | see #1 </details> [x](http://evil)" })] })!;
    expect(result.summary).not.toMatch(/@octocat|#1\b|<\/details>|\]\(http/);
    expect(result.summary.split("\n").find((l) => l.startsWith("| #50"))!.split(/(?<!\\)\|/).length).toBe(6);
  });
});

// ---------------------------------------------------------------------------------------------------

const opts = { prefixes: new Set(["REQ"]), maxBytes: 1 << 20 };
const LOCK = "requirements/baseline.lock";
const REQ1 = "id: REQ-1\ntitle: Lock\ntext: Lock after 5 failures.\n";
const REQ2 = "id: REQ-2\ntitle: Log\ntext: Log every login.\n";
const CR1 = "id: CR-1\ntitle: Initial\nrationale: First baseline.\naffects: [REQ-1, REQ-2]\n";

function lockOf(files: Record<string, string>, records: Record<string, string>): string {
  const reqs = Object.entries(files).flatMap(([path, text]) => parseRequirementFile(path, text, opts).requirements);
  const recs = Object.entries(records).map(([path, text]) => parseChangeRecordFile(path, text, { ...opts, changePrefix: "CR" }).record!);
  return renderLock(computeBaseline(EMPTY_LOCK, reqs, recs).lock!);
}
const baseLock = lockOf({ "requirements/a.yml": REQ1, "requirements/b.yml": REQ2 }, { "requirements/changes/CR-1.yml": CR1 });
const boardConfig = config({ change_control: { rules: [{ name: "requirements board", match: ["requirements/**"], approvers: { users: ["maya"] } }] } });

/** `headLock`: the head's lock text, or "advanced" for the lock `reqgate baseline` would write. */
function evaluation(reqs: FileVersions[], records: FileVersions[], headLock?: string) {
  const run = (lock: string) => evaluateChange({ config: boardConfig, baseLock: { path: LOCK, text: baseLock }, headLock: { path: LOCK, text: lock }, requirementFiles: reqs, recordFiles: records });
  if (headLock === "advanced") return run(run(baseLock).lock.expected!);
  return run(headLock ?? baseLock);
}

const modify = (text: string): FileVersions[] => [{ path: "requirements/a.yml", base: REQ1, head: REQ1.replace("Lock after 5 failures.", text) }];
const cr2: FileVersions[] = [{ path: "requirements/changes/CR-2.yml", head: "id: CR-2\ntitle: Lower\nrationale: PT-19.\naffects: [REQ-1]\n" }];

function check(ev: ReturnType<typeof evaluation>, events: ApprovalEvent[] = [], extra: Omit<Parameters<typeof evaluateBaselineCheck>[0], "evaluation" | "approvals"> = {}) {
  const approvals = evaluateApprovals({
    evaluation: ev,
    author: "dev",
    contributors: ["dev"],
    changeControl: boardConfig.change_control,
    events,
    permissions: new Map(),
    memberships: new Map(),
  });
  return evaluateBaselineCheck({ evaluation: ev, approvals, ...extra });
}

describe("evaluateBaselineCheck", () => {
  it("succeeds when nothing changes", () => {
    const result = check(evaluation([], []));
    expect([result.conclusion, result.title, result.actions]).toEqual(["success", "No baseline change", []]);
  });

  it("waits for approval with action_required, an Approve button, and who must approve", () => {
    const ev = evaluation(modify("Lock after 3 failures."), cr2, "advanced");
    const result = check(ev);
    expect([result.conclusion, result.verdict, result.title]).toEqual(["action_required", "waiting", "Waiting for 1 approval from requirements board"]);
    expect(result.actions).toEqual([{ label: "Approve", description: "Approve this baseline change", identifier: "approve" }]);
    expect(result.subject).toBe(ev.subject);
    expect(result.summary).toContain("| requirements board | REQ\\-1 | ⏳ 0 of 1 | — | maya (not the author or anyone who pushed commits) |");
    expect(result.summary).toContain("<details><summary>REQ-1 — modified · CR-2</summary>");
    expect(result.summary).toContain("- text: Lock after 5 failures.\n+ text: Lock after 3 failures.");
  });

  it("succeeds once the rule is met, and names stale approvals while it is not", () => {
    const ev = evaluation(modify("Lock after 3 failures."), cr2, "advanced");
    const approved = check(ev, [{ kind: "comment", id: 1, by: "maya", command: { name: "approve", records: [] }, subject: ev.subject, at: "2025-01-01T00:00:00Z" }]);
    expect([approved.conclusion, approved.title, approved.actions]).toEqual(["success", "Approved: 1 requirement change (requirements board)", []]);
    const stale = check(ev, [{ kind: "review", id: 1, by: "maya", state: "APPROVED", commit: "abcdef0123", subject: "sha256:old", at: "2025-01-01T00:00:00Z" }]);
    expect([stale.conclusion, stale.title]).toEqual(["action_required", "Waiting for 1 approval from requirements board (1 stale)"]);
    expect(stale.summary).toContain("**Stale approvals** for requirements board");
    expect(stale.summary).toContain("maya (review): approved an earlier version at commit abcdef0");
  });

  it("names its approvers so that report --github reads them back from the summary (approversFromSummary)", () => {
    const ev = evaluation(modify("Lock after 3 failures."), cr2, "advanced");
    const approved = check(ev, [{ kind: "comment", id: 1, by: "maya", command: { name: "approve", records: [] }, subject: ev.subject, at: "2025-01-01T00:00:00Z" }]);
    expect(approversFromSummary(approved.summary)).toEqual({ table: true, logins: ["maya"], more: 0 });
    expect(approversFromSummary(check(ev).summary)).toEqual({ table: true, logins: [], more: 0 });
  });

  it("fails on an uncovered change even when approved, and annotates the file", () => {
    const ev = evaluation(modify("Lock after 3 failures."), []);
    const result = check(ev, [{ kind: "button", checkRun: 1, by: "maya", subject: ev.subject, at: "2025-01-01T00:00:00Z" }]);
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe("REQ-1 is modified, but no unapplied change record lists it in `affects`");
    expect(result.annotations).toEqual([
      expect.objectContaining({ path: "requirements/a.yml", start_line: 1, end_line: 1, annotation_level: "failure", title: "reqgate: change-without-record" }),
    ]);
    // No lock can be computed for an uncovered change, so the lock is not judged on top of it.
    expect(ev.lock.state).toBe("undetermined");
  });

  it("fails on a stale lock and says which command fixes it", () => {
    const result = check(evaluation(modify("Lock after 3 failures."), cr2));
    expect([result.conclusion, result.title]).toEqual(["failure", "The baseline lock is out of date: run `reqgate baseline`; also waiting for 1 approval from requirements board"]);
    expect(result.summary).toContain("run `reqgate baseline` and commit `requirements/baseline.lock`");
  });

  it("fails closed when the App could not read everything", () => {
    const result = check(evaluation([], []), [], { incomplete: ["the pull request changes more than 3,000 files"] });
    expect([result.conclusion, result.title]).toEqual(["failure", "Could not evaluate: the pull request changes more than 3,000 files"]);
  });

  it("fails on configuration errors", () => {
    const bad = diagnostic({ code: "config-invalid", file: ".github/reqgate.yml", line: 3, column: 5, message: "change_control.rules[0].count: too big" });
    const result = check(evaluation([], []), [], { configDiagnostics: [bad] });
    expect([result.conclusion, result.title]).toEqual(["failure", "Invalid configuration: 1 problem in .github/reqgate.yml"]);
    expect(result.annotations[0]).toMatchObject({ path: ".github/reqgate.yml", start_line: 3 });
  });

  it("lists warnings without failing", () => {
    const unused: FileVersions[] = [{ path: "requirements/changes/CR-2.yml", head: "id: CR-2\ntitle: Lower\nrationale: PT-19.\naffects: [REQ-1, REQ-2]\n" }];
    const ev = evaluation(modify("Lock after 3 failures."), unused, "advanced");
    const result = check(ev, [{ kind: "button", checkRun: 1, by: "maya", subject: ev.subject, at: "2025-01-01T00:00:00Z" }]);
    expect(result.conclusion).toBe("success");
    expect(result.summary).toContain("### Warnings");
    expect(result.annotations.map((a) => a.annotation_level)).toEqual(["warning"]);
  });

  it("escapes requirement text and titles: no mentions, no references, no broken HTML", () => {
    const hostile = "@octocat see #1 and acme/app#2 </details><script>x</script>\n``````\n| a | b |";
    const reqs: FileVersions[] = [{ path: "requirements/a.yml", base: REQ1, head: `id: REQ-1\ntitle: "@admins #3 </details>"\ntext: ${JSON.stringify(hostile)}\n` }];
    const result = check(evaluation(reqs, cr2, "advanced"), [{ kind: "comment", id: 5, by: "mallory", command: { name: "approve", records: [] }, subject: "x", at: "2025-01-01T00:00:00Z" }]);
    const outsideCode = result.summary.replace(/(`{3,})diff\n[\s\S]*?\n\1/g, "");
    expect(outsideCode).not.toMatch(/@admins|@octocat|#3|#1\b|<script|<\/details><script/);
    expect(outsideCode.match(/<details>/g)?.length).toBe(1);
    expect(outsideCode.match(/<\/details>/g)?.length).toBe(1);
    // The code block is fenced longer than the text's backtick run, so the text cannot close it.
    expect(result.summary).toContain("```````diff\n");
    expect(result.summary).toContain("+ text: @octocat see #1");
  });

  it("keeps summary and text within GitHub's limits, with a note", () => {
    const files: FileVersions[] = [];
    const ids: string[] = [];
    for (let i = 100; i < 500; i++) {
      ids.push(`REQ-${i}`);
      files.push({ path: `requirements/r${i}.yml`, head: `id: REQ-${i}\ntitle: T${i}\ntext: ${"word ".repeat(60)}\n` });
    }
    const record: FileVersions[] = [{ path: "requirements/changes/CR-2.yml", head: `id: CR-2\ntitle: Many\nrationale: Bulk.\naffects: [${ids.join(", ")}]\n` }];
    const result = check(evaluation(files, record, "advanced"));
    expect(result.summary.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(result.text!.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(result.summary).toMatch(/… \d+ more requirements continued below\./);
    expect(result.text).toMatch(/… and \d+ more requirements; run `reqgate check --base origin\/main` locally for the full list\./);
    expect(result.summary).toContain("… and 300 more requirements.");
  });
});

describe("the approval ledger in the check run", () => {
  it("is carried first in the summary, so that a forged one in requirement text is never read", () => {
    const forged = `<!-- reqgate:approvals {"entries":[{"pr":2,"by":"mallory","via":"button","id":1,"at":"2025-01-01T00:00:00Z","act":"approve","subject":"s"}]} -->`;
    const reqs: FileVersions[] = [{ path: "requirements/a.yml", base: REQ1, head: `id: REQ-1\ntitle: Lock\ntext: ${JSON.stringify(forged)}\n` }];
    const ledger = { entries: [{ pr: 2, by: "maya", via: "comment" as const, id: 3, at: "2025-01-01T00:00:00Z", act: "approve" as const, subject: "sha256:x" }] };
    const result = check(evaluation(reqs, cr2, "advanced"), [], { ledger });
    expect(result.summary.startsWith(`<!-- reqgate:approvals `)).toBe(true);
    expect(ledgerFromSummary(result.summary)).toEqual(ledger);
    // Nor does the forged text survive as an HTML comment anywhere in the output.
    expect(result.summary.indexOf(`<!-- reqgate:approvals`, 1)).toBe(-1);
    expect(ledgerFromSummary(`intro\n${forged}`)).toEqual({ entries: [] });
  });
});

describe("annotations", () => {
  const many = Array.from({ length: 120 }, (_, i) => diagnostic({ code: "x", file: `f${String(i).padStart(3, "0")}.yml`, line: i % 3, message: "m" }));

  it("maps diagnostics to annotations; whole-file problems go on line 1", () => {
    const [first] = toAnnotations([diagnostic({ code: "yaml-syntax", file: "a.yml", message: "bad", hint: "fix it" })]);
    expect(first).toEqual({ path: "a.yml", start_line: 1, end_line: 1, annotation_level: "failure", message: "a.yml: error: bad (fix it)", title: "reqgate: yaml-syntax" });
    expect(toAnnotations([diagnostic({ code: "w", severity: "warning", file: "b.yml", line: 4, column: 2, message: "hm" })])[0]).toMatchObject({ start_line: 4, annotation_level: "warning", message: "b.yml:4:2: warning: hm" });
    expect(toAnnotations([diagnostic({ code: "x", file: "", message: "nowhere" })])).toEqual([]);
  });

  it("cuts a message to 64 KB at a character boundary", () => {
    const [a] = toAnnotations([diagnostic({ code: "x", file: "a.yml", message: "é".repeat(40_000) })]);
    expect(new TextEncoder().encode(a!.message).length).toBeLessThanOrEqual(64 * 1024);
    expect(a!.message.endsWith("…")).toBe(true);
  });

  it("batches 50 per request", () => {
    expect(batchAnnotations(Array.from({ length: 120 }, (_, i) => i), 50).map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batchAnnotations([], 50)).toEqual([]);
  });

  it("caps annotations at 50 in all, the last a notice counting the rest (one write carries them)", () => {
    const annotations = toAnnotations(many);
    expect(annotations).toHaveLength(50);
    expect(annotations[48]).toMatchObject({ path: "f048.yml", annotation_level: "failure" });
    expect(annotations[49]).toEqual({ path: "f049.yml", start_line: 1, end_line: 1, annotation_level: "notice", title: "reqgate: more findings", message: "and 71 more annotations in 71 files, not shown; run `reqgate check` to see them all" });
  });

  it("caps annotations at 10 per file, summarising the rest of the file where the cut is", () => {
    const inOneFile = Array.from({ length: 52_000 }, (_, i) => diagnostic({ code: "unknown-key", file: "requirements/a.yml", line: i + 1, message: "m" }));
    const annotations = toAnnotations([...inOneFile, diagnostic({ code: "y", file: "requirements/b.yml", line: 2, message: "n" })]);
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => ["requirements/a.yml", i + 1, "failure"]),
      ["requirements/a.yml", 11, "notice"],
      ["requirements/b.yml", 2, "failure"],
    ]);
    expect(annotations[10]!.message).toBe("and 51990 more findings in this file, not shown as annotations; run `reqgate check` to see them all");
  });
});

describe("evaluateDriftCheck", () => {
  it("passes when the pushed lock matches", () => {
    const ev = evaluation(modify("Lock after 3 failures."), cr2, "advanced");
    expect(evaluateDriftCheck(ev).conclusion).toBe("success");
  });

  it("fails and names the requirements that drifted", () => {
    const reqs: FileVersions[] = [...modify("Lock after 3 failures."), { path: "requirements/b.yml", base: REQ2, head: REQ2.replace("every", "each") }];
    const result = evaluateDriftCheck(evaluation(reqs, []), baseLock);
    expect([result.conclusion, result.drifted, result.title]).toEqual(["failure", ["REQ-1", "REQ-2"], "Baseline drift: REQ-1, REQ-2 changed without a matching lock"]);
  });
});
