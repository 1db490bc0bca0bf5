// The baseline as the issue evaluation reads it: lock entries by ID, and a similarity index over the
// titles of the baselined active requirements (the lock carries titles only: suggestions come from
// the one lock read). Built once per lock version; a query visits at most MAX_POSTINGS postings (its
// rarest words first), so its cost does not grow with the number of requirements.
import type { Lock } from "../baseline/baseline.js";
import type { BaselineView } from "./evaluate-issue.js";
import { buildIndex, queryIndex } from "./similarity.js";

export const MAX_POSTINGS = 4000;

export function baselineView(lock: Lock): BaselineView {
  const entries = new Map(lock.entries.map((e) => [e.id, e]));
  const index = buildIndex(lock.entries.filter((e) => e.status === "active").map((e) => ({ id: e.id, text: e.title })));
  return { entries, suggest: (text, limit) => queryIndex(index, text, limit, MAX_POSTINGS), ...(lock.links ? { links: lock.links } : {}) };
}
