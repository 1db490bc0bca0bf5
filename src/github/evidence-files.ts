// The evidence files of a pull request's head for `verification.required` (SPEC 1.4), read with a bound
// whatever the repository's size, and only when a changed requirement demands evidence:
//   1. one recursive tree request of the head commit (conditional: a re-evaluation of the same head is
//      a 304), keeping the blobs under `verification.paths`;
//   2. their contents by blob SHA, OBJECTS_PER_QUERY per GraphQL query, cached by blob SHA (file-reads.ts).
// Past MAX_EVIDENCE_FILES files or MAX_EVIDENCE_LISTED_BYTES bytes, or when GitHub truncates the tree,
// nothing is read and the answer says why: the check fails closed rather than call evidence missing.
import type { ProbotOctokit } from "probot";
import type { Config } from "../domain/config/config.js";
import { classifier } from "../domain/config/paths.js";
import { MAX_EVIDENCE_BYTES } from "../domain/core/limits.js";
import type { EvidenceFile, EvidenceRead } from "../domain/verification/required-evidence.js";
import { conditionalGet, type EtagCache } from "./conditional.js";
import { readObjects, type ContentCache, type RepoRef } from "./file-reads.js";

/** 500 files: 5 GraphQL queries when nothing is cached. */
export const MAX_EVIDENCE_FILES = 500;
/** The listed files' sizes together (files over MAX_EVIDENCE_BYTES are not read and do not count). */
export const MAX_EVIDENCE_LISTED_BYTES = 32 * 1024 * 1024;

interface Listed {
  files: Array<{ path: string; sha: string; size: number }>;
  truncated: boolean;
}

export async function readEvidenceFiles(octokit: ProbotOctokit, caches: { etags: EtagCache; contents: ContentCache }, target: RepoRef, commit: string, config: Config): Promise<EvidenceRead> {
  const roles = classifier(config);
  const tree = await conditionalGet(
    octokit,
    caches.etags,
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    { owner: target.owner, repo: target.repo, tree_sha: commit, recursive: "1" },
    (data) => evidenceBlobs(data, (path) => roles.isVerification(path)),
    JSON.stringify(config.verification.paths),
  );
  if (!tree) return { unreadable: `GitHub has no tree for the head commit ${commit.slice(0, 7)}` };
  const { files, truncated } = tree.value;
  if (truncated) return { unreadable: "GitHub truncated the head's file tree (too many files to list)" };
  if (files.length > MAX_EVIDENCE_FILES) return { unreadable: `${files.length} files under verification.paths, over the App's limit of ${MAX_EVIDENCE_FILES}` };
  const listed = files.reduce((n, f) => n + (f.size <= MAX_EVIDENCE_BYTES ? f.size : 0), 0);
  if (listed > MAX_EVIDENCE_LISTED_BYTES) return { unreadable: `the files under verification.paths hold ${Math.ceil(listed / 1024 / 1024)} MB, over the App's limit of ${MAX_EVIDENCE_LISTED_BYTES / 1024 / 1024} MB` };

  const contents = await readObjects(octokit, caches.contents, target, files.map((f) => ({ key: f.path, oid: f.sha, maxBytes: MAX_EVIDENCE_BYTES })));
  const out: EvidenceFile[] = [];
  for (const f of files) {
    const got = contents.get(f.path);
    if (!got || got.kind === "unreadable") return { unreadable: got?.kind === "unreadable" ? got.reason : `could not read ${f.path}` };
    if (got.kind === "file") out.push({ path: f.path, content: got.content });
  }
  return { files: out };
}

/** The blobs of a recursive tree that `verification.paths` selects, sorted by path (the CLI's order). */
function evidenceBlobs(data: unknown, isVerification: (path: string) => boolean): Listed {
  const d = data as { tree?: Array<{ path?: unknown; type?: unknown; sha?: unknown; size?: unknown }>; truncated?: unknown };
  const files: Listed["files"] = [];
  for (const e of d.tree ?? []) {
    if (e.type !== "blob" || typeof e.path !== "string" || typeof e.sha !== "string" || !isVerification(e.path)) continue;
    files.push({ path: e.path, sha: e.sha, size: typeof e.size === "number" ? e.size : 0 });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, truncated: d.truncated === true };
}
