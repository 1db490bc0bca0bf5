// What every command of the CLI shares: the configuration read from the checkout, the working tree read
// and checked, printing.
import { diagnostic, sortDiagnostics, type Diagnostic } from "../../domain/core/diagnostic.js";
import { checkRepository, type RepoCheck, type SourceFile } from "../../domain/check/check-repository.js";
import { DEFAULT_CONFIG, parseConfig, type Config } from "../../domain/config/config.js";
import { CONFIG_PATH } from "../../domain/config/config-path.js";
import { decodeText, loadYaml, resolvePositions } from "../../domain/requirements/yaml.js";
import { readLocalConfig, readRepoFiles, type RepoFiles } from "../../local/repo-files.js";
import { EXIT } from "../args.js";
import { ConfigError } from "../errors.js";
import { createProgress, formatCount, formatJson, renderDiagnostics, useColor, type OutputFormat } from "../output.js";
import type { Io } from "../main.js";

export function loadConfig(file: SourceFile | undefined): Config {
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

export interface Checked {
  config: Config;
  files: RepoFiles;
  check: RepoCheck;
  /** Every diagnostic: the engine's and the files that could not be read. */
  diagnostics: Diagnostic[];
}

export function readAndCheck(root: string, io: Io): Checked {
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
