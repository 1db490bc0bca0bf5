// `.github/reqgate.yml` from the default branch (SPEC 1.4), with Probot's conventions: when the
// repository has no file, the owner's `.github` repository's copy is used; `_extends: repo`,
// `owner/repo` or `owner/repo:path.yml` names a base file that the extending file overrides.
//
// Unlike Probot's config plugin, an `_extends` that names another owner's repository is refused
// BEFORE anything is fetched (a configuration must not come from outside the organisation), the chain is
// at most MAX_EXTENDS long, YAML is read with the project's safe loader, a missing base file is an
// error rather than silently nothing, and merging replaces arrays instead of concatenating them (a
// repository that lists `prefixes: [SYS]` means SYS, not REQ and SYS). Every problem is a diagnostic;
// nothing here throws on user input.
import type { ProbotOctokit } from "probot";
import { parseConfig, type Config } from "../domain/config/config.js";
import { diagnostic, type Diagnostic } from "../domain/core/diagnostic.js";
import { decodeText, loadYaml, resolvePositions, type YamlValue } from "../domain/requirements/yaml.js";
import { conditionalGet, rawText, type EtagCache } from "./conditional.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import type { ConfigBlob } from "./issue-query.js";

export const MAX_EXTENDS = 3;
const MAX_CONFIG_BYTES = 64 * 1024;
// Probot's pattern for `_extends` values.
const EXTENDS = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

export interface ConfigLoad {
  config?: Config;
  diagnostics: Diagnostic[];
}

export interface ConfigFile {
  /** How diagnostics name the file: `.github/reqgate.yml` or `owner/repo:path`. */
  name: string;
  text: string;
}

type Mapping = { [key: string]: YamlValue };

/** Fetches one configuration file of a repository of the same owner; undefined when it does not exist. */
export type FetchConfigFile = (repo: string, path: string) => Promise<ConfigBlob | undefined>;

/**
 * The configuration of `owner/repo`: its own file if it has one, else the owner's `.github` copy, then
 * the `_extends` chain. No file anywhere gives the defaults.
 */
export async function loadConfig(
  owner: string,
  repo: string,
  files: { repoConfig?: ConfigBlob; ownerConfig?: ConfigBlob },
  fetchFile: FetchConfigFile,
): Promise<ConfigLoad> {
  let current: { blob: ConfigBlob; repo: string; path: string } | undefined;
  if (files.repoConfig) current = { blob: files.repoConfig, repo, path: CONFIG_PATH };
  else if (files.ownerConfig && repo.toLowerCase() !== ".github") current = { blob: files.ownerConfig, repo: ".github", path: CONFIG_PATH };
  if (!current) return parseConfig({});

  const layers: Mapping[] = [];
  const seen = new Set<string>();
  const texts = new Map<string, string>();
  let firstName = "";
  for (let depth = 0; ; depth++) {
    const name = current.repo === repo ? current.path : `${owner}/${current.repo}:${current.path}`;
    if (depth === 0) firstName = name;
    seen.add(`${current.repo.toLowerCase()}:${current.path}`);
    const parsed = parseFile(name, current.blob);
    if (parsed.text !== undefined) texts.set(name, parsed.text);
    if (!parsed.value) return { diagnostics: parsed.diagnostics };
    const { _extends: extendsValue, ...rest } = parsed.value;
    layers.push(rest);
    if (extendsValue === undefined || extendsValue === null) break;

    const target = parseExtends(extendsValue, owner, current.path);
    const fail = (message: string, hint?: string): ConfigLoad => ({
      diagnostics: resolvePositions([diagnostic({ code: "config-invalid", file: name, path: ["_extends"], message: `_extends: ${message}`, ...(hint ? { hint } : {}) })], (f) => texts.get(f)),
    });
    if (typeof target === "string") return fail(target);
    if (target.owner.toLowerCase() !== owner.toLowerCase()) {
      return fail(`"${target.owner}/${target.repo}" belongs to another owner; only repositories of ${owner} can be extended`, `copy the settings, or extend a repository of ${owner}`);
    }
    if (seen.has(`${target.repo.toLowerCase()}:${target.path}`)) return fail(`${target.repo}:${target.path} is already part of this chain (a loop)`);
    if (depth + 1 >= MAX_EXTENDS) return fail(`the chain of _extends is longer than ${MAX_EXTENDS} files`);
    const blob = await fetchFile(target.repo, target.path);
    if (!blob) return fail(`${owner}/${target.repo} has no ${target.path} on its default branch (or reqgate cannot read that repository)`);
    current = { blob, repo: target.repo, path: target.path };
  }

  let merged: Mapping = Object.create(null) as Mapping;
  for (const layer of layers.reverse()) merged = mergeConfig(merged, layer);
  // Schema problems are reported against the first file of the chain (the one the repository uses).
  const result = parseConfig(merged, firstName);
  return { ...result, diagnostics: resolvePositions(result.diagnostics, (f) => texts.get(f)) };
}

function parseFile(name: string, blob: ConfigBlob): { value?: Mapping; text?: string; diagnostics: Diagnostic[] } {
  if (blob.truncated || blob.text === undefined) {
    return { diagnostics: [diagnostic({ code: "config-invalid", file: name, message: "the file is too large or not text", hint: `keep it under ${MAX_CONFIG_BYTES / 1024} KB of YAML` })] };
  }
  const decoded = decodeText(name, blob.text, MAX_CONFIG_BYTES);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  const loaded = loadYaml(name, decoded.text);
  if (loaded.diagnostics.length > 0) return { diagnostics: loaded.diagnostics, text: decoded.text };
  const value = loaded.value ?? null;
  if (value === null) return { value: Object.create(null) as Mapping, text: decoded.text, diagnostics: [] };
  if (typeof value !== "object" || Array.isArray(value)) {
    return { diagnostics: [diagnostic({ code: "config-invalid", file: name, line: 1, column: 1, message: "the configuration must be a mapping of keys" })], text: decoded.text };
  }
  return { value, text: decoded.text, diagnostics: [] };
}

/** `_extends` → the file it names, or a message saying why it is not valid. */
export function parseExtends(value: YamlValue, owner: string, path: string): { owner: string; repo: string; path: string } | string {
  if (typeof value !== "string") return "must be a string: repo, owner/repo or owner/repo:path.yml";
  const match = EXTENDS.exec(value);
  if (!match) return `"${value}" is not of the form repo, owner/repo or owner/repo:path.yml`;
  return { owner: match[1] ?? owner, repo: match[2]!, path: match[3] ?? path };
}

/** `over` on top of `base`: mappings merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig(base: Mapping, over: Mapping): Mapping {
  const out = Object.create(null) as Mapping;
  for (const key of Object.keys(base)) out[key] = base[key]!;
  for (const key of Object.keys(over)) {
    const a = out[key];
    const b = over[key]!;
    out[key] = isMapping(a) && isMapping(b) ? mergeConfig(a, b) : b;
  }
  return out;
}

function isMapping(value: YamlValue | undefined): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
