// Which open pull requests have a given head SHA, when the payload does not say: check_run and
// check_suite payloads of fork pull requests carry an empty `pull_requests` list. GET …/commits/{sha}/pulls,
// then the search API as a fallback. At most MAX_PULLS pull requests per event. (The pull requests that
// reference an issue are found by the issue's own query: issue-query.ts.)
import type { ProbotOctokit } from "probot";

export const MAX_PULLS = 10;

/** Open pull requests of `owner/repo` whose head is `sha`. */
export async function pullsForSha(octokit: ProbotOctokit, owner: string, repo: string, sha: string): Promise<number[]> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { owner, repo, commit_sha: sha, per_page: 100 });
  const list = data as Array<{ number: number; state: string; head: { sha: string }; base: { repo: { full_name: string } | null } }>;
  const same = `${owner}/${repo}`.toLowerCase();
  const found = list.filter((p) => p.state === "open" && p.head.sha === sha && p.base.repo?.full_name.toLowerCase() === same).map((p) => p.number);
  if (found.length > 0) return found.slice(0, MAX_PULLS);
  // The association is not always there for a fork's commits: search finds pull requests by head SHA.
  const search = await octokit.request("GET /search/issues", { q: `repo:${owner}/${repo} is:pr is:open ${sha}`, per_page: MAX_PULLS });
  return ((search.data as { items?: Array<{ number: number }> }).items ?? []).map((i) => i.number).slice(0, MAX_PULLS);
}
