// What the dashboard needs beyond the lock and the issue list (SPEC 2.6): the `parents` and `owner` of
// requirements (at risk counts coverage through a descendant; split work names the owner) and the
// `@verifies` evidence (split work's roll-up, done without evidence). Read from the default branch with a
// bound per update, whatever the repository's size:
//   1. one recursive tree request of the default branch (conditional: a 304 while it does not change);
//   2. the requirement files of the requirements issues reference, then of their parents, and so up the
//      tree, and the evidence files under `verification.paths`: only blobs not seen before, through
//      GraphQL (BLOBS_PER_QUERY a request; evidence files fill the room a level of requirement files
//      leaves in its last request), at most as many requests as the update's budget leaves (the
//      caller's `blobQueries`). What a blob says is cached by its SHA (a blob never changes), so a steady
//      update reads nothing but the tree.
// Past the bound the rest is read in the next updates, and the dashboard says what it has not read yet.
import type { ProbotOctokit } from "probot";
import type { LockEntry } from "../domain/baseline/baseline.js";
import type { Config } from "../domain/config/config.js";
import { classifier } from "../domain/config/paths.js";
import { MAX_EVIDENCE_BYTES } from "../domain/core/limits.js";
import type { EvidenceFacts, RequirementFacts } from "../domain/dashboard/dashboard.js";
import { scanEvidence } from "../domain/requirements/evidence.js";
import type { SharedState } from "../app/shared-state.js";
import { conditionalGet } from "./conditional.js";
import { MAX_EVIDENCE_FILES } from "./evidence-files.js";
import { Lru } from "./lru.js";
import { blobKey, BLOBS_PER_QUERY, cachedRequirements, cacheRequirementTexts, fetchBlobs, unreadRequirementFiles, type TreeFile } from "./requirement-files.js";

export interface DashboardFacts {
  facts: RequirementFacts;
  evidence: EvidenceFacts;
  incomplete: string[];
  requests: number;
  /** Files were left for the next updates (past this update's budget). */
  more: boolean;
}

interface Listed {
  requirements: Map<string, TreeFile>;
  evidence: TreeFile[];
  truncated: boolean;
}

/** The IDs `@verifies` lines of an evidence blob name, by `sha prefixes` (null: not text). */
let verifiesCache = new Lru<string, string[] | null>(20_000);

export async function readDashboardFacts(
  octokit: ProbotOctokit,
  shared: Pick<SharedState, "trees" | "blobs">,
  target: { owner: string; repo: string; defaultBranch: string },
  config: Config,
  entries: readonly LockEntry[],
  referenced: ReadonlySet<string>,
  /** GraphQL blob requests this update may make (after the tree's). */
  blobQueries: number,
): Promise<DashboardFacts> {
  let requests = 1;
  const roles = classifier(config);
  const tree = await conditionalGet(
    octokit,
    shared.trees,
    "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
    { owner: target.owner, repo: target.repo, tree_sha: target.defaultBranch, recursive: "1" },
    (data) => listFiles(data, (path) => roles.isRequirement(path), (path) => roles.isVerification(path)),
    `dashboard ${JSON.stringify([config.requirements.paths, config.requirements.changes, config.verification.paths])}`,
  );
  if (!tree) return { facts: { byId: new Map(), complete: false }, evidence: { unreadable: "GitHub has no file tree for the default branch" }, incomplete: ["the default branch's file tree could not be read: owners and coverage through descendants are not shown"], requests, more: false };
  const incomplete: string[] = [];
  if (tree.value.truncated) incomplete.push("GitHub truncated the default branch's file tree: some requirement and evidence files are not read");
  let queries = Math.max(0, blobQueries);

  // Evidence: every file under verification.paths, as `reqgate check` and the baseline check read them.
  const evidenceFiles = tree.value.evidence.filter((f) => f.size <= MAX_EVIDENCE_BYTES);
  const evidenceReadable = !tree.value.truncated && evidenceFiles.length <= MAX_EVIDENCE_FILES;
  const evidenceKey = (f: TreeFile) => blobKey(f.sha, config);
  const evidenceFresh = evidenceReadable ? [...new Map(evidenceFiles.filter((f) => verifiesCache.get(evidenceKey(f)) === undefined).map((f) => [f.sha, f])).values()] : [];
  const prefixes = new Set(config.requirements.prefixes);
  /** One round of blob requests: requirement files and evidence files together, each cached by what it says. */
  async function fetchRound(requirementFiles: readonly TreeFile[], evidence: readonly TreeFile[]): Promise<void> {
    const texts = await fetchBlobs(octokit, target, [...requirementFiles, ...evidence]);
    cacheRequirementTexts(shared.blobs, config, requirementFiles, texts);
    for (const f of evidence) {
      const text = texts.get(f.sha);
      verifiesCache.set(evidenceKey(f), text === undefined ? null : [...new Set(scanEvidence(f.path, text, prefixes).map((r) => r.id))]);
    }
  }

  // Requirement files, from the referenced requirements up through their parents.
  const pathOf = new Map(entries.map((e) => [e.id, e.path]));
  const byId = new Map<string, { parents: string[]; owner?: string }>();
  const visited = new Set<string>();
  let frontier = [...referenced].filter((id) => pathOf.has(id));
  let unread = 0;
  while (frontier.length > 0) {
    for (const id of frontier) visited.add(id);
    const files = [...new Set(frontier.map((id) => pathOf.get(id)!))].flatMap((path) => {
      const file = tree.value.requirements.get(path);
      return file ? [file] : [];
    });
    const fresh = unreadRequirementFiles(shared.blobs, config, files);
    const shas = [...new Set(fresh.map((f) => f.sha))].slice(0, queries * BLOBS_PER_QUERY);
    const allowed = new Set(shas);
    const now = fresh.filter((f) => allowed.has(f.sha));
    unread += fresh.length - now.length;
    const round = Math.ceil(shas.length / BLOBS_PER_QUERY);
    // The room left in this round's last request carries evidence files.
    const fill = round > 0 ? evidenceFresh.splice(0, round * BLOBS_PER_QUERY - shas.length) : [];
    if (round > 0) await fetchRound(now, fill);
    queries -= round;
    requests += round;
    const next: string[] = [];
    for (const requirements of cachedRequirements(shared.blobs, config, files).values()) {
      for (const r of requirements ?? []) {
        if (byId.has(r.id)) continue;
        byId.set(r.id, { parents: r.parents ?? [], ...(r.owner !== undefined ? { owner: r.owner } : {}) });
        for (const parent of r.parents ?? []) if (!visited.has(parent) && pathOf.has(parent)) next.push(parent);
      }
    }
    frontier = [...new Set(next)];
  }
  if (unread > 0) incomplete.push(`requirement files not read yet: ${unread} (a bounded number an update; the next updates read the rest): owners are shown for the files read`);

  const evidenceNow = evidenceFresh.splice(0, queries * BLOBS_PER_QUERY);
  const round = Math.ceil(evidenceNow.length / BLOBS_PER_QUERY);
  if (round > 0) await fetchRound([], evidenceNow);
  requests += round;
  let evidence: EvidenceFacts;
  if (tree.value.truncated) evidence = { unreadable: "GitHub truncated the default branch's file tree" };
  else if (!evidenceReadable) evidence = { unreadable: `${evidenceFiles.length} files under verification.paths, over the App's limit of ${MAX_EVIDENCE_FILES}` };
  else if (evidenceFresh.length > 0) evidence = { unreadable: `${evidenceFresh.length} of ${evidenceFiles.length} evidence files are not read yet (the next updates read them)` };
  else {
    const verified = new Set<string>();
    let notText = 0;
    for (const f of evidenceFiles) {
      const ids = verifiesCache.get(evidenceKey(f));
      if (ids === null || ids === undefined) notText++;
      for (const id of ids ?? []) verified.add(id);
    }
    if (notText > 0) incomplete.push(`${notText} files under verification.paths are not text GitHub serves (binary or large): \`@verifies\` lines in them are not counted`);
    evidence = { verified };
  }
  return { facts: { byId, complete: unread === 0 && !tree.value.truncated }, evidence, incomplete, requests, more: unread > 0 || evidenceFresh.length > 0 };
}

function listFiles(data: unknown, isRequirement: (path: string) => boolean, isVerification: (path: string) => boolean): Listed {
  const d = data as { tree?: Array<{ path?: unknown; type?: unknown; sha?: unknown; size?: unknown }>; truncated?: unknown };
  const listed: Listed = { requirements: new Map(), evidence: [], truncated: d.truncated === true };
  for (const e of d.tree ?? []) {
    if (e.type !== "blob" || typeof e.path !== "string" || typeof e.sha !== "string") continue;
    const file = { path: e.path, sha: e.sha, size: typeof e.size === "number" ? e.size : 0 };
    if (isRequirement(e.path)) listed.requirements.set(e.path, file);
    else if (isVerification(e.path)) listed.evidence.push(file);
  }
  return listed;
}

/** Forgets what evidence blobs said (tests start each from nothing). */
export function resetDashboardFacts(): void {
  verifiesCache = new Lru<string, string[] | null>(20_000);
}
