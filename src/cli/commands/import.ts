// `reqgate import reqif FILE` and `reqgate import doorstop DIR` (SPEC 3): read the input (bounded), convert
// it in the domain (src/domain/interchange), write one requirement file per requirement inside the
// repository, and list what could not be converted. Exit 2 (nothing written) when the input cannot be
// read, a target exists without --force, a target is one of the repository's own files other than a
// requirement (the lock, a change record, …: --force or not), or a target is outside the repository; 1 when something was
// lost in the conversion (listed); 0 otherwise.
import { Minimatch } from "minimatch";
import { classifier, staticPrefixes } from "../../domain/config/paths.js";
import { idPrefix } from "../../domain/requirements/ids.js";
import { renderRequirementYaml, type ConversionNote, type ImportResult } from "../../domain/interchange/imported.js";
import { loadWorktreeConfig } from "../../local/config.js";
import { configuredFiles } from "../../local/configured-files.js";
import { outputFolder, planWrites, readInputFile, readTree, writeTargets } from "../../local/interchange.js";
import { EXIT, type ImportCommand } from "../args.js";
import { ConfigError } from "../errors.js";
import type { Io } from "../main.js";
import { JSON_VERSION, plural, printable, type OutputFormat } from "../output.js";
import { usable } from "./read.js";
import { diagnostic } from "../../domain/core/diagnostic.js";

export async function runImport(root: string, command: ImportCommand, format: OutputFormat, io: Io, configFile?: string): Promise<number> {
  const config = usable(await loadWorktreeConfig(root, configFile));
  const result = command.kind === "reqif" ? await importReqif(command) : await importDoorstop(command);
  if (result.errors.length > 0) throw new ConfigError(result.errors);

  const fallback = defaultFolder(config.requirements.paths);
  const folder = outputFolder(root, io.cwd, command.out, fallback);
  const targets = planWrites(root, folder, result.requirements.map((r) => ({ path: r.path, text: renderRequirementYaml(r) })));
  // The repository's own files are never an import's target, --force or not: the lock, the configuration
  // and the change-record folder always; a verification, result or source file when it exists.
  const roleOf = configuredFiles(root, config, configFile);
  const protectedFiles = targets.flatMap((t) => {
    const hit = roleOf(t.abs);
    return hit && hit.kind !== "requirement" && (t.exists || hit.kind === "lock" || hit.kind === "config" || hit.kind === "change") ? [{ target: t, hit }] : [];
  });
  if (protectedFiles.length > 0) {
    throw new ConfigError(protectedFiles.map(({ target, hit }) => diagnostic({ code: "import-protected", file: target.path, message: `${hit.path === target.path ? "this is" : `this leads to ${hit.path},`} ${hit.role}: nothing was imported (--force does not write there)`, hint: "give another --out folder, e.g. --out requirements/imported" })));
  }
  const existing = targets.filter((t) => t.exists);
  if (existing.length > 0 && !command.force) {
    throw new ConfigError(existing.map((t) => diagnostic({ code: "import-exists", file: t.path, message: "this file exists already: nothing was imported", hint: "give another --out folder, or --force to replace the existing files" })));
  }
  writeTargets(targets);

  const lost = result.notes.filter((n) => n.kind === "lost");
  const skipped = result.notes.filter((n) => n.kind === "skipped");
  const classify = classifier(config);
  const unread = targets.filter((t) => !classify.isRequirement(t.path)).map((t) => t.path);
  const configured = new Set(config.requirements.prefixes);
  const prefixes = [...new Set(result.requirements.map((r) => idPrefix(r.id)).filter((p): p is string => p !== undefined && !configured.has(p)))].sort();

  if (format === "json") {
    io.stdout.write(`${JSON.stringify({
      version: JSON_VERSION,
      kind: "reqgate-import",
      from: { kind: command.kind, path: command.shown },
      folder,
      written: targets.map((t) => ({ path: t.path, replaced: t.exists })),
      requirements: result.requirements.map((r) => r.id),
      notes: result.notes,
      unconfiguredPrefixes: prefixes,
      outsideRequirementPaths: unread,
    }, null, 2)}\n`);
    return lost.length > 0 ? EXIT.problems : EXIT.clean;
  }
  const ids = result.requirements.map((r) => r.id);
  const where = folder === "" ? "the repository root" : `${folder}/`;
  io.stdout.write(`wrote ${plural(targets.length, "requirement file")} under ${where}${ids.length > 0 ? `: ${ids.length <= 10 ? ids.join(", ") : `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more`}` : ""}${existing.length > 0 ? ` (${existing.length} replaced)` : ""}\n`);
  if (lost.length > 0) io.stdout.write(`\nNot converted (${lost.length}):\n${lost.map(formatNote).join("")}`);
  if (skipped.length > 0) io.stdout.write(`\nLeft out or changed on purpose (${skipped.length}):\n${skipped.map(formatNote).join("")}`);
  const next: string[] = [];
  if (prefixes.length > 0) next.push(`add ${prefixes.join(", ")} to requirements.prefixes in .github/reqgate.yml`);
  if (unread.length > 0) next.push(`move the files under requirements.paths (${config.requirements.paths.join(", ")}), or add ${folder}/ to it: reqgate does not read them where they are`);
  next.push(`run "reqgate check", then "reqgate init --adopt" (a first baseline) or a change record, and "reqgate baseline"`);
  io.stdout.write(`\nNext: ${next.join("; ")}.\n`);
  return lost.length > 0 ? EXIT.problems : EXIT.clean;
}

async function importReqif(command: ImportCommand): Promise<ImportResult> {
  const { readReqif, MAX_REQIF_BYTES } = await import("../../domain/interchange/reqif-read.js");
  const read = readInputFile(command.source, command.shown, MAX_REQIF_BYTES);
  if ("diagnostic" in read) return { requirements: [], notes: [], errors: [read.diagnostic] };
  const options = command.prefix !== undefined ? { prefix: command.prefix } : {};
  // A .reqifz (by its name, or a zip whatever its name): each .reqif inside.
  const zipped = typeof read.content === "string" ? read.content.startsWith("PK\u0003\u0004") : read.content[0] === 0x50 && read.content[1] === 0x4b && read.content[2] === 0x03 && read.content[3] === 0x04;
  if (zipped || /\.reqifz$/i.test(command.source)) {
    const { readReqifz } = await import("../../domain/interchange/reqifz.js");
    return readReqifz(command.shown, typeof read.content === "string" ? Buffer.from(read.content, "utf8") : read.content, options);
  }
  return readReqif(command.shown, read.content, options);
}

async function importDoorstop(command: ImportCommand): Promise<ImportResult> {
  const { readDoorstop, isDoorstopFile, MAX_DOORSTOP_FILE_BYTES, MAX_DOORSTOP_FILES, MAX_DOORSTOP_TREE_BYTES } = await import("../../domain/interchange/doorstop.js");
  const tree = readTree(command.source, command.shown, isDoorstopFile, { maxBytes: MAX_DOORSTOP_FILE_BYTES, maxFiles: MAX_DOORSTOP_FILES, maxTotalBytes: MAX_DOORSTOP_TREE_BYTES });
  if (tree.diagnostics.length > 0) return { requirements: [], notes: [], errors: tree.diagnostics };
  const result = readDoorstop(command.shown, tree.files);
  // Links are not followed: a tree is read from what is inside it.
  for (const link of tree.links) result.notes.push({ kind: "lost", file: `${command.shown.replace(/\/+$/, "")}/${link}`, line: 0, element: "symbolic link", reason: "symbolic links are not followed: what it points to is not imported" });
  return result;
}

function formatNote(n: ConversionNote): string {
  return `  ${n.file}${n.line > 0 ? `:${n.line}` : ""}: ${printable(n.element)}: ${printable(n.reason)}\n`;
}

/** The folder of the first requirements glob: `requirements/**\/*.yml` → `requirements`. */
function defaultFolder(paths: readonly string[]): string {
  const first = paths.find((p) => !p.startsWith("!"));
  if (first === undefined) return "requirements";
  return staticPrefixes(new Minimatch(first.replace(/^\.\//, ""), { dot: false }))[0] ?? "requirements";
}
