// `--output FILE` of `report` and `diff`. The file is the user's explicit choice on the command line, so
// it may be anywhere they can write (e.g. /tmp/report.html, a CI artefact folder): the rule that nothing
// is written outside the repository is about paths that repository content (the configuration) names.
// What it must never do is crash or pass for "problems found": a path that cannot be written is exit 2,
// checked before the report is built (a 50k-requirement report is not built to be thrown away).
import { statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
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

/** Writes the output; a failure (permission, a full disk) is exit 2 with the reason, never a stack trace. */
export function writeOutputFile(path: string, text: string, command: CommandName): void {
  checkOutputPath(path, command);
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOSPC" ? "no space left on the device" : code === "EROFS" ? "the file system is read-only" : (error as Error).message;
    throw new UsageError(`--output: cannot write ${path}: ${why}`, command);
  }
}
