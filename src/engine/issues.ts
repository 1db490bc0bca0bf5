// The issue pipeline (SPEC 2.1, 2.4): read the issue and its configuration, read the baseline only
// when the issue is not exempt, read requirement files only for IDs the lock does not list, decide
// with the domain, then write the label and the one comment where they differ from what is there.
import { decideCommand, needsPermission, parseCommands, type CommandDecision } from "../domain/approvals/commands.js";
import type { Config } from "../domain/config/config.js";
import {
  evaluateIssue,
  idsMissingFromLock,
  plannedWrites,
  referencedIds,
  skipReason,
  type IssueResult,
  type IssueSnapshot,
  type Waiver,
} from "../domain/issues/evaluate-issue.js";
import { renderCommandReply, renderIssueComment } from "../domain/issues/issue-comment.js";
import { renderSuspectSection } from "../domain/suspect/render.js";
import { addMarks, clearOnEdit, marksFor, reviewAll, sameSuspect, type SuspectMark, type SuspectState } from "../domain/suspect/suspect.js";
import { runPipeline } from "./pipeline.js";
import type { IssuePorts, IssueRecord } from "./ports.js";

interface Gathered {
  record: IssueRecord;
  snapshot: IssueSnapshot;
  /** The suspect state after this event (marks added, cleared by an edit or a review). */
  suspect: SuspectState;
}

export interface EvaluateOptions {
  /** A waiver accepted just now (it replaces the recorded one). */
  waiver?: Waiver;
  /** The issue as already read by the caller, to avoid reading it twice. */
  record?: IssueRecord;
  /** Requirements a push just moved (SPEC 2.5): those the issue references make it suspect. */
  suspect?: readonly SuspectMark[];
  /** `/reqgate reviewed` accepted just now: the suspect marks are cleared, recorded with who and when. */
  reviewed?: { by: string; at: string };
  /** The issue's title or body was edited (by whom, when): an edit that points at the current requirement clears its mark. */
  edited?: { by: string; at: string };
}

/** Evaluates the issue now and publishes the result. Undefined when the issue no longer exists. */
export async function evaluateIssueNow(ports: IssuePorts, options: EvaluateOptions = {}): Promise<IssueResult | undefined> {
  return runPipeline<Gathered, IssueResult>({
    load: async () => {
      const record = options.record ?? (await ports.readIssue());
      return record ? { record, snapshot: await gather(ports, record, options.waiver ?? record.waiver), suspect: nextSuspect(record, options) } : undefined;
    },
    evaluate: ({ snapshot }) => evaluateIssue(snapshot),
    // A waiver accepted just now must be recorded even when the result alone would not write the comment.
    publish: (result, { record, snapshot, suspect }) => publish(ports, result, record, snapshot.waiver, options.waiver !== undefined, suspect),
  });
}

/** The issue's suspect state after this event. The configuration of the default branch decides what counts. */
function nextSuspect(record: IssueRecord, options: EvaluateOptions): SuspectState {
  const config = record.config.config;
  let state = record.suspect;
  if (!config) return state;
  const referenced = new Set(referencedIds(record.issue, config));
  if (options.suspect && config.suspect.enabled && record.issue.state === "open") state = addMarks(state, marksFor(options.suspect, referenced));
  if (options.edited) state = clearOnEdit(state, referenced, options.edited.by, options.edited.at);
  if (options.reviewed) state = reviewAll(state, options.reviewed.by, options.reviewed.at);
  return state;
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

async function publish(ports: IssuePorts, result: IssueResult, record: IssueRecord, waiver: Waiver | undefined, newWaiver: boolean, suspect: SuspectState): Promise<void> {
  const writes = plannedWrites(result);
  const config = configOf(result) ?? record.config.config;
  // Suspect work gets the one comment whatever the verdict (a traced issue never had one before).
  const suspectChanged = !sameSuspect(record.suspect, suspect);
  const comment = (newWaiver && result.verdict !== "skip") || suspect.marks.length > 0 ? "upsert" : suspectChanged ? "update" : writes.comment;
  if (comment === "upsert" || (comment === "update" && record.hasComment)) {
    const section = config ? renderSuspectSection(suspect, config.suspect.label) : [];
    const body = renderIssueComment(result) + (section.length > 0 ? `\n\n${section.join("\n")}` : "");
    await ports.writeComment(body, waiver, comment, suspect);
  }
  if (config) {
    const suspectLabel = config.suspect.label;
    const hasSuspect = record.issue.labels.includes(suspectLabel);
    if (suspect.marks.length > 0 && !hasSuspect) await ports.addLabel(suspectLabel, "suspect");
    // Only a flag reqgate raised is lowered: a label someone set by hand stays.
    if (suspect.marks.length === 0 && record.suspect.marks.length > 0 && hasSuspect) await ports.removeLabel(suspectLabel);
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
  let reviewed: { by: string; at: string } | undefined;
  for (const d of decisions) {
    if (!d.accepted) continue;
    if (d.command.name === "waive") waiver = { by: comment.author, reason: d.command.reason, at: comment.createdAt, comment: comment.id };
    if (d.command.name === "recheck") recheck = true;
    if (d.command.name === "reviewed") reviewed = { by: comment.author, at: comment.createdAt };
  }
  if (waiver || recheck || reviewed) await evaluateIssueNow(ports, { record, ...(waiver ? { waiver } : {}), ...(reviewed ? { reviewed } : {}) });
  return decisions;
}
