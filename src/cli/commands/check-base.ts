// `reqgate check --base REF`: the `reqgate/baseline` check of the change from REF to the working tree,
// before approvals, through the engine's change pipeline (change.ts).
import { hasErrors } from "../../domain/core/diagnostic.js";
import type { ChangeEvaluation } from "../../domain/baseline/evaluate-change.js";
import { BASELINE_CHECK } from "../../domain/pulls/check-names.js";
import { renderBaselineText } from "../../domain/pulls/render/baseline-text.js";
import { previewBaselineCheck } from "../../engine/change.js";
import { resolveRef } from "../../local/git.js";
import { EXIT } from "../args.js";
import type { Io } from "../main.js";
import type { OutputFormat } from "../output.js";
import { changeAgainst, withChange } from "./change.js";
import { LOCK_RELATIVE, printDiagnostics, readAndCheck } from "./read.js";

/** `check --base REF`: the `reqgate/baseline` check of the change from REF to the working tree, before approvals. */
export async function checkAgainst(root: string, ref: string, format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  const commit = resolveRef(root, ref);
  const head = await readAndCheck(root, io, configFile);
  const run = await changeAgainst(root, commit, ref, head);
  const { change, baseConfig } = run;
  const { check, approvals } = previewBaselineCheck(change, baseConfig, ref.replace(/^origin\//, ""));
  const diagnostics = withChange(head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code)), run);
  const summary = { name: BASELINE_CHECK, conclusion: check.conclusion, verdict: check.verdict, title: check.title, subject: check.subject, incomplete: change.incomplete };

  if (format === "json") {
    printDiagnostics(diagnostics, format, io, { base: commit, change: changeSummary(change.evaluation), check: summary });
  } else {
    printDiagnostics(diagnostics, format, io);
    io.stdout.write(`\n${renderBaselineText({ check, evaluation: change.evaluation, approvals, incomplete: change.incomplete, base: ref })}`);
  }
  return check.verdict === "failure" || hasErrors(diagnostics) ? EXIT.problems : EXIT.clean;
}

function changeSummary(e: ChangeEvaluation): Record<string, unknown> {
  return {
    changes: e.changes.map((c) => ({ id: c.id, kind: c.kind, record: c.record ?? null })),
    records: e.records.map((r) => ({ id: r.record.id, kind: r.kind })),
    lock: e.lock.state,
    approvals: e.demands.map((d) => ({ rule: d.rule.name, count: d.rule.count, requirements: d.requirements, approvers: d.rule.approvers })),
    subject: e.subject,
  };
}
