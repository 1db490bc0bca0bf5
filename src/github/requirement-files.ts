// Draft detection (SPEC 2.1 "draft (not baselined yet)"). Drafts are never in the lock, so when an
// issue names an ID the lock does not list, and only then, the requirement files of the default branch
// are read to tell a draft from an ID that exists nowhere:
//   1. one recursive tree request (conditional: a warm read is a 304) lists the files matching
//      `requirements.paths`;
//   2. files whose path contains a wanted ID are read first (the usual layout is one file per ID);
//      the rest only if some ID is still not found;
//   3. blobs not seen before are fetched through GraphQL, BLOBS_PER_QUERY per request, and the
//      requirements parsed from them are cached by blob SHA (a blob never changes).
// Anything that cannot be listed or read makes the lookup incomplete, never a wrong "unknown".
import type { ProbotOctokit } from "probot";
import type { Config } from "../domain/config/config.js";
import { classifier, type PathClassifier } from "../domain/config/paths.js";
import type { RequirementLookup } from "../domain/issues/evaluate-issue.js";
import { parseRequirementFile } from "../domain/requirements/parse-requirements.js";
import type { Status } from "../domain/requirements/requirement.js";
import { conditionalGet, type EtagCache } from "./conditional.js";
import { Lru } from "./lru.js";

export const BLOBS_PER_QUERY = 50;
/** At most this many files are read for one lookup; past it the lookup is incomplete. */
export const MAX_FILES_READ = 3000;

export interface TreeFile {
  path: string;
  sha: string;
  size: number;
}

interface Tree {
  files: TreeFile[];
  truncated: boolean;
}

export interface FoundRequirement {
  id: string;
  status: Status;
  supersededBy?: string;
  /** For the dashboard (descendants, split work). */
  parents?: string[];
  owner?: string;
}

/** Parsed requirement files by `sha prefixes`: the requirements a blob defines (undefined: unreadable). */
export type BlobCache = Lru<string, FoundRequirement[] | null>;

export function createBlobCache(maxEntries = 50_000): BlobCache {
  return new Lru<string, FoundRequirement[] | null>(maxEntries);
}

export interface LookupTarget {
  owner: string;
  repo: string;
  defaultBranch: string;
}

export async function lookupRequirements(
  octokit: ProbotOctokit,
  caches: { trees: EtagCache; blobs: BlobCache },
  target: LookupTarget,
  config: Config,
  ids: readonly string[],
): Promise<RequirementLookup> {
  const found = new Map<string, { status: Status; file: string; supersededBy?: string }>();
  // The cached value is the list of requirement files (not the whole tree, which can hold 100,000
  // entries): it depends on the configured paths, which therefore are part of the cache key.
  const { paths, changes } = config.requirements;
  const tree = await conditionalGet(
    octokit,
    caches.trees,
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    { owner: target.owner, repo: target.repo, tree_sha: target.defaultBranch, recursive: "1" },
    (data) => requirementFiles(data, classifier(config)),
    JSON.stringify([paths, changes]),
  );
  if (!tree) return { found, complete: false };

  const maxBytes = config.requirements.max_file_kb * 1024;
  const candidates = tree.value.files;
  let complete = !tree.value.truncated;
  const wanted = new Set(ids);
  const byName = candidates.filter((f) => ids.some((id) => f.path.toUpperCase().includes(id)));
  const named = new Set(byName);
  const rest = candidates.filter((f) => !named.has(f));
  let budget = MAX_FILES_READ;

  for (const group of [byName, rest]) {
    if (wanted.size === 0) break;
    const readable = group.filter((f) => f.size <= maxBytes);
    if (readable.length < group.length) complete = false;
    const batch = readable.slice(0, budget);
    if (batch.length < readable.length) complete = false;
    budget -= batch.length;
    const read = await requirementsOfBlobs(octokit, caches.blobs, target, config, batch);
    for (const f of batch) {
      const requirements = read.get(f.sha);
      if (requirements === null || requirements === undefined) {
        complete = false;
        continue;
      }
      for (const r of requirements) {
        if (!wanted.has(r.id)) continue;
        wanted.delete(r.id);
        const entry: { status: Status; file: string; supersededBy?: string } = { status: r.status, file: f.path };
        if (r.supersededBy !== undefined) entry.supersededBy = r.supersededBy;
        found.set(r.id, entry);
      }
    }
  }
  return { found, complete: complete || wanted.size === 0 };
}

function summary(r: { id: string; status: Status; supersededBy?: string; parents?: readonly string[]; owner?: string }): FoundRequirement {
  return {
    id: r.id,
    status: r.status,
    ...(r.supersededBy !== undefined ? { supersededBy: r.supersededBy } : {}),
    ...(r.parents && r.parents.length > 0 ? { parents: [...r.parents] } : {}),
    ...(r.owner !== undefined ? { owner: r.owner } : {}),
  };
}

/**
 * The requirements of these files (from the cache, or read and parsed: BLOBS_PER_QUERY a request), by
 * blob SHA; null for a file that could not be read as text or parsed, or is over `max_file_kb`.
 */
export async function requirementsOfBlobs(octokit: ProbotOctokit, blobs: BlobCache, target: Pick<LookupTarget, "owner" | "repo">, config: Config, files: readonly TreeFile[]): Promise<Map<string, FoundRequirement[] | null>> {
  const missing = unreadRequirementFiles(blobs, config, files);
  cacheRequirementTexts(blobs, config, missing, await fetchBlobs(octokit, target, missing));
  return cachedRequirements(blobs, config, files);
}

/** The files whose requirements are not cached yet (those over `max_file_kb` are never read). */
export function unreadRequirementFiles(blobs: BlobCache, config: Config, files: readonly TreeFile[]): TreeFile[] {
  const maxBytes = config.requirements.max_file_kb * 1024;
  return files.filter((f) => f.size <= maxBytes && blobs.get(blobKey(f.sha, config)) === undefined);
}

/** Parses and caches the requirements of these files from texts fetched by SHA (a file without a text: unreadable). */
export function cacheRequirementTexts(blobs: BlobCache, config: Config, files: readonly TreeFile[], texts: ReadonlyMap<string, string>): void {
  const prefixes = new Set(config.requirements.prefixes);
  const maxBytes = config.requirements.max_file_kb * 1024;
  for (const f of files) {
    const text = texts.get(f.sha);
    blobs.set(blobKey(f.sha, config), text === undefined ? null : parseRequirementFile(f.path, text, { prefixes, maxBytes }).requirements.map(summary));
  }
}

/** The cached requirements of these files, by blob SHA (null: unreadable, over `max_file_kb`, or not read). */
export function cachedRequirements(blobs: BlobCache, config: Config, files: readonly TreeFile[]): Map<string, FoundRequirement[] | null> {
  const maxBytes = config.requirements.max_file_kb * 1024;
  return new Map(files.map((f) => [f.sha, f.size <= maxBytes ? (blobs.get(blobKey(f.sha, config)) ?? null) : null]));
}

/** The cache key of what a blob says: its SHA and the configured prefixes (the parse depends on them). */
export function blobKey(sha: string, config: Config): string {
  return `${sha} ${[...new Set(config.requirements.prefixes)].sort().join(",")}`;
}

/** The requirement files of a recursive tree, as the CLI classifies them (domain/config/paths.ts). */
function requirementFiles(data: unknown, classify: PathClassifier): Tree {
  const d = data as { tree?: Array<{ path?: unknown; type?: unknown; sha?: unknown; size?: unknown }>; truncated?: unknown };
  const files: TreeFile[] = [];
  for (const e of d.tree ?? []) {
    if (e.type !== "blob" || typeof e.path !== "string" || typeof e.sha !== "string") continue;
    const path = e.path;
    if (!classify.isRequirement(path)) continue;
    files.push({ path, sha: e.sha, size: typeof e.size === "number" ? e.size : 0 });
  }
  return { files, truncated: d.truncated === true };
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** Blob texts by SHA through GraphQL, many per request. Binary, truncated or unreadable blobs are left out. */
export async function fetchBlobs(octokit: ProbotOctokit, target: Pick<LookupTarget, "owner" | "repo">, files: readonly TreeFile[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const shas = [...new Set(files.map((f) => f.sha))].filter((sha) => SHA.test(sha));
  for (let i = 0; i < shas.length; i += BLOBS_PER_QUERY) {
    const chunk = shas.slice(i, i + BLOBS_PER_QUERY);
    // SHAs are checked to be hex above, so they can be written into the query as literals.
    const fields = chunk.map((sha, j) => `b${j}: object(oid: "${sha}") { ... on Blob { text isBinary isTruncated } }`).join("\n");
    const query = `query reqgateBlobs($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { ${fields} } }`;
    const data = await octokit.graphql<{ repository: Record<string, { text?: string | null; isBinary?: boolean; isTruncated?: boolean } | null> | null }>(query, {
      owner: target.owner,
      repo: target.repo,
    });
    chunk.forEach((sha, j) => {
      const blob = data.repository?.[`b${j}`];
      if (blob && typeof blob.text === "string" && !blob.isBinary && !blob.isTruncated) texts.set(sha, blob.text);
    });
  }
  return texts;
}
