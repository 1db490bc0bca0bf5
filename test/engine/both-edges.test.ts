// CLI and App give the same diagnostics on the same snapshot (issue 7). One table of fixture changes
// (a base and a head of the same repository); for each row:
//   (a) the CLI in-process, `reqgate check --base main --format json`, over a real git repository in a
//       temporary folder (the base committed on `main`, its lock written by `reqgate baseline`; the head
//       committed on a branch and checked out);
//   (b) the App's pull-request handler through Probot against strict nock, reading the same two commits
//       (files, contents and locks taken from that git repository with `git show`);
// and the findings of both (file, line, code, message with its hint; the `reqgate/baseline` conclusion)
// compared with each other AND with the list written out in the row. A line-0 finding (about the file as
// a whole) is on line 1 on GitHub, which requires a line: the CLI's are compared on line 1 too.
import { afterAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import nock from "nock";
import { main } from "../../src/cli/main.js";
import { API, deliver, fixture, OWNER, useStrictProbot } from "../helpers/github-app.js";
import { git, gitOutput } from "../helpers/git-repo.js";
import { checkRunSink, mockPullReads, type PullState } from "../helpers/github-pulls.js";

const scratch = mkdtempSync(join(tmpdir(), "reqgate-edges-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const app = useStrictProbot();

// ---------------------------------------------------------------------------------------------------
// The fixtures

const BOARD = "change_control:\n  rules:\n    - name: requirements board\n      match: ['requirements/**']\n      approvers: { permission: maintain }\n";
const REQ1 = "id: REQ-001\ntitle: Lock account after repeated failed logins\ntext: The system shall lock an account after 5 failed logins.\n";
const REQ2 = "id: REQ-002\ntitle: Export the audit log as CSV\ntext: The system shall export the audit log as CSV.\n";
const CR1 = "id: CR-0001\ntitle: Initial baseline\nrationale: First release of the requirement set.\naffects: [REQ-001, REQ-002]\n";
const CR2 = "id: CR-0002\ntitle: Lower the lockout threshold\nrationale: Penetration test PT-19 showed 5 attempts allow credential stuffing.\naffects: [REQ-001]\n";
const REQ1_AMENDED = REQ1.replace("after 5 failed", "after 3 failed");

/** The configuration on `main`: the same settings for both edges, spelled for each. */
interface Configuration {
  /** Files of the repository (the CLI reads them; the App reads `.github/reqgate.yml` among them from the default branch). */
  files: Record<string, string>;
  /** What the App reads from other repositories of the owner (`repo:path` → text), for an `_extends: repo`. */
  owner?: Record<string, string>;
  /** `.github/reqgate.yml` as the App reads it, when it differs from the repository's file (a local `_extends` on the CLI). */
  app?: string;
}

type Finding = [file: string, line: number, severity: "error" | "warning", code: string, message: string];

interface Row {
  name: string;
  config?: Configuration;
  /** Files the head changes: text, or null for removed. */
  head: Record<string, string | null>;
  /** Run `reqgate baseline` on the head before committing it (as the author would). */
  baseline?: boolean;
  /** The `reqgate/baseline` conclusion on both edges (the CLI's preview of it). */
  conclusion: string;
  /** [file, line, severity, code, "message (hint)"], sorted by file and line. */
  expected: Finding[];
}

const LOCK = "requirements/baseline.lock";
const STALE: Finding = [LOCK, 1, "error", "lock-stale", "the baseline lock does not match the requirement files and change records (run `reqgate baseline` and commit the lock)"];
const REQ3 = "id: REQ-003\ntitle: Rate-limit logins\ntext: The system shall rate-limit login attempts.\n";
const affecting = (id: string) => CR2.replace("[REQ-001]", `[${id}]`);

const ROWS: Row[] = [
  {
    name: "a clean change",
    head: { "requirements/REQ-001.yml": REQ1_AMENDED, "requirements/changes/CR-0002.yml": CR2 },
    baseline: true,
    conclusion: "action_required",
    expected: [],
  },
  {
    name: "an unknown key",
    head: { "requirements/REQ-001.yml": `${REQ1_AMENDED}titel: typo\n`, "requirements/changes/CR-0002.yml": CR2 },
    conclusion: "failure",
    // REQ-001 cannot be read, so it stays as based: CR-0002's claim on it is not judged ("unused").
    expected: [["requirements/REQ-001.yml", 4, "error", "unknown-key", 'unknown key "titel" (did you mean "title"?)']],
  },
  {
    name: "a bad ID",
    head: { "requirements/REQ-003.yml": REQ3.replace("REQ-003", "REQ_003"), "requirements/changes/CR-0002.yml": affecting("REQ_003") },
    conclusion: "failure",
    expected: [
      ["requirements/REQ-003.yml", 1, "error", "invalid-id", '"REQ_003" is not a valid requirement ID (IDs are PREFIX-NUMBER, e.g. REQ-001)'],
      ["requirements/changes/CR-0002.yml", 4, "warning", "change-record-unused", "CR-0002 lists REQ_003, which this change does not add, modify, retire or remove (remove REQ_003 from affects, or make the change it announces)"],
      ["requirements/changes/CR-0002.yml", 4, "error", "invalid-id", 'CR-0002: "REQ_003" in affects is not a requirement ID (IDs look like REQ-001)'],
    ],
  },
  {
    name: "a duplicate of a baselined ID",
    head: { "requirements/REQ-003.yml": REQ3.replace("REQ-003", "REQ-002"), "requirements/changes/CR-0002.yml": affecting("REQ-002") },
    conclusion: "failure",
    expected: [
      ["requirements/REQ-003.yml", 1, "error", "duplicate-id", "REQ-002 is already defined in requirements/REQ-002.yml (IDs must be unique: give one of the two requirements a new ID)"],
      ["requirements/changes/CR-0002.yml", 4, "warning", "change-record-unused", "CR-0002 lists REQ-002, which this change does not add, modify, retire or remove (remove REQ-002 from affects, or make the change it announces)"],
    ],
  },
  {
    name: "a duplicate ID within the change",
    head: { "requirements/REQ-003.yml": REQ3, "requirements/REQ-004.yml": REQ3.replace("Rate-limit logins", "Rate-limit logins again"), "requirements/changes/CR-0002.yml": affecting("REQ-003") },
    conclusion: "failure",
    expected: [
      ["requirements/REQ-004.yml", 1, "error", "duplicate-id", "REQ-003 is already defined in requirements/REQ-003.yml (IDs must be unique: give one of the two requirements a new ID)"],
      STALE,
    ],
  },
  {
    name: "a missing change record",
    head: { "requirements/REQ-001.yml": REQ1_AMENDED },
    conclusion: "failure",
    expected: [["requirements/REQ-001.yml", 1, "error", "change-without-record", "REQ-001 is modified, but no unapplied change record lists it in `affects` (add REQ-001 to the affects of a new change record under the changes folder)"]],
  },
  {
    name: "a change record that does not list the changed requirement",
    head: { "requirements/REQ-002.yml": REQ2.replace("as CSV.", "as CSV and JSON."), "requirements/changes/CR-0002.yml": CR2 },
    conclusion: "failure",
    // CR-0002 lists REQ-001, which did not change: an unused claim is reported once every change is claimed.
    expected: [["requirements/REQ-002.yml", 1, "error", "change-without-record", "REQ-002 is modified, but no unapplied change record lists it in `affects` (add REQ-002 to the affects of a new change record under the changes folder)"]],
  },
  {
    name: "a placeholder rationale",
    head: { "requirements/REQ-001.yml": REQ1_AMENDED, "requirements/changes/CR-0002.yml": CR2.replace(/rationale: .*/, "rationale: 'TO COMPLETE: name the review that approved it'") },
    conclusion: "failure",
    // A warning in `check`, a failure of the pull-request check: `check --base` shows the latter.
    expected: [
      STALE,
      ["requirements/changes/CR-0002.yml", 3, "error", "placeholder-rationale", "CR-0002: the rationale is still the placeholder written by `reqgate init --adopt` (say who approved this requirement set, when, and where it is recorded)"],
    ],
  },
  {
    name: "an _extends (local on the CLI, a repository of the owner on the App)",
    config: {
      files: { ".github/reqgate.yml": "_extends: ./policies/reqgate.yml\n", "policies/reqgate.yml": `requirements:\n  prefixes: [REQ, SYS]\n${BOARD}` },
      app: "_extends: policies\n",
      owner: { "policies:.github/reqgate.yml": `requirements:\n  prefixes: [REQ, SYS]\n${BOARD}` },
    },
    // SYS is a prefix only through the extended file: with the defaults in its place, SYS-001 would be an error.
    head: { "requirements/SYS-001.yml": "id: SYS-001\ntitle: Keep accounts safe\ntext: The system shall resist password guessing.\n", "requirements/changes/CR-0002.yml": affecting("SYS-001") },
    baseline: true,
    conclusion: "action_required",
    expected: [],
  },
  {
    name: "retired with a successor that does not exist",
    head: { "requirements/REQ-002.yml": `${REQ2}status: retired\nsuperseded_by: REQ-099\n`, "requirements/changes/CR-0002.yml": affecting("REQ-002") },
    conclusion: "failure",
    expected: [
      ["requirements/REQ-002.yml", 5, "error", "superseded-unknown", "REQ-002 is superseded by REQ-099, which is not defined (did you mean REQ-001?)"],
      STALE,
    ],
  },
  {
    name: "retired with no successor (withdrawn), with its change record and lock",
    head: { "requirements/REQ-002.yml": `${REQ2}status: retired\n`, "requirements/changes/CR-0002.yml": affecting("REQ-002") },
    baseline: true,
    conclusion: "action_required",
    expected: [],
  },
  {
    name: "an unknown parent",
    head: { "requirements/REQ-003.yml": `${REQ3}parents: [REQ-010]\n`, "requirements/changes/CR-0002.yml": affecting("REQ-003") },
    conclusion: "failure",
    expected: [
      ["requirements/REQ-003.yml", 4, "error", "unknown-parent", "REQ-003 refines REQ-010, which is not defined (did you mean REQ-001?)"],
      STALE,
    ],
  },
  {
    name: "a parse error",
    head: { "requirements/REQ-001.yml": "id: REQ-001\ntitle: [unclosed\n", "requirements/changes/CR-0002.yml": CR2 },
    conclusion: "failure",
    expected: [["requirements/REQ-001.yml", 3, "error", "yaml-syntax", "invalid YAML: unexpected end of the stream within a flow collection"]],
  },
];

// ---------------------------------------------------------------------------------------------------
// The two edges

function write(dir: string, files: Record<string, string | null>): void {
  for (const [path, text] of Object.entries(files)) {
    if (text === null) {
      rmSync(join(dir, path));
      continue;
    }
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

async function reqgate(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { NO_COLOR: "1" }, cwd });
  return { status, stdout, stderr };
}

let repos = 0;
/** The row's repository: `main` with the base and its lock, `change` with the head, checked out. */
async function repository(row: Row): Promise<string> {
  const dir = join(scratch, `repo-${++repos}`);
  mkdirSync(dir);
  git(dir, "init", "-q", "-b", "main");
  write(dir, { ".github/reqgate.yml": BOARD, ...row.config?.files, "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2, "requirements/changes/CR-0001.yml": CR1 });
  const first = await reqgate(["baseline"], dir);
  if (first.status !== 0) throw new Error(`baseline of the base: ${first.stdout}${first.stderr}`);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  git(dir, "checkout", "-qb", "change");
  write(dir, row.head);
  if (row.baseline) {
    const run = await reqgate(["baseline"], dir);
    if (run.status !== 0) throw new Error(`baseline of the head: ${run.stdout}${run.stderr}`);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "head", "--allow-empty");
  return dir;
}

interface JsonDiagnostic {
  file: string;
  line: number;
  severity: "error" | "warning";
  code: string;
  message: string;
  hint?: string;
}

async function cliFindings(dir: string): Promise<{ conclusion: string; findings: Finding[] }> {
  const run = await reqgate(["check", "--base", "main", "--format", "json"], dir);
  if (run.status === 2) throw new Error(`check --base: ${run.stdout}${run.stderr}`);
  const out = JSON.parse(run.stdout) as { diagnostics: JsonDiagnostic[]; check: { conclusion: string } };
  return { conclusion: out.check.conclusion, findings: out.diagnostics.map((d): Finding => [d.file, Math.max(1, d.line), d.severity, d.code, d.hint ? `${d.message} (${d.hint})` : d.message]) };
}

/** The pull request GitHub would show for the two commits of `dir`. */
function pullState(dir: string, row: Row): PullState {
  const show = (ref: string, path: string) => gitOutput(dir, ["show", `${ref}:${path}`]);
  const files: NonNullable<PullState["files"]> = [];
  const base: Record<string, string> = {};
  for (const line of git(dir, "diff", "--no-renames", "--name-status", "main", "change").split("\n").filter(Boolean)) {
    const [status, path] = line.split("\t") as [string, string];
    if (status === "D") files.push({ filename: path, status: "removed" });
    else files.push({ filename: path, status: status === "A" ? "added" : "modified", text: show("change", path) });
    if (status !== "A") base[path] = show("main", path);
  }
  return { config: row.config?.app ?? show("main", ".github/reqgate.yml"), files, base, baseLock: show("main", LOCK), body: "Implements REQ-001." };
}

async function appFindings(dir: string, row: Row): Promise<{ conclusion: string; findings: Finding[] }> {
  mockPullReads(pullState(dir, row));
  for (const [where, text] of Object.entries(row.config?.owner ?? {})) {
    const [repo, path] = where.split(":") as [string, string];
    nock(API).get(`/repos/${OWNER}/${repo}/contents/${path.split("/").map(encodeURIComponent).join("%2F")}`).reply(200, text, { etag: '"extended-1"' });
  }
  const sink = checkRunSink();
  sink.acceptCreates(2);
  await deliver(app.probot, "pull_request", fixture("pull_request.opened"));
  const check = sink.byName("reqgate/baseline");
  const findings = (check.output.annotations ?? []).map((a): Finding => {
    // The annotation's message is `file:line:col: severity: message (hint)`.
    const text = String(a.message).replace(/^\S+: (?:error|warning): /, "");
    return [String(a.path), Number(a.start_line), a.annotation_level === "failure" ? "error" : "warning", String(a.title).replace(/^reqgate: /, ""), text];
  });
  return { conclusion: check.conclusion!, findings };
}

describe("the CLI and the App on the same snapshot", () => {
  it.each(ROWS.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const dir = await repository(row);
    const cli = await cliFindings(dir);
    const gh = await appFindings(dir, row);
    expect({ edge: "cli", ...cli }).toEqual({ edge: "cli", conclusion: row.conclusion, findings: row.expected });
    expect({ edge: "app", ...gh }).toEqual({ edge: "app", conclusion: row.conclusion, findings: row.expected });
  });
});
