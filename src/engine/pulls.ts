// The pull-request pipeline (SPEC 2.2, 2.3, 2.4): load a plain snapshot, decide with the domain, publish
// the two check runs on the head. The same `evaluateChangeBetween` (engine/change.ts) as the CLI's `check --base`, over the same
// kind of input: the changed requirement files and change records at base and head, and both locks.
//
// Load, in order: the pull request (REST, conditional); one GraphQL query for its configuration (from
// the default branch only, never the head), reviews, comments, commit authors, this App's runs and the
// referenced issues; the file list; the changed files and locks (batched, cached by SHA); then, once
// the change is evaluated, the permission and team lookups for exactly the people whose approval could
// count (`neededLookups`). Publish: the head is read again first (a 304 when nothing moved) and a result
// for a head that is no longer the pull request's is dropped, never written over a newer one.
import { evaluateApprovals, membershipKey, neededLookups, type ApprovalResult, type Lookup } from "../domain/approvals/approvals.js";
import { entriesOf, ledgerEntries, ledgerFromSummary, MAX_LEDGER_PEOPLE, mergeLedgers, parseRunBinding, pushersOf, recordInLedger, recordPusher, runBinding, settleLedger, type ApprovalLedger } from "../domain/approvals/ledger.js";
import { decideCommand, needsPermission, parseCommands, type CommandDecision } from "../domain/approvals/commands.js";
import { DEFAULT_CONFIG, type Config, type Permission } from "../domain/config/config.js";
import { evaluateChange, type ChangeEvaluation } from "../domain/baseline/evaluate-change.js";
import { evaluateBaselineCheck, type BaselineCheck, type CollisionFindings } from "../domain/pulls/baseline-check.js";
import { claimsFromSummary, claimsNothing, claimsOf, findCollisions, movedOnBase, toReevaluate, type Claims } from "../domain/pulls/collisions.js";
import { BASELINE_CHECK, TRACE_CHECK } from "../domain/pulls/check-names.js";
import { closingReferences } from "../domain/pulls/references.js";
import { evaluateTrace, invalidConfigTrace, type LinkedIssue } from "../domain/pulls/trace-check.js";
import { waiverFor, waiversFromSummary, type PullWaiver } from "../domain/pulls/waiver.js";
import { findIds } from "../domain/requirements/ids.js";
import { MARKER, readHiddenLeading } from "../domain/core/hidden-data.js";
import { addMarks, EMPTY_SUSPECT, marksFor, reviewAll, suspectsFromData, type PullSuspect, type SuspectMark, type SuspectState } from "../domain/suspect/suspect.js";
import { approvalCommand, approvalEvents, contributorsOf } from "../domain/pulls/pull-facts.js";
import { renderApprovalReply } from "../domain/approvals/approval-reply.js";
import type { CheckRunResult } from "../domain/pulls/render/check-output.js";
import { renderCommandReply } from "../domain/issues/issue-comment.js";
import { classifier } from "../domain/config/paths.js";
import type { Diagnostic } from "../domain/core/diagnostic.js";
import { evidenceDemands } from "../domain/pulls/evidence-demands.js";
import { requiredEvidenceFindings } from "../domain/verification/required-evidence.js";
import { evaluateChangeBetween } from "./change.js";
import type { CommandComment } from "./issues.js";
import { runPipeline } from "./pipeline.js";
import type { LockBlob, PullContext, PullFacts, PullPorts, RunFacts } from "./ports.js";

/** What an event asks of the evaluation, beyond "evaluate the pull request as it is now". */
export interface PullRequestEvent {
  /** "trace": only the trace check (an issue the pull request references changed). Default "all". */
  checks?: "all" | "trace";
  /** A `/reqgate approve` comment created just now: recorded with the subject evaluated now (or `subject`, on a retry). */
  approveComment?: { id: number; by: string; at: string; subject?: string };
  /** A `/reqgate revoke` comment created just now. */
  revokeComment?: { id: number; by: string; at: string };
  /** The "Approve" button pressed on a run whose external_id was `binding` (ledger `runBinding`). */
  button?: { checkRun: number; by: string; binding: string; at: string };
  /** A waiver accepted just now (it replaces the one on record for this pull request). */
  waiver?: Omit<PullWaiver, "pr">;
  /** Requirements a push just moved (SPEC 2.5): those the pull request names make it suspect. */
  suspect?: readonly SuspectMark[];
  /** `/reqgate reviewed` accepted just now: the suspect marks are cleared, recorded with who and when. */
  reviewed?: { by: string; at: string };
  /** Who pushed just now (a `synchronize` sender): recorded as a contributor of the pull request. */
  pushedBy?: string;
}

export interface PullOutcome {
  pull: PullFacts;
  trace?: CheckRunResult;
  baseline?: BaselineCheck;
  approvals?: ApprovalResult;
  /** The approval subject, when the change could be read completely. */
  subject?: string;
  /** Comments reqgate has replied to already. */
  replied: ReadonlySet<number>;
  /** "stale": the head moved while evaluating; nothing was written. */
  published?: "written" | "stale";
  /** Open pull requests to evaluate again once this one is published: their record of a collision with it disagrees with this evaluation's (SPEC 2.7). */
  reevaluate?: number[];
  /** This pull request's waiver on record (carried by its trace runs). */
  waiver?: PullWaiver;
}

interface Snapshot {
  checks: "all" | "trace";
  pull: PullFacts;
  context: PullContext;
  config?: Config;
  evaluation?: ChangeEvaluation;
  incomplete: string[];
  /** The approval ledger of every pull request sharing the runs; this one's entries settled once evaluated. */
  ledger: ApprovalLedger;
  waiver?: PullWaiver;
  /** Every waiver the trace runs carry (other pull requests' too). */
  waivers: PullWaiver[];
  /** This pull request's suspect state carried by the trace runs, and after this event; the other pull requests' states. */
  suspect: { before: SuspectState; after: SuspectState; others: PullSuspect[] };
  linkedIssues: LinkedIssue[];
  baseline: ReadonlyMap<string, { status: "active" | "retired"; title: string; supersededBy?: string }>;
  approvals?: Parameters<typeof evaluateApprovals>[0];
  /** `verification.required` findings for the changed requirements. */
  evidence: Diagnostic[];
  /** Colliding pull requests (SPEC 2.7), and whom to evaluate again after publishing. */
  collisions?: Collisions;
}

/** What an evaluation found about colliding pull requests; `reread`: the open pull requests were read completely, so they are read once more after this run is written. */
type Collisions = CollisionFindings & { reevaluate: number[]; reread?: { lockPath: string } };

/** Attempts when the head moves during an evaluation that records something (an approval, a waiver). */
const MAX_ATTEMPTS = 3;

/** Evaluates the pull request now and publishes its checks. Undefined when there is nothing to evaluate (closed, gone). */
export async function evaluatePullNow(ports: PullPorts, event: PullRequestEvent = {}): Promise<PullOutcome | undefined> {
  let request = event;
  for (let attempt = 1; ; attempt++) {
    const outcome = await runPipeline<Snapshot, PullOutcome>({
      load: () => load(ports, request),
      evaluate: decide,
      publish: (result, snapshot) => publish(ports, result, snapshot),
    });
    if (!outcome || outcome.published !== "stale") return outcome;
    // The head moved: the new head's own events evaluate it. What this event records must not be lost:
    // an approval comment keeps the subject it was made on, and it is carried to the new head's run.
    const records = request.approveComment || request.revokeComment || request.button || request.waiver || request.suspect || request.reviewed || pusherToRecord(request, outcome.pull.author) !== undefined;
    if (!records || attempt >= MAX_ATTEMPTS) return outcome;
    if (request.approveComment && request.approveComment.subject === undefined && outcome.subject !== undefined) {
      request = { ...request, approveComment: { ...request.approveComment, subject: outcome.subject } };
    }
  }
}

async function load(ports: PullPorts, event: PullRequestEvent): Promise<Snapshot | undefined> {
  const pull = await ports.readPull();
  if (!pull || pull.state !== "open") return undefined;
  const all = event.checks !== "trace";
  const refs = closingReferences(pull.body, ports.target);
  const mentioned = [...refs.closes.map((number) => ({ number, relation: "closes" as const })), ...refs.mentions.map((number) => ({ number, relation: "mentions" as const }))];
  const context = await ports.readContext(pull, { mentioned, social: all });
  if (!context) return undefined;
  const config = context.config.config;
  const carried = carriedWaivers(context).filter((w) => !event.waiver || w.pr !== pull.number);
  const waivers = event.waiver ? [...carried, { ...event.waiver, pr: pull.number }] : carried;
  const snapshot: Snapshot = { checks: all ? "all" : "trace", pull, context, incomplete: [...context.incomplete], ledger: carriedLedger(ports, pull, context, event), waivers, linkedIssues: [], baseline: new Map(), suspect: { before: EMPTY_SUSPECT, after: EMPTY_SUSPECT, others: [] }, evidence: [] };
  const waiver = waiverFor(waivers, pull.number);
  if (waiver) snapshot.waiver = waiver;
  if (!config) return snapshot;
  snapshot.config = config;
  snapshot.suspect = carriedSuspect(context, pull, config, event);
  snapshot.linkedIssues = context.issues.map((issue) => {
    const linked: LinkedIssue = { number: issue.number, relation: issue.relation, state: issue.state, title: issue.title, labels: issue.labels, requirementIds: findIds(`${issue.title}\n${issue.body}`, config.requirements.prefixes) };
    if (issue.waiverReason !== undefined) linked.exempt = issue.waiverReason;
    return linked;
  });

  const roles = classifier(config);
  const knownBaseLock = context.baseLockPath === roles.lockPath ? context.baseLock : undefined;
  if (!all) {
    const ref = knownBaseLock === undefined ? await ports.lockAt(pull.baseSha, roles.lockPath) : knownBaseLock;
    const lock = ref ? await ports.readLock(ref.oid, ref.size) : undefined;
    snapshot.baseline = lock?.baseline() ?? new Map();
    return snapshot;
  }

  const change = await evaluateChangeBetween(ports, config, { base: pull.baseSha, head: pull.headSha }, { files: await ports.listFiles(pull), ...(knownBaseLock !== undefined ? { baseLock: knownBaseLock } : {}) });
  snapshot.incomplete.push(...change.incomplete);
  snapshot.baseline = change.baseLock?.baseline() ?? new Map();
  const evaluation = change.evaluation;
  snapshot.evaluation = evaluation;
  // Evidence is read only for changed requirements whose method verification.required demands.
  const demanded = evidenceDemands(evaluation, config.verification.required);
  if (demanded.length > 0) {
    const read = await ports.readEvidence(pull.headSha, config);
    snapshot.evidence = requiredEvidenceFindings(demanded, read, config.verification.required, new Set(config.requirements.prefixes));
    ports.log.info({ pr: pull.number, demanded: demanded.length, files: "files" in read ? read.files.length : 0, missing: snapshot.evidence.length }, "evidence searched");
  }

  snapshot.collisions = await collisionsOf(ports, pull, context, evaluation, { baseLock: change.baseLock, baseLockOid: knownBaseLock?.oid, lockPath: roles.lockPath }, snapshot.incomplete);

  // Approvals: the subject of each review, comment and button press, then lookups only where they can matter.
  // Something made before the latest change of the base was shown other content than now: when it is
  // bound for the first time now, it binds to nothing (stale) rather than to what the new base shows.
  const complete = snapshot.incomplete.length === 0;
  const beforeBaseChange = (at: string) => context.baseChangedAt !== undefined && !(Date.parse(at) > Date.parse(context.baseChangedAt));
  if (event.approveComment) {
    const subject = beforeBaseChange(event.approveComment.at) ? undefined : (event.approveComment.subject ?? (complete ? evaluation.subject : undefined));
    const { id, by, at } = event.approveComment;
    snapshot.ledger = recordInLedger(snapshot.ledger, { pr: pull.number, by, via: "comment", id, at, act: "approve", ...(subject !== undefined ? { subject } : {}) });
  }
  const subjectAt = (commit: string, at: string) => {
    if (beforeBaseChange(at)) return undefined;
    if (commit === pull.headSha) return complete ? evaluation.subject : undefined;
    const recorded = parseRunBinding(context.reviewedSubjects.get(commit));
    return recorded?.pr === pull.number ? recorded.subject : undefined;
  };
  const events = approvalEvents(context.reviews, context.comments, subjectAt, entriesOf(snapshot.ledger, pull.number));
  // The ledger keeps each person's latest action, so nothing anyone else does can push it out.
  const settled = settleLedger(snapshot.ledger, pull.number, ledgerEntries(pull.number, events));
  snapshot.ledger = settled.ledger;
  if (settled.overflow) snapshot.incomplete.push(`the approval record of this pull request outgrew its check run (over ${MAX_LEDGER_PEOPLE} people acted on the pull requests of this commit); it cannot be approved any more: open a new pull request`);
  // Contributors: the commits' authors and committers, and whoever pushed them (which only the webhook said).
  const contributors = contributorsOf([...context.commits, { logins: pushersOf(snapshot.ledger, pull.number) }], pull.author);
  const pre = { evaluation, author: pull.author, contributors, changeControl: config.change_control, events };
  const permissions = new Map<string, Lookup<Permission | "none">>();
  const needed = neededLookups(pre);
  for (const login of needed.permissions) {
    const permission = await ports.permissionOf(login);
    if (permission === "unknown") ports.log.warn({ pr: pull.number, user: login }, "permission lookup failed; approval not counted");
    permissions.set(login, permission === "unknown" ? "error" : permission);
  }
  const memberships = new Map<string, Lookup<boolean>>();
  for (const { team, login } of needed.memberships) {
    const member = await ports.membership(team, login);
    if (member === "error") ports.log.warn({ pr: pull.number, user: login, team }, "team membership lookup failed; approval not counted");
    memberships.set(membershipKey(team, login), member);
  }
  snapshot.approvals = { ...pre, permissions, memberships };
  return snapshot;
}

/**
 * Colliding pull requests (SPEC 2.7). What this pull request claims (IDs and change records it adds,
 * requirements it changes) against the claims the other open pull requests into the same branch recorded
 * in their runs (one paginated query, only when this one claims something), and against the base
 * branch's lock as it is now (read only when its blob differs from the base's, cached by blob). A read
 * that failed or was cut is incomplete: the check fails closed and says why, never "no collision".
 */
async function collisionsOf(
  ports: PullPorts,
  pull: PullFacts,
  context: PullContext,
  evaluation: ChangeEvaluation,
  locks: { baseLock: LockBlob | undefined; baseLockOid: string | undefined; lockPath: string },
  incomplete: string[],
): Promise<Collisions> {
  const claims = claimsOf(pull.number, pull.baseRef, evaluation);
  const before = previousClaims(context, pull.number)?.collides ?? [];
  if (claimsNothing(claims)) return { claims, collisions: [], more: 0, moved: [], reevaluate: toReevaluate(claims, [], undefined, before) };
  const open = await ports.openClaims(pull.baseRef, locks.lockPath);
  const others: Claims[] = open.claims.filter((c) => c.pr !== pull.number);
  const found = findCollisions(claims, others);
  claims.collides = found.collisions.map((c) => c.pr);
  let moved: CollisionFindings["moved"] = [];
  const tip = open.tipLock;
  if (tip && tip.oid !== locks.baseLockOid) {
    const tipLock = (await ports.readLock(tip.oid, tip.size))?.parsed(locks.lockPath).lock;
    const baseLock = locks.baseLock?.parsed(locks.lockPath).lock ?? { applied: [], entries: [] };
    if (tipLock) moved = movedOnBase(claims, baseLock, tipLock);
  }
  const findings: Collisions = { claims, collisions: found.collisions, more: found.more, moved, reevaluate: [] };
  if (open.incomplete !== undefined) {
    incomplete.push(open.incomplete);
    ports.log.warn({ pr: pull.number, reason: open.incomplete }, "open pull requests not read completely; collisions not known");
    return findings;
  }
  findings.checked = open.pulls.filter((n) => n !== pull.number).length;
  findings.reevaluate = toReevaluate(claims, found.collisions, others, before);
  findings.reread = { lockPath: locks.lockPath };
  ports.log.info({ pr: pull.number, read: open.pulls.length, claimed: others.length, collisions: found.collisions.length, moved: moved.length, reevaluate: findings.reevaluate.length }, "colliding pull requests looked for");
  return findings;
}

/**
 * Two pull requests evaluated at the same moment can each read the other's claims before the other's run
 * is written, and each miss the other. So a pull request that claims something reads the claims once
 * more after writing its run: of two such evaluations the later one to write sees the other in this
 * re-read (the earlier wrote before it re-read), and whoever disagrees with what it finds is evaluated
 * again (the other; that evaluation in turn corrects this run). A run that was already there unchanged
 * was visible all along: no re-read. A failed re-read keeps the first read's answer.
 */
async function rereadCollisions(ports: PullPorts, pull: PullFacts, findings: Collisions, lockPath: string): Promise<number[]> {
  const again = await ports.openClaims(pull.baseRef, lockPath, { tip: false });
  if (again.incomplete !== undefined) {
    ports.log.warn({ pr: pull.number, reason: again.incomplete }, "open pull requests not read again after the baseline run; collisions as first read");
    return findings.reevaluate;
  }
  const others = again.claims.filter((c) => c.pr !== pull.number);
  const found = findCollisions(findings.claims, others);
  const reevaluate = toReevaluate(findings.claims, found.collisions, others, []);
  ports.log.info({ pr: pull.number, read: again.pulls.length, collisions: found.collisions.length, reevaluate: reevaluate.length }, "colliding pull requests read again after the baseline run");
  return reevaluate;
}

/** This pull request's claims as its latest baseline run recorded them (the head's, else an earlier head's). */
function previousClaims(context: PullContext, pr: number): Claims | undefined {
  for (const run of [...context.headRuns, ...context.earlierRuns]) {
    if (run.name !== BASELINE_CHECK) continue;
    const claims = claimsFromSummary(run.summary);
    if (claims?.pr === pr) return claims;
  }
  return undefined;
}

/**
 * The ledger carried by this App's runs (the head's, and the latest earlier heads' the gateway found),
 * with what this event records. A press of a run that showed another pull request (they share the head
 * commit) is not this pull request's approval.
 */
function carriedLedger(ports: PullPorts, pull: PullFacts, context: PullContext, event: PullRequestEvent): ApprovalLedger {
  const summaries = [...context.earlierRuns, ...context.headRuns].filter((r) => r.name === BASELINE_CHECK).map((r) => ledgerFromSummary(r.summary));
  let ledger = mergeLedgers(summaries);
  const pr = pull.number;
  const pusher = pusherToRecord(event, pull.author);
  if (pusher !== undefined) ledger = recordPusher(ledger, pr, pusher);
  if (event.revokeComment) ledger = recordInLedger(ledger, { pr, by: event.revokeComment.by, via: "comment", id: event.revokeComment.id, at: event.revokeComment.at, act: "withdraw" });
  if (event.button) {
    const shown = parseRunBinding(event.button.binding);
    if (shown !== undefined && shown.pr !== pr) {
      ports.log.info({ pr, shown: shown.pr, checkRun: event.button.checkRun }, "approve press of a run that showed another pull request ignored");
    } else {
      const { checkRun, by, at } = event.button;
      ledger = recordInLedger(ledger, { pr, by, via: "button", id: checkRun, at, act: "approve", ...(shown ? { subject: shown.subject } : {}) });
    }
  }
  return ledger;
}

/** Who pushed in this event, when it is someone other than the author (the author is refused as the author already). */
function pusherToRecord(event: PullRequestEvent, author: string): string | undefined {
  return event.pushedBy !== undefined && event.pushedBy.toLowerCase() !== author.toLowerCase() ? event.pushedBy : undefined;
}

/**
 * This pull request's suspect state carried by the trace runs (the head's, else the latest earlier
 * head's), and after this event; the head run's states of other pull requests, kept as they are.
 */
function carriedSuspect(context: PullContext, pull: PullFacts, config: Config, event: PullRequestEvent): Snapshot["suspect"] {
  const runs = [...context.headRuns, ...context.earlierRuns].filter((r) => r.name === TRACE_CHECK);
  const heads: ReadonlySet<unknown> = new Set(context.headRuns);
  const read = runs.map((r) => ({ head: heads.has(r), data: readHiddenLeading(r.summary, MARKER.suspect) })).filter((r) => r.data !== undefined);
  const before = read.map((r) => suspectsFromData(r.data, pull.number)).find((s) => s.own.marks.length > 0 || s.own.reviewed.length > 0)?.own ?? EMPTY_SUSPECT;
  const headRecord = read.find((r) => r.head);
  const others = headRecord ? suspectsFromData(headRecord.data, pull.number).others : [];
  let after = before;
  if (event.suspect && config.suspect.enabled) after = addMarks(after, marksFor(event.suspect, new Set(findIds(`${pull.title}\n${pull.body}`, config.requirements.prefixes))));
  if (event.reviewed) after = reviewAll(after, event.reviewed.by, event.reviewed.at);
  return { before, after, others };
}

/** The waivers carried by the trace runs: the head's, and for pull requests it has none of, the earlier heads'. */
function carriedWaivers(context: PullContext): PullWaiver[] {
  const runs = [...context.headRuns, ...context.earlierRuns].filter((r) => r.name === TRACE_CHECK);
  const waivers: PullWaiver[] = [];
  for (const run of runs) for (const w of waiversFromSummary(run.summary)) if (!waivers.some((x) => x.pr === w.pr)) waivers.push(w);
  return waivers;
}

function decide(snapshot: Snapshot): PullOutcome {
  const { pull, context, config } = snapshot;
  const outcome: PullOutcome = { pull, replied: context.replied, ...(snapshot.waiver ? { waiver: snapshot.waiver } : {}) };
  if (!config) {
    const diagnostics = context.config.diagnostics;
    outcome.trace = invalidConfigTrace(diagnostics);
    if (snapshot.checks === "all") {
      const evaluation = evaluateChange({ config: DEFAULT_CONFIG, requirementFiles: [], recordFiles: [] });
      const approvals = evaluateApprovals({ evaluation, author: pull.author, contributors: [], changeControl: DEFAULT_CONFIG.change_control, events: [], permissions: new Map(), memberships: new Map() });
      outcome.baseline = evaluateBaselineCheck({ evaluation, approvals, configDiagnostics: diagnostics, baseBranch: pull.baseRef, ledger: snapshot.ledger });
    }
    return outcome;
  }
  const trace = evaluateTrace({
    config,
    pull: { number: pull.number, title: pull.title, body: pull.body, author: pull.author, labels: pull.labels, draft: pull.draft },
    linkedIssues: snapshot.linkedIssues,
    baseline: snapshot.baseline,
    ...(snapshot.waiver ? { waiver: snapshot.waiver } : {}),
    suspect: snapshot.suspect.after,
    suspectCarry: snapshot.suspect.others,
    carry: snapshot.waivers,
  });
  if (trace) outcome.trace = trace;
  if (snapshot.evaluation && snapshot.approvals) {
    const approvals = evaluateApprovals(snapshot.approvals);
    outcome.approvals = approvals;
    outcome.baseline = evaluateBaselineCheck({ evaluation: snapshot.evaluation, approvals, incomplete: snapshot.incomplete, baseBranch: pull.baseRef, ledger: snapshot.ledger, evidence: snapshot.evidence, ...(snapshot.collisions ? { collisions: snapshot.collisions } : {}) });
    if (snapshot.incomplete.length === 0) outcome.subject = snapshot.evaluation.subject;
  }
  return outcome;
}

async function publish(ports: PullPorts, outcome: PullOutcome, snapshot: Snapshot): Promise<void> {
  const { pull, context } = snapshot;
  const head = await ports.currentHead();
  if (head !== pull.headSha) {
    ports.log.info({ pr: pull.number, evaluated: pull.headSha, head }, "result for an older head dropped");
    outcome.published = "stale";
    return;
  }
  const existing = (name: string): RunFacts | undefined => context.headRuns.find((r) => r.name === name);
  if (outcome.trace) {
    const result = await ports.publishCheck({ name: TRACE_CHECK, headSha: pull.headSha, result: outcome.trace, detailsUrl: pull.htmlUrl }, existing(TRACE_CHECK));
    ports.log.info({ pr: pull.number, check: TRACE_CHECK, conclusion: outcome.trace.conclusion, result }, "check run published");
  }
  if (snapshot.config) {
    // The suspect flag: raised while marks are open, lowered only when reqgate raised it.
    const label = snapshot.config.suspect.label;
    const has = pull.labels.includes(label);
    const { before, after } = snapshot.suspect;
    if (after.marks.length > 0 && !has) await ports.addLabel(label, "suspect");
    if (after.marks.length === 0 && before.marks.length > 0 && has) await ports.removeLabel(label);
  }
  if (outcome.baseline) {
    // Approvals made on this run (the Approve button) bind to what it shows; a run that could not read
    // everything shows nothing an approval could bind to.
    const externalId = outcome.subject !== undefined ? runBinding(pull.number, outcome.subject) : "incomplete";
    const result = await ports.publishCheck({ name: BASELINE_CHECK, headSha: pull.headSha, result: outcome.baseline, detailsUrl: pull.htmlUrl, externalId }, existing(BASELINE_CHECK));
    ports.log.info({ pr: pull.number, check: BASELINE_CHECK, conclusion: outcome.baseline.conclusion, result }, "check run published");
    // Only now, with this run's claims written, can the others' evaluations see them.
    const collisions = snapshot.collisions;
    const reevaluate = collisions?.reread && result !== "unchanged" ? await rereadCollisions(ports, pull, collisions, collisions.reread.lockPath) : (collisions?.reevaluate ?? []);
    if (reevaluate.length > 0) outcome.reevaluate = reevaluate;
  }
  outcome.published = "written";
}

// ---------------------------------------------------------------------------------------------------
// Commands on pull requests

/**
 * Runs the `/reqgate` commands of a comment created on a pull request (SPEC 2.4). Every command leads
 * to one evaluation (which also records approvals, revokes and waivers); then accepted commands get a
 * reaction, refusals and help one reply (once, also on a redelivery). An approval that does not count
 * (the author, a contributor, not an approver, a permission that could not be checked) gets a reply
 * that says why, instead of a reaction.
 */
export async function runPullCommands(ports: PullPorts, comment: CommandComment): Promise<{ decisions: CommandDecision[]; outcome?: PullOutcome }> {
  const commands = parseCommands(comment.body);
  if (commands.length === 0) return { decisions: [] };
  const permission = commands.some(needsPermission) ? await ports.permissionOf(comment.author) : "none";
  const decisions = commands.map((command) => decideCommand(command, "pull_request", permission));
  const event: PullRequestEvent = {};
  const approval = approvalCommand({ bot: false, body: comment.body });
  if (approval?.name === "approve") event.approveComment = { id: comment.id, by: comment.author, at: comment.createdAt };
  if (approval?.name === "revoke") event.revokeComment = { id: comment.id, by: comment.author, at: comment.createdAt };
  for (const d of decisions) {
    if (d.accepted && d.command.name === "waive") event.waiver = { by: comment.author, reason: d.command.reason, at: comment.createdAt, comment: comment.id };
    if (d.accepted && d.command.name === "reviewed") event.reviewed = { by: comment.author, at: comment.createdAt };
  }
  const outcome = await evaluatePullNow(ports, event);
  const replied = outcome?.replied ?? new Set<number>();

  const approvalReply = event.approveComment && outcome?.approvals ? renderApprovalReply(comment.id, comment.author, outcome.approvals) : undefined;
  const reply = [renderCommandReply(comment.id, comment.author, decisions), approvalReply].filter((r): r is string => r !== undefined);
  if (reply.length > 0 && !replied.has(comment.id)) {
    // One reply per comment: the second part's marker is dropped.
    await ports.reply([reply[0]!, ...reply.slice(1).map((r) => r.split("\n").slice(1).join("\n"))].join("\n\n"));
  }
  // An approval is acknowledged when it counts (or nothing needs approving); otherwise the reply or the check says why.
  const approvals = outcome?.approvals;
  const counted = approvals !== undefined && (approvals.rules.length === 0 || approvals.rules.some((r) => r.approvedBy.some((login) => login.toLowerCase() === comment.author.toLowerCase())));
  const acknowledged = decisions.some((d) => d.accepted && d.command.name !== "help" && d.command.name !== "approve") || (event.approveComment !== undefined && counted);
  if (acknowledged) await ports.react(comment.id, "+1");
  return outcome ? { decisions, outcome } : { decisions };
}
