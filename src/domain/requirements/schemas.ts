// zod schemas of the two kinds of user file (SPEC 1.1, 1.3). Descriptions feed the generated JSON Schemas
// in schema/, which editors use to validate the files as they are typed.
import { z } from "zod";
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
