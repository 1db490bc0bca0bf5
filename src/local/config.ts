// The CLI's reads of the configuration, through the one loader (engine/config.ts) that the App uses:
// `.github/reqgate.yml` (or `--config FILE`) and the files its `_extends: ./path.yml` names, from the
// working tree or from a git revision. This repository's files only: a remote `_extends` is the loader's
// error (exit 2) that points at `--config FILE`. FILE is given by the user, so it may be outside the
// repository; it is only read (with a bound, special files refused), and the files its local `_extends`
// name are this repository's, from the working tree, whatever revision is judged.
import { realpathSync } from "node:fs";
import { relative } from "node:path";
import type { SourceFile } from "../domain/check/check-repository.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import type { ConfigBlob, ConfigLoad, ConfigScope } from "../domain/config/load.js";
import { MAX_CONFIG_BYTES } from "../domain/core/limits.js";
import { loadConfigChain } from "../engine/config.js";
import { readBounded } from "./bounded-read.js";
import type { CatFileBatch } from "./cat-file.js";
import { readLocalConfig } from "./repo-files.js";
import { isInside, OutsideRepositoryError } from "./safe-paths.js";
import { diagnostic } from "../domain/core/diagnostic.js";

export interface LocalConfigLoad extends ConfigLoad {
  /** The first file of the chain, as read (the report's provenance); absent: no configuration, the defaults. */
  file?: SourceFile;
}

/** The configuration of the working tree: `explicit` (an absolute path, `--config FILE`) or `.github/reqgate.yml`. */
export async function loadWorktreeConfig(root: string, explicit?: string): Promise<LocalConfigLoad> {
  const scope: ConfigScope = { repo: "", where: "in the working tree" };
  const readLocal = (path: string): Promise<ConfigBlob | undefined> => Promise.resolve(blobOf(readLocalConfig(root, path)));
  const file = explicit === undefined ? readLocalConfig(root) : readExplicit(root, explicit);
  const load = await loadConfigChain(scope, file && { repo: "", path: file.path, blob: { text: file.content, truncated: false } }, (ref) => readLocal(ref.path));
  return file ? { ...load, file } : load;
}

/**
 * The configuration at `commit` (its `.github/reqgate.yml` and local `_extends`, read through `batch`;
 * `prefix`: where the repository sits in its git work tree). With `explicit` (`--config FILE`) the
 * working tree's reading instead: the rules the user named apply to every revision.
 */
export async function loadRevisionConfig(root: string, prefix: string, commit: string, revision: string, batch: Pick<CatFileBatch, "read">, explicit?: string): Promise<LocalConfigLoad> {
  if (explicit !== undefined) return loadWorktreeConfig(root, explicit);
  const scope: ConfigScope = { repo: "", where: `at ${revision}` };
  const read = async (path: string): Promise<ConfigBlob | undefined> => {
    const [bytes] = await batch.read([`${commit}:${prefix}${path}`]);
    return bytes === undefined ? undefined : { text: bytes, truncated: false };
  };
  const first = await read(CONFIG_PATH);
  const load = await loadConfigChain(scope, first && { repo: "", path: CONFIG_PATH, blob: first }, (ref) => read(ref.path));
  return first?.text !== undefined ? { ...load, file: { path: CONFIG_PATH, content: first.text } } : load;
}

/** `--config FILE`: named in diagnostics by its repository path when inside the repository, else as given. */
function readExplicit(root: string, absolute: string): SourceFile {
  const rootReal = realpathSync(root);
  let real = absolute;
  try {
    real = realpathSync(absolute);
  } catch {
    // reported by the read below
  }
  const name = isInside(rootReal, real) ? relative(rootReal, real).split("\\").join("/") : absolute;
  let read;
  try {
    read = readBounded(absolute, name, MAX_CONFIG_BYTES, "keep the configuration short; it holds rules, not data");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutsideRepositoryError([diagnostic({ code: "unreadable-file", file: name, message: `--config: the file could not be read${code ? ` (${code})` : ""}`, hint: "give the path of a readable YAML file" })]);
  }
  if (read.kind === "refused") throw new OutsideRepositoryError([read.diagnostic]);
  return { path: name, content: read.content };
}

function blobOf(file: SourceFile | undefined): ConfigBlob | undefined {
  return file && { text: file.content, truncated: false };
}
