// The shape of the ReqIF 1.2 files reqgate writes, shared by the writer and the reader: namespaces, the
// attribute definitions (LONG-NAMEs) and the relation type. Requirements are SPEC-OBJECTs of one
// SPEC-OBJECT-TYPE; the standard ReqIF Implementation Guide names (ReqIF.ForeignID, ReqIF.Name,
// ReqIF.Text) carry ID, title and text, so DOORS, Polarion and Jama show them in their usual columns;
// the rest of reqgate's fields are `reqgate.*` attributes. Parent links are SPEC-RELATIONs of the type
// "reqgate.parent" (source: the requirement, target: the parent it refines), and the SPECIFICATION tree
// shows the same hierarchy for tools that navigate by it.

export const REQIF_NAMESPACE = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";
export const XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

export type FieldKind = "STRING" | "XHTML" | "ENUMERATION";

export interface FieldDefinition {
  /** reqgate's field. */
  field: "id" | "title" | "text" | "status" | "verification" | "owner" | "tags" | "links" | "supersededBy" | "attributes" | "file";
  identifier: string;
  longName: string;
  kind: FieldKind;
  /** The datatype's IDENTIFIER. */
  datatype: string;
  desc: string;
}

export const FIELDS: readonly FieldDefinition[] = [
  { field: "id", identifier: "ad-id", longName: "ReqIF.ForeignID", kind: "STRING", datatype: "dt-string", desc: "reqgate ID (PREFIX-NUMBER)" },
  { field: "title", identifier: "ad-title", longName: "ReqIF.Name", kind: "STRING", datatype: "dt-string", desc: "title" },
  { field: "text", identifier: "ad-text", longName: "ReqIF.Text", kind: "XHTML", datatype: "dt-xhtml", desc: "the normative statement" },
  { field: "status", identifier: "ad-status", longName: "reqgate.status", kind: "ENUMERATION", datatype: "dt-status", desc: "draft, active or retired" },
  { field: "verification", identifier: "ad-verification", longName: "reqgate.verification", kind: "ENUMERATION", datatype: "dt-verification", desc: "how the requirement is verified" },
  { field: "owner", identifier: "ad-owner", longName: "reqgate.owner", kind: "STRING", datatype: "dt-string", desc: "who answers for the requirement" },
  { field: "tags", identifier: "ad-tags", longName: "reqgate.tags", kind: "STRING", datatype: "dt-string", desc: "tags, one per line" },
  { field: "links", identifier: "ad-links", longName: "reqgate.links", kind: "STRING", datatype: "dt-string", desc: "design and interface artifacts, one per line" },
  { field: "supersededBy", identifier: "ad-superseded-by", longName: "reqgate.superseded_by", kind: "STRING", datatype: "dt-string", desc: "the requirement that replaces a retired one" },
  { field: "attributes", identifier: "ad-attributes", longName: "reqgate.attributes", kind: "STRING", datatype: "dt-string", desc: "free-form attributes as JSON (normative)" },
  { field: "file", identifier: "ad-file", longName: "reqgate.file", kind: "STRING", datatype: "dt-string", desc: "the repository file that defines the requirement" },
];

export const PARENT_RELATION = { identifier: "srt-parent", longName: "reqgate.parent", desc: "the source requirement refines the target (its parent)" } as const;
export const OBJECT_TYPE = { identifier: "sot-requirement", longName: "reqgate requirement" } as const;
export const SPECIFICATION_TYPE = { identifier: "st-requirements", longName: "reqgate requirements" } as const;
