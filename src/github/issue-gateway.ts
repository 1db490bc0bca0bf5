// The issue pipeline's ports over GitHub, for one issue. Created per event from the event's Octokit;
// the caches it uses live as long as the process (see SharedState).
import { repliedTo } from "../domain/core/hidden-data.js";
import type { ProbotOctokit } from "probot";
import type { IssuePorts, IssueRecord } from "../engine/ports.js";
import type { SharedState } from "../app/shared-state.js";
import type { Config } from "../domain/config/config.js";
import type { Waiver } from "../domain/issues/evaluate-issue.js";
import { EMPTY_SUSPECT, type SuspectState } from "../domain/suspect/suspect.js";
import { configFileFetcher, loadConfig } from "./config.js";
import { readIssue } from "./issue-query.js";
import { addLabel, LABEL_DESCRIPTION, removeLabel, SUSPECT_DESCRIPTION } from "./labels.js";
import { readBaseline } from "./lock.js";
import { permissionOf } from "./permissions.js";
import { lookupRequirements } from "./requirement-files.js";
import { composeBody, findSticky, upsertSticky, updateSticky, type IssueScope, type StickyState } from "./sticky-comment.js";

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
  let sticky: StickyState = { duplicates: [], suspect: EMPTY_SUSPECT };
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
    const record: IssueRecord = { issue: read.issue, config, hasComment: found.comment !== undefined, replied, suspect: found.suspect };
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

    async writeComment(body: string, waiver: Waiver | undefined, mode: "upsert" | "update", suspect?: SuspectState) {
      const full = composeBody(body, waiver, shared.stateSecret, target, suspect);
      const outcome =
        mode === "upsert"
          ? await upsertSticky(octokit, target, full, sticky, async () => (await readRecord())?.sticky ?? { duplicates: [], suspect: EMPTY_SUSPECT })
          : await updateSticky(octokit, target, full, sticky);
      log.info({ owner, repo, issue: number, outcome }, "reqgate comment written");
    },
    addLabel: (name: string, purpose?: "unlinked" | "suspect") => addLabel(octokit, shared.labels, owner, repo, number, name, purpose === "suspect" ? SUSPECT_DESCRIPTION : LABEL_DESCRIPTION),
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
