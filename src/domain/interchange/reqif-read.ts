// `reqgate import reqif FILE`: a ReqIF file (reqgate's own, or as DOORS, Polarion, Jama export it) to
// reqgate requirements, with a note for everything that could not be carried over.
//
// Read with fast-xml-parser (validated first, so a broken file is an error with its line and column,
// never half-read; DOCTYPE refused, so no entity expansion; nesting bounded). Attributes are recognised
// by their definition's LONG-NAME, case-insensitively, through the alias lists below: reqgate's own
// names, the ReqIF Implementation Guide's (ReqIF.ForeignID, ReqIF.Name, ReqIF.Text, ReqIF.ChapterName)
// and the usual columns of DOORS and Polarion ("Object Text", "Status", "Verification Method").
// The identifier of a SPEC-OBJECT (often a GUID) is not the requirement's ID: the ID comes from
// ReqIF.ForeignID or an ID attribute; a number alone (DOORS' absolute numbers) takes `--prefix`.
//
// Decisions where the format leaves room:
// - Parents: SPEC-RELATIONs of the type "reqgate.parent", or whose type name says parent, refines,
//   decomposes, derives or satisfies (source refines target). When the file has no such relation, the
//   SPECIFICATION tree is the hierarchy: a requirement nested under another refines it (headings in
//   between do not count). Other relation types are noted, not converted.
// - Headings (an object type named heading/chapter/section, or a ReqIF.ChapterName with no text) are
//   document structure: skipped, with a note; requirements under them keep no parent from them.
// - Status from an enumeration or string: draft/proposed/new/in review… → draft; approved/accepted/
//   released… → active; obsolete/deleted/rejected… → retired; anything else is imported as draft, noted.
// - Any other attribute goes under `attributes:` with its LONG-NAME as key, except tool history
//   (ReqIF.ForeignCreatedBy/On, ModifiedBy/On, …), which is not normative and is skipped with one note.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { diagnostic } from "../core/diagnostic.js";
import { isIdShape } from "../requirements/ids.js";
import type { Status, VerificationMethod } from "../requirements/requirement.js";
import { titleFromText, type ConversionNote, type ImportedRequirement, type ImportResult } from "./imported.js";
import { PARENT_RELATION, REQIF_NAMESPACE } from "./reqif-format.js";
import { compareIds } from "./reqif-write.js";
import { xhtmlToText } from "./xhtml.js";
import { attr, attrsOf, childrenOf, element, elements, localName, localNameOf, nameOf, ownText, within, type XmlNode } from "./xml-nodes.js";

/**
 * A ReqIF file is read whole: larger ones are refused before parsing. 55,000 requirements as reqgate
 * writes them are 166 MiB, read with ~1.7 GB peak RSS (the parsed tree is ~7x the text); at this bound
 * (~80,000 requirements) the read stays well under node's default heap limit (~4 GB).
 */
export const MAX_REQIF_BYTES = 256 * 1024 * 1024;
/** Deeper nesting is refused (a SPECIFICATION tree of ~120 levels, or hostile input). */
export const MAX_REQIF_NESTING = 256;

export interface ReqifReadOptions {
  /** The prefix for IDs that are numbers alone (DOORS absolute numbers): 12 → PREFIX-12. */
  prefix?: string;
}

type Field = "id" | "title" | "text" | "status" | "verification" | "owner" | "tags" | "links" | "supersededBy" | "attributes" | "heading" | "ignored";

const ALIASES: Record<string, Field> = Object.assign(Object.create(null) as Record<string, Field>, {
  "reqif.foreignid": "id", "id": "id", "identifier": "id", "req id": "id", "requirement id": "id", "object identifier": "id", "key": "id",
  "reqif.name": "title", "title": "title", "name": "title", "summary": "title", "short text": "title", "heading": "title",
  "reqif.text": "text", "text": "text", "object text": "text", "primary text": "text", "description": "text", "reqif.description": "text", "requirement text": "text",
  "reqgate.status": "status", "status": "status", "state": "status", "lifecycle": "status", "lifecycle state": "status",
  "reqgate.verification": "verification", "verification": "verification", "verification method": "verification", "verification type": "verification",
  "reqgate.owner": "owner", "owner": "owner", "responsible": "owner", "assignee": "owner",
  "reqgate.tags": "tags", "tags": "tags", "keywords": "tags", "labels": "tags",
  "reqgate.links": "links", "links": "links",
  "reqgate.superseded_by": "supersededBy", "superseded by": "supersededBy",
  "reqgate.attributes": "attributes",
  "reqif.chaptername": "heading", "object heading": "heading",
  "reqgate.file": "ignored",
});

const TOOL_HISTORY = /^reqif\.foreign(created|modified|deleted)|^(created|modified|last modified|last changed|changed)( (by|on|at|thru))?$/i;

const STATUS_WORDS: Array<[RegExp, Status]> = [
  [/^(draft|proposed|new|open|in (progress|work|review)|under review|to be reviewed|submitted|candidate|planned|tbd)$/i, "draft"],
  [/^(active|approved|accepted|agreed|released|baselined|valid|implemented|verified|done|closed|frozen)$/i, "active"],
  [/^(retired|obsolete|deprecated|deleted|rejected|withdrawn|superseded|cancelled|canceled|inactive)$/i, "retired"],
];

const VERIFICATION_WORDS: Record<string, VerificationMethod> = Object.assign(Object.create(null) as Record<string, VerificationMethod>, {
  test: "test", t: "test", testing: "test", tested: "test",
  analysis: "analysis", a: "analysis", analyse: "analysis", analyze: "analysis", simulation: "analysis",
  inspection: "inspection", i: "inspection", review: "inspection", "design review": "inspection",
  demonstration: "demonstration", d: "demonstration", demo: "demonstration",
});

const PARENT_TYPE = /\b(parent|refines?|refinement|decompos\w*|derive[sd]?|derived from|satisf\w*)\b/i;
const HEADING_TYPE = /\b(heading|chapter|section|folder)\b/i;

interface Definition {
  longName: string;
  kind: string;
}

interface ObjectValues {
  node: XmlNode;
  identifier: string;
  line: number;
  typeName: string;
  values: Array<{ definition: Definition | undefined; definitionRef: string; value: string | number | boolean | string[] | { xhtml: XmlNode[] }; node: XmlNode }>;
}

export function readReqif(file: string, content: string | Uint8Array, options: ReqifReadOptions = {}): ImportResult {
  const fail = (message: string, hint: string, line = 0, column = 0): ImportResult => ({ requirements: [], notes: [], errors: [diagnostic({ code: "reqif-invalid", file, line, column, message, hint })] });
  const size = typeof content === "string" ? content.length : content.byteLength;
  if (size > MAX_REQIF_BYTES) return fail(`the file is larger than ${MAX_REQIF_BYTES / 1024 / 1024} MiB`, "export a smaller module or split the export");
  let text: string;
  try {
    text = typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return fail("the file is not UTF-8 text", "export the ReqIF file as UTF-8 (the encoding every ReqIF tool writes by default)");
  }
  text = text.replace(/^\uFEFF/, "");
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) return fail("the file declares a DOCTYPE, which ReqIF does not use (and reqgate does not expand entities)", "remove the DOCTYPE declaration", lineAt(newlines(text), doctype.index));
  const valid = XMLValidator.validate(text);
  if (valid !== true) return fail(`the file is not well-formed XML: ${valid.err.msg}`, "export the file again, or repair it at this line", valid.err.line, valid.err.col);

  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true, trimValues: false, parseTagValue: false, parseAttributeValue: false, htmlEntities: true, captureMetaData: true, ignoreDeclaration: true, ignorePiTags: true, maxNestedTags: MAX_REQIF_NESTING });
  let doc: XmlNode[];
  try {
    doc = parser.parse(text) as XmlNode[];
  } catch (error) {
    return fail(`the file cannot be read: ${(error as Error).message}`, `ReqIF files nest at most a few dozen levels; reqgate reads up to ${MAX_REQIF_NESTING}`);
  }
  const lines = newlines(text);
  const meta = XMLParser.getMetaDataSymbol() as unknown as string;
  const lineOf = (node: XmlNode): number => {
    const m = (node as Record<string, unknown>)[meta] as { startIndex?: number } | undefined;
    return m?.startIndex === undefined ? 0 : lineAt(lines, m.startIndex);
  };

  const root = doc.find((n) => nameOf(n) !== undefined);
  if (!root) return fail("the file has no root element", "give a ReqIF file (.reqif)");
  const rootName = nameOf(root)!;
  const prefix = rootName.includes(":") ? rootName.slice(0, rootName.indexOf(":")) : "";
  const namespace = attr(root, prefix === "" ? "xmlns" : `xmlns:${prefix}`);
  if (localName(rootName) !== "REQ-IF") return fail(`the root element is <${rootName}>, not <REQ-IF>: this is not a ReqIF file`, "give a ReqIF file (.reqif) or a ReqIF archive (.reqifz)", lineOf(root));
  if (namespace !== REQIF_NAMESPACE) {
    return fail(`the <REQ-IF> element is in the namespace ${namespace === undefined ? "(none)" : JSON.stringify(namespace)}, not ReqIF 1.2's ${REQIF_NAMESPACE}`, "reqgate reads ReqIF 1.0.1/1.1/1.2 files, which all use that namespace; check the export settings of the tool", lineOf(root));
  }
  const content_ = element(root, "CORE-CONTENT");
  const body = content_ ? element(content_, "REQ-IF-CONTENT") : undefined;
  if (!body) return fail("the file has no CORE-CONTENT/REQ-IF-CONTENT", "export the module again with its content", lineOf(root));

  const notes: ConversionNote[] = [];
  const note = (kind: ConversionNote["kind"], node: XmlNode | undefined, elementName: string, reason: string) => notes.push({ kind, file, line: node ? lineOf(node) : 0, element: elementName, reason });

  // Datatypes: enumeration values by identifier.
  const enumNames = new Map<string, string>();
  for (const dt of within(body, "DATATYPES")) {
    if (localNameOf(dt) !== "DATATYPE-DEFINITION-ENUMERATION") continue;
    for (const value of within(dt, "SPECIFIED-VALUES")) {
      const id = attr(value, "IDENTIFIER");
      if (id === undefined) continue;
      const embedded = element(value, "PROPERTIES") ? within(value, "PROPERTIES")[0] : undefined;
      enumNames.set(id, attr(value, "LONG-NAME") ?? (embedded ? attr(embedded, "OTHER-CONTENT") : undefined) ?? id);
    }
  }
  // Spec types and their attribute definitions.
  const definitions = new Map<string, Definition>();
  const typeNames = new Map<string, string>();
  const relationTypes = new Map<string, string>();
  for (const type of within(body, "SPEC-TYPES")) {
    const id = attr(type, "IDENTIFIER");
    const name = attr(type, "LONG-NAME") ?? id ?? "";
    if (id !== undefined) {
      typeNames.set(id, name);
      if (localNameOf(type) === "SPEC-RELATION-TYPE") relationTypes.set(id, name);
    }
    for (const def of within(type, "SPEC-ATTRIBUTES")) {
      const defId = attr(def, "IDENTIFIER");
      if (defId === undefined) continue;
      definitions.set(defId, { longName: attr(def, "LONG-NAME") ?? defId, kind: (localNameOf(def) ?? "").replace("ATTRIBUTE-DEFINITION-", "") });
    }
  }

  // Spec objects.
  const objects = new Map<string, ObjectValues>();
  for (const obj of within(body, "SPEC-OBJECTS")) {
    const identifier = attr(obj, "IDENTIFIER");
    if (identifier === undefined) {
      note("lost", obj, "SPEC-OBJECT", "it has no IDENTIFIER: not imported");
      continue;
    }
    const typeRef = ownText(within(obj, "TYPE")[0] ?? {}).trim();
    const values: ObjectValues["values"] = [];
    for (const v of within(obj, "VALUES")) {
      const kind = (localNameOf(v) ?? "").replace("ATTRIBUTE-VALUE-", "");
      const ref = ownText(within(v, "DEFINITION")[0] ?? {}).trim();
      const definition = definitions.get(ref);
      const raw = attrsOf(v)["THE-VALUE"];
      let value: ObjectValues["values"][number]["value"];
      switch (kind) {
        case "XHTML":
          value = { xhtml: elements(v, "THE-VALUE").flatMap((t) => childrenOf(t)) };
          break;
        case "ENUMERATION":
          value = within(v, "VALUES").map((r) => enumNames.get(ownText(r).trim()) ?? ownText(r).trim());
          break;
        case "INTEGER":
        case "REAL":
          value = raw !== undefined && raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw ?? "";
          break;
        case "BOOLEAN":
          value = raw === "true" || raw === "1";
          break;
        default:
          value = raw ?? "";
      }
      values.push({ definition, definitionRef: ref, value, node: v });
    }
    objects.set(identifier, { node: obj, identifier, line: lineOf(obj), typeName: typeNames.get(typeRef) ?? typeRef, values });
  }

  // Each object to a requirement, or a heading, or a note.
  const historyNoted = new Set<string>();
  const byIdentifier = new Map<string, ImportedRequirement>();
  const headings = new Set<string>();
  const seenIds = new Map<string, string>();
  for (const obj of objects.values()) {
    const label = `SPEC-OBJECT "${obj.identifier}"`;
    const fields = new Map<Field, ObjectValues["values"][number]>();
    const extra: Array<[string, ObjectValues["values"][number]]> = [];
    for (const v of obj.values) {
      if (!v.definition) {
        note("lost", v.node, label, `a value refers to the attribute definition "${v.definitionRef}", which the file does not declare: not imported`);
        continue;
      }
      const field = ALIASES[v.definition.longName.trim().toLowerCase()];
      if (field === "ignored") continue;
      if (field !== undefined && !fields.has(field)) fields.set(field, v);
      else if (TOOL_HISTORY.test(v.definition.longName.trim())) {
        if (!historyNoted.has(v.definition.longName)) {
          historyNoted.add(v.definition.longName);
          note("skipped", v.node, `attribute "${v.definition.longName}"`, "tool history (who and when), not part of a requirement's content: not imported (reqgate's history is git and its change records)");
        }
      } else extra.push([v.definition.longName, v]);
    }
    const lost: ConversionNote[] = [];
    const textOf = (v: ObjectValues["values"][number] | undefined, name: string): string | undefined => {
      if (!v) return undefined;
      if (typeof v.value === "object" && !Array.isArray(v.value)) {
        const converted = xhtmlToText(v.value.xhtml);
        for (const l of converted.lost) lost.push({ kind: "lost", file, line: lineOf(l.node), element: `${label} > ${name} > ${l.element}`, reason: l.reason });
        return converted.text;
      }
      return Array.isArray(v.value) ? v.value.join(", ") : String(v.value);
    };
    const rawId = textOf(fields.get("id"), "ID")?.trim() ?? "";
    const text = textOf(fields.get("text"), "text") ?? "";
    const headingText = textOf(fields.get("heading"), "heading")?.trim() ?? "";
    const isHeading = HEADING_TYPE.test(obj.typeName) || (headingText !== "" && text.trim() === "");
    if (isHeading) {
      headings.add(obj.identifier);
      note("skipped", obj.node, label, `a heading${headingText ? ` ("${shorten(headingText)}")` : ""}: document structure, not a requirement`);
      continue;
    }
    notes.push(...lost);
    const id = normaliseId(rawId, options.prefix);
    if (id.kind === "missing") {
      note("lost", obj.node, label, "it has no ReqIF.ForeignID (or ID) attribute, so it has no requirement ID: not imported");
      continue;
    }
    if (id.kind === "number") {
      note("lost", obj.node, label, `its ID "${rawId}" is a number: not imported (give --prefix, e.g. --prefix REQ, to import it as REQ-${rawId})`);
      continue;
    }
    if (id.kind !== "ok") {
      note("lost", obj.node, label, `its ID "${shorten(rawId)}" is not PREFIX-NUMBER (e.g. REQ-12): not imported`);
      continue;
    }
    const elementName = `${label} (${id.id})`;
    const first = seenIds.get(id.id);
    if (first !== undefined) {
      note("lost", obj.node, elementName, `the ID ${id.id} is used by SPEC-OBJECT "${first}" already: not imported`);
      continue;
    }
    seenIds.set(id.id, obj.identifier);

    let title = textOf(fields.get("title"), "title")?.trim().replace(/\s+/g, " ") ?? "";
    if (title === "") {
      title = titleFromText(text) || id.id;
      note("skipped", obj.node, elementName, `it has no title (ReqIF.Name): the title is taken from its text ("${shorten(title)}")`);
    }
    const statusRaw = textOf(fields.get("status"), "status")?.trim() ?? "";
    let status: Status = "active";
    if (statusRaw !== "") {
      const mapped = STATUS_WORDS.find(([re]) => re.test(statusRaw))?.[1];
      if (mapped === undefined) note("lost", fields.get("status")!.node, elementName, `the status "${shorten(statusRaw)}" has no reqgate meaning: imported as draft`);
      status = mapped ?? "draft";
    }
    const requirement: ImportedRequirement = { id: id.id, title, text, status, parents: [], tags: [], links: [], attributes: Object.create(null) as Record<string, unknown>, path: `${id.id}.yml` };
    const verificationRaw = textOf(fields.get("verification"), "verification")?.trim() ?? "";
    if (verificationRaw !== "") {
      const method = VERIFICATION_WORDS[verificationRaw.toLowerCase()];
      if (method) requirement.verification = method;
      else note("lost", fields.get("verification")!.node, elementName, `the verification method "${shorten(verificationRaw)}" is not test, analysis, inspection or demonstration: not imported`);
    }
    const owner = textOf(fields.get("owner"), "owner")?.trim();
    if (owner) requirement.owner = owner;
    requirement.tags = splitList(textOf(fields.get("tags"), "tags"));
    requirement.links = splitList(textOf(fields.get("links"), "links"), /\n/);
    const superseded = textOf(fields.get("supersededBy"), "superseded_by")?.trim();
    if (superseded) requirement.supersededBy = superseded;
    const json = fields.get("attributes");
    if (json) {
      const parsed = parseAttributesJson(textOf(json, "attributes") ?? "");
      if (parsed === undefined) note("lost", json.node, elementName, "reqgate.attributes is not a JSON object: not imported");
      else Object.assign(requirement.attributes, parsed);
    }
    for (const [name, v] of extra) {
      const value = typeof v.value === "object" && !Array.isArray(v.value) ? textOf(v, name) : Array.isArray(v.value) ? (v.value.length === 1 ? v.value[0] : v.value) : v.value;
      if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) continue;
      Object.defineProperty(requirement.attributes, name, { value, enumerable: true, writable: true, configurable: true });
    }
    byIdentifier.set(obj.identifier, requirement);
  }

  // Parents: relations first; the SPECIFICATION tree when the file has no parent relations.
  let parentRelations = 0;
  for (const rel of within(body, "SPEC-RELATIONS")) {
    const typeRef = ownText(within(rel, "TYPE")[0] ?? {}).trim();
    const typeName = relationTypes.get(typeRef) ?? typeRef;
    const source = ownText(within(rel, "SOURCE")[0] ?? {}).trim();
    const target = ownText(within(rel, "TARGET")[0] ?? {}).trim();
    const label = `SPEC-RELATION "${attr(rel, "IDENTIFIER") ?? "?"}"`;
    if (typeName !== PARENT_RELATION.longName && !PARENT_TYPE.test(typeName)) {
      note("lost", rel, label, `its type "${shorten(typeName)}" is not a parent (refines) link, and reqgate has no other kind of link between requirements: not imported`);
      continue;
    }
    parentRelations++;
    const child = byIdentifier.get(source);
    const parent = byIdentifier.get(target);
    if (!child || !parent) {
      const missing = !child ? source : target;
      if (!headings.has(missing)) note("lost", rel, label, `it links SPEC-OBJECT "${missing}", which was not imported: the parent link is lost`);
      continue;
    }
    if (!child.parents.includes(parent.id) && child.id !== parent.id) child.parents.push(parent.id);
  }
  if (parentRelations === 0) {
    let nested = 0;
    for (const spec of within(body, "SPECIFICATIONS")) {
      // Iterative: the nearest requirement above each hierarchy node is its parent.
      const stack: Array<{ node: XmlNode; parent: ImportedRequirement | undefined }> = within(spec, "CHILDREN").map((node) => ({ node, parent: undefined }));
      while (stack.length > 0) {
        const { node, parent } = stack.pop()!;
        const ref = ownText(within(node, "OBJECT")[0] ?? {}).trim();
        const self = byIdentifier.get(ref);
        if (self && parent && !self.parents.includes(parent.id) && self.id !== parent.id) {
          self.parents.push(parent.id);
          nested++;
        }
        for (const child of within(node, "CHILDREN")) stack.push({ node: child, parent: self ?? parent });
      }
    }
    if (nested > 0) note("skipped", undefined, "SPECIFICATION", `the file has no parent relations: ${nested} requirements nested under another requirement in the document tree are taken as refining it`);
  }

  const requirements = [...byIdentifier.values()].sort((a, b) => compareIds(a.id, b.id));
  return { requirements, notes, errors: [] };
}

function normaliseId(raw: string, prefix: string | undefined): { kind: "ok"; id: string } | { kind: "missing" | "number" | "bad" } {
  if (raw === "") return { kind: "missing" };
  if (/^\d{1,9}$/.test(raw)) return prefix === undefined ? { kind: "number" } : { kind: "ok", id: `${prefix}-${raw}` };
  if (isIdShape(raw)) return { kind: "ok", id: raw };
  const upper = raw.toUpperCase().replace(/\s+/g, "");
  return isIdShape(upper) ? { kind: "ok", id: upper } : { kind: "bad" };
}

function splitList(value: string | undefined, separator: RegExp = /[\n,;]/): string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(separator).map((s) => s.trim()).filter((s) => s !== ""))];
}

function parseAttributesJson(text: string): Record<string, unknown> | undefined {
  try {
    // JSON.parse makes "__proto__" an own key, never the prototype.
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length <= 60 ? one : `${one.slice(0, 57)}…`;
}

function newlines(text: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) at.push(i);
  return at;
}

/** 1-based line of a character offset. */
function lineAt(newlineOffsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = newlineOffsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlineOffsets[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}
