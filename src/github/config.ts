// `.github/reqgate.yml` from the default branch (SPEC 1.4), with Probot's conventions: when the
// repository has no file, the owner's `.github` repository's copy is used; `_extends` names a base
// file that the extending file overrides. The chain, its bounds and the merge are the one loader's
// (domain/config/load.ts through engine/config.ts), which the CLI uses too; this file only reads files:
// another repository of the same owner for `_extends: repo[:path]`, the same repository for
// `_extends: ./path.yml`, always on the default branch.
import type { ProbotOctokit } from "probot";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import type { ConfigLoad } from "../domain/config/load.js";
import { loadConfigChain } from "../engine/config.js";
import { conditionalGet, rawText, type EtagCache } from "./conditional.js";
import type { ConfigBlob } from "./issue-query.js";

export type { ConfigLoad } from "../domain/config/load.js";

/** Fetches one configuration file of a repository of the same owner; undefined when it does not exist. */
export type FetchConfigFile = (repo: string, path: string) => Promise<ConfigBlob | undefined>;

/**
 * The configuration of `owner/repo`: its own file if it has one, else the owner's `.github` copy, then
 * the `_extends` chain. No file anywhere gives the defaults.
 */
export function loadConfig(
  owner: string,
  repo: string,
  files: { repoConfig?: ConfigBlob; ownerConfig?: ConfigBlob },
  fetchFile: FetchConfigFile,
): Promise<ConfigLoad> {
  const own = files.repoConfig ? { repo, path: CONFIG_PATH, blob: files.repoConfig } : undefined;
  const owners = files.ownerConfig && repo.toLowerCase() !== ".github" ? { repo: ".github", path: CONFIG_PATH, blob: files.ownerConfig } : undefined;
  return loadConfigChain({ owner, repo, where: "on its default branch" }, own ?? owners, (ref) => fetchFile(ref.repo, ref.path));
}

/** Fetches a configuration file of `owner`'s repositories with a conditional request (raw content). */
export function configFileFetcher(octokit: ProbotOctokit, cache: EtagCache, owner: string): FetchConfigFile {
  return async (repo, path) => {
    const fetched = await conditionalGet(octokit, cache, "GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, mediaType: { format: "raw" } }, rawText);
    if (!fetched) return undefined;
    const text = fetched.value;
    return text === undefined ? { truncated: true } : { text, truncated: false };
  };
}
