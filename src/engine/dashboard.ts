// The dashboard pipeline (SPEC 2.6): read the snapshot (configuration, lock, issue list, requirement and
// evidence facts, the dashboard issue and the state it keeps; as much as the update's request budget
// reads, with what is left said), fold in what the events since the last
// update said (waivers, baseline moves and their suspect searches), render, write in place. Debounced
// per repository by the caller (src/app/dashboard.ts).
import type { Config } from "../domain/config/config.js";
import type { LockEntry, LockLink } from "../domain/baseline/baseline.js";
import { renderDashboard, type DashboardIssue, type EvidenceFacts, type IssueRead, type RequirementFacts } from "../domain/dashboard/dashboard.js";
import { nextDashboardState, type DashboardState, type StateNotes } from "../domain/dashboard/dashboard-state.js";
import type { Logger } from "./ports.js";

export interface DashboardSnapshot {
  config: Config | undefined;
  entries: LockEntry[];
  links?: readonly LockLink[];
  issues: DashboardIssue[];
  incomplete: string[];
  dashboard: { number: number; body?: string } | undefined;
  /** The state the dashboard's body keeps (empty when there is none, or it was not reqgate's). */
  state: DashboardState;
  facts?: RequirementFacts;
  evidence?: EvidenceFacts;
  /** Present while the issue list is not read in full: how far the read got (the rest in the next updates). */
  issueRead?: IssueRead;
  /** Issues or files were left for the next updates: another update should follow without waiting for an event. */
  more?: boolean;
}

export interface DashboardPorts {
  /** `gone`: issues deleted or transferred since the last update (the issue list kept drops them). */
  read(gone?: readonly number[]): Promise<DashboardSnapshot>;
  /** The state as the hidden record that ends the body (signed). */
  seal(state: DashboardState): string;
  write(body: string, existing: { number: number; body?: string } | undefined): Promise<"created" | "updated" | "unchanged">;
  /** Requests made so far by these ports (the bench counts them). */
  requests(): number;
}

export type DashboardNotes = StateNotes;

export interface DashboardOutcome {
  written: "created" | "updated" | "unchanged";
  /** Issues or files are left to read: the caller asks for another update (the dashboard says what it has not read meanwhile). */
  more: boolean;
}

/** Updates the dashboard now; undefined when the repository has `dashboard: false` or no valid configuration. */
export async function updateDashboardNow(ports: DashboardPorts, log: Logger, notes: DashboardNotes = {}): Promise<DashboardOutcome | undefined> {
  const snapshot = await ports.read(notes.gone ?? []);
  if (!snapshot.config || !snapshot.config.dashboard) return undefined;
  // Waivers whose work the issue list shows closed or traced leave the list (no request: the list is read anyway).
  const active = new Set(snapshot.entries.filter((e) => e.status === "active").map((e) => e.id));
  const state = nextDashboardState(snapshot.state, notes, { issues: snapshot.issues.filter((i) => !i.pull), active });
  const gaps = state.gaps.map((g) => `the suspect search after the baseline move in commit ${g.commit.slice(0, 7)} (${g.ids.slice(0, 10).join(", ")}${g.ids.length > 10 ? ", …" : ""}) was incomplete: ${g.reasons.join("; ")}; open work naming them may not be marked suspect`);
  const body = renderDashboard({
    entries: snapshot.entries,
    ...(snapshot.links ? { links: snapshot.links } : {}),
    issues: snapshot.issues,
    labels: { unlinked: snapshot.config.issues.label, suspect: snapshot.config.suspect.label },
    ...(state.lastMove ? { lastMove: state.lastMove } : {}),
    incomplete: [...gaps, ...snapshot.incomplete],
    ...(snapshot.facts ? { facts: snapshot.facts } : {}),
    ...(snapshot.evidence ? { evidence: snapshot.evidence } : {}),
    ...(snapshot.issueRead ? { issueRead: snapshot.issueRead } : {}),
    waivers: state.waivers,
    record: ports.seal(state),
  });
  const outcome = await ports.write(body, snapshot.dashboard);
  const more = snapshot.more === true;
  log.info({ outcome, issues: snapshot.issues.length, requirements: snapshot.entries.length, requests: ports.requests(), more }, "dashboard updated");
  return { written: outcome, more };
}
