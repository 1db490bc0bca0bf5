// File I/O of `reqgate import`: the input read with a bound (one ReqIF file, or a doorstop tree walked
// without following links), and the requirement files written inside the repository only. Every target
// is checked before the first byte is written (no path or link out of the repository, no existing file
// replaced without --force), so an import writes all its files or none.
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { diagnostic, type Diagnostic } from "../domain/core/diagnostic.js";
import { readBounded } from "./bounded-read.js";
import { isInside, OutsideRepositoryError, writableTarget } from "./safe-paths.js";

/** One input file, bounded; a refusal or an unreadable file is a diagnostic naming `shown`. */
export function readInputFile(absPath: string, shown: string, maxBytes: number): { content: string | Uint8Array } | { diagnostic: Diagnostic } {
  try {
    const read = readBounded(absPath, shown, maxBytes, "import a smaller export, or split it");
    return read.kind === "file" ? { content: read.content } : { diagnostic: read.diagnostic };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return { diagnostic: diagnostic({ code: "import-unreadable", file: shown, message: code === "ENOENT" ? "no such file" : `the file cannot be read (${code})`, hint: "give the path of the file to import" }) };
  }
}

export interface TreeFile {
  /** Relative to the tree's root, with forward slashes. */
  path: string;
  content: string | Uint8Array;
}

/**
 * The files of a directory tree whose names `wanted` accepts, each read with `maxBytes`; at most
 * `maxFiles` and `maxTotalBytes` together. Symbolic links are not followed (a link is a note, not a read); hidden folders other than
 * the files `wanted` names (e.g. `.doorstop.yml`) are skipped, as are `.git` and `node_modules`.
 */
export function readTree(absDir: string, shown: string, wanted: (name: string) => boolean, limits: { maxBytes: number; maxFiles: number; maxTotalBytes: number }): { files: TreeFile[]; diagnostics: Diagnostic[]; links: string[] } {
  const files: TreeFile[] = [];
  let total = 0;
  const diagnostics: Diagnostic[] = [];
  const links: string[] = [];
  const stack = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(join(absDir, rel), { withFileTypes: true });
    } catch (error) {
      diagnostics.push(diagnostic({ code: "import-unreadable", file: join(shown, rel), message: `the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, hint: "give the path of a doorstop tree (the folder with the documents' .doorstop.yml files)" }));
      continue;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        links.push(path);
        continue;
      }
      if (entry.isDirectory()) {
        if (entry.name === ".git" || entry.name === "node_modules" || (entry.name.startsWith(".") && entry.name !== ".")) continue;
        stack.push(path);
        continue;
      }
      if (!entry.isFile() || !wanted(entry.name)) continue;
      if (files.length >= limits.maxFiles) {
        diagnostics.push(diagnostic({ code: "import-too-many-files", file: shown, message: `the tree has more than ${limits.maxFiles} files to read`, hint: "import the documents one folder at a time" }));
        return { files, diagnostics, links };
      }
      const read = readInputFile(join(absDir, path), `${shown.replace(/\/$/, "")}/${path}`, limits.maxBytes);
      if (!("content" in read)) {
        diagnostics.push(read.diagnostic);
        continue;
      }
      total += read.content.length;
      if (total > limits.maxTotalBytes) {
        diagnostics.push(diagnostic({ code: "import-too-large", file: shown, message: `the tree's files are over ${limits.maxTotalBytes >= 1024 * 1024 ? `${(limits.maxTotalBytes / 1024 / 1024).toFixed(1)} MiB` : `${limits.maxTotalBytes} bytes`} together`, hint: "import the documents one folder at a time" }));
        return { files, diagnostics, links };
      }
      files.push({ path, content: read.content });
    }
  }
  return { files, diagnostics, links };
}

export interface WriteTarget {
  /** Repository-relative, forward slashes. */
  path: string;
  abs: string;
  text: string;
  exists: boolean;
}

/**
 * The repository-relative folder an import writes to: `out` (relative to `cwd`, or absolute) when
 * given, else `fallback` (relative to the repository). Outside the repository: OutsideRepositoryError.
 */
export function outputFolder(root: string, cwd: string, out: string | undefined, fallback: string): string {
  const rootReal = realpathSync(root);
  if (out === undefined) return fallback.replace(/\\/g, "/").replace(/^\.\/|\/$/g, "");
  const abs = resolve(cwd, out);
  // Compare from the nearest existing folder's real path, so that a link on the way counts.
  let existing = abs;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, abs));
  if (!isInside(rootReal, real)) {
    throw new OutsideRepositoryError([diagnostic({ code: "path-outside-repository", file: out, message: `--out: ${abs} is outside the repository (${rootReal}): nothing is written there`, hint: "give a folder inside the repository, e.g. --out requirements/imported" })]);
  }
  return relative(rootReal, real).split(sep).join("/");
}

/** Checks every target before anything is written: inside the repository (links too), existing or not. */
export function planWrites(root: string, folder: string, files: ReadonlyArray<{ path: string; text: string }>): WriteTarget[] {
  return files.map((f) => {
    const path = folder === "" ? f.path : `${folder}/${f.path}`;
    const abs = writableTarget(root, path, "--out");
    let exists = false;
    try {
      lstatSync(abs);
      exists = true;
    } catch {
      // absent: written new
    }
    return { path, abs, text: f.text, exists };
  });
}

export function writeTargets(targets: readonly WriteTarget[]): void {
  for (const t of targets) {
    mkdirSync(dirname(t.abs), { recursive: true });
    writeFileSync(t.abs, t.text);
  }
}
