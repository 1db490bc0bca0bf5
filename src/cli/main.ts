// The `reqgate` command line: read a checkout (and, for --base, a git revision) into a snapshot, run the
// engine, print the result. Exit 0 when clean, 1 when problems were found, 2 on usage or configuration
// errors. All I/O is here and in src/local; every decision is in src/domain.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { renderLock } from "../domain/baseline/baseline.js";
import { checkRepository, type RepoCheck, type SourceFile } from "../domain/check/check-repository.js";
import { DEFAULT_CONFIG, parseConfig, type Config } from "../domain/config/config.js";
import { adoptionRecords } from "../domain/baseline/adoption.js";
import { diagnostic, sortDiagnostics, type Diagnostic } from "../domain/core/diagnostic.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { evaluateChange, type ChangeEvaluation, type FileVersions } from "../domain/baseline/evaluate-change.js";
import { buildReport, traceRequirement } from "../domain/report/report.js";
import { renderReport, renderTrace } from "../domain/report/render/report-formats.js";
import { workItemsFromIssues, type WorkItem } from "../domain/report/work-items.js";
import { decodeText, loadYaml, resolvePositions } from "../domain/requirements/yaml.js";
import { GitError, readRepoFilesAtRef, resolveRef } from "../local/git.js";
import { readProvenance } from "../local/provenance.js";
import { readLocalConfig, readRepoFiles, type RepoFiles } from "../local/repo-files.js";
import { OutsideRepositoryError, writableTarget } from "../local/safe-paths.js";
import { EXIT, parseCli, readVersion, UsageError, type Command, type CommandName, type WorkItemSource } from "./args.js";
import { ACTION_WORKFLOW_PATH, ACTION_WORKFLOW_TEMPLATE, formatWriteResult, runInit, writeNewFiles } from "./init.js";
import { chooseFormat, createProgress, formatCount, formatJson, formatSummary, renderDiagnostics, summarize, useColor, type Env, type OutputFormat } from "./output.js";

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Env;
  cwd: string;
}

/** A configuration problem or an unreadable repository: exit code 2, with diagnostics to print. */
class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super("configuration error");
  }
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const invocation = parseCli(argv, { cwd: io.cwd });
    if (invocation.kind === "help") {
      io.stdout.write(invocation.text.endsWith("\n") ? invocation.text : `${invocation.text}\n`);
      return EXIT.clean;
    }
    if (invocation.kind === "version") {
      io.stdout.write(`${readVersion()}\n`);
      return EXIT.clean;
    }
    const format = chooseFormat(invocation.format, io.env);
    return await run(invocation.command, invocation.repo, format, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.format()}\n`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError || error instanceof OutsideRepositoryError) {
      const format = chooseFormat(undefined, io.env);
      io.stdout.write(renderDiagnostics(sortDiagnostics(error.diagnostics), format, { color: useColor(io.stdout, io.env) }));
      return EXIT.usage;
    }
    if (error instanceof GitError || (error instanceof Error && error.name === "FetchIssuesError")) {
      io.stderr.write(`reqgate: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

async function run(command: Command, root: string, format: OutputFormat, io: Io): Promise<number> {
  switch (command.name) {
    case "init":
      return withWorkflow(command.action === true, root, io, command.adopt ? adopt(root, io) : init(root, io));
    case "check":
      return command.base === undefined ? check(root, format, io) : checkAgainst(root, command.base, format, io);
    case "baseline":
      return baseline(root, format, io);
    case "report":
      return report(root, command, io);
    case "trace":
      return trace(root, command, format, io);
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading

function loadConfig(file: SourceFile | undefined): Config {
  if (!file) return DEFAULT_CONFIG;
  const decoded = decodeText(file.path, file.content, 256 * 1024);
  if (decoded.text === undefined) throw new ConfigError(decoded.diagnostics);
  const loaded = loadYaml(file.path, decoded.text);
  if (loaded.value === undefined) throw new ConfigError(loaded.diagnostics);
  const parsed = parseConfig(loaded.value, file.path);
  if (!parsed.config) throw new ConfigError(resolvePositions(parsed.diagnostics, () => decoded.text));
  return parsed.config;
}

interface Checked {
  config: Config;
  files: RepoFiles;
  check: RepoCheck;
  /** Every diagnostic: the engine's and the files that could not be read. */
  diagnostics: Diagnostic[];
}

function readAndCheck(root: string, io: Io): Checked {
  const config = loadConfig(readLocalConfig(root));
  const progress = createProgress(io.stderr, io.env);
  progress.update("reading files…");
  const files = readRepoFiles(root, config, { onProgress: (n) => progress.update(`reading files… ${formatCount(n)}`) });
  if (!files.config && files.requirements.length === 0) {
    progress.done();
    // Not "no problems found": a check of the wrong folder must not pass.
    throw new ConfigError([diagnostic({ code: "no-requirements", file: CONFIG_PATH, message: `no requirements here: no configuration and no requirement files (${config.requirements.paths.join(", ")})`, hint: "run `reqgate init` to start, or run reqgate from the repository that holds the requirements" })]);
  }
  progress.update(`checking ${formatCount(files.requirements.length)} requirement files…`);
  const check = checkRepository({
    config,
    requirementFiles: files.requirements,
    recordFiles: files.changes,
    ...(files.lock ? { lock: files.lock } : {}),
    evidenceFiles: files.verification,
    unreadableFiles: files.diagnostics.map((d) => d.file),
    implementationFiles: files.implementation,
    resultFiles: files.results,
    ...(files.config ? { configFile: files.config } : {}),
  });
  progress.done();
  return { config, files, check, diagnostics: sortDiagnostics([...files.diagnostics, ...check.diagnostics]) };
}

function exitFor(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.severity === "error") ? EXIT.problems : EXIT.clean;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, io: Io, extra?: Record<string, unknown>): void {
  if (format === "json") {
    io.stdout.write(formatJson(diagnostics, extra));
    return;
  }
  io.stdout.write(renderDiagnostics(diagnostics, format, { color: useColor(io.stdout, io.env) }));
}

// ---------------------------------------------------------------------------------------------------
// Commands

function check(root: string, format: OutputFormat, io: Io): number {
  const { check, diagnostics } = readAndCheck(root, io);
  printDiagnostics(diagnostics, format, io, { requirements: check.requirements.length, changeRecords: check.records.length, lock: check.lockState });
  if (format === "text") io.stdout.write(`${formatCount(check.requirements.length)} requirements, ${formatCount(check.records.length)} change records, lock ${check.lockState}\n`);
  return exitFor(diagnostics);
}

/** `check --base REF`: what the pull-request check would say of the change from REF to the working tree. */
function checkAgainst(root: string, ref: string, format: OutputFormat, io: Io): number {
  const commit = resolveRef(root, ref);
  const head = readAndCheck(root, io);
  // Rules come from the base, as the App reads them from the default branch, never from the change.
  const baseFilesProbe = readRepoFilesAtRef(root, commit, head.config);
  const baseConfig = loadConfig(baseFilesProbe.config);
  const baseFiles = baseConfig === head.config ? baseFilesProbe : readRepoFilesAtRef(root, commit, baseConfig);

  const evaluation = evaluateChange({
    config: baseConfig,
    ...(baseFiles.lock ? { baseLock: { path: baseFiles.lock.path, text: decode(baseFiles.lock.content) } } : {}),
    ...(head.files.lock ? { headLock: { path: head.files.lock.path, text: decode(head.files.lock.content) } } : {}),
    requirementFiles: changedFiles(baseFiles.requirements, head.files.requirements),
    recordFiles: changedFiles(baseFiles.changes, head.files.changes),
  });
  const changeDiagnostics = resolvePositions(evaluation.diagnostics, (f) => evaluation.texts.get(f));
  // The full check of the head already reports parse errors of every file; keep the change's own findings.
  const own = changeDiagnostics.filter((d) => !head.diagnostics.some((h) => h.file === d.file && h.code === d.code && h.message === d.message));
  const diagnostics = sortDiagnostics([...head.diagnostics, ...own, ...baseFiles.diagnostics]);

  if (format === "json") {
    printDiagnostics(diagnostics, format, io, { base: commit, change: changeSummary(evaluation) });
  } else {
    printDiagnostics(diagnostics, format, io);
    if (format === "text") io.stdout.write(describeChange(ref, evaluation));
  }
  return exitFor(diagnostics);
}

function baseline(root: string, format: OutputFormat, io: Io): number {
  const { config, check, diagnostics } = readAndCheck(root, io);
  // A file that does not parse would look like removed requirements: never rewrite the lock over it.
  const blocking = diagnostics.filter((d) => d.severity === "error" && d.code !== "lock-stale" && d.code !== "lock-missing");
  if (blocking.length > 0 || !check.baseline.lock) {
    printDiagnostics(blocking.length > 0 ? blocking : diagnostics, format, io);
    io.stderr.write("reqgate: the lock was not written: fix the errors above first\n");
    return EXIT.problems;
  }
  const text = renderLock(check.baseline.lock);
  const lockPath = config.requirements.lock;
  const target = writableTarget(root, lockPath, "requirements.lock");
  const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
  const changed = current !== text;
  if (changed) writeLock(target, lockPath, text);

  const changes = check.baseline.changes;
  if (format === "json") {
    const credit = new Map(check.baseline.lock.entries.map((e) => [e.id, e.change]));
    io.stdout.write(formatJson(diagnostics, { lock: lockPath, written: changed, changes: changes.map((c) => ({ id: c.id, kind: c.kind, change: credit.get(c.id) ?? null })), applied: [...check.baseline.credited.keys()] }, "reqgate-baseline"));
    return EXIT.clean;
  }
  printDiagnostics(diagnostics.filter((d) => d.code !== "lock-stale" && d.code !== "lock-missing"), format, io);
  if (!changed) {
    io.stdout.write(`${lockPath} is up to date (${formatCount(check.baseline.lock.entries.length)} baselined requirements)\n`);
    return EXIT.clean;
  }
  for (const [record, ids] of check.baseline.credited) {
    io.stdout.write(`${record}: ${ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")} and ${ids.length - 8} more`}\n`);
  }
  const counts = countKinds(changes.map((c) => c.kind));
  io.stdout.write(`wrote ${lockPath}: ${counts || "reformatted"} (${formatCount(check.baseline.lock.entries.length)} baselined requirements)\n`);
  return EXIT.clean;
}

async function report(root: string, command: Extract<Command, { name: "report" }>, io: Io): Promise<number> {
  const checked = readAndCheck(root, io);
  const { config } = checked;
  const workItems = await loadWorkItems(command, config, io);
  const { check, diagnostics, files } = checked;
  const built = buildReport(check, workItems, { exemptLabels: config.issues.exempt_labels, requiredMethods: config.verification.required });
  built.provenance = readProvenance({ root, version: readVersion(), ...(files.config ? { config: files.config } : {}), ...(command.github ? { github: command.github } : {}), ...(io.env.SOURCE_DATE_EPOCH ? { sourceDateEpoch: io.env.SOURCE_DATE_EPOCH } : {}) });
  const text = renderReport(built, command.format);
  if (command.output) {
    writeFileSync(command.output, text);
    io.stderr.write(`wrote ${command.output}\n`);
  } else {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }
  if (diagnostics.length > 0) io.stderr.write(`reqgate: ${formatSummary(summarize(diagnostics))}; run "reqgate check" for details\n`);
  return exitFor(diagnostics);
}

async function loadWorkItems(command: WorkItemSource & { name: CommandName }, config: Config, io: Io): Promise<WorkItem[] | undefined> {
  const prefixes = new Set(config.requirements.prefixes);
  let raw: unknown;
  let file = "issues";
  if (command.issues) {
    file = command.issues;
    try {
      raw = JSON.parse(readFileSync(command.issues, "utf8"));
    } catch (error) {
      throw new UsageError(`cannot read ${command.issues} as JSON: ${(error as Error).message}`, command.name);
    }
  } else if (command.github) {
    // Loaded only here: Octokit is most of the CLI's start-up time, and only --github needs it.
    const { fetchIssues } = await import("../github/fetch-issues.js");
    const progress = createProgress(io.stderr, io.env);
    raw = await fetchIssues({
      ...command.github,
      ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
      ...(io.env.GITHUB_API_URL ? { baseUrl: io.env.GITHUB_API_URL } : {}),
      onProgress: (n) => progress.update(`reading issues… ${formatCount(n)}`),
    });
    progress.done();
    file = `${command.github.owner}/${command.github.repo}`;
  } else {
    return undefined;
  }
  const result = workItemsFromIssues(raw, prefixes, file);
  if (result.diagnostics.some((d) => d.severity === "error")) throw new ConfigError(result.diagnostics);
  return result.items;
}

async function trace(root: string, command: Extract<Command, { name: "trace" }>, format: OutputFormat, io: Io): Promise<number> {
  const { config, check } = readAndCheck(root, io);
  const workItems = await loadWorkItems(command, config, io);
  const result = traceRequirement(check, command.id, workItems, { exemptLabels: config.issues.exempt_labels, requiredMethods: config.verification.required });
  io.stdout.write(renderTrace(result, format === "json" ? "json" : "text"));
  return result.found ? EXIT.clean : EXIT.problems;
}

function init(root: string, io: Io): number {
  const result = runInit(root, loadConfig(readLocalConfig(root)));
  io.stdout.write(formatWriteResult(result));
  return EXIT.clean;
}

/** `init --action`: the workflow that runs reqgate's Action, after what init wrote. */
function withWorkflow(wanted: boolean, root: string, io: Io, status: number): number {
  if (!wanted) return status;
  const result = writeNewFiles(root, [{ path: ACTION_WORKFLOW_PATH, text: ACTION_WORKFLOW_TEMPLATE }]);
  io.stdout.write(result.written.length > 0
    ? `wrote ${ACTION_WORKFLOW_PATH}: reqgate's GitHub Action on issues, comments, pull requests, reviews, pushes and the merge queue\n`
    : `skipped ${ACTION_WORKFLOW_PATH} (${result.skipped[0]?.reason ?? "it exists"})\n`);
  return status;
}

/** `init --adopt`: one change record that makes the existing requirement set the first baseline. */
function adopt(root: string, io: Io): number {
  const { config, check, files, diagnostics } = readAndCheck(root, io);
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

// ---------------------------------------------------------------------------------------------------
// Helpers

/** Writes the lock; a folder that is missing or a file that cannot be written is exit 2 with a message. */
function writeLock(target: string, lockPath: string, text: string): void {
  if (!existsSync(dirname(target))) {
    throw new ConfigError([diagnostic({ code: "lock-unwritable", file: lockPath, message: `the folder of requirements.lock (${dirname(lockPath)}) does not exist`, hint: "run `reqgate init`, or create the folder, or set requirements.lock in .github/reqgate.yml" })]);
  }
  try {
    writeFileSync(target, text);
  } catch (error) {
    throw new ConfigError([diagnostic({ code: "lock-unwritable", file: lockPath, message: `the lock could not be written (${(error as NodeJS.ErrnoException).code ?? "error"})`, hint: "check that requirements.lock names a writable file" })]);
  }
}

function decode(content: string | Uint8Array): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/** Files whose bytes differ between two reads, as base/head pairs. */
function changedFiles(base: readonly SourceFile[], head: readonly SourceFile[]): FileVersions[] {
  const before = new Map(base.map((f) => [f.path, f.content]));
  const out: FileVersions[] = [];
  for (const file of head) {
    const old = before.get(file.path);
    before.delete(file.path);
    if (old !== undefined && sameBytes(old, file.content)) continue;
    out.push({ path: file.path, head: file.content, ...(old !== undefined ? { base: old } : {}) });
  }
  for (const [path, content] of before) out.push({ path, base: content });
  return out;
}

function sameBytes(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === "string" || typeof b === "string") return decode(a) === decode(b);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function countKinds(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
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

function describeChange(ref: string, e: ChangeEvaluation): string {
  const lines = [`\nChange against ${ref}:`];
  const real = e.changes.filter((c) => c.kind !== "moved");
  if (e.changes.length === 0) lines.push("  no baselined requirement changes");
  for (const c of e.changes) lines.push(`  ${c.id} ${c.kind}${c.record ? ` (${c.record})` : c.kind === "moved" ? "" : " (no change record)"}`);
  for (const r of e.records) lines.push(`  change record ${r.record.id} ${r.kind}`);
  lines.push(`  lock: ${e.lock.state}`);
  if (real.length > 0 && e.demands.length === 0) lines.push("  approvals: no rule matches these requirements");
  for (const d of e.demands) {
    const who = [
      ...d.rule.approvers.users.map((u) => `@${u}`),
      ...d.rule.approvers.teams.map((t) => `team ${t.replace(/^@/, "")}`),
      ...(d.rule.approvers.permission ? [`anyone with ${d.rule.approvers.permission} permission`] : []),
    ].join(", ");
    lines.push(`  approvals: ${d.rule.count} from ${d.rule.name} (${who}) for ${d.requirements.join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}
