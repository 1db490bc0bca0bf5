// What every command of the CLI shares: the configuration read from the checkout, the working tree read
// and checked, printing.
import { diagnostic, sortDiagnostics, type Diagnostic } from "../../domain/core/diagnostic.js";
import { checkRepository, type RepoCheck, type SourceFile } from "../../domain/check/check-repository.js";
import type { Config } from "../../domain/config/config.js";
import { CONFIG_PATH } from "../../domain/config/config-path.js";
import { catFileBatch, worktreePrefix } from "../../local/git.js";
import { loadRevisionConfig, loadWorktreeConfig, type LocalConfigLoad } from "../../local/config.js";
import { readRepoFiles, type RepoFiles } from "../../local/repo-files.js";
import { EXIT } from "../args.js";
import { ConfigError } from "../errors.js";
import { createProgress, formatCount, formatJson, renderDiagnostics, useColor, type OutputFormat } from "../output.js";
import type { Io } from "../main.js";

/** A configuration that can be used; any problem with it (a remote `_extends` too) is exit 2, never the defaults. */
export function usable(load: LocalConfigLoad): Config {
  if (!load.config) throw new ConfigError(load.diagnostics);
  return load.config;
}

export interface Checked {
  config: Config;
  files: RepoFiles;
  check: RepoCheck;
  /** Every diagnostic: the engine's and the files that could not be read. */
  diagnostics: Diagnostic[];
  /** `--config FILE` (absolute), when given: the configuration of every revision the command judges. */
  configFile?: string;
}

/** The working tree read and checked under its configuration (`configFile`: `--config FILE`, absolute). */
export async function readAndCheck(root: string, io: Io, configFile?: string): Promise<Checked> {
  const loaded = await loadWorktreeConfig(root, configFile);
  const config = usable(loaded);
  const progress = createProgress(io.stderr, io.env);
  progress.update("reading files…");
  const files = readRepoFiles(root, config, { onProgress: (n) => progress.update(`reading files… ${formatCount(n)}`) });
  // `--config FILE` is the configuration the run used (and the one a report's provenance names).
  if (configFile !== undefined && loaded.file) files.config = loaded.file;
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
  return { config, files, check, diagnostics: sortDiagnostics([...files.diagnostics, ...check.diagnostics]), ...(configFile !== undefined ? { configFile } : {}) };
}

export function exitFor(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.severity === "error") ? EXIT.problems : EXIT.clean;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, io: Io, extra?: Record<string, unknown>): void {
  if (format === "json") {
    io.stdout.write(formatJson(diagnostics, extra));
    return;
  }
  io.stdout.write(renderDiagnostics(diagnostics, format, { color: useColor(io.stdout, io.env) }));
}

/**
 * Findings of the full check that judge the working tree against its own lock. With a base (`check
 * --base`, `baseline` on a branch) the lock is judged against the base's lock instead, as the pull
 * request check judges it, and the change's own findings take their place.
 */
export const LOCK_RELATIVE = new Set(["change-without-record", "change-claimed-twice", "change-record-unused", "lock-stale", "lock-missing"]);

export function decodeIfText(content: string | Uint8Array | undefined): string | undefined {
  if (content === undefined || typeof content === "string") return content;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return undefined;
  }
}

/** The configuration at `commit` for `reqgate diff` (one `cat-file` per file of the chain), and its first file. */
export async function revisionConfig(root: string, commit: string, ref: string, configFile?: string): Promise<{ config: Config; file?: SourceFile }> {
  const load = await loadRevisionConfig(root, worktreePrefix(root), commit, ref, { read: (names) => Promise.resolve(catFileBatch(root, names)) }, configFile);
  return { config: usable(load), ...(load.file ? { file: load.file } : {}) };
}
