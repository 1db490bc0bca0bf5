// Plain facts about a pull request, as the App reads them from GitHub, turned into what the checks
// decide over: which file versions the change needs (and nothing else), the approval events of its
// reviews and comments, the people who contributed commits. Pure: the App fetches, this maps.
import { type ApprovalEvent, type ReviewState } from "../approvals/approvals.js";
import type { LedgerEntry } from "../approvals/ledger.js";
import { parseCommands } from "../approvals/commands.js";
import { cmp } from "../core/diagnostic.js";

// ---------------------------------------------------------------------------------------------------
// Which file versions to read

/** One entry of a pull request's (or a comparison's) changed-file list. */
export interface ChangedFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** The path at the base, for a rename or copy. */
  previousPath?: string;
  /** The blob SHA at the head, when GitHub gives it. */
  sha?: string;
}

/** How paths are sorted into requirement files, change records and the lock (the CLI's classifier). */
export interface PathRoles {
  isRequirement(path: string): boolean;
  isChange(path: string): boolean;
  lockPath: string;
}

/** One file to read: its path, and which sides exist (the head side by blob SHA when known). */
export interface FileRead {
  path: string;
  base: boolean;
  head: boolean;
  /** The blob at the head, when the file list gave it. */
  headSha?: string;
}

export interface ReadPlan {
  requirements: FileRead[];
  records: FileRead[];
  /** What the change does to the lock: `same` leaves the base's lock in place. */
  lock: { change: "same" } | { change: "removed" } | { change: "written"; headSha?: string };
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The file versions the change needs, exactly as the CLI's `check --base` pairs them (by path: a
 * rename is the old path at the base and the new one at the head). Everything else is never read.
 */
export function planReads(files: readonly ChangedFile[], roles: PathRoles): ReadPlan {
  const requirements = new Map<string, FileRead>();
  const records = new Map<string, FileRead>();
  let lock: ReadPlan["lock"] = { change: "same" };
  const add = (path: string, side: "base" | "head", sha?: string) => {
    if (path === roles.lockPath) {
      if (side === "head") lock = sha !== undefined && SHA.test(sha) ? { change: "written", headSha: sha } : { change: "written" };
      else if (lock.change === "same") lock = { change: "removed" };
      return;
    }
    const into = roles.isChange(path) ? records : roles.isRequirement(path) ? requirements : undefined;
    if (!into) return;
    const read = into.get(path) ?? { path, base: false, head: false };
    read[side] = true;
    if (side === "head" && sha !== undefined && SHA.test(sha)) read.headSha = sha;
    into.set(path, read);
  };
  for (const f of files) {
    switch (f.status) {
      case "unchanged":
        break;
      case "added":
        add(f.path, "head", f.sha);
        break;
      case "removed":
        add(f.path, "base");
        break;
      case "renamed":
        if (f.previousPath !== undefined && f.previousPath !== f.path) add(f.previousPath, "base");
        add(f.path, "head", f.sha);
        break;
      case "copied":
        // A copy is a new file; its source did not change.
        add(f.path, "head", f.sha);
        break;
      default:
        add(f.path, "base");
        add(f.path, "head", f.sha);
    }
  }
  const sorted = (m: Map<string, FileRead>) => [...m.values()].sort((a, b) => cmp(a.path, b.path));
  return { requirements: sorted(requirements), records: sorted(records), lock };
}

// ---------------------------------------------------------------------------------------------------
// Approval events

export interface ReviewFact {
  id: number;
  by: string;
  state: string;
  /** The head SHA the review was submitted on. */
  commit: string;
  /** ISO time; reviews still pending have none and are skipped. */
  at?: string;
}

export interface CommentFact {
  id: number;
  by: string;
  /** True for comments written by a GitHub App or other bot account: their commands are ignored. */
  bot: boolean;
  body: string;
  createdAt: string;
  /** Set when the comment was edited; `by` is the last editor when GitHub says. */
  edited?: { by?: string };
}

const REVIEW_STATES: ReadonlySet<string> = new Set<ReviewState>(["APPROVED", "DISMISSED", "CHANGES_REQUESTED", "COMMENTED"]);

/**
 * The approval events of a pull request: its reviews and command comments as GitHub shows them now,
 * with what the ledger recorded (`entries`: this pull request's, see ledger.ts) applied.
 *
 * - A review's subject is the one recorded for it, else `subjectAt(commit, at)` (what the App computed
 *   for its commit; undefined when it cannot tell, e.g. the base changed since the review).
 * - A comment counts through its last `/reqgate approve` or `/reqgate revoke` line; its subject is the
 *   one recorded when the App saw it created. A comment recorded as a revoke stays a revoke, whatever it
 *   says now and also when it is deleted; a recorded approval whose comment was deleted or no longer
 *   approves becomes a withdrawal (it cannot come back as an earlier approval).
 * - Button presses come only from the ledger.
 * Comments of bots, and comments with neither command, are no events.
 */
export function approvalEvents(
  reviews: readonly ReviewFact[],
  comments: readonly CommentFact[],
  subjectAt: (commit: string, at: string) => string | undefined,
  entries: readonly LedgerEntry[],
): ApprovalEvent[] {
  const recorded = new Map(entries.map((e) => [`${e.via} ${e.id}`, e]));
  const seen = new Set<string>();
  const events: ApprovalEvent[] = [];
  for (const r of reviews) {
    if (r.at === undefined || !REVIEW_STATES.has(r.state)) continue;
    seen.add(`review ${r.id}`);
    const subject = recorded.get(`review ${r.id}`)?.subject ?? subjectAt(r.commit, r.at);
    events.push({ kind: "review", id: r.id, by: r.by, state: r.state as ReviewState, commit: r.commit, at: r.at, ...(subject !== undefined ? { subject } : {}) });
  }
  for (const c of comments) {
    const key = `comment ${c.id}`;
    const entry = recorded.get(key);
    const command = approvalCommand(c);
    if (!command && !entry) continue;
    seen.add(key);
    if (entry && (entry.act === "withdraw" || !command || command.name === "revoke")) {
      events.push({ kind: "comment", id: c.id, by: entry.by, command: { name: "revoke" }, at: entry.at });
      continue;
    }
    if (!command) continue;
    if (command.name === "revoke") {
      events.push({ kind: "comment", id: c.id, by: c.by, command, at: c.createdAt });
      continue;
    }
    const subject = entry?.subject;
    events.push({ kind: "comment", id: c.id, by: c.by, command, at: c.createdAt, ...(subject !== undefined ? { subject } : {}), ...(c.edited ? { edited: c.edited } : {}) });
  }
  for (const e of entries) {
    if (seen.has(`${e.via} ${e.id}`)) continue;
    if (e.via === "button") {
      events.push({ kind: "button", checkRun: e.id, by: e.by, at: e.at, ...(e.subject !== undefined ? { subject: e.subject } : {}) });
    } else if (e.via === "comment") {
      // The comment is gone: a revoke still withdraws, and so does a deleted approval.
      events.push({ kind: "comment", id: e.id, by: e.by, command: { name: "revoke" }, at: e.at });
    } else {
      // A recorded review GitHub no longer lists (its author's account was deleted): no approval.
      events.push({ kind: "review", id: e.id, by: e.by, state: "DISMISSED", commit: "", at: e.at });
    }
  }
  return events;
}

/** The approval command a comment stands for: its last approve or revoke line; undefined for bots and other comments. */
export function approvalCommand(c: Pick<CommentFact, "bot" | "body">): { name: "approve"; records: string[] } | { name: "revoke" } | undefined {
  if (c.bot || !c.body.includes("/reqgate")) return undefined;
  let last: { name: "approve"; records: string[] } | { name: "revoke" } | undefined;
  for (const command of parseCommands(c.body)) {
    if (command.name === "approve") last = { name: "approve", records: command.records };
    else if (command.name === "revoke") last = { name: "revoke" };
  }
  return last;
}

// ---------------------------------------------------------------------------------------------------
// Contributors

export interface CommitFact {
  /** GitHub logins of the commit's authors (co-authors included) and committer, where GitHub knows them. */
  logins: readonly string[];
  /** True when an author or the committer is linked to no GitHub account (GitHub cannot say who it was). */
  unlinked?: boolean;
}

/**
 * Who contributed to a pull request, so cannot approve it (unless `allow_contributors`): everyone who
 * authored (co-authors included) or committed one of its commits, once each; GitHub's own web-flow
 * committer is not a person. A commit whose author or committer GitHub links to no account is counted as
 * the pull request author's: otherwise an author allowed to approve (`allow_author`) could launder their
 * own commits under an unknown e-mail address and approve them.
 */
export function contributorsOf(commits: readonly CommitFact[], author?: string): string[] {
  const seen = new Map<string, string>();
  const add = (login: string) => {
    const key = login.toLowerCase();
    if (key === "web-flow" || key === "" || seen.has(key)) return;
    seen.set(key, login);
  };
  for (const c of commits) {
    for (const login of c.logins) add(login);
    if (c.unlinked && author !== undefined) add(author);
  }
  return [...seen.values()].sort(cmp);
}

// ---------------------------------------------------------------------------------------------------
// Merge queue

/** The pull request a merge group was made for: `refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>`. */
export function mergeGroupPull(headRef: string): number | undefined {
  const m = /\/pr-([0-9]{1,9})-[0-9a-f]{7,64}$/.exec(headRef);
  return m ? Number(m[1]) : undefined;
}
