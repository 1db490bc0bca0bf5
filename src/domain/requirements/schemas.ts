// zod schemas of the two kinds of user file (SPEC 1.1, 1.3). Descriptions feed the generated JSON Schemas
// in schema/, which editors use to validate the files as they are typed.
import * as z from "zod";
import { STATUSES, VERIFICATION_METHODS } from "./requirement.js";

const Text = z.string();
const IdList = z.array(z.string());

export const RequirementSchema = z
  .strictObject({
    id: z.string().describe("PREFIX-NUMBER, e.g. REQ-012. Exact string: REQ-12 and REQ-012 differ."),
    title: Text.describe("One line naming the requirement."),
    text: Text.describe("The normative statement (\"The system shall ...\")."),
    status: z.enum(STATUSES).default("active").describe("draft requirements are never baselined."),
    parents: IdList.default([]).describe("IDs of the requirements this one refines."),
    verification: z.enum(VERIFICATION_METHODS).optional().describe("How the requirement is verified."),
    owner: z.string().optional().describe("Who answers for the requirement, e.g. \"@acme/security\"."),
    tags: z.array(z.string()).default([]),
    links: z.array(z.string()).default([]).describe("Design and interface artifacts."),
    superseded_by: z.string().optional().describe("The requirement that replaces this one (only with status: retired)."),
    attributes: z.record(z.string(), z.unknown()).default({}).describe("Free-form data; part of the normative content."),
  })
  .describe("A reqgate requirement.");

export const RequirementFileSchema = z.union([
  RequirementSchema,
  z.strictObject({ requirements: z.array(RequirementSchema).describe("Several requirements in one file.") }),
]);

export const ChangeRecordSchema = z
  .strictObject({
    id: z.string().describe("PREFIX-NUMBER with the change prefix, e.g. CR-0042."),
    title: Text.describe("What the change does, in one line."),
    rationale: Text.describe("Why: the durable reason for moving the baseline."),
    affects: IdList.describe("Requirements this change adds, modifies, retires or removes."),
  })
  .describe("A reqgate change record.");

export const REQUIREMENT_KEYS = Object.keys(RequirementSchema.shape);
export const CHANGE_RECORD_KEYS = Object.keys(ChangeRecordSchema.shape);

export type RequirementData = z.output<typeof RequirementSchema>;
export type ChangeRecordData = z.output<typeof ChangeRecordSchema>;

// The usual valid file, checked without zod: the same data zod's safeParse returns (defaults filled in),
// or undefined for anything it would not accept as it is, which zod then parses for its diagnostics.
// zod's per-object cost (and its first-call compilation) was a fifth of `reqgate check` over 10k files.
const REQUIREMENT_KEY_SET: ReadonlySet<string> = new Set(REQUIREMENT_KEYS);
const CHANGE_RECORD_KEY_SET: ReadonlySet<string> = new Set(CHANGE_RECORD_KEYS);
const STATUS_SET: ReadonlySet<unknown> = new Set(STATUSES);
const METHOD_SET: ReadonlySet<unknown> = new Set(VERIFICATION_METHODS);

/** RequirementSchema's output for `value`, when it is valid without question; undefined: ask zod. */
export function quickRequirement(value: Readonly<Record<string, unknown>>): RequirementData | undefined {
  if (!onlyKeys(value, REQUIREMENT_KEY_SET)) return undefined;
  const { id, title, text, status, parents, verification, owner, tags, links, superseded_by: supersededBy, attributes } = value;
  if (typeof id !== "string" || typeof title !== "string" || typeof text !== "string") return undefined;
  if (status !== undefined && !STATUS_SET.has(status)) return undefined;
  if (verification !== undefined && !METHOD_SET.has(verification)) return undefined;
  if ((owner !== undefined && typeof owner !== "string") || (supersededBy !== undefined && typeof supersededBy !== "string")) return undefined;
  if (!optionalStrings(parents) || !optionalStrings(tags) || !optionalStrings(links)) return undefined;
  if (attributes !== undefined && !plainRecord(attributes)) return undefined;
  const data: RequirementData = {
    id,
    title,
    text,
    status: (status ?? "active") as RequirementData["status"],
    parents: (parents as string[] | undefined) ?? [],
    tags: (tags as string[] | undefined) ?? [],
    links: (links as string[] | undefined) ?? [],
    attributes: attributes ?? {},
  };
  if (verification !== undefined) data.verification = verification as RequirementData["verification"];
  if (owner !== undefined) data.owner = owner;
  if (supersededBy !== undefined) data.superseded_by = supersededBy;
  return data;
}

/** ChangeRecordSchema's output for `value`, when it is valid without question; undefined: ask zod. */
export function quickChangeRecord(value: Readonly<Record<string, unknown>>): ChangeRecordData | undefined {
  if (!onlyKeys(value, CHANGE_RECORD_KEY_SET)) return undefined;
  const { id, title, rationale, affects } = value;
  if (typeof id !== "string" || typeof title !== "string" || typeof rationale !== "string" || affects === undefined || !optionalStrings(affects)) return undefined;
  return { id, title, rationale, affects: affects as string[] };
}

function onlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  if (!plainRecord(value)) return false;
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

function optionalStrings(value: unknown): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== "string") return false;
  return true;
}

/** An ordinary or null-prototype object without a `__proto__` own key (zod's edge cases stay zod's). */
function plainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(value, "__proto__");
}
