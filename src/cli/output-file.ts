// `--output FILE` of `report` and `diff`. The file is the user's explicit choice on the command line, so
// it may be anywhere they can write (e.g. /tmp/report.html, a CI artefact folder): the rule that nothing
// is written outside the repository is about paths that repository content (the configuration) names.
// What it must never do is crash or pass for "problems found": a path that cannot be written is exit 2,
// checked before the report is built (a 50k-requirement report is not built to be thrown away). Inside
// the repository, a file the configuration names (a requirement, a change record, the lock, the
// configuration, evidence) is refused: `--output requirements/REQ-001.yml` must not destroy REQ-001.
import { statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DEFAULT_CONFIG } from "../domain/config/config.js";
import { loadWorktreeConfig } from "../local/config.js";
import { configuredFile } from "../local/configured-files.js";
import { UsageError, type CommandName } from "./args.js";

/** Throws UsageError when `path` cannot be a file to write: its folder is missing, or it is a folder. */
export function checkOutputPath(path: string, command: CommandName): void {
  const folder = dirname(path);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new UsageError(`--output: cannot write ${path}: the folder ${folder} does not exist (create it first, or name a file in a folder that exists)`, command);
  let target;
  try {
    target = statSync(path);
  } catch {
    return; // a new file
  }
  if (target.isDirectory()) throw new UsageError(`--output: ${path} is a folder; name a file in it, e.g. --output ${path.replace(/\/+$/, "")}/report.${command === "diff" ? "md" : "html"}`, command);
  if (!target.isFile()) throw new UsageError(`--output: ${path} is not a regular file (a device, a FIFO or a socket); name a file`, command);
}

/**
 * Throws UsageError when `path` is one of the repository's own files by the working tree's configuration
 * (`configFile`: `--config FILE`); the defaults when that configuration cannot be read (the command
 * reports it). `suggestion`: a file name to offer instead.
 */
export async function refuseConfiguredFile(root: string, path: string, command: CommandName, suggestion: string, configFile?: string): Promise<void> {
  const load = await loadWorktreeConfig(root, configFile).catch(() => undefined);
  const config = load?.config ?? DEFAULT_CONFIG;
  const hit = configuredFile(root, path, config, configFile);
  if (hit === undefined) return;
  const through = hit.path !== path && !path.endsWith(`/${hit.path}`) ? ` (${path} leads to it)` : "";
  throw new UsageError(`--output: ${hit.path} is ${hit.role} of this repository${through}: writing the ${command === "diff" ? "diff" : "report"} there would replace it. Name another file, e.g. --output ${suggestion}, or a path outside the repository`, command);
}

/** Writes the output; a failure (permission, a full disk) is exit 2 with the reason, never a stack trace. */
export function writeOutputFile(path: string, text: string | Uint8Array, command: CommandName): void {
  checkOutputPath(path, command);
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOSPC" ? "no space left on the device" : code === "EROFS" ? "the file system is read-only" : (error as Error).message;
    throw new UsageError(`--output: cannot write ${path}: ${why}`, command);
  }
}
