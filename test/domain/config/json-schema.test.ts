import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { jsonSchemas } from "../../../src/domain/config/json-schema.js";

describe("committed JSON Schemas", () => {
  it.each([...jsonSchemas()])("schema/%s matches the zod schema (run `npm run build && npm run schema` if not)", (file, text) => {
    expect(readFileSync(`schema/${file}`, "utf8")).toBe(text);
  });

  it("describes the configuration keys with their defaults", () => {
    const config = JSON.parse(jsonSchemas().get("reqgate.schema.json")!) as { properties: Record<string, { properties: Record<string, { default?: unknown }> }>; additionalProperties: boolean };
    expect(config.additionalProperties).toBe(false);
    expect(config.properties.issues!.properties.label!.default).toBe("needs-requirement");
    expect(config.properties.requirements!.properties.prefixes!.default).toEqual(["REQ"]);
  });
});
