// The one change pipeline (engine/change.ts) over in-memory ports: what it reads, what it concludes,
// and the pull-request pipeline on top of it.
import { describe, expect, it } from "@jest/globals";
import { DEFAULT_CONFIG } from "../../src/domain/config/config.js";
import { evaluateChangeBetween, previewBaselineCheck, touchesNothing } from "../../src/engine/change.js";
import { evaluatePullNow } from "../../src/engine/pulls.js";
import { BASE_LOCK, CR1, CR2, LOCK, REQ1, REQ2, requirementChange } from "../helpers/github-pulls.js";
import { configAt, memoryChangeSource, memoryPullPorts, MemoryRepo } from "./fakes.js";

const BASE_TREE = { "requirements/REQ-001.yml": REQ1, "requirements/REQ-002.yml": REQ2, "requirements/changes/CR-0001.yml": CR1, [LOCK]: BASE_LOCK, "src/app.js": "run();\n" };

function amended(text: string) {
  const { head, headLock } = requirementChange(text);
  return { ...BASE_TREE, "requirements/REQ-001.yml": head, "requirements/changes/CR-0002.yml": CR2, [LOCK]: headLock };
}

describe("evaluateChangeBetween", () => {
  it("evaluates a credited change with a current lock, reading only the changed files", async () => {
    const repo = new MemoryRepo().commit("base", BASE_TREE).commit("head", amended("The system shall lock an account after 3 failed logins."));
    const change = await evaluateChangeBetween(memoryChangeSource(repo), DEFAULT_CONFIG, { base: "base", head: "head" });

    expect(change.incomplete).toEqual([]);
    expect(change.evaluation.changes.map((c) => [c.id, c.kind, c.record])).toEqual([["REQ-001", "modified", "CR-0002"]]);
    expect(change.evaluation.records.map((r) => [r.record.id, r.kind])).toEqual([["CR-0002", "added"]]);
    expect(change.evaluation.lock).toEqual({ state: "current" });
    expect(change.evaluation.demands.map((d) => [d.rule.name, d.requirements])).toEqual([["requirements board", ["REQ-001"]]]);
    expect(change.plan.requirements.map((f) => [f.path, f.base, f.head])).toEqual([["requirements/REQ-001.yml", true, true]]);
    expect(change.plan.records.map((f) => [f.path, f.base, f.head])).toEqual([["requirements/changes/CR-0002.yml", false, true]]);
    // One list, one batch of objects, the lock looked up at the base (the head's blob is in the list) and read at both sides.
    expect(repo.reads).toEqual({ compare: 1, objects: 1, lockAt: 1, readLock: 2 });
  });

  it("names the stale lock, and what `reqgate baseline` would write", async () => {
    const head = { ...amended("The system shall lock an account after 3 failed logins."), [LOCK]: BASE_LOCK };
    const repo = new MemoryRepo().commit("base", BASE_TREE).commit("head", head);
    const change = await evaluateChangeBetween(memoryChangeSource(repo), DEFAULT_CONFIG, { base: "base", head: "head" });
    expect(change.evaluation.lock.state).toBe("stale");
    expect(change.evaluation.lock.expected).toBe(requirementChange("The system shall lock an account after 3 failed logins.").headLock);
    expect(change.evaluation.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([["lock-stale", LOCK, "the baseline lock does not match the requirement files and change records"]]);
  });

  it("fails closed on an incomplete file list without reading anything", async () => {
    const repo = new MemoryRepo().commit("base", BASE_TREE).commit("head", amended("x"));
    const change = await evaluateChangeBetween(memoryChangeSource(repo), DEFAULT_CONFIG, { base: "base", head: "head" }, { files: { files: [], incomplete: "the pull request changes more than 3,000 files" } });
    expect(change.incomplete).toEqual(["the pull request changes more than 3,000 files"]);
    expect(change.evaluation.changes).toEqual([]);
    expect(repo.reads.objects).toBe(0);
    const { check } = previewBaselineCheck(change, DEFAULT_CONFIG, "main");
    expect([check.conclusion, check.title]).toEqual(["failure", "Could not evaluate: the pull request changes more than 3,000 files"]);
  });

  it("a review of a suspect link needs the approval of a rule that selects the reviewed requirement by tag", async () => {
    // REQ-002 carries the tag `safety` in a file the change does not touch; only the lock changes.
    const LINK = '{"suspect":"REQ-002","parent":"REQ-001","change":"CR-0001"}';
    const REVIEWED = '{"suspect":"REQ-002","parent":"REQ-001","change":"CR-0001","reviewed_by":"Ann Lee <ann@example.com>","reviewed_at":"2026-12-03T10:00:00Z"}';
    const tagged = REQ2.replace("title:", "tags: [safety]\ntitle:");
    const linked = { ...BASE_TREE, "requirements/REQ-002.yml": tagged, [LOCK]: `${BASE_LOCK.replace('{"lock":1}', '{"lock":2}')}${LINK}\n` };
    const reviewed = { ...linked, [LOCK]: linked[LOCK].replace(LINK, REVIEWED) };
    const repo = new MemoryRepo().commit("base", linked).commit("head", reviewed);
    const config = configAt({ ".github/reqgate.yml": "change_control:\n  rules:\n    - name: safety board\n      tags: [safety]\n      approvers: { users: [maya] }\n" }).config!;

    const change = await evaluateChangeBetween(memoryChangeSource(repo), config, { base: "base", head: "head" });

    expect(change.incomplete).toEqual([]);
    expect(change.evaluation.demands.map((d) => [d.rule.name, d.requirements])).toEqual([["safety board", ["REQ-002"]]]);
    // The reviewed requirement's file is read at the head (one more batch) for its tags.
    expect(repo.reads).toEqual({ compare: 1, objects: 1, lockAt: 1, readLock: 2 });

    // A head lock that puts REQ-002 in another (untagged) file cannot hide the real one: the base lock names it too.
    const misplaced = { ...reviewed, [LOCK]: reviewed[LOCK].replace('"path":"requirements/REQ-002.yml"', '"path":"requirements/REQ-001.yml"') };
    const lying = new MemoryRepo().commit("base", linked).commit("head", misplaced);
    const hidden = await evaluateChangeBetween(memoryChangeSource(lying), config, { base: "base", head: "head" });
    expect(hidden.evaluation.demands.map((d) => [d.rule.name, d.requirements])).toEqual([["safety board", ["REQ-002"]]]);
  });

  it("sees that a code-only change touches nothing of reqgate's", async () => {
    const repo = new MemoryRepo().commit("base", BASE_TREE).commit("head", { ...BASE_TREE, "src/app.js": "run(2);\n" });
    const change = await evaluateChangeBetween(memoryChangeSource(repo), DEFAULT_CONFIG, { base: "base", head: "head" });
    expect(touchesNothing(change.plan)).toBe(true);
    expect(change.evaluation.changes).toEqual([]);
    expect(change.evaluation.lock).toEqual({ state: "current" });
  });

  it("previews the check a pull request gets before anyone approved", async () => {
    const repo = new MemoryRepo().commit("base", BASE_TREE).commit("head", amended("The system shall lock an account after 3 failed logins."));
    const change = await evaluateChangeBetween(memoryChangeSource(repo), DEFAULT_CONFIG, { base: "base", head: "head" });
    const { check, approvals } = previewBaselineCheck(change, DEFAULT_CONFIG, "main");
    expect([check.conclusion, check.verdict, check.title]).toEqual(["action_required", "waiting", "Waiting for 1 approval from requirements board"]);
    expect(approvals.rules.map((r) => [r.rule.name, r.needed, r.approvedBy, r.mayStillApprove.permission])).toEqual([["requirements board", 1, [], "maintain"]]);
  });
});

describe("the pull-request pipeline over in-memory ports", () => {
  it("publishes both checks from the change pipeline's evaluation", async () => {
    const repo = new MemoryRepo().commit("base", BASE_TREE).commit("head", amended("The system shall lock an account after 3 failed logins."));
    const ports = memoryPullPorts(repo, { base: "base", head: "head", body: "Implements REQ-001." });
    const outcome = await evaluatePullNow(ports);
    expect(outcome?.published).toBe("written");
    expect(ports.published.map((w) => [w.name, w.headSha, w.result.conclusion, w.result.title])).toEqual([
      ["reqgate/trace", "head", "success", "Traced to REQ-001"],
      ["reqgate/baseline", "head", "action_required", "Waiting for 1 approval from requirements board"],
    ]);
  });

  it("takes the rules from the default branch, never from the change", async () => {
    const strict = "change_control:\n  rules:\n    - name: safety board\n      match: [\"**\"]\n      approvers: { users: [alice] }\n      count: 2\n";
    const base = { ...BASE_TREE, ".github/reqgate.yml": strict };
    // The head drops every rule; the check still asks for the base's.
    const head = { ...amended("The system shall lock an account after 3 failed logins."), ".github/reqgate.yml": "change_control:\n  rules: []\n" };
    expect(configAt(head).config?.change_control.rules).toEqual([]);
    const repo = new MemoryRepo().commit("base", base).commit("head", head);
    const ports = memoryPullPorts(repo, { base: "base", head: "head" });
    await evaluatePullNow(ports);
    expect(ports.published.find((w) => w.name === "reqgate/baseline")?.result.title).toBe("Waiting for 2 approvals from safety board");
  });
});
