// `reqgate report --format reqif`: the requirement set as one ReqIF 1.2 file, valid against the OMG
// schema (test/fixtures/reqif-schema). Built with fast-xml-parser's XMLBuilder, which escapes text and
// attribute values; reqgate adds to its entity table only the three whitespace characters that XML
// would otherwise normalise to spaces inside attribute values (tab, line feed, carriage return), so a
// multi-line value reads back as written. Characters that XML 1.0 cannot carry at all (most C0 controls,
// lone surrogates, U+FFFE/U+FFFF) are replaced by U+FFFD, with a warning naming the requirement.
//
// Provenance (repository, commit, branch, date, reqgate version, configuration) is the REQ-IF-HEADER:
// REPOSITORY-ID, CREATION-TIME, REQ-IF-TOOL-ID and a COMMENT with the report's provenance lines.
// The hierarchy is written twice, for two kinds of reader: every parent link as a SPEC-RELATION of type
// "reqgate.parent" (complete: a requirement may refine several parents), and the SPECIFICATION tree with
// each requirement under its first parent (what DOORS and Polarion show as the document outline). The
// tree is at most MAX_TREE_DEPTH levels deep; a deeper chain continues at the top level (the relations
// still say everything), and requirements in a parent cycle are placed at the top level too.
import { XMLBuilder } from "fast-xml-parser";
import { cmp } from "../core/diagnostic.js";
import type { Provenance } from "../report/provenance.js";
import { describeProvenance } from "../report/provenance.js";
import { STATUSES, VERIFICATION_METHODS, type Requirement } from "../requirements/requirement.js";
import { FIELDS, OBJECT_TYPE, PARENT_RELATION, REQIF_NAMESPACE, SPECIFICATION_TYPE, XHTML_NAMESPACE, type FieldDefinition } from "./reqif-format.js";
import { textToXhtml } from "./xhtml.js";
import { el, text, type XmlNode } from "./xml-nodes.js";

export const MAX_TREE_DEPTH = 40;
const MAX_STRING = 16 * 1024 * 1024;

export interface ReqifInput {
  requirements: readonly Requirement[];
  provenance: Provenance;
}

export interface ReqifOutput {
  text: string;
  /** What could not be written exactly: replaced characters, parents that are not in the set. */
  warnings: string[];
}

const ENTITIES = [
  { regex: /&/g, val: "&amp;" },
  { regex: />/g, val: "&gt;" },
  { regex: /</g, val: "&lt;" },
  { regex: /'/g, val: "&apos;" },
  { regex: /"/g, val: "&quot;" },
  { regex: /\t/g, val: "&#9;" },
  { regex: /\n/g, val: "&#10;" },
  { regex: /\r/g, val: "&#13;" },
];

// `entities` is the builder's own escaping table (fast-xml-builder's defaults, which its type omits).
const OUTER_OPTIONS = { ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true, format: true, indentBy: "  ", suppressEmptyNode: true, stopNodes: ["..THE-VALUE"], entities: ENTITIES };
const OUTER = new XMLBuilder(OUTER_OPTIONS);
// XHTML is mixed content: indentation would add whitespace to the text, so it is built on one line and
// placed into THE-VALUE as it is (THE-VALUE is a stop node of the outer builder: not escaped twice).
const INLINE = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true, format: false, suppressEmptyNode: true });

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function renderReqif(input: ReqifInput): ReqifOutput {
  const warnings: string[] = [];
  const p = input.provenance;
  const stamp = p.commitDate ?? p.generatedAt;
  const clean = (value: string, where: string): string => {
    if (!NOT_XML.test(value)) return value;
    NOT_XML.lastIndex = 0;
    warnings.push(`${where} has characters XML cannot carry (control characters or broken surrogates): written as U+FFFD`);
    return value.replace(NOT_XML, "\uFFFD");
  };

  const requirements = uniqueById(input.requirements, warnings);
  const byId = new Map(requirements.map((r) => [r.id, r]));
  const objectRef = (id: string) => `so-${ncname(id)}`;

  const objects = requirements.map((r) => el("SPEC-OBJECT", { IDENTIFIER: objectRef(r.id), "LAST-CHANGE": stamp }, [
    el("VALUES", {}, FIELDS.flatMap((f) => attributeValue(f, r, clean))),
    el("TYPE", {}, [el("SPEC-OBJECT-TYPE-REF", {}, [text(OBJECT_TYPE.identifier)])]),
  ]));

  const relations: XmlNode[] = [];
  for (const r of requirements) {
    for (const parent of new Set(r.parents)) {
      if (!byId.has(parent) || parent === r.id) {
        warnings.push(`${r.id}: its parent ${parent} is not in the requirement set: the link is not written`);
        continue;
      }
      relations.push(el("SPEC-RELATION", { IDENTIFIER: `sr-${ncname(r.id)}-${ncname(parent)}`, "LAST-CHANGE": stamp }, [
        el("SOURCE", {}, [el("SPEC-OBJECT-REF", {}, [text(objectRef(r.id))])]),
        el("TARGET", {}, [el("SPEC-OBJECT-REF", {}, [text(objectRef(parent))])]),
        el("TYPE", {}, [el("SPEC-RELATION-TYPE-REF", {}, [text(PARENT_RELATION.identifier)])]),
      ]));
    }
  }

  const header = el("REQ-IF-HEADER", { IDENTIFIER: `reqgate-header-${p.commit === null ? "worktree" : p.commit.slice(0, 12)}` }, [
    el("COMMENT", {}, [text(clean(describeProvenance(p).join("\n"), "the provenance"))]),
    el("CREATION-TIME", {}, [text(p.generatedAt)]),
    el("REPOSITORY-ID", {}, [text(clean(p.repository, "the repository name"))]),
    el("REQ-IF-TOOL-ID", {}, [text(`reqgate ${p.tool.version}`)]),
    el("REQ-IF-VERSION", {}, [text("1.0")]),
    el("SOURCE-TOOL-ID", {}, [text(`reqgate ${p.tool.version}`)]),
    el("TITLE", {}, [text(clean(`Requirements of ${p.repository}${p.commit === null ? "" : ` at ${p.commit.slice(0, 12)}`}`, "the repository name"))]),
  ]);

  const content = el("REQ-IF-CONTENT", {}, [
    el("DATATYPES", {}, datatypes(stamp)),
    el("SPEC-TYPES", {}, specTypes(stamp)),
    el("SPEC-OBJECTS", {}, objects),
    ...(relations.length > 0 ? [el("SPEC-RELATIONS", {}, relations)] : []),
    el("SPECIFICATIONS", {}, [el("SPECIFICATION", { IDENTIFIER: "spec-requirements", "LAST-CHANGE": stamp, "LONG-NAME": clean(`Requirements of ${p.repository}`, "the repository name") }, [
      el("TYPE", {}, [el("SPECIFICATION-TYPE-REF", {}, [text(SPECIFICATION_TYPE.identifier)])]),
      el("CHILDREN", {}, hierarchy(requirements, byId, stamp, objectRef)),
    ])]),
  ]);

  const doc: XmlNode[] = [
    { "?xml": [{ "#text": "" }], ":@": { version: "1.0", encoding: "UTF-8" } },
    el("REQ-IF", { xmlns: REQIF_NAMESPACE, "xmlns:xhtml": XHTML_NAMESPACE }, [
      el("THE-HEADER", {}, [header]),
      el("CORE-CONTENT", {}, [content]),
    ]),
  ];
  return { text: `${OUTER.build(doc).replace(/^\n+/, "")}\n`, warnings };
}

function attributeValue(f: FieldDefinition, r: Requirement, clean: (value: string, where: string) => string): XmlNode[] {
  const definition = (kind: string) => el("DEFINITION", {}, [el(`ATTRIBUTE-DEFINITION-${kind}-REF`, {}, [text(f.identifier)])]);
  if (f.kind === "ENUMERATION") {
    const value = f.field === "status" ? r.status : r.verification;
    if (value === undefined) return [];
    return [el("ATTRIBUTE-VALUE-ENUMERATION", {}, [definition("ENUMERATION"), el("VALUES", {}, [el("ENUM-VALUE-REF", {}, [text(`ev-${f.field}-${value}`)])])])];
  }
  if (f.kind === "XHTML") {
    const xhtml = INLINE.build([textToXhtml(clean(r.text, `${r.id}: the text`))]);
    return [el("ATTRIBUTE-VALUE-XHTML", {}, [definition("XHTML"), el("THE-VALUE", {}, [text(xhtml)])])];
  }
  const value = stringField(f, r);
  if (value === undefined) return [];
  return [el("ATTRIBUTE-VALUE-STRING", { "THE-VALUE": clean(value, `${r.id}: ${f.longName}`) }, [definition("STRING")])];
}

function stringField(f: FieldDefinition, r: Requirement): string | undefined {
  switch (f.field) {
    case "id": return r.id;
    case "title": return r.title;
    case "owner": return r.owner;
    case "supersededBy": return r.supersededBy;
    case "tags": return r.tags.length > 0 ? r.tags.join("\n") : undefined;
    case "links": return r.links.length > 0 ? r.links.join("\n") : undefined;
    case "attributes": return Object.keys(r.attributes).length > 0 ? JSON.stringify(sortedKeys(r.attributes)) : undefined;
    case "file": return r.origin.file;
    default: return undefined;
  }
}

function datatypes(stamp: string): XmlNode[] {
  const enumeration = (identifier: string, longName: string, field: string, values: readonly string[]) =>
    el("DATATYPE-DEFINITION-ENUMERATION", { IDENTIFIER: identifier, "LAST-CHANGE": stamp, "LONG-NAME": longName }, [
      el("SPECIFIED-VALUES", {}, values.map((v, i) => el("ENUM-VALUE", { IDENTIFIER: `ev-${field}-${v}`, "LAST-CHANGE": stamp, "LONG-NAME": v }, [
        el("PROPERTIES", {}, [el("EMBEDDED-VALUE", { KEY: String(i), "OTHER-CONTENT": v })]),
      ]))),
    ]);
  return [
    el("DATATYPE-DEFINITION-STRING", { IDENTIFIER: "dt-string", "LAST-CHANGE": stamp, "LONG-NAME": "string", "MAX-LENGTH": String(MAX_STRING) }),
    el("DATATYPE-DEFINITION-XHTML", { IDENTIFIER: "dt-xhtml", "LAST-CHANGE": stamp, "LONG-NAME": "xhtml" }),
    enumeration("dt-status", "reqgate status", "status", STATUSES),
    enumeration("dt-verification", "reqgate verification method", "verification", VERIFICATION_METHODS),
  ];
}

function specTypes(stamp: string): XmlNode[] {
  const definitions = FIELDS.map((f) => el(`ATTRIBUTE-DEFINITION-${f.kind}`, { IDENTIFIER: f.identifier, "LAST-CHANGE": stamp, "LONG-NAME": f.longName, DESC: f.desc, ...(f.kind === "ENUMERATION" ? { "MULTI-VALUED": "false" } : {}) }, [
    el("TYPE", {}, [el(`DATATYPE-DEFINITION-${f.kind}-REF`, {}, [text(f.datatype)])]),
  ]));
  return [
    el("SPEC-OBJECT-TYPE", { IDENTIFIER: OBJECT_TYPE.identifier, "LAST-CHANGE": stamp, "LONG-NAME": OBJECT_TYPE.longName }, [el("SPEC-ATTRIBUTES", {}, definitions)]),
    el("SPEC-RELATION-TYPE", { IDENTIFIER: PARENT_RELATION.identifier, "LAST-CHANGE": stamp, "LONG-NAME": PARENT_RELATION.longName, DESC: PARENT_RELATION.desc }),
    el("SPECIFICATION-TYPE", { IDENTIFIER: SPECIFICATION_TYPE.identifier, "LAST-CHANGE": stamp, "LONG-NAME": SPECIFICATION_TYPE.longName }),
  ];
}

/** The SPECIFICATION tree: each requirement once, under its first parent in the set; built without recursion. */
function hierarchy(requirements: readonly Requirement[], byId: ReadonlyMap<string, Requirement>, stamp: string, objectRef: (id: string) => string): XmlNode[] {
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const r of requirements) {
    const parent = r.parents.find((id) => id !== r.id && byId.has(id));
    if (parent === undefined) roots.push(r.id);
    else children.set(parent, [...(children.get(parent) ?? []), r.id]);
  }
  const top: XmlNode[] = [];
  const placed = new Set<string>();
  const queue: Array<{ id: string; depth: number; into: XmlNode[] }> = [];
  const place = (id: string, depth: number, into: XmlNode[]) => {
    const kids: XmlNode[] = [];
    into.push(el("SPEC-HIERARCHY", { IDENTIFIER: `sh-${ncname(id)}`, "LAST-CHANGE": stamp }, [
      el("OBJECT", {}, [el("SPEC-OBJECT-REF", {}, [text(objectRef(id))])]),
      el("CHILDREN", {}, kids),
    ]));
    placed.add(id);
    for (const child of (children.get(id) ?? []).sort(compareIds)) queue.push(depth + 1 >= MAX_TREE_DEPTH ? { id: child, depth: 0, into: top } : { id: child, depth: depth + 1, into: kids });
  };
  const drain = () => {
    for (let i = 0; i < queue.length; i++) {
      const next = queue[i]!;
      if (!placed.has(next.id)) place(next.id, next.depth, next.into);
    }
    queue.length = 0;
  };
  for (const id of roots.sort(compareIds)) {
    place(id, 0, top);
    drain();
  }
  // What no root reaches is in a parent cycle: at the top level, so that every requirement is in the tree.
  for (const r of [...requirements].sort((a, b) => compareIds(a.id, b.id))) {
    if (placed.has(r.id)) continue;
    place(r.id, 0, top);
    drain();
  }
  return top;
}

function uniqueById(requirements: readonly Requirement[], warnings: string[]): Requirement[] {
  const seen = new Set<string>();
  const out: Requirement[] = [];
  for (const r of requirements) {
    if (seen.has(r.id)) {
      warnings.push(`${r.id} is defined more than once: only the first (${out.find((x) => x.id === r.id)!.origin.file}) is written`);
      continue;
    }
    seen.add(r.id);
    out.push(r);
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/** An XML ID (NCName) made from a requirement ID; reqgate IDs are NCNames already. */
function ncname(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, "_");
}

/** IDs in a person's order: by prefix, then by number (REQ-2 before REQ-10). */
export function compareIds(a: string, b: string): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]) || cmp(a, b);
  return cmp(a, b);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === "object") {
    // Null prototype: a "__proto__" key is data here, as everywhere in reqgate.
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
