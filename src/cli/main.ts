// The `reqgate` command line: read a checkout (and, for --base, a git revision) into a snapshot, run the
// engine, print the result. Exit 0 when clean, 1 when problems were found, 2 on usage or configuration
// errors. All I/O is here and in src/local; every decision is in src/domain.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { computeBaseline, EMPTY_LOCK, renderLock, type Lock } from "../domain/baseline/baseline.js";
import { checkRepository, type RepoCheck, type SourceFile } from "../domain/check/check-repository.js";
import { DEFAULT_CONFIG, parseConfig, type Config } from "../domain/config/config.js";
import { adoptionRecords } from "../domain/baseline/adoption.js";
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../domain/core/diagnostic.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import type { ChangeEvaluation } from "../domain/baseline/evaluate-change.js";
import { BASELINE_CHECK } from "../domain/pulls/check-names.js";
import { renderBaselineText } from "../domain/pulls/render/baseline-text.js";
import { evaluateChangeBetween, previewBaselineCheck, type ChangeOutcome } from "../engine/change.js";
import { CatFileBatch } from "../local/cat-file.js";
import { LocalSource, WORKTREE } from "../local/source.js";
import { buildReport, traceRequirement } from "../domain/report/report.js";
import { renderReport, renderTrace } from "../domain/report/render/report-formats.js";
import { workItemsFromIssues, type WorkItem } from "../domain/report/work-items.js";
import { decodeText, loadYaml, resolvePositions } from "../domain/requirements/yaml.js";
import { defaultBranch, GitError, mergeBase, resolveRef, worktreePrefix } from "../local/git.js";
import { readProvenance } from "../local/provenance.js";
import { runDiff } from "./commands/diff.js";
import { EVIDENCE_CODES } from "../domain/verification/verification.js";
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
      return baseline(root, command.base, format, io);
    case "report":
      return report(root, command, io);
    case "trace":
      return trace(root, command, format, io);
    case "diff":
      return runDiff(root, command, io, loadConfig);
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
  const value = loaded.value;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && value._extends !== undefined && value._extends !== null) {
    // The App would read the extended file from another repository; the CLI cannot, and the defaults in
    // its place would give other answers than the App: say so instead.
    const target = typeof value._extends === "string" ? `"${value._extends.slice(0, 200)}"` : "another file";
    throw new ConfigError(resolvePositions([diagnostic({
      code: "config-invalid",
      file: file.path,
      path: ["_extends"],
      message: `_extends: ${target} is read by the App from another repository; the command line does not read other repositories`,
      hint: "copy the extended settings into this file to run the CLI with the same rules as the App",
    })], () => decoded.text));
  }
  const parsed = parseConfig(value, file.path);
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

/**
 * Findings of the full check that judge the working tree against its own lock. With a base (`check
 * --base`, `baseline` on a branch) the lock is judged against the base's lock instead, as the pull
 * request check judges it, and the change's own findings take their place.
 */
const LOCK_RELATIVE = new Set(["change-without-record", "change-claimed-twice", "change-record-unused", "lock-stale", "lock-missing"]);

interface ChangeRun {
  change: ChangeOutcome;
  baseConfig: Config;
  /** The change's own findings (positions resolved), without the ones the full check reported already. */
  own: Diagnostic[];
}

/** The change from `commit` to the working tree, through the engine's one change pipeline. */
async function changeAgainst(root: string, commit: string, head: Checked): Promise<ChangeRun> {
  const prefix = worktreePrefix(root);
  const batch = new CatFileBatch(root);
  try {
    // Rules come from the base, as the App reads them from the default branch, never from the change.
    const [configBytes] = await batch.read([`${commit}:${prefix}${CONFIG_PATH}`]);
    const baseConfig = loadConfig(configBytes === undefined ? undefined : { path: CONFIG_PATH, content: configBytes });
    // The working tree as the base's configuration sees it: read again only when the two disagree on where files are.
    const worktree = sameFiles(baseConfig, head.config) ? head.files : readRepoFiles(root, baseConfig);
    const source = new LocalSource({ root, prefix, config: baseConfig, worktree, batch });
    const change = await evaluateChangeBetween(source, baseConfig, { base: commit, head: WORKTREE });
    const { evaluation } = change;
    const resolved = resolvePositions(evaluation.diagnostics, (f) => evaluation.texts.get(f));
    // The full check of the head already reports parse errors of every file; keep the change's own findings.
    const seen = new Set(head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code)).map(diagnosticKey));
    return { change, baseConfig, own: resolved.filter((d) => !seen.has(diagnosticKey(d))) };
  } finally {
    batch.close();
  }
}

/** `check --base REF`: the `reqgate/baseline` check of the change from REF to the working tree, before approvals. */
async function checkAgainst(root: string, ref: string, format: OutputFormat, io: Io): Promise<number> {
  const commit = resolveRef(root, ref);
  const head = readAndCheck(root, io);
  const { change, baseConfig, own } = await changeAgainst(root, commit, head);
  const { check, approvals } = previewBaselineCheck(change, baseConfig, ref.replace(/^origin\//, ""));
  const diagnostics = sortDiagnostics([...head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code)), ...own]);
  const summary = { name: BASELINE_CHECK, conclusion: check.conclusion, verdict: check.verdict, title: check.title, subject: check.subject, incomplete: change.incomplete };

  if (format === "json") {
    printDiagnostics(diagnostics, format, io, { base: commit, change: changeSummary(change.evaluation), check: summary });
  } else {
    printDiagnostics(diagnostics, format, io);
    io.stdout.write(`\n${renderBaselineText({ check, evaluation: change.evaluation, approvals, incomplete: change.incomplete, base: ref })}`);
  }
  return check.verdict === "failure" || hasErrors(diagnostics) ? EXIT.problems : EXIT.clean;
}

/**
 * `reqgate baseline`. In a git checkout the lock is written relative to the lock at the merge base
 * with the default branch (or `--base REF`), through the same change pipeline as the pull-request
 * check, so it is the lock that check expects however often the change was amended (SPEC 1.2).
 * Outside git, or before the first commit, relative to the lock in the working tree.
 */
async function baseline(root: string, baseRef: string | undefined, format: OutputFormat, io: Io): Promise<number> {
  const head = readAndCheck(root, io);
  const base = baselineBase(root, baseRef);
  if (!base) return baselineInPlace(head, root, format, io);

  const { change, baseConfig, own } = await changeAgainst(root, base.commit, head);
  // A first baseline (no lock at the base): every requirement of the working tree is new.
  if (!change.baseLock && change.incomplete.length === 0) return baselineInPlace(head, root, format, io, EMPTY_LOCK);
  const { evaluation } = change;
  const lockPath = baseConfig.requirements.lock;
  // What the lock would be written over: the head's errors (a file that does not parse would look like
  // removed requirements) and the change's (a change no record claims). The working tree's own lock is
  // replaced, so its problems do not block.
  const fromHead = head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code) && d.code !== "lock-invalid");
  const diagnostics = sortDiagnostics([...fromHead, ...own.filter((d) => d.code !== "lock-stale")]);
  const blocking = diagnostics.filter((d) => d.severity === "error" && !EVIDENCE_CODES.has(d.code));
  if (blocking.length > 0 || change.incomplete.length > 0 || evaluation.lock.state === "undetermined") {
    printDiagnostics(blocking.length > 0 ? blocking : diagnostics, format, io);
    for (const reason of change.incomplete) io.stderr.write(`reqgate: ${reason}\n`);
    io.stderr.write("reqgate: the lock was not written: fix the errors above first\n");
    return EXIT.problems;
  }
  const expected = evaluation.lock.expected;
  const written = (evaluation.lock.state === "stale" || evaluation.lock.state === "missing") && expected !== undefined;
  if (written) writeLock(writableTarget(root, lockPath, "requirements.lock"), lockPath, expected);
  const credited = new Map<string, string[]>();
  for (const c of evaluation.changes) if (c.record !== undefined) credited.set(c.record, [...(credited.get(c.record) ?? []), c.id]);

  if (format === "json") {
    io.stdout.write(formatJson(diagnostics, { lock: lockPath, written, base: base.commit, changes: evaluation.changes.map((c) => ({ id: c.id, kind: c.kind, change: c.record ?? null })), applied: [...credited.keys()] }, "reqgate-baseline"));
    return EXIT.clean;
  }
  if (diagnostics.length > 0) printDiagnostics(diagnostics, format, io);
  const entries = countEntries(written ? expected : change.headLock?.text ?? "");
  const against = `relative to ${base.name} at ${base.commit.slice(0, 12)}`;
  if (!written) {
    io.stdout.write(`${lockPath} is up to date (${formatCount(entries)} baselined requirements, ${against})\n`);
    return EXIT.clean;
  }
  for (const [record, ids] of credited) io.stdout.write(`${record}: ${ids.length <= 8 ? ids.join(", ") : `${ids.slice(0, 8).join(", ")} and ${ids.length - 8} more`}\n`);
  const counts = countKinds(evaluation.changes.filter((c) => c.kind !== "moved").map((c) => c.kind));
  io.stdout.write(`wrote ${lockPath}: ${counts || "reformatted"} (${formatCount(entries)} baselined requirements, ${against})\n`);
  return EXIT.clean;
}

/** Which commit `baseline` credits against; undefined outside git or before the first commit. */
function baselineBase(root: string, ref: string | undefined): { commit: string; name: string } | undefined {
  if (ref !== undefined) return { commit: resolveRef(root, ref), name: ref };
  try {
    worktreePrefix(root);
  } catch (error) {
    if (error instanceof GitError && (error.kind === "not-a-repository" || error.kind === "git-missing")) return undefined;
    throw error;
  }
  const branch = defaultBranch(root);
  if (branch === undefined) return undefined;
  const commit = mergeBase(root, branch);
  return commit === undefined ? undefined : { commit, name: `the merge base with ${branch}` };
}

/**
 * `baseline` from the whole working tree: outside git relative to the lock in it (`against` absent);
 * on a branch whose base has no lock yet (a first baseline), relative to that empty lock.
 */
function baselineInPlace(head: Checked, root: string, format: OutputFormat, io: Io, against?: Lock): number {
  const { config } = head;
  const result = against ? computeBaseline(against, head.check.requirements, head.check.records) : head.check.baseline;
  const check = { baseline: result };
  const texts = new Map([...head.files.requirements, ...head.files.changes].map((f) => [f.path, f.content]));
  const diagnostics = against
    ? sortDiagnostics([...head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code) && d.code !== "lock-invalid"), ...resolvePositions(result.diagnostics, (f) => decodeIfText(texts.get(f)))])
    : head.diagnostics;
  // A file that does not parse would look like removed requirements: never rewrite the lock over it.
  const blocking = diagnostics.filter((d) => d.severity === "error" && d.code !== "lock-stale" && d.code !== "lock-missing" && !EVIDENCE_CODES.has(d.code));
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
  const shown = diagnostics.filter((d) => d.code !== "lock-stale" && d.code !== "lock-missing");
  if (shown.length > 0) printDiagnostics(shown, format, io);
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

function decodeIfText(content: string | Uint8Array | undefined): string | undefined {
  if (content === undefined || typeof content === "string") return content;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return undefined;
  }
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.file}\0${d.code}\0${d.message}`;
}

/** True when two configurations read the same files (requirement paths, change records, lock). */
function sameFiles(a: Config, b: Config): boolean {
  const where = (c: Config) => JSON.stringify([c.requirements.paths, c.requirements.changes, c.requirements.lock]);
  return a === b || where(a) === where(b);
}

/** Requirements in a lock's text: one line each (renderLock). */
function countEntries(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n{"id":'); at !== -1; at = text.indexOf('\n{"id":', at + 1)) n++;
  return n;
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
