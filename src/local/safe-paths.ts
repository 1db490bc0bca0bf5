// The CLI stays inside the repository: every configured path (`requirements.paths`, `requirements.changes`,
// `requirements.lock`, `verification.paths`) must name a place under the root, and no symbolic link on
// the way to it, or under it, may lead out. A violation is a configuration error (exit 2) naming the key
// or the link, raised before anything is read or written.
import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Minimatch } from "minimatch";
import type { Config } from "../domain/config/config.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { staticPrefixes } from "../domain/config/paths.js";
import { diagnostic, type Diagnostic, type YamlPath } from "../domain/core/diagnostic.js";

/** Paths that lead outside the repository: the CLI exits 2 with these diagnostics. */
export class OutsideRepositoryError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super("a path leads outside the repository");
  }
}

/** True when `target` (absolute, resolved) is `rootReal` itself or below it. */
export function isInside(rootReal: string, target: string): boolean {
  const rel = relative(rootReal, target);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** A path as written in the configuration, with `\` and leading `./` normalised. */
function normalize(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}

/** Why a configured path leaves the repository by its text alone (absolute, or `..`), if it does. */
export function textualEscape(path: string): string | undefined {
  const p = normalize(path.startsWith("!") ? path.slice(1) : path);
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p) || p.startsWith("~")) return "is an absolute path";
  if (p.split("/").includes("..")) return "climbs out with `..`";
  return undefined;
}

/**
 * The first symbolic link on the way from `rootReal` to `rel` (repository-relative) that resolves outside
 * the repository, as [link, target]; undefined when every existing component stays inside.
 */
export function escapingLink(rootReal: string, rel: string): [string, string] | undefined {
  const parts = normalize(rel).split("/").filter((p) => p !== "" && p !== ".");
  let current = "";
  for (const part of parts) {
    current = current === "" ? part : `${current}/${part}`;
    let isLink: boolean;
    try {
      isLink = lstatSync(join(rootReal, current)).isSymbolicLink();
    } catch {
      return undefined; // does not exist (yet): nothing further to follow
    }
    if (!isLink) continue;
    let target: string;
    try {
      target = realpathSync(join(rootReal, current));
    } catch {
      // Dangling: nothing is read through it, but a write would create its target, so where it points counts.
      const pointed = resolve(dirname(join(rootReal, current)), readlinkSync(join(rootReal, current)));
      if (!isInside(rootReal, pointed)) return [current, pointed];
      continue;
    }
    if (!isInside(rootReal, target)) return [current, target];
  }
  return undefined;
}

/** Every configured path that leads outside the repository, by text or through a link. */
export function configPathProblems(rootReal: string, config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (key: YamlPath, value: string, prefixes: readonly string[]) => {
    const name = formatKey(key);
    const why = textualEscape(value);
    if (why !== undefined) {
      out.push(diagnostic({ code: "path-outside-repository", file: CONFIG_PATH, path: key, message: `${name}: "${value}" ${why}: it leads outside the repository`, hint: "give a path relative to the repository root, without `..`" }));
      return;
    }
    for (const prefix of prefixes) {
      const link = escapingLink(rootReal, prefix);
      if (link) {
        out.push(diagnostic({ code: "symlink-outside-repository", file: link[0], message: `${name} leads through this symbolic link to ${link[1]}, outside the repository`, hint: "replace the link by the files themselves, or point it inside the repository" }));
        return;
      }
    }
  };
  const globs = (key: "requirements" | "verification", list: readonly string[]) =>
    list.forEach((glob, i) => {
      const body = glob.startsWith("!") ? glob.slice(1) : glob;
      check([key, "paths", i], glob, glob.startsWith("!") ? [] : staticPrefixes(new Minimatch(normalize(body), { dot: false })));
    });
  globs("requirements", config.requirements.paths);
  check(["requirements", "changes"], config.requirements.changes, [config.requirements.changes]);
  check(["requirements", "lock"], config.requirements.lock, [config.requirements.lock]);
  globs("verification", config.verification.paths);
  return out;
}

/** A diagnostic for a symbolic link found under a configured path that resolves outside the repository. */
export function escapingLinkDiagnostic(link: string, target: string): Diagnostic {
  return diagnostic({ code: "symlink-outside-repository", file: link, message: `this symbolic link leads to ${target}, outside the repository: it is not read`, hint: "replace the link by the file itself, or remove it" });
}

/**
 * The absolute path to write `rel` at, after checking that neither the text nor a link on the way leads
 * outside the repository. Throws OutsideRepositoryError naming `key` (a configuration key) or the link.
 */
export function writableTarget(root: string, rel: string, key: string): string {
  const rootReal = realpathSync(root);
  const why = textualEscape(rel);
  if (why !== undefined) {
    throw new OutsideRepositoryError([diagnostic({ code: "path-outside-repository", file: CONFIG_PATH, message: `${key}: "${rel}" ${why}: it leads outside the repository`, hint: "give a path relative to the repository root, without `..`" })]);
  }
  const link = escapingLink(rootReal, rel);
  if (link) {
    throw new OutsideRepositoryError([diagnostic({ code: "symlink-outside-repository", file: link[0], message: `${key} leads through this symbolic link to ${link[1]}, outside the repository: nothing is written there`, hint: "replace the link by the files themselves, or point it inside the repository" })]);
  }
  return join(rootReal, normalize(rel));
}

function formatKey(path: YamlPath): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
}
