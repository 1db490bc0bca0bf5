// `reqgate init`: the starting files; `--adopt`: one change record that makes the existing requirement
// set the first baseline; `--action`: the workflow that runs reqgate's Action.
import { adoptionRecords } from "../../domain/baseline/adoption.js";
import { EXIT } from "../args.js";
import { ACTION_WORKFLOW_PATH, ACTION_WORKFLOW_TEMPLATE, formatWriteResult, runInit, writeNewFiles } from "../init.js";
import type { Io } from "../main.js";
import { loadWorktreeConfig } from "../../local/config.js";
import { formatCount } from "../output.js";
import { printDiagnostics, readAndCheck, usable } from "./read.js";

export async function init(root: string, io: Io): Promise<number> {
  const result = runInit(root, usable(await loadWorktreeConfig(root)));
  io.stdout.write(formatWriteResult(result));
  return EXIT.clean;
}

/** `init --action`: the workflow that runs reqgate's Action, after what init wrote. */
export function withWorkflow(wanted: boolean, root: string, io: Io, status: number): number {
  if (!wanted) return status;
  const result = writeNewFiles(root, [{ path: ACTION_WORKFLOW_PATH, text: ACTION_WORKFLOW_TEMPLATE }]);
  io.stdout.write(result.written.length > 0
    ? `wrote ${ACTION_WORKFLOW_PATH}: reqgate's GitHub Action on issues, comments, pull requests, reviews, pushes and the merge queue\n`
    : `skipped ${ACTION_WORKFLOW_PATH} (${result.skipped[0]?.reason ?? "it exists"})\n`);
  return status;
}

/** `init --adopt`: one change record that makes the existing requirement set the first baseline. */
export async function adopt(root: string, io: Io): Promise<number> {
  const { config, check, files, diagnostics } = await readAndCheck(root, io);
  if (files.lock) {
    io.stderr.write(`reqgate: ${config.requirements.lock} exists already: this repository has a baseline. Write a change record for new requirements instead.\n`);
    return EXIT.usage;
  }
  const errors = diagnostics.filter((d) => d.severity === "error" && d.code !== "lock-missing");
  if (errors.length > 0) {
    printDiagnostics(errors, "text", io);
    io.stderr.write("reqgate: fix these errors before adopting the requirement set as a baseline\n");
    return EXIT.problems;
  }
  const ids = check.requirements.filter((r) => r.status !== "draft").map((r) => r.id);
  // As many records as keep each under requirements.max_file_kb: adoption works at any size.
  const records = adoptionRecords(ids, check.records.map((r) => r.id), config.requirements.change_prefix, config.requirements.changes, config.requirements.max_file_kb * 1024);
  const result = writeNewFiles(root, records);
  const paths = records.map((r) => r.path).join(", ");
  io.stdout.write(result.skipped.length === 0
    ? `wrote ${paths}: the first baseline, affecting ${formatCount(ids.length)} requirements\nNext: complete ${records.length === 1 ? "its rationale" : "their rationales"}, then run "reqgate baseline" and commit ${records.length === 1 ? "both" : "them all"}.\n`
    : result.skipped.map((s) => `skipped ${s.path}: ${s.reason}\n`).join(""));
  return result.skipped.length === 0 ? EXIT.clean : EXIT.problems;
}
