// `npm run schema`: writes schema/*.json from the zod schemas (run `npm run build` first).
import { mkdirSync, writeFileSync } from "node:fs";
import { jsonSchemas } from "../dist/domain/config/json-schema.js";

mkdirSync("schema", { recursive: true });
for (const [file, text] of jsonSchemas()) {
  writeFileSync(`schema/${file}`, text);
  console.log(`wrote schema/${file}`);
}
