// What outlives one event, for the life of the process: the bounded caches every GitHub gateway reads
// through, the state-signing secret and the App's identity. Built once by `createServices`; the gateways
// of src/github receive it (they import only this type from app/).
import type { Config } from "../domain/config/config.js";
import type { LockBlob } from "../engine/ports.js";
import type { AppIdentity } from "../github/bot-login.js";
import { createEtagCache, type EtagCache } from "../github/conditional.js";
import { createContentCache, type ContentCache } from "../github/file-reads.js";
import { createLabelMemo, type LabelMemo } from "../github/labels.js";
import { Lru } from "../github/lru.js";
import { createBlobCache, type BlobCache } from "../github/requirement-files.js";

/** What outlives one event: bounded caches, the state-signing secret, the App's identity. */
export interface SharedState {
  /** Config files named by `_extends` and lock files, by URL. */
  etags: EtagCache;
  /** Recursive trees of default branches, by URL (few: they can be large). */
  trees: EtagCache;
  /** Requirements parsed from blobs, by blob SHA. */
  blobs: BlobCache;
  /** Labels known to exist. */
  labels: LabelMemo;
  /** Signs the state kept in reqgate's comment. */
  stateSecret: string;
  /** The App's bot login (`name[bot]`). */
  botLogin(): Promise<string>;
  /** The App's bot login and numeric ID (its check runs are filtered by it). */
  identity(): Promise<AppIdentity>;
  /** Pull requests, their file-list pages and comparisons, by URL (conditional reads). */
  pulls: EtagCache;
  /** File contents by blob SHA or `commit:path` (immutable), bounded by bytes. */
  contents: ContentCache;
  /** Lock files by blob SHA, with their parsed view. */
  locks: Lru<string, LockBlob>;
  /** Per repository ID, the configuration last read (its lock path, and whether a push can matter). */
  configs: Lru<number, Config>;
}

/** `login`: the bot login when configured (the issue side then never needs GET /app). */
export function createSharedState(stateSecret: string, identity: () => Promise<AppIdentity>, login?: string): SharedState {
  return {
    etags: createEtagCache(2000),
    trees: createEtagCache(50),
    blobs: createBlobCache(),
    labels: createLabelMemo(),
    stateSecret,
    botLogin: async () => login ?? (await identity()).login,
    identity,
    pulls: createEtagCache(5000),
    contents: createContentCache(),
    // At most 32 lock versions or 128 MB of lock text (a 10,000-requirement lock is about 2 MB).
    locks: new Lru<string, LockBlob>(32, { max: 128 * 1024 * 1024, weigh: (l) => l.text.length * 2 }),
    configs: new Lru<number, Config>(5000),
  };
}
