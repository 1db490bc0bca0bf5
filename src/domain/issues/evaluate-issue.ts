// Issues: flag unlinked work (SPEC 2.1). A snapshot of plain data in, a result out; no I/O.
//
// The snapshot is gathered in two steps by the engine: the issue, its configuration and (unless the
// issue is exempt) the baseline from the lock; then, only for IDs that are not in the lock, what the
// requirement files of the default branch say about them (to tell a draft from an unknown ID).
import type { LockEntry, LockLink } from "../baseline/baseline.js";
import type { Config } from "../config/config.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { closestId, findIds } from "../requirements/ids.js";
import type { Status } from "../requirements/requirement.js";

export interface IssueFacts {
  number: number;
  title: string;
  body: string;
  /** The author's login. */
  author: string;
  labels: readonly string[];
  state: "open" | "closed";
}

/** The baseline as one lock read gives it, indexed once per lock version. */
export interface BaselineView {
  /** Lock entries by ID. */
  entries: ReadonlyMap<string, LockEntry>;
  /** Baselined active requirements ranked by lexical similarity of their titles to `text`, best first. */
  suggest(text: string, limit: number): ReadonlyArray<{ id: string; score: number }>;
  /** The lock's suspect links (SPEC 2.5), for the dashboard. */
  links?: readonly LockLink[];
}

export interface BaselineLoad {
  view?: BaselineView;
  /** The lock exists but cannot be read: the issue cannot be evaluated. */
  diagnostics: readonly Diagnostic[];
  /** There is no lock on the default branch: nothing is baselined yet. */
  missing: boolean;
}

/** What the requirement files of the default branch say about IDs that are not in the lock. */
export interface RequirementLookup {
  found: ReadonlyMap<string, { status: Status; file: string; supersededBy?: string }>;
  /** False when some requirement file could not be listed or read: an ID not found may still exist. */
  complete: boolean;
}

export interface Waiver {
  /** Login of the maintainer who waived. */
  by: string;
  reason: string;
  /** ISO time of the waiving comment. */
  at: string;
  /** ID of the waiving comment. */
  comment: number;
}

export interface IssueSnapshot {
  issue: IssueFacts;
  config: { config?: Config; diagnostics: readonly Diagnostic[] };
  /** Undefined when it was not needed (the issue is exempt, closed, or the mode is off). */
  baseline?: BaselineLoad;
  /** Undefined when every referenced ID was in the lock. */
  lookup?: RequirementLookup;
  waiver?: Waiver;
}

export type Reference =
  | { id: string; kind: "baselined"; title: string }
  | { id: string; kind: "retired"; title: string; supersededBy?: string }
  | { id: string; kind: "draft"; file: string }
  /** In the requirement files as active or retired, but not (yet) in the lock. */
  | { id: string; kind: "not-baselined"; file: string }
  /** Not in the lock nor in the requirement files; `closest` is the nearest baselined ID. */
  | { id: string; kind: "unknown"; closest?: string; lookupIncomplete: boolean };

export interface Suggestion {
  id: string;
  title: string;
  score: number;
}

export type IssueResult =
  | { verdict: "skip"; reason: "mode-off" | "closed" }
  | { verdict: "config-invalid"; diagnostics: readonly Diagnostic[] }
  | { verdict: "baseline-invalid"; diagnostics: readonly Diagnostic[]; config: Config }
  | { verdict: "exempt"; because: { label: string } | { author: string }; config: Config }
  /** `waiver`: one is on record (it applies again if the issue loses its references). */
  | { verdict: "traced"; references: Reference[]; config: Config; waiver?: Waiver }
  | { verdict: "unlinked"; suggestions: Suggestion[]; fixLine: string; baselineMissing: boolean; config: Config }
  | { verdict: "bad-references"; references: Reference[]; omitted: number; config: Config }
  | { verdict: "waived"; waiver: Waiver; problem: "unlinked" | "bad-references"; references: Reference[]; config: Config };

export const MAX_SUGGESTIONS = 3;
/** References beyond this many are counted, not listed (a body can name thousands of IDs). */
export const MAX_REFERENCES = 50;
/** Only this much of the issue's text feeds the similarity query. */
const MAX_QUERY_CHARS = 4000;

/** Requirement IDs (with a configured prefix) named in the issue's title or body, in order of first mention. */
export function referencedIds(issue: IssueFacts, config: Config): string[] {
  return findIds(`${issue.title}\n${issue.body}`, config.requirements.prefixes);
}

/** Why the issue needs no evaluation against the baseline, if it does not. */
export function skipReason(issue: IssueFacts, config: Config): IssueResult | undefined {
  if (config.issues.mode === "off") return { verdict: "skip", reason: "mode-off" };
  if (issue.state === "closed") return { verdict: "skip", reason: "closed" };
  const exemptLabel = config.issues.exempt_labels.find((l) => issue.labels.includes(l));
  if (exemptLabel !== undefined) return { verdict: "exempt", because: { label: exemptLabel }, config };
  if (config.issues.exempt_authors.includes(issue.author)) return { verdict: "exempt", because: { author: issue.author }, config };
  return undefined;
}

/** IDs the issue references that the lock does not list: only these need the requirement files. */
export function idsMissingFromLock(issue: IssueFacts, config: Config, baseline: BaselineLoad): string[] {
  const entries = baseline.view?.entries;
  return referencedIds(issue, config)
    .slice(0, MAX_REFERENCES)
    .filter((id) => !entries?.has(id));
}

export function evaluateIssue(snapshot: IssueSnapshot): IssueResult {
  const { issue } = snapshot;
  const config = snapshot.config.config;
  if (!config) return { verdict: "config-invalid", diagnostics: snapshot.config.diagnostics };
  const skip = skipReason(issue, config);
  if (skip) return skip;
  const baseline = snapshot.baseline ?? { diagnostics: [], missing: true };
  if (baseline.diagnostics.length > 0 || (!baseline.view && !baseline.missing)) {
    return { verdict: "baseline-invalid", diagnostics: baseline.diagnostics, config };
  }

  const ids = referencedIds(issue, config);
  if (ids.length === 0) {
    if (snapshot.waiver) return { verdict: "waived", waiver: snapshot.waiver, problem: "unlinked", references: [], config };
    const suggestions = suggest(issue, baseline.view);
    const first = suggestions[0]?.id ?? `${config.requirements.prefixes[0]}-…`;
    return { verdict: "unlinked", suggestions, fixLine: `Requirement: ${first}`, baselineMissing: baseline.missing, config };
  }

  const listed = ids.slice(0, MAX_REFERENCES);
  const references = listed.map((id) => classify(id, baseline.view, snapshot.lookup));
  if (references.every((r) => r.kind === "baselined")) {
    return snapshot.waiver ? { verdict: "traced", references, config, waiver: snapshot.waiver } : { verdict: "traced", references, config };
  }
  if (snapshot.waiver) return { verdict: "waived", waiver: snapshot.waiver, problem: "bad-references", references, config };
  return { verdict: "bad-references", references, omitted: ids.length - listed.length, config };
}

function classify(id: string, view: BaselineView | undefined, lookup: RequirementLookup | undefined): Reference {
  const entry = view?.entries.get(id);
  if (entry) {
    if (entry.status === "active") return { id, kind: "baselined", title: entry.title };
    const retired: Reference = { id, kind: "retired", title: entry.title };
    if (entry.supersededBy !== undefined) retired.supersededBy = entry.supersededBy;
    return retired;
  }
  const found = lookup?.found.get(id);
  if (found) return found.status === "draft" ? { id, kind: "draft", file: found.file } : { id, kind: "not-baselined", file: found.file };
  const unknown: Reference = { id, kind: "unknown", lookupIncomplete: !(lookup?.complete ?? false) };
  const closest = view ? closestId(id, view.entries.keys()) : undefined;
  if (closest !== undefined) unknown.closest = closest;
  return unknown;
}

function suggest(issue: IssueFacts, view: BaselineView | undefined): Suggestion[] {
  if (!view) return [];
  const query = `${issue.title}\n${issue.body}`.slice(0, MAX_QUERY_CHARS);
  const out: Suggestion[] = [];
  for (const hit of view.suggest(query, MAX_SUGGESTIONS)) {
    const entry = view.entries.get(hit.id);
    if (entry?.status === "active") out.push({ id: hit.id, title: entry.title, score: hit.score });
  }
  return out;
}

/** What the publisher should do with the label and the issue's one reqgate comment. */
export interface IssueWrites {
  label: "add" | "remove" | "keep";
  /** upsert: create or update; update: only an existing comment is updated; none: leave it alone. */
  comment: "upsert" | "update" | "none";
}

export function plannedWrites(result: IssueResult): IssueWrites {
  switch (result.verdict) {
    case "skip":
      return { label: "keep", comment: "none" };
    case "config-invalid":
      // The configuration is unknown, so the mode is too; the comment is the only way to say what is wrong.
      return { label: "keep", comment: "upsert" };
    case "baseline-invalid":
      return { label: "keep", comment: result.config.issues.mode === "label" ? "update" : "upsert" };
    case "exempt":
    case "traced":
      return { label: "remove", comment: "update" };
    case "waived":
      // The waiver is kept in the comment, so the comment exists whatever the mode.
      return { label: "remove", comment: "upsert" };
    case "unlinked":
    case "bad-references":
      return { label: "add", comment: result.config.issues.mode === "label" ? "update" : "upsert" };
  }
}
