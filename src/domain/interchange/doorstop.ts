// `reqgate import doorstop DIR`: a doorstop tree (doorstop-dev/doorstop) to reqgate requirements.
//
// A doorstop document is a folder with a `.doorstop.yml` (settings: prefix, sep, digits, parent,
// itemformat); its items are the `*.yml` files in that folder (or `*.md` with YAML front matter when
// itemformat is markdown), each named by its UID: prefix, separator, number. Read with reqgate's safe
// YAML loader; a file that does not parse stops the import (exit 2, nothing written) with its line.
//
// Mapping, and the decisions where doorstop and reqgate differ:
// - UID → ID: REQ001 and REQ-001 (sep "-") both become REQ-001 (the prefix upper-cased, the number as
//   written, zero padding kept). A UID with a name instead of a number cannot be a reqgate ID: noted.
// - links → parents (every link names a parent item, usually in the parent document). Link fingerprints
//   (doorstop's suspect-link stamps) and `reviewed` are doorstop's review state: reqgate's baseline lock
//   and suspect links take their place, so they are not carried (one note each).
// - header → title; an item without a header takes the first sentence of its text as title (noted).
// - active: false → status retired: doorstop leaves an inactive item out of the document and of
//   validation, which is what retired means in reqgate (kept for the record, never the basis of work);
//   draft would say "proposed, not approved yet", which an inactive item is not.
// - normative: false → skipped with a note: a heading (level ending in .0) or informative text is not a
//   requirement; reqgate has no notes field, and a requirement with that text would demand work.
// - derived: true → the tag `derived` (reqgate has no rule that needs it; the tag keeps it visible).
// - level (presentation order) has no reqgate field: dropped, one note; the files are named by ID.
// - ref and references[].path → links (design and interface artifacts).
// - any other key (doorstop's extended attributes) → attributes.
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { isIdShape } from "../requirements/ids.js";
import { decodeText, loadYaml, type YamlValue } from "../requirements/yaml.js";
import { titleFromText, type ConversionNote, type ImportedRequirement, type ImportResult } from "./imported.js";
import { compareIds } from "./reqif-write.js";

export interface DoorstopFile {
  /** Relative to the tree's root, forward slashes. */
  path: string;
  content: string | Uint8Array;
}

/** Per file: an item or a `.doorstop.yml` larger than this is refused. */
export const MAX_DOORSTOP_FILE_BYTES = 1024 * 1024;
/** A tree of more files, or more bytes together, is refused: room for a 55k-item migration (~15 MB) many times over. */
export const MAX_DOORSTOP_FILES = 200_000;
export const MAX_DOORSTOP_TREE_BYTES = 256 * 1024 * 1024;

const CONFIG = ".doorstop.yml";
const SKIP = ".doorstop.skip-all";
const KNOWN = new Set(["active", "derived", "normative", "level", "header", "text", "links", "ref", "references", "reviewed"]);

interface Document {
  folder: string;
  prefix: string;
  sep: string;
  parent?: string;
  markdown: boolean;
  /** reqgate prefix, or undefined when the doorstop prefix cannot be one. */
  reqgatePrefix?: string;
}

interface Item {
  uid: string;
  file: string;
  doc: Document;
  data: Record<string, YamlValue>;
  text: string;
  header: string;
}

/** Whether the tree walk should read a file of this name. */
export function isDoorstopFile(name: string): boolean {
  return name === CONFIG || name === SKIP || name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".md");
}

export function readDoorstop(root: string, files: readonly DoorstopFile[]): ImportResult {
  const errors: Diagnostic[] = [];
  const notes: ConversionNote[] = [];
  const shown = (path: string) => `${root.replace(/\/+$/, "")}/${path}`;
  const note = (kind: ConversionNote["kind"], file: string, element: string, reason: string, line = 0) => notes.push({ kind, file, line, element, reason });
  const texts = new Map<string, string>();
  for (const f of files) {
    const decoded = decodeText(shown(f.path), f.content, MAX_DOORSTOP_FILE_BYTES);
    if (decoded.text === undefined) errors.push(...decoded.diagnostics);
    else texts.set(f.path, decoded.text);
  }

  const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
  const skipped = new Set([...texts.keys()].filter((p) => p.endsWith(`/${SKIP}`) || p === SKIP).map(folderOf));
  const documents = new Map<string, Document>();
  for (const [path, text] of texts) {
    if (!(path === CONFIG || path.endsWith(`/${CONFIG}`))) continue;
    const folder = folderOf(path);
    if (skipped.has(folder)) {
      note("skipped", shown(path), `document in ${folder || "."}`, `${SKIP} is present: doorstop skips this document, and so does the import`);
      continue;
    }
    const loaded = loadYaml(shown(path), text);
    if (loaded.value === undefined) {
      errors.push(...loaded.diagnostics);
      continue;
    }
    const settings = asMap(asMap(loaded.value)?.settings);
    const prefix = settings?.prefix;
    if (typeof prefix !== "string" || prefix === "") {
      errors.push(diagnostic({ code: "doorstop-invalid", file: shown(path), message: "settings.prefix is missing: this is not a doorstop document configuration", hint: "a .doorstop.yml has settings: { prefix, sep, digits }" }));
      continue;
    }
    const sep = typeof settings?.sep === "string" ? settings.sep : "";
    const doc: Document = { folder, prefix, sep, markdown: settings?.itemformat === "markdown" };
    if (typeof settings?.parent === "string" && settings.parent !== "") doc.parent = settings.parent;
    const upper = prefix.toUpperCase();
    if (/^[A-Z][A-Z0-9_]{0,19}$/.test(upper)) doc.reqgatePrefix = upper;
    else note("lost", shown(path), `document ${prefix}`, `the prefix "${prefix}" cannot be a reqgate prefix (capital letters, digits and _, starting with a letter): its items are not imported`);
    documents.set(folder, doc);
  }
  if (errors.length > 0) return { requirements: [], notes: [], errors };
  if (documents.size === 0) {
    return { requirements: [], notes: [], errors: [diagnostic({ code: "doorstop-empty", file: root, message: "no doorstop document here: no .doorstop.yml in this folder or below it", hint: "give the folder of a doorstop tree (where `doorstop` finds its documents)" })] };
  }
  const prefixes = new Set([...documents.values()].map((d) => d.prefix));
  for (const doc of documents.values()) {
    if (doc.parent !== undefined && !prefixes.has(doc.parent)) note("lost", shown(doc.folder === "" ? CONFIG : `${doc.folder}/${CONFIG}`), `document ${doc.prefix}`, `its parent document ${doc.parent} is not in the tree: links to it cannot be converted`);
  }

  // Items: the item files directly in a document's folder.
  const items: Item[] = [];
  for (const [path, text] of texts) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (name === CONFIG || name === SKIP) continue;
    const doc = documents.get(folderOf(path));
    if (!doc) continue;
    const isMarkdown = name.endsWith(".md");
    if (isMarkdown !== doc.markdown) continue;
    const uid = name.replace(/\.(yml|yaml|md)$/, "");
    const file = shown(path);
    let source = text;
    let body: string | undefined;
    if (isMarkdown) {
      const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
      if (!front) {
        errors.push(diagnostic({ code: "doorstop-invalid", file, line: 1, column: 1, message: "a markdown item starts with YAML front matter between --- lines", hint: "add the front matter doorstop writes (active, level, links, …)" }));
        continue;
      }
      source = front[1]!;
      body = front[2]!;
    }
    const loaded = loadYaml(file, source);
    if (loaded.value === undefined) {
      errors.push(...loaded.diagnostics.map((d) => (isMarkdown && d.line > 0 ? { ...d, line: d.line + 1 } : d)));
      continue;
    }
    const data = asMap(loaded.value);
    if (!data) {
      errors.push(diagnostic({ code: "doorstop-invalid", file, message: "a doorstop item is a YAML mapping (active, level, links, text, …)", hint: "check that this is an item of the document" }));
      continue;
    }
    let header = typeof data.header === "string" ? data.header.trim() : "";
    let itemText = typeof data.text === "string" ? data.text : "";
    if (body !== undefined) {
      // Markdown items: the first level-1 heading is the header, the rest the text.
      const heading = /^[ \t]*#[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(body);
      if (heading && header === "") header = heading[1]!.trim();
      itemText = heading ? body.slice(0, heading.index) + body.slice(heading.index + heading[0].length) : body;
    }
    items.push({ uid, file, doc, data, text: itemText.replace(/^\s*\n/, "").trimEnd(), header });
  }
  if (errors.length > 0) return { requirements: [], notes: [], errors };

  // UID → reqgate ID, for every item first (links may point forward).
  const ids = new Map<string, string>();
  const convertible: Item[] = [];
  for (const item of items) {
    const element = `item ${item.uid}`;
    if (item.doc.reqgatePrefix === undefined) continue;
    const rest = item.uid.startsWith(item.doc.prefix) ? item.uid.slice(item.doc.prefix.length) : undefined;
    const number = rest === undefined ? undefined : item.doc.sep !== "" && rest.startsWith(item.doc.sep) ? rest.slice(item.doc.sep.length) : rest;
    const id = number !== undefined && /^\d{1,9}$/.test(number) ? `${item.doc.reqgatePrefix}-${number}` : undefined;
    if (id === undefined || !isIdShape(id)) {
      note("lost", item.file, element, `the UID ${item.uid} is not ${item.doc.prefix}${item.doc.sep}NUMBER (a named UID, or a file that is not an item): reqgate IDs are PREFIX-NUMBER, so it is not imported`);
      continue;
    }
    if (item.data.normative === false) {
      const heading = /\.0$/.test(levelText(item.data.level));
      note("skipped", item.file, element, heading ? `a heading (non-normative, level ${levelText(item.data.level)}): document structure, not a requirement` : "non-normative (informative text): not a requirement, so not imported");
      continue;
    }
    if (ids.has(item.uid)) continue;
    ids.set(item.uid, id);
    convertible.push(item);
  }
  const skippedUids = new Set(items.filter((i) => !ids.has(i.uid)).map((i) => i.uid));

  const requirements: ImportedRequirement[] = [];
  let fingerprinted = 0;
  let reviewed = 0;
  let levels = 0;
  for (const item of convertible) {
    const id = ids.get(item.uid)!;
    const element = `item ${item.uid} (${id})`;
    const { data } = item;
    const folder = item.doc.folder;
    const r: ImportedRequirement = { id, title: item.header, text: item.text, status: data.active === false ? "retired" : "active", parents: [], tags: [], links: [], attributes: Object.create(null) as Record<string, unknown>, path: `${folder === "" ? "" : `${folder}/`}${id}.yml` };
    if (r.title === "") {
      r.title = titleFromText(item.text) || id;
      if (item.text.trim() !== "") note("skipped", item.file, element, `it has no header: the title is taken from its text ("${r.title}")`);
    }
    if (item.text.trim() === "") note("lost", item.file, element, "it has no text: written with an empty text, which `reqgate check` reports");
    if (data.active === false) note("skipped", item.file, element, "inactive in doorstop (active: false): imported as retired, kept for the record and never the basis of work");
    if (data.derived === true) r.tags.push("derived");
    if (data.level !== undefined) levels++;
    if (typeof data.reviewed === "string" && data.reviewed !== "") reviewed++;
    for (const link of Array.isArray(data.links) ? data.links : []) {
      const entry = typeof link === "string" ? [link, null] : asMap(link) ? Object.entries(asMap(link)!)[0] : undefined;
      if (!entry || typeof entry[0] !== "string") {
        note("lost", item.file, element, "a link that is neither a UID nor a UID: fingerprint pair: not imported");
        continue;
      }
      const [uid, fingerprint] = entry as [string, unknown];
      if (typeof fingerprint === "string" && fingerprint !== "") fingerprinted++;
      const parent = ids.get(uid);
      if (parent === undefined) {
        note("lost", item.file, element, skippedUids.has(uid) ? `its link to ${uid}, which is not imported (see its own note), is lost` : `its link to ${uid} names no item of the tree: the link is lost`);
        continue;
      }
      if (parent !== id && !r.parents.includes(parent)) r.parents.push(parent);
    }
    if (typeof data.ref === "string" && data.ref.trim() !== "") r.links.push(data.ref.trim());
    for (const ref of Array.isArray(data.references) ? data.references : []) {
      const path = asMap(ref)?.path;
      if (typeof path === "string" && path.trim() !== "" && !r.links.includes(path.trim())) r.links.push(path.trim());
    }
    for (const [key, value] of Object.entries(data)) {
      if (KNOWN.has(key) || value === null || value === "") continue;
      Object.defineProperty(r.attributes, key, { value, enumerable: true, writable: true, configurable: true });
    }
    requirements.push(r);
  }
  const rootFile = root;
  if (levels > 0) note("skipped", rootFile, "level", `the levels of ${levels} items (doorstop's presentation order) have no reqgate field: not imported (the files are named by ID)`);
  if (reviewed > 0) note("skipped", rootFile, "reviewed", `the review stamps of ${reviewed} items are doorstop's review state: not imported (reqgate's baseline lock and change records take their place)`);
  if (fingerprinted > 0) note("skipped", rootFile, "links", `the fingerprints of ${fingerprinted} links (doorstop's suspect-link stamps) are not imported: reqgate marks work suspect when the baseline moves`);
  requirements.sort((a, b) => compareIds(a.id, b.id));
  return { requirements, notes, errors: [] };
}

function asMap(value: YamlValue | undefined): Record<string, YamlValue> | undefined {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

function levelText(level: YamlValue | undefined): string {
  if (typeof level === "number") return Number.isInteger(level) ? `${level}.0` : String(level);
  return typeof level === "string" ? level : "";
}
