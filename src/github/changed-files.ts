// Which files a change touches: a pull request's file list (pulls.listFiles, 100 per page, each page a
// conditional read: the same head's list again is a 304), or, for a push, the comparison of the commits
// before and after it. GitHub lists at most 3,000 files of a pull request and 300 of a comparison; past
// that the list is incomplete, and an incomplete list never yields `success` (fail closed).
import type { ProbotOctokit } from "probot";
import type { ChangedFile } from "../domain/pulls/pull-facts.js";
import type { FileList } from "../engine/ports.js";
import { conditionalGet, type EtagCache } from "./conditional.js";

export const MAX_PULL_FILES = 3000;
export const MAX_COMPARE_FILES = 300;
const PER_PAGE = 100;

interface RawFile {
  filename?: unknown;
  status?: unknown;
  previous_filename?: unknown;
  sha?: unknown;
}

const STATUSES: ReadonlySet<string> = new Set(["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"]);

function toFiles(data: unknown): ChangedFile[] {
  const files: ChangedFile[] = [];
  for (const f of (Array.isArray(data) ? data : []) as RawFile[]) {
    if (typeof f.filename !== "string" || typeof f.status !== "string") continue;
    // An unknown status is treated as a modification: both sides are read, nothing is skipped.
    const file: ChangedFile = { path: f.filename, status: (STATUSES.has(f.status) ? f.status : "modified") as ChangedFile["status"] };
    if (typeof f.previous_filename === "string") file.previousPath = f.previous_filename;
    if (typeof f.sha === "string") file.sha = f.sha;
    files.push(file);
  }
  return files;
}

/** Every file of a pull request, or as many as GitHub lists and why that is not all. */
export async function listPullFiles(octokit: ProbotOctokit, cache: EtagCache, owner: string, repo: string, pull: { number: number; changedFiles: number }): Promise<FileList> {
  if (pull.changedFiles > MAX_PULL_FILES) {
    return { files: [], incomplete: `the pull request changes ${pull.changedFiles} files; GitHub lists at most ${MAX_PULL_FILES.toLocaleString("en")}, so reqgate cannot see every change` };
  }
  const files: ChangedFile[] = [];
  // Known count: read exactly the pages it takes. Unknown: read until a page is not full.
  const maxPages = pull.changedFiles > 0 ? Math.ceil(pull.changedFiles / PER_PAGE) : MAX_PULL_FILES / PER_PAGE;
  for (let page = 1; page <= maxPages; page++) {
    const fetched = await conditionalGet(octokit, cache, "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner, repo, pull_number: pull.number, per_page: PER_PAGE, page }, toFiles);
    const batch = fetched?.value ?? [];
    files.push(...batch);
    if (batch.length < PER_PAGE) break;
  }
  if (pull.changedFiles > 0 && files.length < pull.changedFiles) {
    return { files, incomplete: `GitHub listed ${files.length} of the ${pull.changedFiles} changed files` };
  }
  if (files.length >= MAX_PULL_FILES && pull.changedFiles === 0) return { files, incomplete: `the pull request changes ${MAX_PULL_FILES.toLocaleString("en")} files or more` };
  return { files };
}

/** The files that differ between two commits (a push): at most 300, as GitHub's comparison gives them. */
export async function compareFiles(octokit: ProbotOctokit, cache: EtagCache, owner: string, repo: string, before: string, after: string): Promise<FileList> {
  const fetched = await conditionalGet(octokit, cache, "GET /repos/{owner}/{repo}/compare/{basehead}", { owner, repo, basehead: `${before}...${after}`, per_page: 1 }, (data) =>
    toFiles((data as { files?: unknown }).files),
  );
  if (!fetched) return { files: [], incomplete: `GitHub could not compare ${before.slice(0, 7)} with ${after.slice(0, 7)}` };
  const files = fetched.value;
  if (files.length >= MAX_COMPARE_FILES) return { files, incomplete: `the push changes ${MAX_COMPARE_FILES} files or more; GitHub compares at most ${MAX_COMPARE_FILES}` };
  return { files };
}
