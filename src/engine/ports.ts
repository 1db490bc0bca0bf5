// The two ports of the pipeline. A Source gathers a plain-data snapshot; a Publisher writes a result.
// The GitHub App implements them over the REST and GraphQL APIs (src/github/issue-gateway.ts); a pull
// request pipeline implements the same shape with its own snapshot and result.
import type { ActorPermission } from "../domain/commands.js";
import type { Config } from "../domain/config.js";
import type { BaselineLoad, IssueFacts, RequirementLookup, Waiver } from "../domain/evaluate-issue.js";
import type { Diagnostic } from "../domain/diagnostic.js";

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
}

export interface IssueSource {
  /** Undefined when the issue does not exist (deleted, transferred) or is a pull request. */
  readIssue(): Promise<IssueRecord | undefined>;
  readBaseline(config: Config): Promise<BaselineLoad>;
  /** What the requirement files of the default branch say about `ids` (which the lock does not list). */
  lookupRequirements(config: Config, ids: readonly string[]): Promise<RequirementLookup>;
}

export interface IssuePublisher {
  /** Creates or updates reqgate's comment (`update`: only if it exists), carrying the waiver to keep. */
  writeComment(body: string, waiver: Waiver | undefined, mode: "upsert" | "update"): Promise<void>;
  addLabel(name: string): Promise<void>;
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
