// The issue pipeline (SPEC 2.1, 2.4): read the issue and its configuration, read the baseline only
// when the issue is not exempt, read requirement files only for IDs the lock does not list, decide
// with the domain, then write the label and the one comment where they differ from what is there.
import { decideCommand, needsPermission, parseCommands, type CommandDecision } from "../domain/approvals/commands.js";
import type { Config } from "../domain/config/config.js";
import {
  evaluateIssue,
  idsMissingFromLock,
  plannedWrites,
  skipReason,
  type IssueResult,
  type IssueSnapshot,
  type Waiver,
} from "../domain/issues/evaluate-issue.js";
import { renderCommandReply, renderIssueComment } from "../domain/issues/issue-comment.js";
import { runPipeline } from "./pipeline.js";
import type { IssuePorts, IssueRecord } from "./ports.js";

interface Gathered {
  record: IssueRecord;
  snapshot: IssueSnapshot;
}

export interface EvaluateOptions {
  /** A waiver accepted just now (it replaces the recorded one). */
  waiver?: Waiver;
  /** The issue as already read by the caller, to avoid reading it twice. */
  record?: IssueRecord;
}

/** Evaluates the issue now and publishes the result. Undefined when the issue no longer exists. */
export async function evaluateIssueNow(ports: IssuePorts, options: EvaluateOptions = {}): Promise<IssueResult | undefined> {
  return runPipeline<Gathered, IssueResult>({
    load: async () => {
      const record = options.record ?? (await ports.readIssue());
      return record ? { record, snapshot: await gather(ports, record, options.waiver ?? record.waiver) } : undefined;
    },
    evaluate: ({ snapshot }) => evaluateIssue(snapshot),
    // A waiver accepted just now must be recorded even when the result alone would not write the comment.
    publish: (result, { record, snapshot }) => publish(ports, result, record, snapshot.waiver, options.waiver !== undefined),
  });
}

async function gather(ports: IssuePorts, record: IssueRecord, waiver: Waiver | undefined): Promise<IssueSnapshot> {
  const snapshot: IssueSnapshot = { issue: record.issue, config: record.config };
  if (waiver) snapshot.waiver = waiver;
  const config = record.config.config;
  if (!config || skipReason(record.issue, config)) return snapshot;
  snapshot.baseline = await ports.readBaseline(config);
  if (snapshot.baseline.diagnostics.length > 0) return snapshot;
  // The common path ends here: every referenced ID is in the lock.
  const missing = idsMissingFromLock(record.issue, config, snapshot.baseline);
  if (missing.length > 0) snapshot.lookup = await ports.lookupRequirements(config, missing);
  return snapshot;
}

function configOf(result: IssueResult): Config | undefined {
  return "config" in result ? result.config : undefined;
}

async function publish(ports: IssuePorts, result: IssueResult, record: IssueRecord, waiver: Waiver | undefined, newWaiver: boolean): Promise<void> {
  const writes = plannedWrites(result);
  const comment = newWaiver && result.verdict !== "skip" ? "upsert" : writes.comment;
  if (comment === "upsert" || (comment === "update" && record.hasComment)) {
    await ports.writeComment(renderIssueComment(result), waiver, comment);
  }
  const label = configOf(result)?.issues.label;
  if (label === undefined) return;
  const has = record.issue.labels.includes(label);
  if (writes.label === "add" && !has) await ports.addLabel(label);
  if (writes.label === "remove" && has) await ports.removeLabel(label);
}

export interface CommandComment {
  id: number;
  body: string;
  /** The commenter's login. */
  author: string;
  /** ISO time the comment was created. */
  createdAt: string;
}

/**
 * Runs the `/reqgate` commands of a newly created comment on an issue. Accepted commands get a reaction
 * (and `waive`/`recheck` a re-evaluation); refusals and help get one reply. Returns the decisions.
 */
export async function runIssueCommands(ports: IssuePorts, comment: CommandComment): Promise<CommandDecision[]> {
  const commands = parseCommands(comment.body);
  if (commands.length === 0) return [];
  const permission = commands.some(needsPermission) ? await ports.permissionOf(comment.author) : "none";
  const decisions = commands.map((command) => decideCommand(command, "issue", permission));
  if (decisions.some((d) => d.accepted)) await ports.react(comment.id);

  const record = await ports.readIssue();
  if (!record) return decisions;
  const reply = renderCommandReply(comment.id, comment.author, decisions);
  // A redelivered command is answered once.
  if (reply !== undefined && !record.replied.has(comment.id)) await ports.reply(reply);

  let waiver: Waiver | undefined;
  let recheck = false;
  for (const d of decisions) {
    if (!d.accepted) continue;
    if (d.command.name === "waive") waiver = { by: comment.author, reason: d.command.reason, at: comment.createdAt, comment: comment.id };
    if (d.command.name === "recheck") recheck = true;
  }
  if (waiver || recheck) await evaluateIssueNow(ports, waiver ? { record, waiver } : { record });
  return decisions;
}
