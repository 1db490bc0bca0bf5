// The contract every request of the App must keep, checked in tests as a stand-in for GitHub would:
// REST requests must be operations of GitHub's OpenAPI description (method, path, query parameters,
// body properties), GraphQL documents must validate against GitHub's published schema.
// Installed as an Octokit plugin by the test helpers; violations are collected and asserted after
// each test, so a request nock happens to answer still fails the test when GitHub would refuse it.
import { readFileSync } from "node:fs";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";

interface Route {
  method: string;
  path: string;
  operationId: string;
  query: string[];
  body?: { properties: string[]; required: string[]; open: boolean; nested?: Record<string, { required: string[]; maxLength?: Record<string, number> }> };
}

const routes = (JSON.parse(readFileSync(new URL("./github-routes.json", import.meta.url), "utf8")) as { routes: Route[] }).routes;

/** Template segments become patterns; a parameter may hold slashes only where GitHub allows (paths, refs). */
const compiled = routes.map((route) => {
  const pattern = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => (["path", "ref", "basehead", "name"].includes(name) ? "(.+)" : "([^/]+)"));
  return { route, regex: new RegExp(`^${pattern}$`), literal: route.path.replace(/\{\w+\}/g, "").length };
});

export function findRoute(method: string, pathname: string): Route | undefined {
  // The most literal template wins: /repos/{o}/{r}/issues/comments/{id} over /repos/{o}/{r}/issues/{n}/...
  let best: { route: Route; literal: number } | undefined;
  for (const c of compiled) {
    if (c.route.method !== method || !c.regex.test(pathname)) continue;
    if (!best || c.literal > best.literal) best = { route: c.route, literal: c.literal };
  }
  return best?.route;
}

let schema: GraphQLSchema | undefined;
function graphqlSchema(): GraphQLSchema {
  // The package exports only its JS entry (import condition); the introspection file sits next to it
  // (its SDL file repeats two fields, which buildSchema rejects).
  const introspection = JSON.parse(readFileSync(new URL("../../node_modules/@octokit/graphql-schema/schema.json", import.meta.url), "utf8")) as { data?: IntrospectionQuery } & IntrospectionQuery;
  schema ??= buildClientSchema(introspection.data ?? introspection);
  return schema;
}

/** Problems with one request, as GitHub's description sees it; empty when it conforms. */
export function contractProblems(request: { method: string; url: string; body?: unknown }): string[] {
  const url = new URL(request.url, "https://api.github.com");
  // GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql.
  const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, "").replace(/^\/api\/graphql$/, "/graphql"));
  if (request.method === "POST" && path === "/graphql") {
    const { query } = (typeof request.body === "string" ? JSON.parse(request.body) : request.body) as { query?: string };
    if (typeof query !== "string") return ["a GraphQL request without a query"];
    try {
      return validate(graphqlSchema(), parse(query)).map((e) => `GraphQL: ${e.message}`);
    } catch (error) {
      return [`GraphQL: ${(error as Error).message}`];
    }
  }
  // Match on the raw path so that %2F inside a parameter stays inside it.
  const route = findRoute(request.method, url.pathname.replace(/^\/api\/v3/, "")) ?? findRoute(request.method, path);
  if (!route) return [`${request.method} ${path} is not an operation of GitHub's REST API`];
  const problems: string[] = [];
  for (const name of url.searchParams.keys()) {
    if (!route.query.includes(name)) problems.push(`${route.operationId}: unknown query parameter "${name}"`);
  }
  if (route.body && request.body !== undefined && request.body !== null) {
    const body = (typeof request.body === "string" ? JSON.parse(request.body) : request.body) as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      // Stricter than the description, which seldom closes its objects: a property GitHub does not
      // document is a typo or a misunderstanding on our side either way.
      if (!route.body.properties.includes(key)) problems.push(`${route.operationId}: unknown body property "${key}"`);
    }
    for (const key of route.body.required) if (!(key in body)) problems.push(`${route.operationId}: missing body property "${key}"`);
    for (const [name, rules] of Object.entries(route.body.nested ?? {})) problems.push(...nestedProblems(route.operationId, name, body[name], rules));
  }
  return problems;
}

/**
 * An object-valued body property (a check run's `output`): its required properties must be there, and
 * a required string must not be empty — the description does not say so, but GitHub answers 422
 * ("summary wasn't supplied") for an empty one, as seen in acceptance.
 */
function nestedProblems(operationId: string, name: string, value: unknown, rules: { required: string[]; maxLength?: Record<string, number> }): string[] {
  if (value === undefined || value === null || typeof value !== "object") return [];
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of rules.required) {
    if (!(key in object)) problems.push(`${operationId}: missing body property "${name}.${key}"`);
    else if (typeof object[key] === "string" && (object[key]).trim() === "") problems.push(`${operationId}: empty body property "${name}.${key}" (GitHub answers 422: "${key} wasn't supplied")`);
  }
  for (const [key, max] of Object.entries(rules.maxLength ?? {})) {
    const text = object[key];
    if (typeof text === "string" && text.length > max) problems.push(`${operationId}: body property "${name}.${key}" is ${text.length} characters; at most ${max}`);
  }
  return problems;
}

const violations: string[] = [];

/** Octokit plugin: checks every request before it is sent. */
export function githubContract(octokit: { hook: { before(name: "request", hook: (options: Record<string, unknown>) => void): void }; request: { endpoint: { parse(options: Record<string, unknown>): { method: string; url: string; body?: unknown } } } }): void {
  octokit.hook.before("request", (options) => {
    const request = octokit.request.endpoint.parse(options);
    for (const problem of contractProblems(request)) violations.push(problem);
  });
}

/** The violations since the last call (and forgets them). */
export function takeContractViolations(): string[] {
  return violations.splice(0, violations.length);
}
