// Which of the repository's own files a path is, by the configuration: the files a write must never
// replace by accident (`report --output`, `diff --output`, `import`'s targets). Links are resolved
// first, so that a link to the lock or a folder link into requirements/ is seen for what it is.
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import type { Config } from "../domain/config/config.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { classifier } from "../domain/config/paths.js";
import { isInside } from "./safe-paths.js";

export interface ConfiguredFile {
  /** Repository-relative, forward slashes, after resolving links. */
  path: string;
  /** What the file is, for a message: "the baseline lock (requirements.lock)". */
  role: string;
  /** Only a requirement file may be replaced on purpose (`import --force`). */
  kind: "config" | "lock" | "change" | "requirement" | "verification" | "results" | "implementation";
}

/**
 * What the configuration makes of `abs` (absolute), or undefined when nothing or when it is outside the
 * repository. `configFile`: `--config FILE` (absolute), protected as well as `.github/reqgate.yml`.
 */
export function configuredFile(root: string, abs: string, config: Config, configFile?: string): ConfiguredFile | undefined {
  return configuredFiles(root, config, configFile)(abs);
}

/** configuredFile for many paths (an import's targets): the globs compiled and the root resolved once. */
export function configuredFiles(root: string, config: Config, configFile?: string): (abs: string) => ConfiguredFile | undefined {
  const rootReal = realpathSync(root);
  const paths = classifier(config);
  const configReal = configFile === undefined ? undefined : realPath(configFile);
  return (abs) => {
    const real = realPath(abs);
    if (real === configReal) return { path: shownPath(rootReal, real), role: "the configuration file (--config)", kind: "config" };
    if (!isInside(rootReal, real) || real === rootReal) return undefined;
    const path = relative(rootReal, real).split(sep).join("/");
    if (path === CONFIG_PATH) return { path, role: `the configuration file (${CONFIG_PATH})`, kind: "config" };
    if (path === paths.lockPath) return { path, role: "the baseline lock (requirements.lock)", kind: "lock" };
    if (path.startsWith(`${paths.changesDir}/`)) return { path, role: "in the change-record folder (requirements.changes)", kind: "change" };
    if (paths.isRequirement(path)) return { path, role: "a requirement file (requirements.paths)", kind: "requirement" };
    if (paths.isVerification(path)) return { path, role: "a verification file (verification.paths)", kind: "verification" };
    if (paths.isResult(path)) return { path, role: "a test-result file (verification.results)", kind: "results" };
    if (paths.isImplementation(path)) return { path, role: "a source file (verification.implementation_paths)", kind: "implementation" };
    return undefined;
  };
}

/** The real path of `abs`: of the file when it exists (links followed), else of its nearest existing folder. */
function realPath(abs: string): string {
  if (existsSync(abs)) return realpathSync(abs);
  let folder = dirname(abs);
  const rest = [basename(abs)];
  while (!existsSync(folder) && dirname(folder) !== folder) {
    rest.unshift(basename(folder));
    folder = dirname(folder);
  }
  return join(realpathSync(folder), ...rest);
}

function shownPath(rootReal: string, real: string): string {
  return isInside(rootReal, real) ? relative(rootReal, real).split(sep).join("/") : real;
}
