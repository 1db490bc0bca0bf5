// Suspect work on a baseline move (SPEC 2.5): after a push to the default branch moved requirements,
// find the open issues and pull requests that name them (⌈k/6⌉ searches for k moved requirements,
// never a scan of all issues), and mark each through its own pipeline: an issue gets the `suspect`
// label and a section in its one reqgate comment, a pull request a note in `reqgate/trace` (neutral or
// worse) and the label. Each pipeline keeps the marks it has: a redelivered push changes nothing more.
import type { Config } from "../domain/config/config.js";
import { findIds } from "../domain/requirements/ids.js";
import { suspectQueries, type SuspectMark } from "../domain/suspect/suspect.js";
import type { Logger, RepoTarget } from "./ports.js";

export interface FoundWork {
  number: number;
  pull: boolean;
  title: string;
  body: string;
}

export interface SuspectPorts {
  search(queries: readonly string[]): Promise<{ items: FoundWork[]; incomplete: string[]; requests: number }>;
  /** Runs the issue's pipeline with these marks (after any evaluation of it still running). */
  markIssue(number: number, marks: readonly SuspectMark[]): Promise<void>;
  /** Runs the pull request's trace evaluation with these marks. */
  markPull(number: number, marks: readonly SuspectMark[]): Promise<void>;
  log: Logger;
  target: RepoTarget;
}

/** What one sweep did (the dashboard shows when it could not see everything). */
export interface SuspectSweep {
  moved: string[];
  queries: number;
  requests: number;
  issues: number[];
  pulls: number[];
  /** Why the sweep may have missed work: the dashboard must then not say "nothing suspect". */
  incomplete: string[];
}

export async function markSuspectWork(ports: SuspectPorts, config: Config, moved: readonly SuspectMark[]): Promise<SuspectSweep | undefined> {
  if (!config.suspect.enabled || moved.length === 0) return undefined;
  const ids = moved.map((m) => m.id);
  const queries = suspectQueries(ports.target, ids);
  const found = await ports.search(queries);
  const sweep: SuspectSweep = { moved: ids, queries: queries.length, requests: found.requests, issues: [], pulls: [], incomplete: found.incomplete };
  const movedIds = new Set(ids);
  for (const item of found.items) {
    // Search matches words; only an item that names a moved ID as reqgate reads IDs is suspect.
    const named = findIds(`${item.title}\n${item.body}`, config.requirements.prefixes).filter((id) => movedIds.has(id));
    if (named.length === 0) continue;
    const marks = moved.filter((m) => named.includes(m.id));
    if (item.pull) {
      await ports.markPull(item.number, marks);
      sweep.pulls.push(item.number);
    } else {
      await ports.markIssue(item.number, marks);
      sweep.issues.push(item.number);
    }
  }
  ports.log.info({ moved: ids.length, queries: queries.length, requests: found.requests, issues: sweep.issues.length, pulls: sweep.pulls.length, incomplete: sweep.incomplete.length }, "suspect work marked");
  if (sweep.incomplete.length > 0) ports.log.warn({ reasons: sweep.incomplete }, "suspect search incomplete");
  return sweep;
}
