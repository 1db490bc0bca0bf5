// `reqgate report` and `reqgate trace`: the requirement set with its work items (issues from an
// exported list or from GitHub) and its evidence.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { RepoCheck } from "../../domain/check/check-repository.js";
import type { Config } from "../../domain/config/config.js";
import { closestId } from "../../domain/requirements/ids.js";
import { buildReport, traceRequirement } from "../../domain/report/report.js";
import { renderReport, renderTrace } from "../../domain/report/render/report-formats.js";
import { workItemsFromIssues, type WorkItem } from "../../domain/report/work-items.js";
import { readProvenance } from "../../local/provenance.js";
import { EXIT, readVersion, UsageError, type Command, type CommandName } from "../args.js";
import { ConfigError } from "../errors.js";
import type { Io } from "../main.js";
import { createProgress, formatCount, formatSummary, summarize, type OutputFormat } from "../output.js";
import { checkOutputPath, refuseConfiguredFile, writeOutputFile } from "../output-file.js";
import { approvalsNote, readApprovals, requireToken, resolveGithub, type GithubRepository } from "./approvals.js";
import { exitFor, readAndCheck } from "./read.js";

export async function report(root: string, command: Extract<Command, { name: "report" }>, io: Io, configFile?: string): Promise<number> {
  if (command.output) {
    checkOutputPath(command.output, "report");
    await refuseConfiguredFile(root, command.output, "report", `reqgate-report.${command.format}`, configFile);
  }
  // --github: the repository and the token are settled before anything is read.
  const github = command.github !== undefined ? resolveGithub(root, command.github, io.env, "report") : undefined;
  const token = github ? requireToken(io.env, "report") : undefined;
  const checked = await readAndCheck(root, io, configFile);
  const { config } = checked;
  const workItems = await loadWorkItems({ name: "report", ...(command.issues ? { issues: command.issues } : {}), ...(github ? { github } : {}) }, config, io);
  const { check, diagnostics, files } = checked;
  if (command.root !== undefined) knownRequirement(check, command.root, "report");
  const built = buildReport(check, workItems, { exemptLabels: config.issues.exempt_labels, requiredMethods: config.verification.required, ...(command.root !== undefined ? { root: command.root } : {}) });
  const provenance = readProvenance({ root, version: readVersion(), ...(files.config ? { config: files.config } : {}), ...(github ? { github } : {}), ...(io.env.SOURCE_DATE_EPOCH ? { sourceDateEpoch: io.env.SOURCE_DATE_EPOCH } : {}) });
  built.provenance = provenance;
  if (github && token && command.format !== "reqif") {
    const applied = built.records.filter((r) => r.applied).map((r) => r.id);
    const { byRecord, summary } = await readApprovals({ root, github, token, env: io.env, lockPath: config.requirements.lock, records: applied, range: { to: "HEAD" } });
    for (const rec of built.records) {
      const approval = byRecord.get(rec.id);
      if (approval) rec.approval = approval;
    }
    built.approvals = summary;
    io.stderr.write(approvalsNote(byRecord, summary));
  }
  let text: string | Uint8Array;
  if (command.format === "reqif" || command.format === "reqifz") {
    // Loaded only here: the XML builder is needed by this format alone.
    const { renderReqif } = await import("../../domain/interchange/reqif-write.js");
    // With --root, the subtree the report shows.
    const shown = new Set(built.requirements.map((r) => r.id));
    const reqif = renderReqif({ requirements: check.requirements.filter((r) => shown.has(r.id)), provenance });
    for (const warning of reqif.warnings) io.stderr.write(`reqgate: ${warning}\n`);
    text = reqif.text;
    if (command.format === "reqifz") {
      const { packReqifz } = await import("../../domain/interchange/reqifz.js");
      // The entry is named after the archive (requirements.reqifz holds requirements.reqif), as DOORS does.
      const entry = `${basename(command.output!).replace(/\.reqifz$/i, "") || "requirements"}.reqif`;
      text = packReqifz(entry, reqif.text, new Date(provenance.commitDate ?? provenance.generatedAt));
    }
  } else {
    text = renderReport(built, command.format);
  }
  if (command.output) {
    writeOutputFile(command.output, text, "report");
    io.stderr.write(`wrote ${command.output}\n`);
  } else {
    const shownText = text as string;
    io.stdout.write(shownText.endsWith("\n") ? shownText : `${shownText}\n`);
  }
  if (diagnostics.length > 0) io.stderr.write(`reqgate: ${formatSummary(summarize(diagnostics))}; run "reqgate check" for details\n`);
  return exitFor(diagnostics);
}

/** `--root ID` must name a requirement of the files or the lock: exit 2 otherwise, with the closest ID. */
function knownRequirement(check: RepoCheck, id: string, command: CommandName): void {
  const ids = new Set([...check.byId.keys(), ...(check.lock?.entries ?? []).map((e) => e.id)]);
  if (ids.has(id)) return;
  const near = closestId(id, ids);
  throw new UsageError(`--root: ${id} is not a requirement in this repository${near !== undefined ? ` (did you mean ${near}?)` : ""}`, command);
}

async function loadWorkItems(command: { github?: GithubRepository; issues?: string; name: CommandName }, config: Config, io: Io): Promise<WorkItem[] | undefined> {
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
    const { fetchIssues } = await import("../../github/fetch-issues.js");
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

export async function trace(root: string, command: Extract<Command, { name: "trace" }>, format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  const github = command.github !== undefined ? resolveGithub(root, command.github, io.env, "trace") : undefined;
  const { config, check } = await readAndCheck(root, io, configFile);
  const workItems = await loadWorkItems({ name: "trace", ...(command.issues ? { issues: command.issues } : {}), ...(github ? { github } : {}) }, config, io);
  const result = traceRequirement(check, command.id, workItems, { exemptLabels: config.issues.exempt_labels, requiredMethods: config.verification.required, graph: command.markdown === true });
  io.stdout.write(renderTrace(result, command.markdown ? "md" : format === "json" ? "json" : "text"));
  return result.found ? EXIT.clean : EXIT.problems;
}
