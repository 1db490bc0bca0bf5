// `--github` on `report` and `diff`: which repository, which token, and the approvals of change records
// (the pull request that applied each one and who approved it). The repository is `--github OWNER/REPO`,
// or with a bare `--github` the one the `origin` remote names; the token is GITHUB_TOKEN (GitHub's GraphQL
// API answers nobody without one); the API is GITHUB_API_URL (default https://api.github.com, GitHub
// Enterprise Server: https://HOST/api/v3). Git finds the commit that applied each record (one process),
// GitHub is asked once per 20 commits (src/github/record-pulls.ts), domain/report joins them.
import { recordApproval, type ApprovalLookupSummary, type RecordApproval } from "../../domain/report/record-approvals.js";
import { parseRepository, repositoryName } from "../../domain/report/provenance.js";
import { originUrl } from "../../local/git.js";
import { appliedCommits } from "../../local/record-commits.js";
import { UsageError, type CommandName, type GithubTarget } from "../args.js";

export interface GithubRepository {
  owner: string;
  repo: string;
}

/** `--github OWNER/REPO` as given, or the repository of the `origin` remote; exit 2 when there is none. */
export function resolveGithub(root: string, target: GithubTarget, env: Readonly<Record<string, string | undefined>>, command: CommandName): GithubRepository {
  if (target !== "origin") return target;
  const url = originUrl(root);
  // Printed through repositoryName: a remote URL can carry a token, which is never shown.
  const name = url ? repositoryName(url) : undefined;
  if (name === undefined) throw new UsageError(`--github: ${url ? "the origin remote is not a GitHub repository URL" : "this checkout has no origin remote"}; name the repository: --github OWNER/REPO`, command);
  const [host, ...path] = name.split("/");
  const repository = parseRepository(path.join("/"));
  if (!repository) throw new UsageError(`--github: cannot tell OWNER/REPO from the origin remote (${name}); name the repository: --github OWNER/REPO`, command);
  if (host !== "github.com" && !env.GITHUB_API_URL) {
    throw new UsageError(`--github: the origin remote is on ${host}, not github.com: set GITHUB_API_URL to its API (e.g. GITHUB_API_URL=https://${host}/api/v3), or name a github.com repository with --github OWNER/REPO`, command);
  }
  return repository;
}

/** GITHUB_TOKEN, or exit 2 saying how to pass one. */
export function requireToken(env: Readonly<Record<string, string | undefined>>, command: CommandName): string {
  const token = env.GITHUB_TOKEN?.trim();
  if (token) return token;
  throw new UsageError(
    `--github reads pull requests, check runs and reviews through GitHub's API, which needs a token: set GITHUB_TOKEN (e.g. GITHUB_TOKEN=$(gh auth token) reqgate ${command} ... --github; in GitHub Actions, env: GITHUB_TOKEN: \${{ github.token }} with pull-requests: read and checks: read)`,
    command,
  );
}

export interface ApprovalsInput {
  root: string;
  github: GithubRepository;
  token: string;
  env: Readonly<Record<string, string | undefined>>;
  lockPath: string;
  /** Applied change records whose approval to read. */
  records: readonly string[];
  /** The commits whose history applied them: up to `to`, after `from` (diff). */
  range: { to: string; from?: string };
}

export async function readApprovals(input: ApprovalsInput): Promise<{ byRecord: Map<string, RecordApproval>; summary: ApprovalLookupSummary }> {
  const commits = appliedCommits(input.root, input.lockPath, input.range);
  const wanted = [...new Set(input.records)];
  const shas = [...new Set(wanted.map((id) => commits.get(id)).filter((c): c is string => c !== undefined))];
  // Loaded only here: Octokit is most of the CLI's start-up time.
  const { readRecordPulls } = await import("../../github/record-pulls.js");
  const found = await readRecordPulls({ ...input.github, token: input.token, ...(input.env.GITHUB_API_URL ? { baseUrl: input.env.GITHUB_API_URL } : {}), commits: shas });
  const byRecord = new Map<string, RecordApproval>();
  for (const id of wanted) {
    const commit = commits.get(id);
    byRecord.set(id, recordApproval(commit, commit !== undefined ? found.byCommit.get(commit) : undefined));
  }
  const known = [...byRecord.values()].filter((a) => a.state === "known").length;
  return { byRecord, summary: { repository: `${input.github.owner}/${input.github.repo}`, requests: found.requests, records: wanted.length, known, unknown: wanted.length - known } };
}

/** The line on stderr: how much GitHub was asked, and the first reason approvers are unknown. */
export function approvalsNote(byRecord: ReadonlyMap<string, RecordApproval>, summary: ApprovalLookupSummary): string {
  const line = `reqgate: read the pull requests of ${summary.records} change record${summary.records === 1 ? "" : "s"} with ${summary.requests} GitHub request${summary.requests === 1 ? "" : "s"}: ${summary.known} known, ${summary.unknown} unknown\n`;
  const first = [...byRecord.entries()].find(([, a]) => a.state === "unknown");
  return first && first[1].state === "unknown" ? `${line}reqgate: approvers unknown for ${first[0]}${summary.unknown > 1 ? ` and ${summary.unknown - 1} more` : ""}: ${first[1].reason}\n` : line;
}
