// SPEC 2.3 step 4: a rule matches a requirement at the base or at the head. Moving a requirement out of a
// rule's files, or removing the tag a rule selects on, is a change that needs that rule's approval and a
// change record: otherwise a requirement could be taken out of a safety board's rule in one pull request
// and changed freely in the next.
import { describe, expect, it } from "@jest/globals";
import { parseLock } from "../../src/domain/baseline/baseline.js";
import { useStrictProbot } from "../helpers/github-app.js";
import { baselineOn, LOCK, lockFor, REQ1, REQ2, type CheckRunBody, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const CR1 = "id: CR-0001\ntitle: Initial baseline\nrationale: First release.\naffects: [REQ-001, REQ-002]\n";
const CR2 = "id: CR-0002\ntitle: Move REQ-001 out of the safety scope\nrationale: It is not a safety function.\naffects: [REQ-001]\n";
const SAFETY_FILES = "change_control:\n  rules:\n    - name: safety board\n      match: ['requirements/safety/**']\n      approvers: { users: [sam] }\n";
const SAFETY_TAG = "change_control:\n  rules:\n    - name: safety board\n      match: []\n      tags: [safety]\n      approvers: { users: [sam] }\n";

/** The base: REQ-001 in the safety folder (and tagged safety), REQ-002 elsewhere. */
const REQ1_TAGGED = `${REQ1}tags: [safety]\n`;
const BASE_FILES = { "requirements/safety/REQ-001.yml": REQ1_TAGGED, "requirements/REQ-002.yml": REQ2 };
const BASE_LOCK = lockFor(BASE_FILES, { "requirements/changes/CR-0001.yml": CR1 });

function pull(files: PullState["files"], head: Record<string, string>, records: Record<string, string>, config: string): PullState {
  const headLock = lockFor(head, records, parseLock(LOCK, BASE_LOCK).lock);
  return {
    config,
    baseLock: BASE_LOCK,
    base: BASE_FILES,
    // The lock is part of the change only where `reqgate baseline` rewrites it.
    files: [...files!, ...(headLock !== BASE_LOCK ? [{ filename: LOCK, status: "modified", text: headLock }] : [])],
  };
}

/** The `reqgate/baseline` run written for `pull_request.opened`. */
function opened(state: PullState): Promise<CheckRunBody> {
  return baselineOn(app.probot, state, "pull_request.opened");
}

describe("scope cannot be escaped", () => {
  it("moving a requirement file out of a rule's globs needs that rule's approval", async () => {
    const state = pull(
      [
        { filename: "requirements/REQ-001.yml", previous_filename: "requirements/safety/REQ-001.yml", status: "renamed", text: REQ1_TAGGED },
        { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2 },
      ],
      { "requirements/REQ-001.yml": REQ1_TAGGED, "requirements/REQ-002.yml": REQ2 },
      { "requirements/changes/CR-0002.yml": CR2 },
      SAFETY_FILES,
    );
    const baseline = await opened(state);
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from safety board"]);
    expect(baseline.output.summary).toContain("| safety board | REQ\\-001 | ⏳ 0 of 1 | — | sam (not the author or anyone who pushed commits) |");
    expect(baseline.output.summary).toContain("- REQ\\-001 leaves the scope of safety board (moved from requirements/safety/REQ\\-001\\.yml to requirements/REQ\\-001\\.yml): CR\\-0002");
  });

  it("a move out of a rule's globs without a change record fails, saying what to add", async () => {
    const state = pull(
      [{ filename: "requirements/REQ-001.yml", previous_filename: "requirements/safety/REQ-001.yml", status: "renamed", text: REQ1_TAGGED }],
      { "requirements/REQ-001.yml": REQ1_TAGGED, "requirements/REQ-002.yml": REQ2 },
      {},
      SAFETY_FILES,
    );
    const baseline = await opened(state);
    expect(baseline.conclusion).toBe("failure");
    expect(baseline.actions).toEqual([]);
    expect(baseline.output.title).toBe("REQ-001 leaves the scope of safety board (moved from requirements/safety/REQ-001.yml to requirements/REQ-001.yml), but no unapplied change record lists it in `affects`; also waiting for 1 approval from safety board");
  });

  it("removing the tag a rule selects on needs that rule's approval", async () => {
    const state = pull(
      [
        { filename: "requirements/safety/REQ-001.yml", status: "modified", text: REQ1 },
        { filename: "requirements/changes/CR-0002.yml", status: "added", text: CR2 },
      ],
      { "requirements/safety/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2 },
      { "requirements/changes/CR-0002.yml": CR2 },
      SAFETY_TAG,
    );
    const baseline = await opened(state);
    expect([baseline.conclusion, baseline.output.title]).toEqual(["action_required", "Waiting for 1 approval from safety board"]);
    expect(baseline.output.summary).toContain("REQ\\-001 leaves the scope of safety board (tag safety removed)");
  });
});
