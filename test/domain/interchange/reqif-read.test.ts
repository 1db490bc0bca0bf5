// `import reqif`'s reader in-process, on small documents written here: what a file from another tool can
// hold that reqgate's own export never does (numbers as IDs, unknown statuses, typed values, relations
// of other kinds, broken references), and each refusal's message. The CLI tests drive the fixtures.
import { describe, expect, it } from "@jest/globals";
import { readReqif } from "../../../src/domain/interchange/reqif-read.js";
import { REQIF_NAMESPACE } from "../../../src/domain/interchange/reqif-format.js";

type Value = { def: string; kind?: "STRING" | "XHTML" | "INTEGER" | "REAL" | "BOOLEAN" | "ENUMERATION"; value: string | string[] };
interface Obj {
  identifier?: string;
  type?: string;
  values: Value[];
}

/** Attribute definitions by LONG-NAME; each gets the identifier `def-<n>`. */
const NAMES = ["ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text", "Status", "Verification Method", "Owner", "Keywords", "reqgate.links", "Superseded By", "reqgate.attributes", "Priority", "Weight", "Safety", "Colour", "ReqIF.ForeignModifiedBy", "Object Heading", "reqgate.file"];
const defId = (longName: string) => `def-${NAMES.indexOf(longName)}`;

function valueXml(v: Value): string {
  const kind = v.kind ?? "STRING";
  const ref = `<DEFINITION><ATTRIBUTE-DEFINITION-${kind}-REF>${NAMES.includes(v.def) ? defId(v.def) : v.def}</ATTRIBUTE-DEFINITION-${kind}-REF></DEFINITION>`;
  if (kind === "XHTML") return `<ATTRIBUTE-VALUE-XHTML>${ref}<THE-VALUE><xhtml:div>${String(v.value)}</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>`;
  if (kind === "ENUMERATION") return `<ATTRIBUTE-VALUE-ENUMERATION>${ref}<VALUES>${(v.value as string[]).map((e) => `<ENUM-VALUE-REF>${e}</ENUM-VALUE-REF>`).join("")}</VALUES></ATTRIBUTE-VALUE-ENUMERATION>`;
  return `<ATTRIBUTE-VALUE-${kind} THE-VALUE="${String(v.value)}">${ref}</ATTRIBUTE-VALUE-${kind}>`;
}

/** A ReqIF document with the given objects, relations (source, target, relation type name) and tree. */
function reqif(objects: Obj[], relations: Array<[string, string, string]> = [], tree = ""): string {
  const definitions = NAMES.map((name, i) => `<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="def-${i}" LONG-NAME="${name}"/>`).join("");
  const objectXml = objects
    .map((o) => `<SPEC-OBJECT${o.identifier === undefined ? "" : ` IDENTIFIER="${o.identifier}"`}><TYPE><SPEC-OBJECT-TYPE-REF>${o.type ?? "t-req"}</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>${o.values.map(valueXml).join("")}</VALUES></SPEC-OBJECT>`)
    .join("\n");
  const relationTypes = [...new Set(relations.map((r) => r[2]))];
  const relationXml = relations
    .map(([source, target, type], i) => `<SPEC-RELATION IDENTIFIER="rel-${i}"><TYPE><SPEC-RELATION-TYPE-REF>rt-${relationTypes.indexOf(type)}</SPEC-RELATION-TYPE-REF></TYPE><SOURCE><SPEC-OBJECT-REF>${source}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>${target}</SPEC-OBJECT-REF></TARGET></SPEC-RELATION>`)
    .join("\n");
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<REQ-IF xmlns="${REQIF_NAMESPACE}" xmlns:xhtml="http://www.w3.org/1999/xhtml"><CORE-CONTENT><REQ-IF-CONTENT>`,
    `<DATATYPES><DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="dt-colour" LONG-NAME="Colour"><SPECIFIED-VALUES>`,
    `<ENUM-VALUE IDENTIFIER="c-red" LONG-NAME="Red"/><ENUM-VALUE IDENTIFIER="c-blue"><PROPERTIES><EMBEDDED-VALUE KEY="1" OTHER-CONTENT="blue"/></PROPERTIES></ENUM-VALUE><ENUM-VALUE/>`,
    `</SPECIFIED-VALUES></DATATYPE-DEFINITION-ENUMERATION></DATATYPES>`,
    `<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="t-req" LONG-NAME="Requirement"><SPEC-ATTRIBUTES>${definitions}<ATTRIBUTE-DEFINITION-STRING LONG-NAME="no identifier"/></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>`,
    `<SPEC-OBJECT-TYPE IDENTIFIER="t-heading" LONG-NAME="Chapter"/>`,
    relationTypes.map((name, i) => `<SPEC-RELATION-TYPE IDENTIFIER="rt-${i}" LONG-NAME="${name}"/>`).join(""),
    `</SPEC-TYPES>`,
    `<SPEC-OBJECTS>\n${objectXml}\n</SPEC-OBJECTS>`,
    `<SPEC-RELATIONS>${relationXml}</SPEC-RELATIONS>`,
    `<SPECIFICATIONS>${tree}</SPECIFICATIONS>`,
    `</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>`,
  ].join("\n");
}

const req = (identifier: string, id: string, ...more: Value[]): Obj => ({ identifier, values: [{ def: "ReqIF.ForeignID", value: id }, { def: "ReqIF.Name", value: `Title of ${id}` }, { def: "ReqIF.Text", value: `${id} shall hold.` }, ...more] });

describe("readReqif: files it refuses, each with what to do", () => {
  const errorOf = (content: string | Uint8Array) => {
    const result = readReqif("in.reqif", content);
    expect(result.requirements).toEqual([]);
    expect(result.errors).toHaveLength(1);
    const [e] = result.errors;
    return { message: e!.message, hint: e!.hint, line: e!.line };
  };

  it("bytes that are not UTF-8", () => {
    expect(errorOf(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]))).toEqual({ message: "the file is not UTF-8 text", hint: "export the ReqIF file as UTF-8 (the encoding every ReqIF tool writes by default)", line: 0 });
  });

  it("a document without CORE-CONTENT", () => {
    expect(errorOf(`<REQ-IF xmlns="${REQIF_NAMESPACE}">\n  <THE-HEADER/>\n</REQ-IF>`)).toEqual({ message: "the file has no CORE-CONTENT/REQ-IF-CONTENT", hint: "export the module again with its content", line: 1 });
  });

  it("a root element in a prefixed namespace other than ReqIF's names that namespace", () => {
    expect(errorOf(`<r:REQ-IF xmlns:r="urn:other"/>`).message).toBe(`the <REQ-IF> element is in the namespace "urn:other", not ReqIF 1.2's ${REQIF_NAMESPACE}`);
  });

  it("reads a root element with a namespace prefix when the prefix is ReqIF's", () => {
    const text = reqif([req("o1", "REQ-1")]).replace(`<REQ-IF xmlns="${REQIF_NAMESPACE}"`, `<rif:REQ-IF xmlns:rif="${REQIF_NAMESPACE}"`).replace("</REQ-IF>", "</rif:REQ-IF>");
    // Its children are in the default namespace (none here), found by local name all the same.
    expect(readReqif("in.reqif", text).requirements.map((r) => r.id)).toEqual(["REQ-1"]);
  });

  it("bytes are decoded as UTF-8 and a byte-order mark is dropped", () => {
    const bytes = new TextEncoder().encode(`\uFEFF${reqif([req("o1", "REQ-1", { def: "Owner", value: "Zoë" })])}`);
    expect(readReqif("in.reqif", bytes).requirements[0]!.owner).toBe("Zoë");
  });
});

describe("readReqif: IDs as other tools write them", () => {
  const objects = [
    req("o-plain", "REQ-7"),
    req("o-lower", "req-8"),
    req("o-number", "12"),
    req("o-bad", "hello world"),
    req("o-dup", "REQ-7"),
    { identifier: "o-none", values: [{ def: "ReqIF.Name", value: "No ID" }, { def: "ReqIF.Text", value: "Text." }] },
    { values: [{ def: "ReqIF.ForeignID", value: "REQ-99" }] },
  ];

  it("takes PREFIX-NUMBER IDs (upper-casing them), and notes the others with the reason", () => {
    const result = readReqif("in.reqif", reqif(objects));
    expect(result.errors).toEqual([]);
    expect(result.requirements.map((r) => r.id)).toEqual(["REQ-7", "REQ-8"]);
    expect(result.notes.map((n) => [n.kind, n.element, n.reason])).toEqual([
      ["lost", "SPEC-OBJECT", "it has no IDENTIFIER: not imported"],
      ["lost", `SPEC-OBJECT "o-number"`, `its ID "12" is a number: not imported (give --prefix, e.g. --prefix REQ, to import it as REQ-12)`],
      ["lost", `SPEC-OBJECT "o-bad"`, `its ID "hello world" is not PREFIX-NUMBER (e.g. REQ-12): not imported`],
      ["lost", `SPEC-OBJECT "o-dup" (REQ-7)`, `the ID REQ-7 is used by SPEC-OBJECT "o-plain" already: not imported`],
      ["lost", `SPEC-OBJECT "o-none"`, "it has no ReqIF.ForeignID (or ID) attribute, so it has no requirement ID: not imported"],
    ]);
  });

  it("with --prefix, a number alone becomes PREFIX-NUMBER", () => {
    const result = readReqif("in.reqif", reqif(objects), { prefix: "SYS" });
    expect(result.requirements.map((r) => r.id)).toEqual(["REQ-7", "REQ-8", "SYS-12"]);
  });

  it("gives each note the line of its element", () => {
    const result = readReqif("in.reqif", reqif(objects));
    const text = reqif(objects).split("\n");
    const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
    expect(result.notes.find((n) => n.element === `SPEC-OBJECT "o-bad"`)!.line).toBe(lineOf(`IDENTIFIER="o-bad"`));
  });
});

describe("readReqif: fields and attributes", () => {
  it("maps status, verification, owner, tags, links, successor and reqgate.attributes; other attributes by LONG-NAME", () => {
    const result = readReqif(
      "in.reqif",
      reqif([
        req(
          "o1",
          "REQ-1",
          { def: "Status", value: "Obsolete" },
          { def: "Verification Method", value: "T" },
          { def: "Owner", value: " drive-team " },
          { def: "Keywords", value: "safety, brakes; safety\nabs" },
          { def: "reqgate.links", value: "https://a.example/1&#10;https://a.example/2, still one" },
          { def: "Superseded By", value: "REQ-2" },
          { def: "reqgate.attributes", value: "{&quot;asil&quot;:&quot;B&quot;}" },
          { def: "Priority", kind: "INTEGER", value: "3" },
          { def: "Weight", kind: "REAL", value: "not a number" },
          { def: "Safety", kind: "BOOLEAN", value: "1" },
          { def: "Colour", kind: "ENUMERATION", value: ["c-red", "c-blue", "c-unknown"] },
          { def: "reqgate.file", value: "ignored/REQ-1.yml" },
        ),
        req("o2", "REQ-2", { def: "Colour", kind: "ENUMERATION", value: ["c-blue"] }, { def: "Priority", kind: "INTEGER", value: "" }, { def: "Safety", kind: "BOOLEAN", value: "false" }),
      ]),
    );
    expect(result.errors).toEqual([]);
    expect(result.notes).toEqual([]);
    const [one, two] = result.requirements;
    expect(one).toEqual({
      id: "REQ-1",
      title: "Title of REQ-1",
      text: "REQ-1 shall hold.",
      status: "retired",
      verification: "test",
      owner: "drive-team",
      parents: [],
      tags: ["safety", "brakes", "abs"],
      links: ["https://a.example/1", "https://a.example/2, still one"],
      supersededBy: "REQ-2",
      attributes: { asil: "B", Priority: 3, Weight: "not a number", Safety: true, Colour: ["Red", "blue", "c-unknown"] },
      path: "REQ-1.yml",
    });
    // One enumeration value is a value, not a list; an empty value is left out.
    expect(two!.attributes).toEqual({ Colour: "blue", Safety: false });
    expect(two!.status).toBe("active");
  });

  it("notes a status and a verification method it cannot map, attributes that are not JSON, and undeclared definitions", () => {
    const result = readReqif(
      "in.reqif",
      reqif([
        req("o1", "REQ-1", { def: "Status", value: "Parked" }, { def: "Verification Method", value: "Hunch" }, { def: "reqgate.attributes", value: "[1, 2]" }, { def: "def-missing", value: "x" }),
        req("o2", "REQ-2", { def: "reqgate.attributes", value: "{not json" }),
      ]),
    );
    expect(result.requirements.map((r) => [r.id, r.status, r.verification])).toEqual([
      ["REQ-1", "draft", undefined],
      ["REQ-2", "active", undefined],
    ]);
    expect(result.notes.map((n) => [n.element, n.reason])).toEqual([
      [`SPEC-OBJECT "o1"`, `a value refers to the attribute definition "def-missing", which the file does not declare: not imported`],
      [`SPEC-OBJECT "o1" (REQ-1)`, `the status "Parked" has no reqgate meaning: imported as draft`],
      [`SPEC-OBJECT "o1" (REQ-1)`, "the verification method \"Hunch\" is not test, analysis, inspection or demonstration: not imported"],
      [`SPEC-OBJECT "o1" (REQ-1)`, "reqgate.attributes is not a JSON object: not imported"],
      [`SPEC-OBJECT "o2" (REQ-2)`, "reqgate.attributes is not a JSON object: not imported"],
    ]);
  });

  it("takes a missing title from the text, and notes tool history once per attribute", () => {
    const history = { def: "ReqIF.ForeignModifiedBy", value: "someone" };
    const result = readReqif(
      "in.reqif",
      reqif([
        { identifier: "o1", values: [{ def: "ReqIF.ForeignID", value: "REQ-1" }, { def: "ReqIF.Text", kind: "XHTML", value: "<xhtml:p>The pump shall stop. Within a second.</xhtml:p>" }, history] },
        { identifier: "o2", values: [{ def: "ReqIF.ForeignID", value: "REQ-2" }, history] },
      ]),
    );
    expect(result.requirements.map((r) => [r.id, r.title, r.text])).toEqual([
      ["REQ-1", "The pump shall stop.", "The pump shall stop. Within a second."],
      ["REQ-2", "REQ-2", ""],
    ]);
    expect(result.notes.map((n) => [n.kind, n.element, n.reason])).toEqual([
      ["skipped", `attribute "ReqIF.ForeignModifiedBy"`, "tool history (who and when), not part of a requirement's content: not imported (reqgate's history is git and its change records)"],
      ["skipped", `SPEC-OBJECT "o1" (REQ-1)`, `it has no title (ReqIF.Name): the title is taken from its text ("The pump shall stop.")`],
      ["skipped", `SPEC-OBJECT "o2" (REQ-2)`, `it has no title (ReqIF.Name): the title is taken from its text ("REQ-2")`],
    ]);
  });
});

describe("readReqif: parents", () => {
  const heading: Obj = { identifier: "h1", type: "t-heading", values: [{ def: "Object Heading", value: "Braking" }] };

  it("takes refining relations as parents; other relation types and links to what was not imported are noted", () => {
    const result = readReqif(
      "in.reqif",
      reqif(
        [req("a", "REQ-1"), req("b", "REQ-2"), req("c", "REQ-3"), heading, req("bad", "not an id")],
        [
          ["b", "a", "Refines"],
          ["b", "a", "refines"],
          ["c", "c", "Derived from"],
          ["c", "h1", "Satisfies"],
          ["c", "bad", "Satisfies"],
          ["a", "b", "Conflicts with"],
        ],
      ),
    );
    expect(result.requirements.map((r) => [r.id, r.parents])).toEqual([
      ["REQ-1", []],
      ["REQ-2", ["REQ-1"]],
      ["REQ-3", []],
    ]);
    expect(result.notes.map((n) => [n.element, n.reason])).toEqual([
      [`SPEC-OBJECT "h1"`, `a heading ("Braking"): document structure, not a requirement`],
      [`SPEC-OBJECT "bad"`, `its ID "not an id" is not PREFIX-NUMBER (e.g. REQ-12): not imported`],
      [`SPEC-RELATION "rel-4"`, `it links SPEC-OBJECT "bad", which was not imported: the parent link is lost`],
      [`SPEC-RELATION "rel-5"`, `its type "Conflicts with" is not a parent (refines) link, and reqgate has no other kind of link between requirements: not imported`],
    ]);
  });

  it("without parent relations, takes the document tree: the nearest requirement above, headings between not counting", () => {
    const node = (object: string, children = "") => `<SPEC-HIERARCHY><OBJECT><SPEC-OBJECT-REF>${object}</SPEC-OBJECT-REF></OBJECT>${children ? `<CHILDREN>${children}</CHILDREN>` : ""}</SPEC-HIERARCHY>`;
    const tree = `<SPECIFICATION IDENTIFIER="s1"><CHILDREN>${node("h1", node("a", node("h2", node("b")) + node("c")))}</CHILDREN></SPECIFICATION>`;
    const result = readReqif("in.reqif", reqif([heading, { ...heading, identifier: "h2" }, req("a", "REQ-1"), req("b", "REQ-2"), req("c", "REQ-3")], [], tree));
    expect(result.requirements.map((r) => [r.id, r.parents])).toEqual([
      ["REQ-1", []],
      ["REQ-2", ["REQ-1"]],
      ["REQ-3", ["REQ-1"]],
    ]);
    expect(result.notes.at(-1)).toEqual({ kind: "skipped", file: "in.reqif", line: 0, element: "SPECIFICATION", reason: "the file has no parent relations: 2 requirements nested under another requirement in the document tree are taken as refining it" });
  });
});
