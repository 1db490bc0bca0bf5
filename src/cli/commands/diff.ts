// `reqgate diff REF1 REF2`: the baseline's changes between two commits or tags (SPEC 3), read from git
// with a constant number of processes per ref (see src/local/git.ts), rendered as md, json or html.
import { checkRepository, type SourceFile } from "../../domain/check/check-repository.js";
import type { Config } from "../../domain/config/config.js";
import { formatDiagnostic } from "../../domain/core/diagnostic.js";
import { diffBaselineRefs, renderDiffJson, type BaselineDiff, type DiffSide } from "../../domain/report/baseline-diff.js";
import { renderDiffHtml, renderDiffMarkdown } from "../../domain/report/render/diff-render.js";
import { readRepoFilesAtRef, resolveRef } from "../../local/git.js";
import { readProvenance } from "../../local/provenance.js";
import { EXIT, readVersion, type DiffCommand } from "../args.js";
import { checkOutputPath, refuseConfiguredFile, writeOutputFile } from "../output-file.js";
import { approvalsNote, readApprovals, requireToken, resolveGithub } from "./approvals.js";

interface DiffIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * `loadConfig`: the configuration at a commit (`ref`: its name, for messages), through the CLI's one
 * loader; `configFile`: `--config FILE`, whose working-tree reading says which files --output must spare.
 */
export async function runDiff(root: string, command: DiffCommand, io: DiffIo, loadConfig: (commit: string, ref: string) => Promise<{ config: Config; file?: SourceFile }>, configFile?: string): Promise<number> {
  if (command.output) {
    checkOutputPath(command.output, "diff");
    await refuseConfiguredFile(root, command.output, "diff", `reqgate-diff.${command.format}`, configFile);
  }
  const github = command.github !== undefined ? resolveGithub(root, command.github, io.env, "diff") : undefined;
  const token = github ? requireToken(io.env, "diff") : undefined;
  let lockPath = "";
  const sides: DiffSide[] = [];
  let broken = false;
  let laterConfig: SourceFile | undefined;
  for (const ref of [command.from, command.to]) {
    const commit = resolveRef(root, ref);
    const loaded = await loadConfig(commit, ref);
    laterConfig = loaded.file;
    const { config } = loaded;
    lockPath = config.requirements.lock;
    const files = readRepoFilesAtRef(root, commit, config);
    const check = checkRepository({ config, requirementFiles: files.requirements, recordFiles: files.changes, ...(files.lock ? { lock: files.lock } : {}) });
    if (check.lockState === "invalid") {
      broken = true;
      for (const d of check.diagnostics.filter((x) => x.file === config.requirements.lock && x.severity === "error")) io.stderr.write(`reqgate: at ${ref}: ${formatDiagnostic(d)}\n`);
    }
    sides.push({ ref, commit, lock: check.lock ?? { applied: [], entries: [] }, requirements: check.byId, records: check.records });
  }
  if (broken) {
    io.stderr.write("reqgate: the baseline lock cannot be read at one of the refs, so the diff would be wrong\n");
    return EXIT.problems;
  }
  const diff: BaselineDiff = diffBaselineRefs(sides[0]!, sides[1]!);
  diff.provenance = readProvenance({ root, version: readVersion(), ...(laterConfig ? { config: laterConfig } : {}), ...(github ? { github } : {}), ...(io.env.SOURCE_DATE_EPOCH ? { sourceDateEpoch: io.env.SOURCE_DATE_EPOCH } : {}) });
  if (github && token) {
    // The records applied between the two revisions, found in the lock's history between them.
    const { byRecord, summary } = await readApprovals({ root, github, token, env: io.env, lockPath, records: diff.records.map((r) => r.id), range: { from: diff.from.commit, to: diff.to.commit } });
    for (const r of diff.records) {
      const approval = byRecord.get(r.id);
      if (approval) r.approval = approval;
    }
    diff.approvals = summary;
    io.stderr.write(approvalsNote(byRecord, summary));
  }
  const text = command.format === "json" ? renderDiffJson(diff) : command.format === "html" ? renderDiffHtml(diff) : renderDiffMarkdown(diff);
  if (command.output) {
    writeOutputFile(command.output, text, "diff");
    io.stderr.write(`wrote ${command.output}\n`);
  } else {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }
  return EXIT.clean;
}
