// `reqgate` argument parsing with node:util parseArgs (no dependency). Every mistake becomes a
// UsageError whose message says what to do; the CLI prints it and exits with code 2.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { editDistance, isIdShape } from "../domain/requirements/ids.js";
import { OUTPUT_FORMATS, printable, type OutputFormat } from "./output.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";

export const EXIT = { clean: 0, problems: 1, usage: 2 } as const;

export const COMMANDS = ["init", "check", "baseline", "report", "trace", "diff", "import", "review"] as const;
export type CommandName = (typeof COMMANDS)[number];

export const REPORT_FORMATS = ["md", "json", "csv", "html", "reqif", "reqifz"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const DIFF_FORMATS = ["md", "json", "html"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** `--github OWNER/REPO`, or a bare `--github`: the repository of the `origin` remote. */
export type GithubTarget = { owner: string; repo: string } | "origin";

export interface DiffCommand {
  name: "diff";
  from: string;
  to: string;
  format: DiffFormat;
  /** `--github`: the pull request and approvers of each change record (needs GITHUB_TOKEN). */
  github?: GithubTarget;
  /** Absolute path to write to; stdout when absent. */
  output?: string;
}

export const IMPORT_KINDS = ["reqif", "doorstop"] as const;

/** `reqgate import reqif FILE` / `reqgate import doorstop DIR`. */
export interface ImportCommand {
  name: "import";
  kind: (typeof IMPORT_KINDS)[number];
  /** Absolute path of the file or folder to read, and as the user gave it (for messages). */
  source: string;
  shown: string;
  /** `--out DIR` as given (resolved against the working directory by the command). */
  out?: string;
  force: boolean;
  /** `--prefix P`: the prefix for IDs that are numbers alone. */
  prefix?: string;
}

export type Command =
  | { name: "init"; adopt: boolean; action?: boolean }
  | { name: "check"; base?: string }
  | { name: "baseline"; base?: string }
  | {
      name: "report";
      format: ReportFormat;
      /** Issues from GitHub, and the pull request and approvers of each applied change record. */
      github?: GithubTarget;
      /** Absolute path of an exported issue list (JSON). */
      issues?: string;
      /** Absolute path to write the report to; stdout when absent. */
      output?: string;
      /** `--root ID`: only this requirement's subtree, with its trace graph. */
      root?: string;
    }
  | ({ name: "trace"; id: string; markdown?: boolean } & WorkItemSource)
  | { name: "review"; targets: string[] }
  | DiffCommand
  | ImportCommand;

/** Where work items (issues) come from, for `report` and `trace`. */
export interface WorkItemSource {
  github?: GithubTarget;
  /** Absolute path of an exported issue list (JSON). */
  issues?: string;
}

export type Invocation =
  | { kind: "help"; text: string }
  | { kind: "version" }
  | {
      kind: "run";
      command: Command;
      /** The repository root: the nearest directory with `.git` at or above --repo (or the cwd). */
      repo: string;
      /** Output format for diagnostics; undefined lets the CLI choose (Actions annotations or text). */
      format?: OutputFormat;
      /** `--config FILE` (absolute): the configuration to use instead of `.github/reqgate.yml`. */
      config?: string;
    };

/** A mistake on the command line: exit code 2. `help` names the command to run for usage. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = "UsageError";
  }

  /** `reqgate: <message>` and where to read more, as printed on stderr. */
  format(): string {
    return `reqgate: ${this.message}\nRun "reqgate ${this.command ? `${this.command} ` : ""}--help" for usage.`;
  }
}

type OptionSpec = { type: "string" | "boolean"; short?: string };

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  repo: { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
};

const COMMAND_OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  init: { adopt: { type: "boolean" }, action: { type: "boolean" } },
  check: { base: { type: "string" }, config: { type: "string" } },
  baseline: { base: { type: "string" }, config: { type: "string" } },
  report: { github: { type: "string" }, issues: { type: "string" }, output: { type: "string", short: "o" }, root: { type: "string" }, config: { type: "string" } },
  trace: { github: { type: "string" }, issues: { type: "string" }, config: { type: "string" } },
  diff: { github: { type: "string" }, output: { type: "string", short: "o" }, config: { type: "string" } },
  import: { out: { type: "string" }, force: { type: "boolean" }, prefix: { type: "string" }, config: { type: "string" } },
  review: { config: { type: "string" } },
};

const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign({}, GLOBAL_OPTIONS, ...Object.values(COMMAND_OPTIONS)) as Record<string, OptionSpec>;

export interface ParseOptions {
  cwd: string;
}

/** A bare `--github` (last, or before another option) stands for the `origin` remote's repository. */
const GITHUB_ORIGIN = "\u0000origin";

/** Parses `argv` (without node and the script). Throws UsageError; never exits. */
export function parseCli(argv: readonly string[], options: ParseOptions): Invocation {
  let tokens;
  const end = argv.indexOf("--");
  const expanded = argv.map((a, i) => (a === "--github" && (end < 0 || i < end) && (i + 1 >= argv.length || argv[i + 1]!.startsWith("-")) ? `--github=${GITHUB_ORIGIN}` : a));
  try {
    ({ tokens } = parseArgs({ args: expanded, options: ALL_OPTIONS, strict: false, allowPositionals: true, tokens: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const positionals = tokens.filter((t) => t.kind === "positional").map((t) => t.value);
  const optionTokens = tokens.filter((t) => t.kind === "option");
  const given = (name: string) => optionTokens.some((t) => t.name === name);

  const [first, ...rest] = positionals;
  if (first === undefined) {
    if (given("version")) return { kind: "version" };
    if (given("help") || optionTokens.length === 0) return { kind: "help", text: helpText() };
    throw new UsageError(`no command given: use one of ${COMMANDS.join(", ")}`);
  }
  if (first === "help") {
    const [topic, ...extra] = rest;
    if (topic === undefined) return { kind: "help", text: helpText() };
    const command = asCommand(topic);
    if (extra.length > 0) throw new UsageError(`unexpected argument ${q(extra[0]!)} after "help ${topic}"`);
    return { kind: "help", text: helpText(command) };
  }
  const command = asCommand(first);
  if (given("help")) return { kind: "help", text: helpText(command) };
  if (given("version")) return { kind: "version" };

  const allowed = { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command] };
  const values = new Map<string, string | true>();
  for (const token of optionTokens) {
    const spec = allowed[token.name];
    if (!spec) {
      if (ALL_OPTIONS[token.name]) {
        const owner = COMMANDS.find((c) => COMMAND_OPTIONS[c][token.name]);
        throw new UsageError(`${token.rawName} is not an option of "reqgate ${command}"${owner ? ` (it belongs to "reqgate ${owner}")` : ""}`, command);
      }
      const near = Object.keys(allowed).find((k) => editDistance(k, token.name, 3) <= 2);
      throw new UsageError(`unknown option ${printable(token.rawName)} for "reqgate ${command}"${near ? ` (did you mean --${near}?)` : ""}`, command);
    }
    if (values.has(token.name)) throw new UsageError(`--${token.name} is given more than once`, command);
    if (spec.type === "string") {
      // `--base --format json` would otherwise take "--format" as the revision.
      if (token.value === undefined || token.value === "" || (!token.inlineValue && token.value.startsWith("-"))) {
        throw new UsageError(`--${token.name} needs a value, e.g. ${example(token.name)}`, command);
      }
      values.set(token.name, token.value);
    } else {
      if (token.inlineValue) throw new UsageError(`--${token.name} takes no value`, command);
      values.set(token.name, true);
    }
  }
  const str = (name: string) => {
    const v = values.get(name);
    return typeof v === "string" ? v : undefined;
  };

  const args = rest;
  if (command === "trace") {
    if (args.length === 0) throw new UsageError("trace needs a requirement ID, e.g. reqgate trace REQ-001", command);
    if (args.length > 1) throw new UsageError(`trace takes one requirement ID, got ${args.length}: ${printable(args.join(" "))}`, command);
  } else if (command === "review") {
    if (args.length === 0) throw new UsageError("review needs the requirement IDs (or evidence files) whose suspect links you confirm, e.g. reqgate review REQ-002", command);
    if (args.length > 1000) throw new UsageError(`review takes at most 1000 targets at once, got ${args.length}`, command);
  } else if (command === "diff") {
    if (args.length !== 2) throw new UsageError(`diff takes two revisions, e.g. reqgate diff v1.0 v1.1; got ${args.length}`, command);
  } else if (command === "import") {
    if (args.length !== 2) throw new UsageError(`import takes what to read and where, e.g. reqgate import reqif export.reqif or reqgate import doorstop reqs/; got ${args.length} arguments`, command);
  } else if (args.length > 0) {
    throw new UsageError(`unexpected argument ${q(args[0]!)} for "reqgate ${command}"`, command);
  }

  let format: OutputFormat | undefined;
  const rawFormat = str("format");
  // `trace --format md`: the chain as Markdown with its Mermaid graph (not a diagnostics format).
  const traceMarkdown = command === "trace" && rawFormat === "md";
  if (command !== "report" && command !== "diff" && rawFormat !== undefined && !traceMarkdown) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(rawFormat)) {
      throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(", ")}, not ${q(rawFormat)}`, command);
    }
    format = rawFormat as OutputFormat;
  }

  // An explicit --repo is the repository; without it, look around the working directory.
  const explicit = str("repo");
  const repo = explicit === undefined ? findRepositoryRoot(options.cwd) : checkDirectory(resolve(options.cwd, explicit), command);
  const built = command === "diff" ? diffCommand(args, str, rawFormat, options.cwd) : command === "import" ? importCommand(args, str, values.has("force"), options.cwd) : command === "review" ? reviewCommand(args) : buildCommand(command, args[0], str, values.has("adopt"), rawFormat, options.cwd);
  const parsed: Command = built.name === "init" && values.has("action") ? { ...built, action: true } : built.name === "trace" && traceMarkdown ? { ...built, markdown: true } : built;
  const config = configFile(str("config"), options.cwd, command);
  return { kind: "run", command: parsed, repo, ...(format ? { format } : {}), ...(config !== undefined ? { config } : {}) };
}

function buildCommand(
  command: CommandName,
  argument: string | undefined,
  str: (name: string) => string | undefined,
  adopt: boolean,
  rawFormat: string | undefined,
  cwd: string,
): Command {
  switch (command) {
    case "init":
      return { name: "init", adopt };
    case "baseline":
    case "check": {
      const base = str("base");
      if (base === undefined) return { name: command };
      if (base.startsWith("-")) throw new UsageError(`--base needs a git revision, not ${q(base)}`, command);
      return { name: command, base };
    }
    case "trace": {
      const id = argument!;
      if (!isIdShape(id)) throw new UsageError(`${q(id)} is not a requirement ID: IDs are PREFIX-NUMBER, e.g. REQ-001`, command);
      return { name: "trace", id, ...workItemSource(command, str, cwd) };
    }
    case "report": {
      const format = rawFormat ?? "md";
      if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`--format of a report must be one of ${REPORT_FORMATS.join(", ")}, not ${q(format)}`, command);
      }
      const report: Extract<Command, { name: "report" }> = { name: "report", format: format as ReportFormat, ...workItemSource(command, str, cwd) };
      const output = str("output");
      if (output !== undefined) report.output = resolve(cwd, output);
      // A zip archive is bytes, not text for a terminal or a pipe that expects text.
      if (format === "reqifz" && output === undefined) throw new UsageError("--format reqifz writes a zip archive: give the file, e.g. --output requirements.reqifz", command);
      const root = str("root");
      if (root !== undefined) {
        if (!isIdShape(root)) throw new UsageError(`--root: ${q(root)} is not a requirement ID: IDs are PREFIX-NUMBER, e.g. REQ-001`, command);
        report.root = root;
      }
      return report;
    }
    case "diff":
      throw new Error("diff is built by diffCommand");
    case "import":
      throw new Error("import is built by importCommand");
    case "review":
      throw new Error("review is built by reviewCommand");
  }
}

function reviewCommand(args: readonly string[]): Command {
  for (const t of args) {
    if (t.startsWith("-")) throw new UsageError(`${q(t)} is not a requirement ID or a file`, "review");
    if (t.length > 1000 || [...t].some((c) => c.charCodeAt(0) < 0x20)) throw new UsageError(`${printable(t.slice(0, 100))} is not a requirement ID or a file`, "review");
  }
  return { name: "review", targets: [...new Set(args)] };
}

function diffCommand(args: readonly string[], str: (name: string) => string | undefined, rawFormat: string | undefined, cwd: string): DiffCommand {
  const format = rawFormat ?? "md";
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format of a diff must be one of ${DIFF_FORMATS.join(", ")}, not ${q(format)}`, "diff");
  for (const ref of args) if (ref.startsWith("-")) throw new UsageError(`${q(ref)} is not a git revision`, "diff");
  const diff: DiffCommand = { name: "diff", from: args[0]!, to: args[1]!, format: format as DiffFormat };
  const github = str("github");
  if (github !== undefined) diff.github = githubTarget(github, "diff");
  const output = str("output");
  if (output !== undefined) diff.output = resolve(cwd, output);
  return diff;
}

/** `--config FILE`: a file that exists (it may be outside the repository: it is only read). */
function configFile(value: string | undefined, cwd: string, command: CommandName): string | undefined {
  if (value === undefined) return undefined;
  const path = resolve(cwd, value);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // reported below
  }
  if (!isFile) throw new UsageError(`--config: no file at ${path}`, command);
  return path;
}

function importCommand(args: readonly string[], str: (name: string) => string | undefined, force: boolean, cwd: string): ImportCommand {
  const [kind, source] = args as [string, string];
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`reqgate import reads ${IMPORT_KINDS.join(" or ")}, not ${q(kind)}`, "import");
  const path = resolve(cwd, source);
  if (!existsSync(path)) throw new UsageError(`import ${kind}: no ${kind === "doorstop" ? "folder" : "file"} at ${path}`, "import");
  const command: ImportCommand = { name: "import", kind: kind as ImportCommand["kind"], source: path, shown: source, force };
  const out = str("out");
  if (out !== undefined) command.out = out;
  const prefix = str("prefix");
  if (prefix !== undefined) {
    if (!/^[A-Z][A-Z0-9_]{0,19}$/.test(prefix)) throw new UsageError(`--prefix must be an ID prefix (capital letters, digits, _), e.g. --prefix REQ, not ${q(prefix)}`, "import");
    command.prefix = prefix;
  }
  return command;
}

function asCommand(word: string): CommandName {
  if ((COMMANDS as readonly string[]).includes(word)) return word as CommandName;
  const near = COMMANDS.find((c) => editDistance(c, word, 3) <= 2);
  throw new UsageError(`unknown command ${q(word)}${near ? ` (did you mean "${near}"?)` : ""}: use one of ${COMMANDS.join(", ")}`);
}

function checkDirectory(path: string, command: CommandName): string {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`--repo: ${path} is not a directory`, command);
  return path;
}

/**
 * The nearest directory at or above `start` with a reqgate configuration (`.github/reqgate.yml`) or a
 * `.git` (a directory, or a file in a worktree); `start` itself when there is none. The configuration
 * counts first so that a project inside a larger repository (like the bundled examples) is found.
 */
export function findRepositoryRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_PATH)) || existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/** The package's version, read next to the compiled code (src/cli or dist/cli). */
export function readVersion(): string {
  for (const up of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "reqgate" && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return "unknown";
}

/** User text in a message, quoted, with control characters escaped. */
function q(text: string): string {
  return JSON.stringify(text);
}

function example(option: string): string {
  const examples: Record<string, string> = {
    repo: "--repo path/to/repository",
    format: "--format json",
    base: "--base origin/main",
    github: "--github acme/widgets",
    issues: "--issues issues.json",
    output: "--output report.md",
    config: "--config policies/reqgate.yml",
    out: "--out requirements/imported",
    prefix: "--prefix REQ",
  };
  return examples[option] ?? `--${option} VALUE`;
}

const EXIT_CODES = `Exit status:
  0  clean: no problems found
  1  problems found
  2  usage or configuration error`;

const CONFIG_HELP = `  --config FILE     read the configuration from FILE instead of ${CONFIG_PATH} (it may be
                    outside the repository; it is only read)`;

const GLOBAL_HELP = `Global options:
  --repo DIR        the repository root (default: the nearest directory at or above the current
                    one with ${CONFIG_PATH} or .git)
  -h, --help        show help
  --version         print the version`;

const OUTPUT_HELP = `  --format FORMAT   text (default), json, or github (Actions annotations; the default when
                    GITHUB_ACTIONS=true)`;

const HELP: Record<CommandName, string> = {
  init: `Usage: reqgate init [--adopt] [--action]

Writes a starter configuration (${CONFIG_PATH}), an example requirement, a change-record
template and a GitHub issue form. Files that exist are never overwritten: they are listed as skipped.

Options:
  --adopt           for a repository that already has requirements and no lock: write one change
                    record that lists every non-draft requirement, then run "reqgate baseline"
  --action          also write .github/workflows/reqgate.yml: reqgate's GitHub Action on every event
                    the App handles, for repositories that do not host the App
${OUTPUT_HELP}`,
  check: `Usage: reqgate check [--base REF]

Validates requirement files, change records and the baseline lock.

Options:
  --base REF        also evaluate the change from REF (a branch, tag or commit) to the working tree
                    as the pull-request check would: changed requirements, change records, the lock
                    (approvals aside)
${CONFIG_HELP}
${OUTPUT_HELP}`,
  baseline: `Usage: reqgate baseline [--base REF]

Rewrites the baseline lock from the requirement files, crediting each changed requirement to the
one unapplied change record that lists it in \`affects\`. In a git checkout, changes are credited
relative to the lock where the branch left the default branch (origin/HEAD, else main or master),
so the lock is the one the pull-request check expects however often the change is amended.

Options:
  --base REF        credit changes relative to the lock at REF instead (a branch, tag or commit)
${CONFIG_HELP}
${OUTPUT_HELP}`,
  report: `Usage: reqgate report [--format md|json|csv|html|reqif|reqifz] [--github [OWNER/REPO] | --issues FILE] [--root ID] [--output FILE]

The traceability matrix: requirements, hierarchy, change history, verification evidence
(\`@verifies ID\` under verification.paths) and work items.

Options:
  --format FORMAT   md (default), json, csv, html, or reqif (ReqIF 1.2 for DOORS, Polarion, Jama,
                    StrictDoc: the requirements, their hierarchy and attributes; read back with
                    "reqgate import reqif FILE"), or reqifz (the same as a ReqIF archive, a zip;
                    needs --output)
  --github [OWNER/REPO]
                    read the repository's issues from GitHub, and for each applied change record the
                    pull request that applied it and who approved it (its reqgate/baseline check run
                    and reviews). Needs GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise Server.
                    Without OWNER/REPO (last, or before another option): the origin remote's repository
  --issues FILE     read issues from an exported JSON file (an array of GitHub issue objects)
  --root ID         only ID and its descendants, with their trace graph (Mermaid: requirement ->
                    children -> issues -> evidence; GitHub renders it in md, html shows its source)
  -o, --output FILE
                    write the report to FILE instead of standard output
${CONFIG_HELP}`,
  trace: `Usage: reqgate trace ID [--github [OWNER/REPO] | --issues FILE] [--format text|json|md]

One requirement's chain: parents, children, change records, tests and issues. --format md writes it
as Markdown with a Mermaid trace graph of its subtree (requirement -> children -> issues -> evidence).

Options:
  --github [OWNER/REPO]
                    read the repository's issues from GitHub (GITHUB_TOKEN for a private one);
                    without OWNER/REPO, the origin remote's repository
  --issues FILE     read issues from an exported JSON file (an array of GitHub issue objects)
${CONFIG_HELP}
${OUTPUT_HELP}`,
  review: `Usage: reqgate review ID|FILE...

Confirms suspect links (SPEC 2.5) after a baseline move: a requirement whose parent moved, or a file of
\`@verifies\` evidence of a requirement that moved. An ID confirms the links of that requirement and of
its evidence; a FILE the links of that evidence file. The review is recorded in the lock with who (git
user.name and user.email) and when; commit the lock: the pull request's reqgate/baseline check shows
the review, and it needs the approval of the rules of the reviewed requirement.
${OUTPUT_HELP}`,
  diff: `Usage: reqgate diff REF1 REF2 [--format md|json|html] [--github [OWNER/REPO]] [--output FILE]

What changed in the baseline between two commits or tags: requirements added, modified (text before
and after), status changed, retired and removed, each with the change records that moved it, and the
change records applied in between. The baselines are the committed locks at each revision.

Options:
  --format FORMAT   md (default), json or html
  --github [OWNER/REPO]
                    with each change record, the pull request that applied it and who approved it
                    (its reqgate/baseline check run and reviews). Needs GITHUB_TOKEN; GITHUB_API_URL
                    for GitHub Enterprise Server. Without OWNER/REPO (last, or before another option):
                    the origin remote's repository
  -o, --output FILE
                    write to FILE instead of standard output
${CONFIG_HELP}`,
  import: `Usage: reqgate import reqif FILE [--prefix P] [--out DIR] [--force]
       reqgate import doorstop DIR [--out DIR] [--force]

Writes reqgate requirement files (one per requirement, named by ID) from a ReqIF file (reqgate's
own, or exported by DOORS, Polarion, Jama...) or from a doorstop tree, and lists what could not be
converted and why (file, line, element, reason). Nothing is written when the input cannot be read,
when a file to write exists already (unless --force), or when a target is outside the repository.

Options:
  --out DIR         where to write the files (inside the repository; default: the folder of the
                    first requirements.paths glob, e.g. requirements/)
  --force           replace requirement files that exist already
  --prefix P        (reqif) the prefix for IDs that are numbers alone: 1042 becomes P-1042
${OUTPUT_HELP}
${CONFIG_HELP}

Exit status 1 when something could not be converted (listed), 0 when everything was.`,
};

function githubTarget(value: string, command: CommandName): GithubTarget {
  if (value === GITHUB_ORIGIN) return "origin";
  // The rule of parseRepository (domain/report/provenance.ts), repeated here because `reqgate --version`
  // loads args.ts and nothing else (test/cli/startup.test.ts).
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(value);
  if (!match || match[2] === "." || match[2] === "..") throw new UsageError(`--github must be OWNER/REPO, e.g. acme/widgets, not ${q(value)} (a bare --github, last or before another option, names the origin remote's repository)`, command);
  return { owner: match[1]!, repo: match[2]! };
}

function workItemSource(command: CommandName, str: (name: string) => string | undefined, cwd: string): WorkItemSource {
  const source: WorkItemSource = {};
  const github = str("github");
  const issues = str("issues");
  if (github !== undefined && issues !== undefined) {
    throw new UsageError("give either --github OWNER/REPO or --issues FILE, not both", command);
  }
  if (github !== undefined) source.github = githubTarget(github, command);
  if (issues !== undefined) {
    const path = resolve(cwd, issues);
    if (!existsSync(path)) throw new UsageError(`--issues: no file at ${path}`, command);
    source.issues = path;
  }
  return source;
}

/** The help text of one command, or the overview. */
export function helpText(command?: CommandName): string {
  if (command) return `${HELP[command]}\n\n${GLOBAL_HELP}\n\n${EXIT_CODES}\n`;
  return `reqgate: requirements govern the backlog.

Usage: reqgate <command> [options]

Commands:
  init              write a starter config, an example requirement, a change-record template and an
                    issue form (--adopt: a first change record for existing requirements)
  check             validate requirement files, change records and the lock
                    (--base REF: evaluate the change against REF as the pull-request check would)
  baseline          rewrite the baseline lock
  report            the traceability matrix (md, json, csv, html; reqif for other tools)
  trace ID          one requirement's chain: parents, children, change records, tests, issues
  diff REF1 REF2    what changed in the baseline between two revisions (md, json, html)
  import reqif FILE | import doorstop DIR
                    requirement files from a ReqIF export or a doorstop tree
  review ID...      confirm suspect links after a baseline move (recorded in the lock)

${GLOBAL_HELP.replace("\n  -h, --help", `\n${OUTPUT_HELP}\n  -h, --help`)}

Run "reqgate <command> --help" (or "reqgate help <command>") for a command's options.

${EXIT_CODES}
`;
}
