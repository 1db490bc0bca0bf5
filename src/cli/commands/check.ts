// `reqgate check`: the working tree checked in full (`check --base` is check-base.ts).
import type { Io } from "../main.js";
import { formatCount, type OutputFormat } from "../output.js";
import { exitFor, printDiagnostics, readAndCheck } from "./read.js";

export async function check(root: string, format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  const { check, diagnostics } = await readAndCheck(root, io, configFile);
  printDiagnostics(diagnostics, format, io, { requirements: check.requirements.length, changeRecords: check.records.length, lock: check.lockState });
  if (format === "text") io.stdout.write(`${formatCount(check.requirements.length)} requirements, ${formatCount(check.records.length)} change records, lock ${check.lockState}\n`);
  return exitFor(diagnostics);
}
