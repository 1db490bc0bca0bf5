// Writes test/support/github-routes.json: every REST operation of GitHub's OpenAPI description
// (api.github.com, from @octokit/openapi, MIT) reduced to what the contract check in tests needs:
// method, path template, query parameter names, the top-level body properties with `required`, and for
// body properties that are objects (a check run's `output`) their required properties and string limits.
// The full description is 385 MB installed, so it is not a dependency; run this to refresh:
//   npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz && node scripts/extract-openapi-routes.js package/generated/api.github.com.deref.json
import { readFileSync, writeFileSync } from "node:fs";

const [file] = process.argv.slice(2);
if (!file) throw new Error("usage: node scripts/extract-openapi-routes.js <api.github.com.deref.json>");
const spec = JSON.parse(readFileSync(file, "utf8"));
const routes = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of ["get", "post", "put", "patch", "delete"]) {
    const op = item[method];
    if (!op) continue;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
    const body = op.requestBody?.content?.["application/json"]?.schema;
    const route = { method: method.toUpperCase(), path, operationId: op.operationId, query: params.filter((p) => p.in === "query").map((p) => p.name).sort() };
    if (body && body.type === "object" && body.properties) {
      route.body = { properties: Object.keys(body.properties).sort(), required: body.required ?? [], open: body.additionalProperties !== false };
      const nested = nestedObjects(body.properties);
      if (Object.keys(nested).length > 0) route.body.nested = nested;
    }
    routes.push(route);
  }
}
/**
 * Object-valued body properties: their required properties (the description marks some only in words,
 * "**Required**.", as the update of a check run does for `output.title`) and the maxLength of strings.
 */
function nestedObjects(properties) {
  const out = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema?.type !== "object" || !schema.properties) continue;
    const props = Object.entries(schema.properties);
    const required = new Set(schema.required ?? []);
    for (const [key, p] of props) if (typeof p?.description === "string" && p.description.startsWith("**Required**")) required.add(key);
    const maxLength = Object.fromEntries(props.filter(([, p]) => p?.type === "string" && typeof p.maxLength === "number").map(([key, p]) => [key, p.maxLength]));
    if (required.size === 0 && Object.keys(maxLength).length === 0) continue;
    out[name] = { required: [...required].sort(), ...(Object.keys(maxLength).length > 0 ? { maxLength } : {}) };
  }
  return out;
}

routes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1));
writeFileSync("test/support/github-routes.json", JSON.stringify({ source: `@octokit/openapi ${spec.info?.version ?? ""}`.trim(), routes }) + "\n");
console.log(`${routes.length} operations`);
