// The baseline of the default branch: one conditional read of the lock. The parsed lock and its view
// (entries by ID, the similarity index for suggestions) are built once per lock version (ETag) and
// reused while GitHub answers 304.
import type { ProbotOctokit } from "probot";
import { parseLock } from "../domain/baseline/baseline.js";
import { baselineView } from "../domain/issues/baseline-view.js";
import type { Config } from "../domain/config/config.js";
import { diagnostic } from "../domain/core/diagnostic.js";
import type { BaselineLoad } from "../domain/issues/evaluate-issue.js";
import { conditionalGet, rawText, type EtagCache } from "./conditional.js";

export interface LockRead extends BaselineLoad {
  /** True when GitHub answered 304 and the cached view was reused. */
  notModified: boolean;
}

export async function readBaseline(octokit: ProbotOctokit, cache: EtagCache, owner: string, repo: string, config: Config): Promise<LockRead> {
  const path = config.requirements.lock;
  const fetched = await conditionalGet(octokit, cache, "GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, mediaType: { format: "raw" } }, (data): BaselineLoad => {
    const text = rawText(data);
    if (text === undefined) {
      return { missing: false, diagnostics: [diagnostic({ code: "lock-invalid", file: path, message: "the lock is not a UTF-8 text file (a directory, a submodule or binary data)" })] };
    }
    const parsed = parseLock(path, text);
    if (!parsed.lock) return { missing: false, diagnostics: parsed.diagnostics };
    return { missing: false, diagnostics: [], view: baselineView(parsed.lock) };
  });
  if (!fetched) return { missing: true, diagnostics: [], notModified: false };
  return { ...fetched.value, notModified: fetched.notModified };
}
