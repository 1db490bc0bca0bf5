// The baseline as the issue evaluation reads it: lock entries by ID, and a similarity index over the
// titles of the baselined active requirements (the lock carries titles only: suggestions come from
// the one lock read). Built once per lock version; queries then cost only the postings of their words.
import type { Lock } from "./baseline.js";
import type { BaselineView } from "./evaluate-issue.js";
import { buildIndex, queryIndex } from "./similarity.js";

export function baselineView(lock: Lock): BaselineView {
  const entries = new Map(lock.entries.map((e) => [e.id, e]));
  const index = buildIndex(lock.entries.filter((e) => e.status === "active").map((e) => ({ id: e.id, text: e.title })));
  return { entries, suggest: (text, limit) => queryIndex(index, text, limit) };
}
