// The `reqgate` command line: read a checkout (and, for --base, a git revision) into a snapshot, run the
// engine, print the result. Exit 0 when clean, 1 when problems were found, 2 on usage or configuration
// errors. All I/O is here, in ./commands and in src/local; every decision is in src/domain.
// Each command is imported when it runs: `--version` and `--help` load no engine, YAML, schema or glob
// code, so they start as fast as node itself (test/cli/startup.test.ts).
import { EXIT, parseCli, readVersion, UsageError, type Command } from "./args.js";
import { ConfigError } from "./errors.js";
import { chooseFormat, renderDiagnostics, useColor, type Env, type OutputFormat } from "./output.js";
import { sortDiagnostics } from "../domain/core/diagnostic.js";

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Env;
  cwd: string;
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
    return await run(invocation.command, invocation.repo, format, io, invocation.config);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.format()}\n`);
      return EXIT.usage;
    }
    // Thrown only by a command, so these modules are loaded already when they are needed here.
    const { OutsideRepositoryError } = await import("../local/safe-paths.js");
    const { GitError } = await import("../local/git.js");
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

/** `configFile`: `--config FILE` (absolute), the configuration instead of `.github/reqgate.yml`. */
async function run(command: Command, root: string, format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  switch (command.name) {
    case "init": {
      const { adopt, init, withWorkflow } = await import("./commands/init.js");
      return withWorkflow(command.action === true, root, io, command.adopt ? await adopt(root, io) : await init(root, io));
    }
    case "check": {
      if (command.base !== undefined) {
        const { checkAgainst } = await import("./commands/check-base.js");
        return checkAgainst(root, command.base, format, io, configFile);
      }
      const { check } = await import("./commands/check.js");
      return check(root, format, io, configFile);
    }
    case "baseline": {
      const { baseline } = await import("./commands/baseline.js");
      return baseline(root, command.base, format, io, configFile);
    }
    case "report": {
      const { report } = await import("./commands/report.js");
      return report(root, command, io, configFile);
    }
    case "trace": {
      const { trace } = await import("./commands/report.js");
      return trace(root, command, format, io, configFile);
    }
    case "diff": {
      const [{ runDiff }, { revisionConfig }] = await Promise.all([import("./commands/diff.js"), import("./commands/read.js")]);
      return runDiff(root, command, io, (commit, ref) => revisionConfig(root, commit, ref, configFile), configFile);
    }
    case "import": {
      const { runImport } = await import("./commands/import.js");
      return runImport(root, command, format, io, configFile);
    }
    case "review": {
      const { review } = await import("./commands/review.js");
      return review(root, command.targets, format, io, configFile);
    }
  }
}
