// What the handlers share for the life of the process: the per-subject queue, the factories of the
// pipelines' GitHub ports (with their caches), and the few steps every handler of pull requests takes
// (serialise per pull request, find the pull requests of a commit or an issue).
import type { Probot, ProbotOctokit } from "probot";
import { evaluatePullNow, type PullOutcome, type PullRequestEvent } from "../engine/pulls.js";
import { KeyedQueue } from "../engine/pipeline.js";
import { createDashboardScheduler, type DashboardScheduler } from "./dashboard.js";
import type { IssuePorts, PullPorts, PushPorts } from "../engine/ports.js";
import { appIdentityResolver } from "../github/bot-login.js";
import { pullsForSha } from "../github/find-pulls.js";
import { readClaimsOf } from "../github/open-claims.js";
import { issueGateway, type IssueTarget, type Log } from "../github/issue-gateway.js";
import { pullGateway, pushGateway, type RepoScope } from "../github/pull-gateway.js";
import { createSharedState, type SharedState } from "./shared-state.js";

export interface ServiceOptions {
  /** Signs the state reqgate keeps in its comments (waivers). */
  stateSecret: string;
  /** True when `stateSecret` was generated for this process (none configured): said once in the log. */
  ephemeralSecret?: boolean;
  /** The App's bot login; looked up with GET /app when not given. */
  botLogin?: string;
  /** The App's numeric ID; looked up with GET /app when not given. */
  appId?: number;
  /** Serialises work per subject: in this process (the default) or across replicas (src/server). */
  queue?: SubjectQueue;
  /** The traceability dashboard (SPEC 2.6): its debounce, or a scheduler (tests); absent: no dashboard. */
  dashboard?: { delayMs: number } | { scheduler: (queue: SubjectQueue, shared: SharedState) => DashboardScheduler };
}

/** Runs tasks one after the other per key (an issue, a pull request); different keys run concurrently. */
export interface SubjectQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running in this process. */
  readonly size: number;
}

export interface Services {
  queue: SubjectQueue;
  shared: SharedState;
  issuePorts(octokit: ProbotOctokit, target: IssueTarget, log: Log, options?: { pulls?: boolean }): IssuePorts;
  pullPorts(octokit: ProbotOctokit, scope: RepoScope, number: number, log: Log): PullPorts;
  pushPorts(octokit: ProbotOctokit, scope: RepoScope, log: Log): PushPorts;
  /** Undefined when the dashboard is not run by this process. */
  dashboard?: DashboardScheduler;
}

export function createServices(app: Probot, options: ServiceOptions): Services {
  const fixed = { ...(options.botLogin !== undefined ? { login: options.botLogin } : {}), ...(options.appId !== undefined ? { id: options.appId } : {}) };
  if (options.ephemeralSecret) app.log.warn("neither REQGATE_STATE_SECRET nor WEBHOOK_SECRET is set: waivers are signed with a secret generated for this process and last only as long as it runs");
  const shared = createSharedState(options.stateSecret, appIdentityResolver(() => app.auth(), fixed), options.botLogin);
  const queue = options.queue ?? new KeyedQueue();
  const dashboard = options.dashboard === undefined ? undefined : "scheduler" in options.dashboard ? options.dashboard.scheduler(queue, shared) : createDashboardScheduler(options.dashboard.delayMs, queue, shared);
  return {
    queue,
    shared,
    ...(dashboard ? { dashboard } : {}),
    issuePorts: (octokit, target, log, options) => issueGateway(octokit, shared, target, log, options),
    pullPorts: (octokit, scope, number, log) => pullGateway(octokit, shared, scope, number, log),
    pushPorts: (octokit, scope, log) => pushGateway(octokit, shared, scope, log),
  };
}

interface RepositoryPayload {
  repository: { id: number; name: string; default_branch: string; html_url?: string; owner: { login: string } };
}

interface IssuePayload extends RepositoryPayload {
  issue: { number: number };
}

export function issueTarget(payload: IssuePayload): IssueTarget {
  const { repository, issue } = payload;
  return { owner: repository.owner.login, repo: repository.name, repoId: repository.id, number: issue.number, defaultBranch: repository.default_branch };
}

export function issueKey(target: IssueTarget): string {
  return `${target.repoId}#${target.number}`;
}

interface RepositoryLike {
  id: number;
  name: string;
  html_url?: string;
  /** `owner.login` (push payloads may carry `owner.name` instead, and `full_name` always). */
  full_name?: string;
  owner: { login?: string; name?: string | null } | null;
}

export function repoScope(payload: { repository?: RepositoryLike }): RepoScope {
  const repository = payload.repository;
  if (!repository) throw new Error("event without a repository");
  const host = repository.html_url ? new URL(repository.html_url).host : "github.com";
  const owner = repository.owner?.login ?? repository.full_name?.split("/")[0] ?? repository.owner?.name ?? "";
  return { owner, repo: repository.name, repoId: repository.id, host };
}

/** Pull requests and issues share numbers: one queue key for both, so their evaluations never interleave. */
export function pullKey(scope: RepoScope, number: number): string {
  return `${scope.repoId}#${number}`;
}

/**
 * Evaluates one pull request, after any evaluation of it still running in this process; then the open
 * pull requests whose record of a collision with it its evaluation contradicts (SPEC 2.7).
 */
export async function evaluatePull(services: Services, octokit: ProbotOctokit, scope: RepoScope, number: number, log: Log, event: PullRequestEvent = {}): Promise<PullOutcome | undefined> {
  const outcome = await services.queue.run(pullKey(scope, number), () => evaluatePullNow(services.pullPorts(octokit, scope, number, log), event));
  await followCollisions(services, octokit, scope, outcome, log);
  return outcome;
}

/**
 * How far evaluations of colliding pull requests lead to more: the one evaluated names the others it
 * disagrees with, each of those may find one more that disagrees (three pull requests racing), no further.
 */
const MAX_COLLISION_DEPTH = 2;

/** Evaluates again the pull requests an evaluation found to disagree with it about a collision (SPEC 2.7). */
export async function followCollisions(services: Services, octokit: ProbotOctokit, scope: RepoScope, outcome: PullOutcome | undefined, log: Log, depth = 1): Promise<void> {
  if (!outcome?.reevaluate || depth > MAX_COLLISION_DEPTH) return;
  for (const pr of outcome.reevaluate) {
    log.info({ pr, after: outcome.pull.number }, "evaluating a colliding pull request again");
    const next = await services.queue.run(pullKey(scope, pr), () => evaluatePullNow(services.pullPorts(octokit, scope, pr, log), {}));
    await followCollisions(services, octokit, scope, next, log, depth + 1);
  }
}

/**
 * A pull request closed (merged or not): the open pull requests it collided with, as its last run
 * recorded, are evaluated again (their collision with it is gone; one that merged may have moved the base
 * branch under them, which their evaluation then says).
 */
export async function evaluateAfterClose(services: Services, octokit: ProbotOctokit, scope: RepoScope, number: number, log: Log): Promise<{ reevaluated: number[]; waived: boolean }> {
  const identity = await services.shared.identity();
  const { claims, waived } = await readClaimsOf(octokit, { owner: scope.owner, repo: scope.repo, appId: identity.id, number });
  const others = (claims?.collides ?? []).filter((pr) => pr !== number);
  for (const pr of others) {
    log.info({ pr, closed: number }, "evaluating a colliding pull request again");
    await evaluatePull(services, octokit, scope, pr, log);
  }
  return { reevaluated: others, waived };
}

/**
 * Evaluates the open pull requests whose head is `sha`: those the payload lists, else (`lookup`) the ones
 * GitHub finds by SHA (a fork's pull request is never listed in check_run and check_suite payloads).
 */
export async function evaluatePullsAt(
  services: Services,
  octokit: ProbotOctokit,
  scope: RepoScope,
  sha: string,
  listed: ReadonlyArray<{ number: number; base?: { repo?: { id?: number } } }>,
  log: Log,
  options: { event?: PullRequestEvent; lookup?: boolean } = {},
): Promise<number[]> {
  const own = listed.filter((p) => p.base?.repo?.id === undefined || p.base.repo.id === scope.repoId).map((p) => p.number);
  const numbers = own.length > 0 || options.lookup === false ? own : await pullsForSha(octokit, scope.owner, scope.repo, sha);
  const event = options.event ?? {};
  for (const number of numbers) await evaluatePull(services, octokit, scope, number, log, event);
  return numbers;
}

/** Evaluates the trace check of these pull requests again (an issue they reference changed). */
export async function retracePulls(services: Services, octokit: ProbotOctokit, scope: RepoScope, numbers: readonly number[], log: Log): Promise<void> {
  for (const pr of numbers) await evaluatePull(services, octokit, scope, pr, log, { checks: "trace" });
}
