// The issue pipeline's ports over GitHub, for one issue. Created per event from the event's Octokit;
// the caches it uses live as long as the process (see SharedState).
import { repliedTo } from "../domain/core/hidden-data.js";
import type { ProbotOctokit } from "probot";
import type { IssuePorts, IssueRecord } from "../engine/ports.js";
import type { Config } from "../domain/config/config.js";
import type { Waiver } from "../domain/issues/evaluate-issue.js";
import type { LockBlob } from "../engine/ports.js";
import type { AppIdentity } from "./bot-login.js";
import { configFileFetcher, loadConfig } from "./config.js";
import { createContentCache, type ContentCache } from "./file-reads.js";
import { Lru } from "./lru.js";
import { createEtagCache, type EtagCache } from "./conditional.js";
import { readIssue } from "./issue-query.js";
import { addLabel, createLabelMemo, removeLabel, type LabelMemo } from "./labels.js";
import { readBaseline } from "./lock.js";
import { permissionOf } from "./permissions.js";
import { createBlobCache, lookupRequirements, type BlobCache } from "./requirement-files.js";
import { composeBody, findSticky, upsertSticky, updateSticky, type IssueScope, type StickyState } from "./sticky-comment.js";

/** What outlives one event: bounded caches, the state-signing secret, the App's identity. */
export interface SharedState {
  /** Config files named by `_extends` and lock files, by URL. */
  etags: EtagCache;
  /** Recursive trees of default branches, by URL (few: they can be large). */
  trees: EtagCache;
  /** Requirements parsed from blobs, by blob SHA. */
  blobs: BlobCache;
  /** Labels known to exist. */
  labels: LabelMemo;
  /** Signs the state kept in reqgate's comment. */
  stateSecret: string;
  /** The App's bot login (`name[bot]`). */
  botLogin(): Promise<string>;
  /** The App's bot login and numeric ID (its check runs are filtered by it). */
  identity(): Promise<AppIdentity>;
  /** Pull requests, their file-list pages and comparisons, by URL (conditional reads). */
  pulls: EtagCache;
  /** File contents by blob SHA or `commit:path` (immutable), bounded by bytes. */
  contents: ContentCache;
  /** Lock files by blob SHA, with their parsed view. */
  locks: Lru<string, LockBlob>;
  /** Per repository ID, the configuration last read (its lock path, and whether a push can matter). */
  configs: Lru<number, Config>;
}

/** `login`: the bot login when configured (the issue side then never needs GET /app). */
export function createSharedState(stateSecret: string, identity: () => Promise<AppIdentity>, login?: string): SharedState {
  return {
    etags: createEtagCache(2000),
    trees: createEtagCache(50),
    blobs: createBlobCache(),
    labels: createLabelMemo(),
    stateSecret,
    botLogin: async () => login ?? (await identity()).login,
    identity,
    pulls: createEtagCache(5000),
    contents: createContentCache(),
    // At most 32 lock versions or 128 MB of lock text (a 10,000-requirement lock is about 2 MB).
    locks: new Lru<string, LockBlob>(32, { max: 128 * 1024 * 1024, weigh: (l) => l.text.length * 2 }),
    configs: new Lru<number, Config>(5000),
  };
}

export interface IssueTarget extends IssueScope {
  defaultBranch: string;
}

export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}


/** `options.pulls`: also find the open pull requests that reference the issue (`referencingPulls`). */
export function issueGateway(octokit: ProbotOctokit, shared: SharedState, target: IssueTarget, log: Log, options: { pulls?: boolean } = {}): IssuePorts {
  const { owner, repo, number } = target;
  let sticky: StickyState = { duplicates: [] };
  let pulls: readonly number[] = [];

  async function readRecord(): Promise<{ record: IssueRecord; sticky: StickyState } | undefined> {
    const read = await readIssue(octokit, owner, repo, number, await shared.botLogin(), options.pulls ? { repoId: target.repoId } : undefined);
    if (!read) return undefined;
    pulls = read.pulls;
    const config = await loadConfig(owner, repo, read, configFileFetcher(octokit, shared.etags, owner));
    const found = findSticky(read.comments, shared.stateSecret, target);
    const replied = new Set<number>();
    for (const c of read.comments) {
      const answered = c.own ? repliedTo(c.body) : undefined;
      if (answered !== undefined) replied.add(answered);
    }
    const record: IssueRecord = { issue: read.issue, config, hasComment: found.comment !== undefined, replied };
    if (found.waiver) record.waiver = found.waiver;
    if (config.diagnostics.length > 0) log.info({ owner, repo, issue: number, problems: config.diagnostics.length }, "configuration invalid");
    return { record, sticky: found };
  }

  return {
    async readIssue() {
      const read = await readRecord();
      if (!read) return undefined;
      sticky = read.sticky;
      return read.record;
    },
    readBaseline: (config: Config) => readBaseline(octokit, shared.etags, owner, repo, config),
    referencingPulls: () => pulls,
    lookupRequirements: (config: Config, ids: readonly string[]) => lookupRequirements(octokit, shared, { owner, repo, defaultBranch: target.defaultBranch }, config, ids),

    async writeComment(body: string, waiver: Waiver | undefined, mode: "upsert" | "update") {
      const full = composeBody(body, waiver, shared.stateSecret, target);
      const outcome =
        mode === "upsert"
          ? await upsertSticky(octokit, target, full, sticky, async () => (await readRecord())?.sticky ?? { duplicates: [] })
          : await updateSticky(octokit, target, full, sticky);
      log.info({ owner, repo, issue: number, outcome }, "reqgate comment written");
    },
    addLabel: (name: string) => addLabel(octokit, shared.labels, owner, repo, number, name),
    removeLabel: (name: string) => removeLabel(octokit, owner, repo, number, name),
    async react(commentId: number) {
      await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner, repo, comment_id: commentId, content: "+1" });
    },
    async reply(body: string) {
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: number, body });
    },
    async permissionOf(login: string) {
      const permission = await permissionOf(octokit, owner, repo, login);
      if (permission === "unknown") log.warn({ owner, repo, issue: number, user: login }, "permission lookup failed; command refused");
      return permission;
    },
  };
}
