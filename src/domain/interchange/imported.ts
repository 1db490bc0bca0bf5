// What an import produces, whatever it read: requirements as reqgate's files will hold them, the notes
// on what could not be converted (and why), and the errors that stop an import before anything is
// written. Shared by `import reqif` and `import doorstop`; the files are written by src/local.
import { stringify } from "yaml";
import type { Diagnostic } from "../core/diagnostic.js";
import type { Requirement } from "../requirements/requirement.js";

/** A requirement as its file will hold it (no origin yet: the file is still to be written). */
export type ImportedRequirement = Omit<Requirement, "origin"> & {
  /** Where the file goes, relative to the output folder: `REQ-1.yml`, `tut/TUT-001.yml`. */
  path: string;
};

/**
 * lost: content or links that did not make it into reqgate's files (the import exits 1 so it is read).
 * skipped: left out by design, said so (headings, non-normative items, tool metadata).
 */
export type NoteKind = "lost" | "skipped";

export interface ConversionNote {
  kind: NoteKind;
  /** The file read, as given. */
  file: string;
  /** 1-based; 0 when not known. */
  line: number;
  /** What in the file: `SPEC-OBJECT "_a1" (SRS-12) > xhtml:object`, `item TUT003`. */
  element: string;
  reason: string;
}

export interface ImportResult {
  requirements: ImportedRequirement[];
  notes: ConversionNote[];
  /** The input cannot be read at all: nothing is written, exit 2. */
  errors: Diagnostic[];
}

/** A requirement file, in reqgate's key order; multi-line text as a literal block. */
export function renderRequirementYaml(r: ImportedRequirement): string {
  const doc = Object.create(null) as Record<string, unknown>;
  doc.id = r.id;
  doc.title = r.title;
  doc.text = r.text;
  doc.status = r.status;
  if (r.parents.length > 0) doc.parents = r.parents;
  if (r.verification !== undefined) doc.verification = r.verification;
  if (r.owner !== undefined) doc.owner = r.owner;
  if (r.tags.length > 0) doc.tags = r.tags;
  if (r.links.length > 0) doc.links = r.links;
  if (r.supersededBy !== undefined) doc.superseded_by = r.supersededBy;
  if (Object.keys(r.attributes).length > 0) doc.attributes = r.attributes;
  return stringify(doc, { lineWidth: 100, blockQuote: "literal", aliasDuplicateObjects: false });
}

/** A title for a requirement that has none: the first sentence or line of its text, at most 80 characters. */
export function titleFromText(text: string): string {
  const first = text.trim().split("\n")[0]!.replace(/^#+\s*/, "").trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(first)?.[1] ?? first;
  if (sentence.length <= 80) return sentence;
  const cut = sentence.slice(0, 80);
  const space = cut.lastIndexOf(" ");
  return `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
