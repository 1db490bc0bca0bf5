// What the handlers share for the life of the process: the per-issue queue and the factory of the
// pipeline's GitHub ports (with their caches).
import type { Probot, ProbotOctokit } from "probot";
import { KeyedQueue } from "../engine/pipeline.js";
import type { IssuePorts } from "../engine/ports.js";
import { botLoginResolver } from "../github/bot-login.js";
import { createSharedState, issueGateway, type IssueTarget, type Log, type SharedState } from "../github/issue-gateway.js";

export interface ServiceOptions {
  /** Signs the state reqgate keeps in its comments (waivers). */
  stateSecret: string;
  /** The App's bot login; looked up with GET /app when not given. */
  botLogin?: string;
}

export interface Services {
  queue: KeyedQueue;
  shared: SharedState;
  issuePorts(octokit: ProbotOctokit, target: IssueTarget, log: Log): IssuePorts;
}

export function createServices(app: Probot, options: ServiceOptions): Services {
  const shared = createSharedState(options.stateSecret, botLoginResolver(() => app.auth(), options.botLogin));
  return {
    queue: new KeyedQueue(),
    shared,
    issuePorts: (octokit, target, log) => issueGateway(octokit, shared, target, log),
  };
}

interface IssuePayload {
  issue: { number: number };
  repository: { id: number; name: string; default_branch: string; owner: { login: string } };
}

export function issueTarget(payload: IssuePayload): IssueTarget {
  const { repository, issue } = payload;
  return { owner: repository.owner.login, repo: repository.name, repoId: repository.id, number: issue.number, defaultBranch: repository.default_branch };
}

export function issueKey(target: IssueTarget): string {
  return `${target.repoId}#${target.number}`;
}
