// The pull-request and push pipelines' ports over GitHub. Created per event from the event's Octokit;
// the caches live as long as the process (SharedState).
import { repliedTo } from "../domain/core/hidden-data.js";
import type { ProbotOctokit } from "probot";
import { MAX_LOCK_BYTES } from "../domain/core/limits.js";
import { DEFAULT_CONFIG } from "../domain/config/config.js";
import type { IssueForTrace, LockBlob, PullContext, PullPorts, PushContext, PushPorts, RepoTarget } from "../engine/ports.js";
import { classifier } from "../domain/config/paths.js";
import { lockBlob, oversizedLock } from "../engine/lock-blob.js";
import { compareFiles, listPullFiles } from "./changed-files.js";
import { publishCheckRun } from "./check-runs.js";
import { configFileFetcher, loadConfig, type ConfigLoad } from "./config.js";
import { readEvidenceFiles } from "./evidence-files.js";
import { readBlob, readObjects } from "./file-reads.js";
import type { SharedState } from "../app/shared-state.js";
import type { Log } from "./issue-gateway.js";
import { teamMembership, permissionOf } from "./permissions.js";
import { lockAt, readPull, readPullContext, readPushContext } from "./pull-query.js";
import { findSticky } from "./sticky-comment.js";
import { readOpenClaims } from "./open-claims.js";
import { addLabel, removeLabel, SUSPECT_DESCRIPTION } from "./labels.js";

export interface RepoScope {
  owner: string;
  repo: string;
  /** The repository's numeric ID. */
  repoId: number;
  /** The web host ("github.com" unless GitHub Enterprise Server). */
  host: string;
}

const DEFAULT_LOCK_PATH = classifier(DEFAULT_CONFIG).lockPath;

export function pullGateway(octokit: ProbotOctokit, shared: SharedState, scope: RepoScope, number: number, log: Log): PullPorts {
  const { owner, repo, repoId } = scope;
  const common = changePorts(octokit, shared, scope, log);
  return {
    ...common,
    readPull: () => readPull(octokit, shared.pulls, owner, repo, number),
    async currentHead() {
      return (await readPull(octokit, shared.pulls, owner, repo, number))?.headSha;
    },
    async readContext(pull, options): Promise<PullContext | undefined> {
      const identity = await shared.identity();
      const remembered = shared.configs.get(repoId);
      const lockPath = remembered ? classifier(remembered).lockPath : DEFAULT_LOCK_PATH;
      const raw = await readPullContext(octokit, { owner, repo, repoId, appId: identity.id, botLogin: identity.login, pull, lockPath, mentioned: options.mentioned, social: options.social });
      if (!raw) return undefined;
      const config = await configFor(octokit, shared, scope, raw, log, { pr: number });
      const issues = raw.issues.map((issue): IssueForTrace => {
        const { ownComments, ...facts } = issue;
        const sticky = findSticky(
          ownComments.map((c) => ({ ...c, own: true })),
          shared.stateSecret,
          { owner, repo, repoId, number: issue.number },
        );
        return sticky.waiver ? { ...facts, waiverReason: sticky.waiver.reason } : facts;
      });
      const replied = new Set<number>();
      for (const c of raw.comments) {
        const answered = c.own ? repliedTo(c.body) : undefined;
        if (answered !== undefined) replied.add(answered);
      }
      return {
        config,
        baseLock: raw.baseLock,
        baseLockPath: lockPath,
        reviews: raw.reviews,
        comments: raw.comments,
        commits: raw.commits,
        headRuns: raw.headRuns,
        earlierRuns: raw.earlierRuns,
        ...(raw.baseChangedAt !== undefined ? { baseChangedAt: raw.baseChangedAt } : {}),
        reviewedSubjects: raw.reviewedSubjects,
        issues,
        replied,
        incomplete: raw.incomplete,
      };
    },
    listFiles: (pull) => listPullFiles(octokit, shared.pulls, owner, repo, pull),
    readEvidence: (commit, config) => readEvidenceFiles(octokit, shared, { owner, repo }, commit, config),
    async openClaims(base, lockPath, options) {
      const identity = await shared.identity();
      return readOpenClaims(octokit, { owner, repo, appId: identity.id, base, lockPath, ...(options?.tip === false ? { tip: false } : {}) });
    },
    async permissionOf(login) {
      return permissionOf(octokit, owner, repo, login);
    },
    membership: (team, login) => teamMembership(octokit, team, login),
    async react(commentId, content) {
      await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner, repo, comment_id: commentId, content });
    },
    async reply(body) {
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: number, body });
    },
    addLabel: (name) => addLabel(octokit, shared.labels, owner, repo, number, name, SUSPECT_DESCRIPTION),
    removeLabel: (name) => removeLabel(octokit, owner, repo, number, name),
  };
}

export function pushGateway(octokit: ProbotOctokit, shared: SharedState, scope: RepoScope, log: Log): PushPorts {
  const { owner, repo } = scope;
  return {
    ...changePorts(octokit, shared, scope, log),
    configHint: () => shared.configs.get(scope.repoId),
    async readPushContext(after, base) {
      const identity = await shared.identity();
      const remembered = shared.configs.get(scope.repoId);
      const lockPath = remembered ? classifier(remembered).lockPath : DEFAULT_LOCK_PATH;
      const raw = await readPushContext(octokit, { owner, repo, appId: identity.id, head: after, ...(base !== undefined ? { lockAt: `${base}:${lockPath}` } : {}) });
      const context: PushContext = { config: await configFor(octokit, shared, scope, raw, log, { sha: after }), headRuns: raw.headRuns, baseLockPath: lockPath };
      if (raw.baseLock !== undefined) context.baseLock = raw.baseLock;
      return context;
    },
  };
}

/** What pull requests and pushes read alike: changed files, contents, locks; and where they publish. */
function changePorts(octokit: ProbotOctokit, shared: SharedState, scope: RepoScope, log: Log) {
  const { owner, repo } = scope;
  const target: RepoTarget = { owner, repo, host: scope.host };
  return {
    log,
    target,
    compareFiles: (before: string, after: string) => compareFiles(octokit, shared.pulls, owner, repo, before, after),
    readObjects: (requests: Parameters<PushPorts["readObjects"]>[0]) => readObjects(octokit, shared.contents, { owner, repo }, requests),
    lockAt: (commit: string, path: string) => lockAt(octokit, owner, repo, commit, path),
    async readLock(oid: string, size?: number): Promise<LockBlob | undefined> {
      const cached = shared.locks.get(oid);
      if (cached) return cached;
      // Not downloaded: refused by its size, which GitHub gave with the blob's SHA.
      if (size !== undefined && size > MAX_LOCK_BYTES) return oversizedLock(size);
      const content = await readBlob(octokit, { owner, repo }, oid);
      if (typeof content !== "string") return undefined;
      const lock = lockBlob(content);
      shared.locks.set(oid, lock);
      return lock;
    },
    async publishCheck(write: Parameters<PushPorts["publishCheck"]>[0], existing: Parameters<PushPorts["publishCheck"]>[1]) {
      const identity = await shared.identity();
      return publishCheckRun(octokit, { owner, repo, appId: identity.id }, write, existing);
    },
  };
}

async function configFor(
  octokit: ProbotOctokit,
  shared: SharedState,
  scope: RepoScope,
  files: { repoConfig?: { text?: string; truncated: boolean }; ownerConfig?: { text?: string; truncated: boolean } },
  log: Log,
  where: object,
): Promise<ConfigLoad> {
  const config = await loadConfig(scope.owner, scope.repo, files, configFileFetcher(octokit, shared.etags, scope.owner));
  if (config.config) shared.configs.set(scope.repoId, config.config);
  else log.info({ owner: scope.owner, repo: scope.repo, ...where, problems: config.diagnostics.length }, "configuration invalid");
  return config;
}
