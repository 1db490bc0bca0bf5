// The one configuration loader of every edge (SPEC 1.4): the App, the CLI and the Action read
// `.github/reqgate.yml` and its `_extends` chain through this, and merge it with one function, so a
// configuration means the same thing wherever it is read. Pure: the files of the chain are asked for
// through a generator (`configChain` yields the file it needs next and is resumed with its content);
// engine/config.ts drives it over a `ReadConfigFile` port.
//
// `_extends` takes Probot's forms, `repo`, `owner/repo` and `owner/repo:path.yml` (a repository of the
// same owner, read on its default branch), and a local form, `./path/to/file.yml`: a file of the same
// repository, at the same revision, named from the repository root (never `..`). A leading `./` cannot
// begin a repository name, so the two never overlap. Unlike Probot's config plugin, another owner's
// repository is refused BEFORE anything is read, where no other repository can be read (the CLI) a
// remote `_extends` is an error that says what to do (never the defaults in its place), the chain is at
// most MAX_EXTENDS files, a missing file is an error rather than silently nothing, and merging replaces
// arrays instead of concatenating them (a repository that lists `prefixes: [SYS]` means SYS, not REQ and
// SYS). Every problem is a diagnostic naming the file; nothing here throws on user input.
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { MAX_CONFIG_BYTES } from "../core/limits.js";
import { decodeText, loadYaml, resolvePositions, type YamlValue } from "../requirements/yaml.js";
import { CONFIG_PATH } from "./config-path.js";
import { parseConfig, type Config } from "./config.js";

/** Files in one chain, the first one included. */
export const MAX_EXTENDS = 3;
// Probot's pattern for `_extends` values that name a repository.
const REMOTE = /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;
// A file of the same repository: `./` and a repository-relative path to a YAML file.
const LOCAL = /^\.\/((?:[-_.\w\d]+\/)*[-_.\w\d]+\.ya?ml)$/i;

export interface ConfigLoad {
  config?: Config;
  diagnostics: Diagnostic[];
}

/** A configuration file's content as a Source has it; `truncated` (or no content): too large or not text. */
export interface ConfigBlob {
  text?: string | Uint8Array;
  truncated: boolean;
}

/** A configuration file: `repo` is a repository of the scope's owner, the scope's own `repo` for this one. */
export interface ConfigRef {
  repo: string;
  path: string;
}

export interface ConfigScope {
  /** The owner whose repositories `_extends` may name; absent where no other repository can be read (the CLI). */
  owner?: string;
  /** The repository configured (its name; "" on the CLI, which knows only "this repository"). */
  repo: string;
  /** Where this repository's files are read, for messages: "on its default branch", "in the working tree", "at main". */
  where: string;
}

/** The first file of a chain. */
export interface ConfigStart extends ConfigRef {
  blob: ConfigBlob;
}

export type ExtendsTarget = { kind: "local"; path: string } | { kind: "remote"; owner: string; repo: string; path: string };

type Mapping = { [key: string]: YamlValue };

/**
 * The configuration from `first` and its `_extends` chain: yields each further file it needs, and is
 * resumed with its content (undefined: no such file). No first file: call `parseConfig({})` instead.
 */
export function* configChain(scope: ConfigScope, first: ConfigStart): Generator<ConfigRef, ConfigLoad, ConfigBlob | undefined> {
  const layers: Mapping[] = [];
  const seen = new Set<string>();
  const texts = new Map<string, string>();
  let firstName = "";
  let current: ConfigRef & { blob: ConfigBlob } = first;
  for (let depth = 0; ; depth++) {
    const name = nameOf(scope, current);
    if (depth === 0) firstName = name;
    seen.add(keyOf(current));
    const parsed = parseFile(name, current.blob);
    if (parsed.text !== undefined) texts.set(name, parsed.text);
    if (!parsed.value) return { diagnostics: parsed.diagnostics };
    const { _extends: extendsValue, ...rest } = parsed.value;
    layers.push(rest);
    if (extendsValue === undefined || extendsValue === null) break;

    const fail = (message: string, hint?: string): ConfigLoad => ({
      diagnostics: resolvePositions([diagnostic({ code: "config-invalid", file: name, path: ["_extends"], message: `_extends: ${message}`, ...(hint ? { hint } : {}) })], (f) => texts.get(f)),
    });
    const target = parseExtends(extendsValue, scope.owner ?? "");
    if (typeof target === "string") return fail(target);
    let next: ConfigRef;
    if (target.kind === "local") {
      next = { repo: current.repo, path: target.path };
    } else if (scope.owner === undefined) {
      return fail(
        `${JSON.stringify(extendsValue)} names another repository, and the command line reads only this one`,
        `pass the configuration to use with --config FILE, or extend a file of this repository: _extends: ./path/to/file.yml`,
      );
    } else if (target.owner.toLowerCase() !== scope.owner.toLowerCase()) {
      return fail(`"${target.owner}/${target.repo}" belongs to another owner; only repositories of ${scope.owner} can be extended`, `copy the settings, or extend a repository of ${scope.owner}`);
    } else {
      next = { repo: target.repo, path: target.path };
    }
    const display = next.repo === current.repo ? `./${next.path}` : `${next.repo}:${next.path}`;
    if (seen.has(keyOf(next))) return fail(`${display} is already part of this chain (a loop)`, "remove one of the _extends");
    if (depth + 1 >= MAX_EXTENDS) return fail(`the chain of _extends is longer than ${MAX_EXTENDS} files`, "merge some of the files of the chain");
    const blob = yield next;
    if (!blob) {
      return fail(next.repo.toLowerCase() === scope.repo.toLowerCase()
        ? `${next.path} does not exist ${scope.where}`
        : `${scope.owner}/${next.repo} has no ${next.path} on its default branch (or reqgate cannot read that repository)`);
    }
    current = { ...next, blob };
  }

  let merged: Mapping = Object.create(null) as Mapping;
  for (const layer of layers.reverse()) merged = mergeConfig(merged, layer);
  // Schema problems are reported against the first file of the chain (the one the repository uses).
  const result = parseConfig(merged, firstName);
  return { ...result, diagnostics: resolvePositions(result.diagnostics, (f) => texts.get(f)) };
}

/** How diagnostics name a file: its path in this repository, `owner/repo:path` in another. */
function nameOf(scope: ConfigScope, ref: ConfigRef): string {
  return ref.repo.toLowerCase() === scope.repo.toLowerCase() ? ref.path : `${scope.owner ?? ""}/${ref.repo}:${ref.path}`;
}

function keyOf(ref: ConfigRef): string {
  return `${ref.repo.toLowerCase()}:${ref.path}`;
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

/** `_extends` → the file it names (a remote one's path defaults to CONFIG_PATH), or a message saying why it is not valid. */
export function parseExtends(value: YamlValue, owner: string): ExtendsTarget | string {
  const forms = "repo, owner/repo, owner/repo:path.yml, or ./path/in/this/repository.yml";
  if (typeof value !== "string") return `must be a string: ${forms}`;
  if (value.startsWith("./")) {
    const local = LOCAL.exec(value);
    if (!local || local[1]!.split("/").some((part) => part === "." || part === "..")) {
      return `"${value}" is not a YAML file of this repository: give ./path/to/file.yml, from the repository root, without . or .. parts`;
    }
    return { kind: "local", path: local[1]! };
  }
  const match = REMOTE.exec(value);
  if (!match) return `"${value}" is not of the form ${forms}`;
  return { kind: "remote", owner: match[1] ?? owner, repo: match[2]!, path: match[3] ?? CONFIG_PATH };
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
