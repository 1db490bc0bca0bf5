// Conditional GETs: a read GitHub answers with 304 Not Modified costs no rate limit. The cache keeps,
// per URL, the ETag of the last 200 and the value parsed from it, so that a warm read returns the
// parsed value (and anything memoised on it) without parsing again.
import type { ProbotOctokit } from "probot";
import { Lru } from "./lru.js";

export interface CacheEntry {
  etag: string;
  value: unknown;
}

export type EtagCache = Lru<string, CacheEntry>;

export function createEtagCache(maxEntries = 2000): EtagCache {
  return new Lru<string, CacheEntry>(maxEntries);
}

export interface Fetched<T> {
  value: T;
  /** True when GitHub answered 304 and the cached value was used. */
  notModified: boolean;
}

interface HttpError {
  status: number;
}

export function isHttpError(error: unknown, status?: number): error is HttpError {
  if (typeof error !== "object" || error === null || !("status" in error) || typeof error.status !== "number") return false;
  return status === undefined || error.status === status;
}

/**
 * GET `route` with `If-None-Match` when a previous response is cached. Returns undefined on 404; throws
 * other errors. `parse` turns the response data into the cached value; it runs only on a 200.
 * One cache key per route, parameters and `variant`: a caller whose `parse` depends on more than the
 * response (say, a configuration) names that in `variant`, so the cached value is always what its
 * `parse` would make.
 */
export async function conditionalGet<T>(
  octokit: ProbotOctokit,
  cache: EtagCache,
  route: string,
  params: Record<string, string | number | boolean | Record<string, string>>,
  parse: (data: unknown) => T,
  variant = "",
): Promise<Fetched<T> | undefined> {
  const key = `${cacheKey(octokit, route, params)} ${variant}`;
  const cached = cache.get(key);
  try {
    const response = await octokit.request(route, { ...params, headers: cached ? { "if-none-match": cached.etag } : {} });
    const value = parse(response.data);
    const etag = response.headers.etag;
    if (typeof etag === "string" && etag !== "") cache.set(key, { etag, value });
    else cache.delete(key);
    return { value, notModified: false };
  } catch (error) {
    if (cached && isHttpError(error, 304)) return { value: cached.value as T, notModified: true };
    if (isHttpError(error, 404)) {
      cache.delete(key);
      return undefined;
    }
    throw error;
  }
}

function cacheKey(octokit: ProbotOctokit, route: string, params: Record<string, string | number | boolean | Record<string, string>>): string {
  const baseUrl = String(octokit.request.endpoint.DEFAULTS.baseUrl);
  const normalized = Object.keys(params)
    .sort()
    .map((k) => {
      const v = params[k];
      const text = typeof v === "object" ? JSON.stringify(v) : String(v);
      return `${k}=${k === "owner" || k === "repo" ? text.toLowerCase() : text}`;
    });
  return `${baseUrl} ${route} ${normalized.join("&")}`;
}

/**
 * The text of a raw-content response. Octokit gives a string for text types and an ArrayBuffer for
 * others (GitHub's raw media type may come either way); undefined for JSON (a directory listing) and
 * for bytes that are not UTF-8.
 */
export function rawText(data: unknown): string | undefined {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
