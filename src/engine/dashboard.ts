// The dashboard pipeline (SPEC 2.6): read the snapshot (configuration, lock, issue list, the dashboard
// issue), render, write in place. Debounced per repository by the caller (src/app/dashboard.ts).
import type { Config } from "../domain/config/config.js";
import type { LockEntry, LockLink } from "../domain/baseline/baseline.js";
import { renderDashboard, type DashboardIssue } from "../domain/dashboard/dashboard.js";
import type { Logger } from "./ports.js";

export interface DashboardSnapshot {
  config: Config | undefined;
  entries: LockEntry[];
  links?: readonly LockLink[];
  issues: DashboardIssue[];
  incomplete: string[];
  dashboard: { number: number; body?: string } | undefined;
}

export interface DashboardPorts {
  read(): Promise<DashboardSnapshot>;
  write(body: string, existing: { number: number; body?: string } | undefined): Promise<"created" | "updated" | "unchanged">;
  /** Requests made so far by these ports (the bench counts them). */
  requests(): number;
}

export interface DashboardNotes {
  lastMove?: { commit: string; ids: readonly string[] };
  incomplete?: readonly string[];
}

/** Updates the dashboard now; undefined when the repository has `dashboard: false` or no valid configuration. */
export async function updateDashboardNow(ports: DashboardPorts, log: Logger, notes: DashboardNotes = {}): Promise<"created" | "updated" | "unchanged" | undefined> {
  const snapshot = await ports.read();
  if (!snapshot.config || !snapshot.config.dashboard) return undefined;
  const body = renderDashboard({
    entries: snapshot.entries,
    ...(snapshot.links ? { links: snapshot.links } : {}),
    issues: snapshot.issues,
    labels: { unlinked: snapshot.config.issues.label, suspect: snapshot.config.suspect.label },
    ...(notes.lastMove ? { lastMove: notes.lastMove } : {}),
    incomplete: [...snapshot.incomplete, ...(notes.incomplete ?? [])],
  });
  const outcome = await ports.write(body, snapshot.dashboard);
  log.info({ outcome, issues: snapshot.issues.length, requirements: snapshot.entries.length, requests: ports.requests() }, "dashboard updated");
  return outcome;
}
