// The two ports of the pipeline. A Source gathers a plain-data snapshot; a Publisher writes a result.
// The GitHub App implements them over the REST and GraphQL APIs (src/github/issue-gateway.ts); a pull
// request pipeline implements the same shape with its own snapshot and result.
import type { ActorPermission } from "../domain/approvals/commands.js";
import type { Config } from "../domain/config/config.js";
import type { BaselineLoad, IssueFacts, RequirementLookup, Waiver } from "../domain/issues/evaluate-issue.js";
import type { parseLock } from "../domain/baseline/baseline.js";
import type { Diagnostic } from "../domain/core/diagnostic.js";
import type { BaselineInfo } from "../domain/pulls/trace-check.js";
import type { ChangedFile, CommentFact, CommitFact, ReviewFact } from "../domain/pulls/pull-facts.js";
import type { CheckRunResult } from "../domain/pulls/render/check-output.js";
import type { Claims } from "../domain/pulls/collisions.js";
import type { SuspectState } from "../domain/suspect/suspect.js";
import type { EvidenceRead } from "../domain/verification/required-evidence.js";

/** An issue as it is now, with its configuration and reqgate's own record on it. */
export interface IssueRecord {
  issue: IssueFacts;
  config: { config?: Config; diagnostics: readonly Diagnostic[] };
  /** The waiver recorded in reqgate's comment (verified), if any. */
  waiver?: Waiver;
  /** True when reqgate's comment exists on the issue. */
  hasComment: boolean;
  /** IDs of the comments reqgate has already replied to. */
  replied: ReadonlySet<number>;
  /** The suspect marks and reviews recorded in reqgate's comment (SPEC 2.5). */
  suspect: SuspectState;
}

export interface IssueSource {
  /** Undefined when the issue does not exist (deleted, transferred) or is a pull request. */
  readIssue(): Promise<IssueRecord | undefined>;
  /** Open pull requests that reference the issue, as the last `readIssue` saw them (when the source was asked to look). */
  referencingPulls(): readonly number[];
  readBaseline(config: Config): Promise<BaselineLoad>;
  /** What the requirement files of the default branch say about `ids` (which the lock does not list). */
  lookupRequirements(config: Config, ids: readonly string[]): Promise<RequirementLookup>;
}

export interface IssuePublisher {
  /** Creates or updates reqgate's comment (`update`: only if it exists), carrying the waiver and suspect state to keep. */
  writeComment(body: string, waiver: Waiver | undefined, mode: "upsert" | "update", suspect?: SuspectState): Promise<void>;
  /** `purpose`: which of reqgate's labels it is (its description when reqgate creates it). */
  addLabel(name: string, purpose?: "unlinked" | "suspect"): Promise<void>;
  removeLabel(name: string): Promise<void>;
  /** Acknowledges an accepted command. */
  react(commentId: number): Promise<void>;
  /** Answers a command comment (refusals, help). */
  reply(body: string): Promise<void>;
}

export interface PermissionLookup {
  permissionOf(login: string): Promise<ActorPermission>;
}

/** Everything the issue pipeline talks to. */
export type IssuePorts = IssueSource & IssuePublisher & PermissionLookup;

// ---------------------------------------------------------------------------------------------------
// Pull requests and pushes

/** A pull request as GitHub shows it now (REST). */
export interface PullFacts {
  number: number;
  state: "open" | "closed";
  draft: boolean;
  title: string;
  body: string;
  author: string;
  labels: string[];
  headSha: string;
  baseSha: string;
  baseRef: string;
  /** How many files the pull request changes, as GitHub counts them. */
  changedFiles: number;
  htmlUrl: string;
}

/** A check run of this App. */
export interface RunFacts {
  id: number;
  name: string;
  status: string;
  conclusion?: string;
  title?: string;
  summary?: string;
  text?: string;
  externalId?: string;
  detailsUrl?: string;
  /** How many annotations the run holds. */
  annotations: number;
}

/** An issue the pull request closes, is linked to or mentions, as read for the trace check. */
export interface IssueForTrace {
  number: number;
  relation: "closes" | "linked" | "mentions";
  state: "open" | "closed";
  title: string;
  body: string;
  labels: string[];
  /** The reason of the waiver recorded on the issue by reqgate (verified), if any. */
  waiverReason?: string;
}

/** Everything about a pull request besides its files, read in one go. */
export interface PullContext {
  config: { config?: Config; diagnostics: readonly Diagnostic[] };
  /**
   * The lock blob at the base, at `baseLockPath` (the configured path as last seen for the repository,
   * read in the same query); null when there is no file there.
   */
  baseLock: { oid: string; size: number } | null;
  baseLockPath: string;
  reviews: ReviewFact[];
  comments: Array<CommentFact & { own: boolean }>;
  commits: CommitFact[];
  /** This App's runs on the head commit. */
  headRuns: RunFacts[];
  /**
   * This App's runs on the latest earlier heads (name and summary), latest first: read only when the head
   * has no `reqgate/baseline` run of this App yet, since every run carries the record forward.
   */
  earlierRuns: Array<{ name: string; summary?: string }>;
  /** When the pull request's base branch last changed (ISO 8601), if it ever did. */
  baseChangedAt?: string;
  /** The subject this App recorded on each reviewed commit (its `reqgate/baseline` external_id). */
  reviewedSubjects: ReadonlyMap<string, string>;
  issues: IssueForTrace[];
  /** IDs of the comments reqgate has already replied to. */
  replied: ReadonlySet<number>;
  incomplete: string[];
}

export interface ContextOptions {
  /** Issues the description references by number, beyond GitHub's linked issues. */
  mentioned: ReadonlyArray<{ number: number; relation: "closes" | "mentions" }>;
  /** False when only the trace check is evaluated: reviews, comments and commits are not read. */
  social: boolean;
}

export interface FileList {
  files: ChangedFile[];
  /** Why the list is not the whole change. */
  incomplete?: string;
}

export interface ObjectRequest {
  key: string;
  /** `COMMIT_SHA:path`, or a blob SHA in `oid`. */
  expression?: string;
  oid?: string;
  /** Larger files are not downloaded (the parser rejects them by size). */
  maxBytes: number;
}

export type ObjectContent =
  | { kind: "file"; content: string | Uint8Array; oid?: string }
  | { kind: "absent" }
  | { kind: "unreadable"; reason: string };

/** A lock file's text, parsed and viewed once per blob (a 10,000-requirement lock takes ~20 ms to parse). */
export interface LockBlob {
  text: string;
  /** `parseLock(path, text)`, remembered. */
  parsed(path: string): ReturnType<typeof parseLock>;
  /** Baselined requirements by ID; undefined when the lock does not parse. */
  baseline(): ReadonlyMap<string, BaselineInfo> | undefined;
}

export interface CheckRunWrite {
  name: string;
  headSha: string;
  result: CheckRunResult;
  detailsUrl: string;
  externalId?: string;
}

export type PublishOutcome = "created" | "updated" | "unchanged" | "replaced";

/** Reads for one pull request or push. */
export interface ChangeSource {
  compareFiles(before: string, after: string): Promise<FileList>;
  readObjects(requests: readonly ObjectRequest[]): Promise<Map<string, ObjectContent>>;
  /** The lock blob at `commit:path`; null when there is none. */
  lockAt(commit: string, path: string): Promise<{ oid: string; size: number } | null>;
  /**
   * The lock's text by blob SHA; undefined when it is not UTF-8 text. `size`, when known: a lock over
   * the bound is not downloaded, and its LockBlob parses to the refusal.
   */
  readLock(oid: string, size?: number): Promise<LockBlob | undefined>;
}

/** What the open pull requests into one branch claim (SPEC 2.7), and the lock at the branch's tip. */
export interface OpenClaims {
  /** The claims recorded by each open pull request's head run (those without a record are absent). */
  claims: Claims[];
  /** The numbers of the open pull requests read (this one among them). */
  pulls: number[];
  /** The lock blob at the branch's tip (null: none); absent when not read. */
  tipLock?: { oid: string; size: number } | null;
  /** Why not every open pull request could be read (the check then fails closed). */
  incomplete?: string;
}

export interface PullSource extends ChangeSource {
  /** The pull request as it is now; undefined when there is none. */
  readPull(): Promise<PullFacts | undefined>;
  readContext(pull: PullFacts, options: ContextOptions): Promise<PullContext | undefined>;
  /** The pull request's changed files (all of them, or why not). */
  listFiles(pull: { number: number; changedFiles: number }): Promise<FileList>;
  /** The head SHA now (a conditional read: free when nothing changed). */
  currentHead(): Promise<string | undefined>;
  /**
   * The files under `verification.paths` at `commit` (bounded: past the App's caps, or when GitHub
   * truncates the tree, why not), for `verification.required` (SPEC 1.4). Read only when a changed
   * requirement demands evidence.
   */
  readEvidence(commit: string, config: Config): Promise<EvidenceRead>;
  /** The claims of the open pull requests into `base` and the lock blob at its tip, unless `tip: false` (never throws: `incomplete` says why not). */
  openClaims(base: string, lockPath: string, options?: { tip?: boolean }): Promise<OpenClaims>;
  /** Who may approve: repository permission ("unknown" when the API failed) and team membership. */
  permissionOf(login: string): Promise<ActorPermission>;
  membership(team: string, login: string): Promise<boolean | "error">;
}

export interface CheckPublisher {
  /** Creates or updates this App's run of `write.name` on `write.headSha`; `existing` is the run found before. */
  publishCheck(write: CheckRunWrite, existing: RunFacts | undefined): Promise<PublishOutcome>;
}

export interface PullPublisher extends CheckPublisher {
  react(commentId: number, content: "+1"): Promise<void>;
  /** The pull request's labels (the `suspect` flag, SPEC 2.5). */
  addLabel(name: string, purpose: "suspect"): Promise<void>;
  removeLabel(name: string): Promise<void>;
  /** A comment on the pull request (a reply to a command). */
  reply(body: string): Promise<void>;
}

export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface RepoTarget {
  owner: string;
  repo: string;
  /** The web host ("github.com" unless GitHub Enterprise Server). */
  host: string;
}

export type PullPorts = PullSource & PullPublisher & { log: Logger; target: RepoTarget };

/** A push (or a merge group) on the default branch: its context and where to publish. */
export interface PushContext {
  config: { config?: Config; diagnostics: readonly Diagnostic[] };
  /** This App's runs on the pushed commit. */
  headRuns: RunFacts[];
  /** The lock blob at the base commit asked for, at `baseLockPath` (null: none); absent when not asked. */
  baseLock?: { oid: string; size: number } | null;
  baseLockPath: string;
}

export interface PushSource extends ChangeSource {
  /** The configuration and this App's runs on `after`; with `base`, also the lock blob there (same query). */
  readPushContext(after: string, base?: string): Promise<PushContext>;
  /** The configuration last seen for this repository, if any (no request): to skip pushes that touch nothing of reqgate's. */
  configHint(): Config | undefined;
}

export type PushPorts = PushSource & CheckPublisher & { log: Logger; target: RepoTarget };
