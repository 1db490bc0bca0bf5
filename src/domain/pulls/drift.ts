// Drift on the default branch (SPEC 2.5): a push whose lock does not match its requirement files (someone
// bypassed the gate) fails `reqgate/baseline` on that commit and names what drifted.
import { needsChangeRecord, parseLock } from "../baseline/baseline.js";
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";
import { cmp, hasErrors } from "../core/diagnostic.js";
import { escapeInline } from "../core/markdown.js";
import { resolvePositions } from "../requirements/yaml.js";
import { renderDriftCheck } from "./render/baseline-check.js";
import { MAX_TITLE_CHARS, truncateChars, type CheckRunResult } from "./render/check-output.js";

export interface DriftCheck extends CheckRunResult {
  /** Requirements whose lock entry differs from what `reqgate baseline` would write, sorted. */
  drifted: string[];
}

/**
 * A push to the default branch, evaluated with `evaluateChange` against the lock before the push: when
 * the pushed lock does not match the requirement files, the check fails and names what drifted.
 */
export function evaluateDriftCheck(evaluation: ChangeEvaluation, headLockText?: string, incomplete: readonly string[] = []): DriftCheck {
  if (incomplete.length > 0) {
    // Fail closed: what could not be read may be exactly the drift.
    const summary = ["**Could not evaluate the push completely.**", "", ...incomplete.map((r) => `- ❌ ${escapeInline(r, 300)}`)].join("\n");
    return { conclusion: "failure", title: truncateChars(`Could not evaluate: ${incomplete[0]}`, MAX_TITLE_CHARS), summary, annotations: [], actions: [], drifted: [] };
  }
  const diagnostics = resolvePositions([...evaluation.diagnostics], (file) => evaluation.texts.get(file));
  const { state, expected } = evaluation.lock;
  const drifted = state === "current" ? [] : driftedRequirements(evaluation, headLockText);
  const failed = state !== "current" || hasErrors(diagnostics);
  const moves = state === "current" ? evaluation.changes.map((c) => ({ id: c.id, kind: c.kind, ...(c.record !== undefined ? { record: c.record } : {}) })) : [];
  return { ...renderDriftCheck({ state, expected: expected !== undefined, drifted, diagnostics, moves }), conclusion: failed ? "failure" : "success", drifted, actions: [] };
}

function driftedRequirements(evaluation: ChangeEvaluation, headLockText: string | undefined): string[] {
  const changed = evaluation.changes.filter((c) => needsChangeRecord(c.kind)).map((c) => c.id);
  const expected = evaluation.lock.expected === undefined ? undefined : parseLock("expected", evaluation.lock.expected).lock;
  const head = headLockText === undefined ? undefined : parseLock("head", headLockText).lock;
  if (!expected || !head) return [...new Set(changed)].sort(cmp);
  const key = (e: object) => JSON.stringify(e);
  const headEntries = new Map(head.entries.map((e) => [e.id, key(e)]));
  const expectedEntries = new Map(expected.entries.map((e) => [e.id, key(e)]));
  const ids = new Set<string>();
  for (const [id, entry] of expectedEntries) if (headEntries.get(id) !== entry) ids.add(id);
  for (const id of headEntries.keys()) if (!expectedEntries.has(id)) ids.add(id);
  return [...ids].sort(cmp);
}
