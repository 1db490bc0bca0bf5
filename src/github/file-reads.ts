// File contents at given commits, read many per GraphQL query (aliased `object(expression: "SHA:path")`
// or `object(oid: blob)`), OBJECTS_PER_QUERY at a time: 50 files at both sides. A commit SHA and a path,
// or a blob SHA, always name the same content, so everything read is cached (bounded by bytes) and a
// second evaluation of the same head reads nothing again. Blobs that GraphQL does not give as text
// (binary, or truncated because large) are read raw over REST, by blob SHA; the lock, which is large by
// nature, is always read that way and cached by blob SHA.
import type { ProbotOctokit } from "probot";
import type { ObjectContent, ObjectRequest } from "../engine/ports.js";
import { isHttpError, rawText } from "./conditional.js";
import { Lru } from "./lru.js";

/** 50 files, each at the base and the head. */
export const OBJECTS_PER_QUERY = 100;

export type ContentCache = Lru<string, ObjectContent>;

/** 64 MB of file contents, 20,000 entries at most. */
export function createContentCache(maxBytes = 64 * 1024 * 1024, maxEntries = 20_000): ContentCache {
  return new Lru<string, ObjectContent>(maxEntries, { max: maxBytes, weigh: (v) => (v.kind === "file" ? (typeof v.content === "string" ? v.content.length * 2 : v.content.byteLength) + 64 : 64) });
}

const FULL_SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function cacheKey(r: Pick<ObjectRequest, "expression" | "oid">): string | undefined {
  if (r.oid !== undefined) return FULL_SHA.test(r.oid) ? `oid:${r.oid}` : undefined;
  if (r.expression !== undefined) {
    const colon = r.expression.indexOf(":");
    return colon > 0 && FULL_SHA.test(r.expression.slice(0, colon)) ? `expr:${r.expression}` : undefined;
  }
  return undefined;
}

interface RawBlob {
  oid?: string;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  text?: string | null;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Reads the requested objects; every key of `requests` is in the answer. */
export async function readObjects(octokit: ProbotOctokit, cache: ContentCache, target: RepoRef, requests: readonly ObjectRequest[]): Promise<Map<string, ObjectContent>> {
  const out = new Map<string, ObjectContent>();
  const missing: ObjectRequest[] = [];
  for (const r of requests) {
    const key = cacheKey(r);
    const cached = key === undefined ? undefined : cache.get(key);
    if (cached) out.set(r.key, cached);
    else if (r.oid !== undefined && !FULL_SHA.test(r.oid)) out.set(r.key, { kind: "unreadable", reason: `${r.key}: not a blob SHA` });
    else missing.push(r);
  }
  for (let i = 0; i < missing.length; i += OBJECTS_PER_QUERY) {
    const chunk = missing.slice(i, i + OBJECTS_PER_QUERY);
    const declarations: string[] = ["$owner: String!", "$repo: String!"];
    const fields: string[] = [];
    const variables: Record<string, string> = { owner: target.owner, repo: target.repo };
    chunk.forEach((r, j) => {
      if (r.oid !== undefined) {
        declarations.push(`$v${j}: GitObjectID!`);
        fields.push(`f${j}: object(oid: $v${j}) { ... on Blob { oid byteSize isBinary isTruncated text } }`);
        variables[`v${j}`] = r.oid;
      } else {
        declarations.push(`$v${j}: String!`);
        fields.push(`f${j}: object(expression: $v${j}) { ... on Blob { oid byteSize isBinary isTruncated text } }`);
        variables[`v${j}`] = r.expression ?? "";
      }
    });
    const query = `query reqgateObjects(${declarations.join(", ")}) { repository(owner: $owner, name: $repo) { ${fields.join("\n")} } }`;
    const data = await octokit.graphql<{ repository: Record<string, RawBlob | null> | null }>(query, variables);
    for (const [j, r] of chunk.entries()) {
      const blob = data.repository?.[`f${j}`];
      const content = await toContent(octokit, target, r, blob);
      out.set(r.key, content);
      // An unreadable answer may be transient: not cached.
      const key = cacheKey(r);
      if (key !== undefined && content.kind !== "unreadable") cache.set(key, content);
      if (content.kind === "file" && content.oid !== undefined) cache.set(`oid:${content.oid}`, content);
    }
  }
  return out;
}

async function toContent(octokit: ProbotOctokit, target: RepoRef, r: ObjectRequest, blob: RawBlob | null | undefined): Promise<ObjectContent> {
  if (!blob || typeof blob.oid !== "string") {
    // By expression: no such path (or not a file) at that commit. By blob SHA: it should exist.
    return r.oid !== undefined ? { kind: "unreadable", reason: `${r.key}: GitHub has no blob ${r.oid.slice(0, 7)}` } : { kind: "absent" };
  }
  const size = typeof blob.byteSize === "number" ? blob.byteSize : 0;
  if (size > r.maxBytes) {
    // Not downloaded: a zero-filled stand-in of the same size (untouched pages cost no memory), which the
    // parser rejects as too large, naming the real size.
    return { kind: "file", content: new Uint8Array(size), oid: blob.oid };
  }
  if (typeof blob.text === "string" && blob.isBinary !== true && blob.isTruncated !== true) return { kind: "file", content: blob.text, oid: blob.oid };
  const raw = await readBlob(octokit, target, blob.oid);
  return raw === undefined ? { kind: "unreadable", reason: `${r.key}: GitHub did not give the content of blob ${blob.oid.slice(0, 7)}` } : { kind: "file", content: raw, oid: blob.oid };
}

/** A blob's content over REST (raw media type: up to 100 MB): text when UTF-8, bytes otherwise. */
export async function readBlob(octokit: ProbotOctokit, target: RepoRef, oid: string): Promise<string | Uint8Array | undefined> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner: target.owner, repo: target.repo, file_sha: oid, mediaType: { format: "raw" } });
    const data: unknown = response.data;
    const text = rawText(data);
    if (text !== undefined) return text;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return undefined;
  } catch (error) {
    if (isHttpError(error, 404)) return undefined;
    throw error;
  }
}

/** The text of a lock blob, read once per blob SHA; undefined when it is not UTF-8 text or missing. */
export async function readLockBlob(octokit: ProbotOctokit, cache: Lru<string, string>, target: RepoRef, oid: string): Promise<string | undefined> {
  const cached = cache.get(oid);
  if (cached !== undefined) return cached;
  const content = await readBlob(octokit, target, oid);
  if (typeof content !== "string") return undefined;
  cache.set(oid, content);
  return content;
}
