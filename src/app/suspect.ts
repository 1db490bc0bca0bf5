// The suspect sweep's ports (SPEC 2.5): GitHub's search, and each found issue or pull request marked
// through its own pipeline, serialised with its other evaluations by the shared queue.
import type { ProbotOctokit } from "probot";
import { evaluateIssueNow } from "../engine/issues.js";
import type { SuspectPorts } from "../engine/suspect.js";
import type { Log } from "../github/issue-gateway.js";
import type { RepoScope } from "../github/pull-gateway.js";
import { searchWork } from "../github/search.js";
import { evaluatePull, issueKey, type Services } from "./services.js";

export function suspectPorts(services: Services, octokit: ProbotOctokit, scope: RepoScope, defaultBranch: string, log: Log): SuspectPorts {
  return {
    search: (queries) => searchWork(octokit, queries),
    async markIssue(number, marks) {
      const target = { owner: scope.owner, repo: scope.repo, repoId: scope.repoId, number, defaultBranch };
      const ports = services.issuePorts(octokit, target, log);
      await services.queue.run(issueKey(target), () => evaluateIssueNow(ports, { suspect: marks }));
    },
    async markPull(number, marks) {
      await evaluatePull(services, octokit, scope, number, log, { checks: "trace", suspect: marks });
    },
    log,
    target: { owner: scope.owner, repo: scope.repo, host: scope.host },
  };
}
