// Lexical similarity for suggesting requirements that an unlinked issue may be about (SPEC 2.1): BM25 over
// the candidates' words, no network model. The index is built once per baseline and queried per issue;
// a query touches only the postings of its own terms, so its cost does not grow with the candidate count.
import { cmp } from "../core/diagnostic.js";

export interface Suggestion {
  id: string;
  score: number;
}

/** An inverted index over candidate texts. Treat as opaque: build with `buildIndex`, read with `queryIndex`. */
export interface SimilarityIndex {
  readonly ids: readonly string[];
  /** term -> [document, term frequency, document, term frequency, ...] */
  readonly postings: ReadonlyMap<string, readonly number[]>;
  /** BM25's length normalisation per document: k1 * (1 - b + b * length / average length). */
  readonly norms: Float64Array;
}

// The usual BM25 parameters: term frequency saturates quickly, long texts are damped but not drowned.
const K1 = 1.2;
const B = 0.75;

// Words that say nothing about what a requirement is about, including the "shall" of normative text.
const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have how if in into is it its " +
    "may me must my no not of on or our shall should so such than that the their them then there these they " +
    "this those to was we were what when where which while who why will with would you your"
  ).split(" "),
);

const NON_WORD = /[^\p{L}\p{M}\p{N}]+/u;
const NON_WORD_ASCII = /[^a-z0-9]+/;
const NON_ASCII = /[\u0080-\uffff]/;
const VOWEL = /[aeiouy]/;

/** Lower-cased, stemmed words of `text` without stop words and one-character tokens. */
export function tokenize(text: string): string[] {
  return terms(text, new Map());
}

/**
 * `tokenize` with a cache from word to term ("" for a dropped word): a baseline repeats few distinct
 * words many times, so the stop-word check and the stemmer run once per word, not once per occurrence.
 */
function terms(text: string, cache: Map<string, string>): string[] {
  // ASCII text (most requirements) needs neither NFKC nor the Unicode-aware split.
  const words = NON_ASCII.test(text) ? text.normalize("NFKC").toLowerCase().split(NON_WORD) : text.toLowerCase().split(NON_WORD_ASCII);
  const out: string[] = [];
  for (const word of words) {
    let term = cache.get(word);
    if (term === undefined) {
      term = word.length < 2 || STOP_WORDS.has(word) ? "" : stem(word);
      cache.set(word, term);
    }
    if (term !== "") out.push(term);
  }
  return out;
}

/**
 * A light English stemmer, enough to match "locks", "locked" and "locking" with "lock". It only has to be
 * consistent between query and candidates, not linguistically right.
 */
export function stem(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.length > 5 && word.endsWith("sses")) return word.slice(0, -2);
  if (word.length > 5 && word.endsWith("ing") && VOWEL.test(word.slice(0, -3))) return undouble(word.slice(0, -3));
  if (word.length > 4 && word.endsWith("ed") && !word.endsWith("eed") && VOWEL.test(word.slice(0, -2))) return undouble(word.slice(0, -2));
  if (word.length > 3 && word.endsWith("s") && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** "logg" -> "log", "stopp" -> "stop"; but "install", "pass", "buzz" and "add" keep their double letter. */
function undouble(stemmed: string): string {
  const n = stemmed.length;
  if (n > 3 && stemmed[n - 1] === stemmed[n - 2] && !"lsz".includes(stemmed[n - 1]!) && /[^aeiou]$/.test(stemmed)) return stemmed.slice(0, -1);
  return stemmed;
}

/** Indexes candidates (for requirements: title and text together). IDs are expected to be unique. */
export function buildIndex(candidates: ReadonlyArray<{ id: string; text: string }>): SimilarityIndex {
  const ids: string[] = [];
  const postings = new Map<string, number[]>();
  const lengths = new Float64Array(candidates.length);
  const cache = new Map<string, string>();
  let total = 0;
  for (let doc = 0; doc < candidates.length; doc++) {
    const candidate = candidates[doc]!;
    ids.push(candidate.id);
    const tokens = terms(candidate.text, cache);
    lengths[doc] = tokens.length;
    total += tokens.length;
    for (const term of tokens) {
      const list = postings.get(term);
      // Documents are added in order, so a term already seen in this document is the list's last pair.
      if (list === undefined) postings.set(term, [doc, 1]);
      else if (list[list.length - 2] === doc) list[list.length - 1]!++;
      else list.push(doc, 1);
    }
  }
  const average = total / Math.max(1, candidates.length) || 1;
  const norms = lengths.map((length) => K1 * (1 - B + (B * length) / average));
  return { ids, postings, norms };
}

/**
 * The best `limit` candidates for `query`, highest score first, ties by ID; only candidates sharing a word.
 * `maxPostings` bounds the work of one query whatever the number of candidates: terms are then taken
 * rarest first (highest idf), and a term whose postings would exceed what is left is skipped (the most
 * common words, which weigh least); the rarest term is always scored. Without it every posting of every
 * query term is visited.
 */
export function queryIndex(index: SimilarityIndex, query: string, limit = 3, maxPostings = Infinity): Suggestion[] {
  if (limit <= 0) return [];
  const n = index.ids.length;
  const scores = new Map<number, number>();
  // Each query term counts once: repeating a word in an issue should not outweigh the other words.
  let terms = [...new Set(tokenize(query))];
  let budget = maxPostings;
  if (Number.isFinite(maxPostings)) {
    const size = (term: string) => index.postings.get(term)?.length ?? 0;
    terms = terms.sort((a, b) => size(a) - size(b) || cmp(a, b));
  }
  for (const term of terms) {
    const list = index.postings.get(term);
    if (list === undefined) continue;
    if (list.length / 2 > budget && budget < maxPostings) continue;
    budget -= list.length / 2;
    const df = list.length / 2;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < list.length; i += 2) {
      const doc = list[i]!;
      const tf = list[i + 1]!;
      scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / (tf + index.norms[doc]!));
    }
  }
  // Top `limit` by insertion into a short sorted list: linear in the matches for the small limits used.
  const top: Suggestion[] = [];
  for (const [doc, score] of scores) {
    if (!(score > 0)) continue;
    const entry = { id: index.ids[doc]!, score };
    if (top.length === limit && !better(entry, top[limit - 1]!)) continue;
    let at = top.length === limit ? limit - 1 : top.length;
    while (at > 0 && better(entry, top[at - 1]!)) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = entry;
  }
  return top;
}

function better(a: Suggestion, b: Suggestion): boolean {
  return a.score > b.score || (a.score === b.score && cmp(a.id, b.id) < 0);
}

/** One-off suggestions; build the index once with `buildIndex` to ask many questions of one baseline. */
export function suggestRequirements(query: string, candidates: ReadonlyArray<{ id: string; text: string }>, limit = 3): Suggestion[] {
  return queryIndex(buildIndex(candidates), query, limit);
}
