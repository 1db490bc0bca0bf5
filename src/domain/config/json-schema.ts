// JSON Schemas generated from the zod schemas, for editors (yaml-language-server and the like). The
// committed copies in schema/ are written by `npm run schema`; a test fails when they are stale.
import * as z from "zod";
import { ConfigSchema } from "./config.js";
import { ChangeRecordSchema, RequirementFileSchema } from "../requirements/schemas.js";
import { LockLineSchema } from "../requirements/lock-schema.js";
import { CONFIG_PATH } from "./config-path.js";


const BASE = "https://raw.githubusercontent.com/reqgate/reqgate/main/schema";

export const JSON_SCHEMA_FILES = {
  "reqgate.schema.json": { schema: ConfigSchema, title: `reqgate configuration (${CONFIG_PATH})` },
  "requirement.schema.json": { schema: RequirementFileSchema, title: "reqgate requirement file" },
  "change-record.schema.json": { schema: ChangeRecordSchema, title: "reqgate change record" },
  "baseline-lock.schema.json": { schema: LockLineSchema, title: "one line of the reqgate baseline lock (requirements/baseline.lock: one JSON object per line)" },
} as const;

/** File name -> the JSON text to commit (stable key order, trailing newline). */
export function jsonSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, { schema, title }] of Object.entries(JSON_SCHEMA_FILES)) {
    // "input": what a person may write, so keys with defaults are optional.
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
    if (schema === ConfigSchema) {
      // Consumed by the loader before validation (Probot's organisation-wide defaults).
      const properties = json.properties as Record<string, unknown>;
      json.properties = { _extends: { type: "string", description: "Inherit from a file of this repository, \"./path/to/file.yml\" (from the repository root), or of another repository of the same owner, \"repo\" or \"repo:path/to/file.yml\"." }, ...properties };
    }
    const document = { $schema: json.$schema, $id: `${BASE}/${file}`, title, ...json };
    out.set(file, `${JSON.stringify(document, null, 2)}\n`);
  }
  return out;
}
