// The issue label: created in the repository when missing (once per process and repository; GitHub
// also creates a missing label on add, but without reqgate's colour and description), then added or
// removed only when the issue's current labels differ from what the result wants.
import type { ProbotOctokit } from "probot";
import { isHttpError } from "./conditional.js";
import { Lru } from "./lru.js";

export const LABEL_COLOR = "d93f0b";
export const LABEL_DESCRIPTION = "reqgate: this issue does not reference a baselined requirement";
export const SUSPECT_DESCRIPTION = "reqgate: a requirement this work references changed; review it, then /reqgate reviewed";

/** Labels known to exist, by `owner/repo label`. */
export type LabelMemo = Lru<string, true>;

export function createLabelMemo(maxEntries = 5000): LabelMemo {
  return new Lru<string, true>(maxEntries);
}

export async function ensureLabel(octokit: ProbotOctokit, memo: LabelMemo, owner: string, repo: string, name: string, description = LABEL_DESCRIPTION): Promise<void> {
  const key = `${owner}/${repo} ${name}`.toLowerCase();
  if (memo.get(key)) return;
  try {
    await octokit.request("POST /repos/{owner}/{repo}/labels", { owner, repo, name, color: LABEL_COLOR, description });
  } catch (error) {
    // 422: it exists already (the usual case after the first issue).
    if (!isHttpError(error, 422)) throw error;
  }
  memo.set(key, true);
}

export async function addLabel(octokit: ProbotOctokit, memo: LabelMemo, owner: string, repo: string, issueNumber: number, name: string, description = LABEL_DESCRIPTION): Promise<void> {
  await ensureLabel(octokit, memo, owner, repo, name, description);
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { owner, repo, issue_number: issueNumber, labels: [name] });
}

export async function removeLabel(octokit: ProbotOctokit, owner: string, repo: string, issueNumber: number, name: string): Promise<void> {
  try {
    await octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", { owner, repo, issue_number: issueNumber, name });
  } catch (error) {
    // Someone removed it in the meantime: the result is what was wanted.
    if (!isHttpError(error, 404)) throw error;
  }
}
