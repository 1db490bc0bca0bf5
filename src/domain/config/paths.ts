// Which files of a repository the engine reads, by category, from the configuration alone. Pure, and
// shared by every Source: the working tree and git (CLI), and the App's tree and file-list reads, so
// that a path means the same everywhere (minimatch with dot: false).
import { Minimatch } from "minimatch";
import type { Config } from "./config.js";
import { cmp } from "../core/diagnostic.js";

/** Which categories a repository-relative path belongs to. Shared by the working-tree and git Sources. */
export interface PathClassifier {
  /** Directories (or files) to list: the static prefixes of all globs, "" meaning the whole tree. */
  roots: string[];
  isRequirement(path: string): boolean;
  isChange(path: string): boolean;
  isVerification(path: string): boolean;
  /** Source code searched for `@implements` (verification.implementation_paths). */
  isImplementation(path: string): boolean;
  /** JUnit XML test results (verification.results). */
  isResult(path: string): boolean;
  lockPath: string;
  changesDir: string;
}

export function classifier(config: Config): PathClassifier {
  const changesDir = normalizeDir(config.requirements.changes);
  const lockPath = normalizeDir(config.requirements.lock);
  const requirementGlobs = compileGlobs(config.requirements.paths);
  const verificationGlobs = compileGlobs(config.verification.paths);
  const implementationGlobs = compileGlobs(config.verification.implementation_paths);
  const resultGlobs = compileGlobs(config.verification.results);
  const changePrefix = changesDir === "" ? "" : `${changesDir}/`;
  const roots = minimalRoots([
    ...requirementGlobs.roots,
    ...verificationGlobs.roots,
    ...implementationGlobs.roots,
    ...resultGlobs.roots,
    changesDir,
    lockPath,
  ]);
  return {
    roots,
    changesDir,
    lockPath,
    isRequirement: (path) => path !== lockPath && !path.startsWith(changePrefix) && requirementGlobs.matches(path),
    isChange: (path) => {
      if (!path.startsWith(changePrefix)) return false;
      const name = path.slice(changePrefix.length);
      return !name.includes("/") && (name.endsWith(".yml") || name.endsWith(".yaml"));
    },
    isVerification: (path) => verificationGlobs.matches(path),
    isImplementation: (path) => implementationGlobs.matches(path),
    isResult: (path) => resultGlobs.matches(path),
  };
}

interface CompiledGlobs {
  roots: string[];
  matches(path: string): boolean;
}

/** Globs compiled once. A leading `!` excludes, as in .gitignore. */
function compileGlobs(globs: readonly string[]): CompiledGlobs {
  const include: Array<{ match: (path: string) => boolean; prefixes: string[] }> = [];
  const exclude: Minimatch[] = [];
  for (const glob of globs) {
    const mm = new Minimatch(glob.replace(/^\.\//, ""), { dot: false });
    if (mm.negate) {
      exclude.push(new Minimatch(glob.slice(1).replace(/^\.\//, ""), { dot: false }));
      continue;
    }
    const fast = simpleGlob(glob.replace(/^\.\//, ""));
    include.push({ match: fast ?? ((path) => mm.match(path)), prefixes: staticPrefixes(mm) });
  }
  // The prefix test is a cheap reject before minimatch, which costs ~1 µs per path and glob. Plain loops
  // over prefixes with their slash appended once: this runs for every listed path and glob.
  const tests = include.map((g) => ({ match: g.match, prefixes: g.prefixes, dirs: g.prefixes.map((p) => `${p}/`) }));
  const under = (path: string, prefixes: readonly string[], dirs: readonly string[]) => {
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i]!;
      if (prefix === "" || path === prefix || path.startsWith(dirs[i]!)) return true;
    }
    return false;
  };
  return {
    roots: include.flatMap((g) => g.prefixes),
    matches: (path) => {
      let included = false;
      for (let i = 0; i < tests.length; i++) {
        const t = tests[i]!;
        if (under(path, t.prefixes, t.dirs) && t.match(path)) {
          included = true;
          break;
        }
      }
      if (!included) return false;
      for (let i = 0; i < exclude.length; i++) if (exclude[i]!.match(path)) return false;
      return true;
    },
  };
}

/**
 * The common shapes `dir/**\/*.ext`, `dir/*.ext` and `dir/**` as plain string tests, with minimatch's
 * meaning (dot: false: no segment below `dir` may start with a dot). Undefined for any other glob.
 * 55k paths through minimatch cost ~130 ms; these tests, a few.
 */
export function simpleGlob(glob: string): ((path: string) => boolean) | undefined {
  const m = /^([A-Za-z0-9_\-/]*[A-Za-z0-9_-])\/(\*\*\/\*|\*|\*\*)(\.[A-Za-z0-9]+)?$/.exec(glob);
  if (!m || m[1]!.includes("//")) return undefined;
  const [, dir, star, ext = ""] = m as unknown as [string, string, string, string | undefined];
  if (star === "**" && ext !== "") return undefined;
  const prefix = `${dir}/`;
  const at = prefix.length;
  const slashExt = `/${ext}`;
  // The tests on `rest` (the path after the prefix), by offset: no slice per path.
  return (path) => {
    if (!path.startsWith(prefix)) return false;
    const rest = path.length - at;
    if (rest === 0) return star === "**";
    if (path.charCodeAt(at) === 0x2e || path.indexOf("/.", at) !== -1) return false;
    if (star === "*" && path.indexOf("/", at) !== -1) return false;
    // rest ends with ext, not with `/ext`, and is not ext itself.
    if (star === "**/*" || star === "*") return rest > ext.length && path.endsWith(ext) && !(rest >= slashExt.length && path.endsWith(slashExt));
    return true;
  };
}

/** The literal leading segments of each alternative of a glob: `requirements` for `requirements/**\/*.yml`. */
export function staticPrefixes(mm: Minimatch): string[] {
  return mm.set.map((parts) => {
    const literal: string[] = [];
    for (const part of parts) {
      if (typeof part !== "string" || part === "" || part === "." || part === "..") break;
      literal.push(part);
    }
    return literal.join("/");
  });
}

/** Drops prefixes that another prefix already covers, so that no directory is walked twice. */
function minimalRoots(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length || cmp(a, b));
  const kept: string[] = [];
  for (const prefix of sorted) {
    if (!kept.some((k) => k === "" || prefix === k || prefix.startsWith(`${k}/`))) kept.push(prefix);
  }
  return kept.sort(cmp);
}

function normalizeDir(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}
