// Which approvals of a baseline change count (SPEC 2.3 steps 4-5), decided over a plain snapshot the
// App gathered first: reviews, `/reqgate approve|revoke` comments, "Approve" button presses, and the
// permission and team lookups for the people who approved. No lookups happen here; `neededLookups`
// tells the App which ones to make, so nothing is fetched when nobody approved.
//
// Binding. Every approval carries the subject (see evaluate-change `approvalSubject`: the changed
// requirements before and after, and the change records, so the base is part of it) that was current
// when it was made: a review the subject the App recorded when it first saw it (the one at its
// `commit_id`), a comment the subject current when the App saw it created, a button press the subject
// the check run showed (its `external_id`). An approval counts only while that subject equals the
// current one; otherwise it is stale and named. An unknown subject cannot be proven current and is stale
// too (fail closed).
//
// Each person's latest action stands. A person's latest approval or withdrawal decides, through any
// channel: an approval (APPROVED review, `/reqgate approve`, the button) counts while it is bound to the
// current subject; `/reqgate revoke`, a CHANGES_REQUESTED review, or a DISMISSED one (GitHub keeps no
// record of what a dismissed review said, so it withdraws: fail closed) leaves nothing standing, and
// nothing the person did before it can come back. An approval comment that was edited withdraws too
// (edited comments never approve). A COMMENTED review changes nothing, as on GitHub.
//
// GitHub does not keep the subjects, button presses, or revokes whose comment changed; the App carries
// each person's latest action in `ApprovalLedger`.
//
// Edited comments (SPEC 2.4) never approve: the text that approved is not the text that is there now.
// One edited by someone other than its author is reported as tampered, naming the editor. A recorded
// `/reqgate revoke` stays a revoke whatever its comment says later, or when it is deleted.
import type { ChangeRule, Config, Permission } from "../config/config.js";
import { PERMISSIONS } from "../config/config.js";
import { cmp } from "../core/diagnostic.js";
import type { ChangeEvaluation } from "../baseline/evaluate-change.js";

export type ReviewState = "APPROVED" | "DISMISSED" | "CHANGES_REQUESTED" | "COMMENTED";

export interface ReviewEvent {
  kind: "review";
  id: number;
  /** The reviewer's login. */
  by: string;
  state: ReviewState;
  /** The head SHA the review was submitted on (`commit_id`). */
  commit: string;
  /** The approval subject at `commit`; undefined when the App could not compute it (the review is then stale). */
  subject?: string;
  /** `submitted_at`, ISO 8601. */
  at: string;
}

/** The parsed `/reqgate approve [CR-…]` or `/reqgate revoke` of a comment (commands.ts `Command`). */
export type ApprovalCommand = { name: "approve"; records: readonly string[] } | { name: "revoke" };

export interface CommentEvent {
  kind: "comment";
  id: number;
  /** The comment's author. */
  by: string;
  command: ApprovalCommand;
  /** The subject current when the comment was created, as the App recorded it; undefined when unknown. */
  subject?: string;
  /** `created_at`, ISO 8601. */
  at: string;
  /**
   * Present when the comment was edited (`updated_at` ≠ `created_at`, or an `issue_comment.edited`
   * event). `by` is the editor when known (the event's `sender`); REST does not say who edited.
   */
  edited?: { by?: string };
}

export interface ButtonEvent {
  kind: "button";
  /** The check run whose "Approve" button was pressed. */
  checkRun: number;
  /** Who pressed it (the `requested_action` event's `sender`). */
  by: string;
  /** The subject the check run showed when the button was pressed. */
  subject?: string;
  at: string;
}

export type ApprovalEvent = ReviewEvent | CommentEvent | ButtonEvent;
export type ApprovalVia = ApprovalEvent["kind"];

/** The result of a permission or team lookup: a value, or "error" when the API failed. */
export type Lookup<T> = T | "error";

export interface ApprovalSnapshot {
  evaluation: Pick<ChangeEvaluation, "subject" | "demands" | "changes" | "records">;
  /** The pull request's author. */
  author: string;
  /** Everyone who authored or committed a commit of the pull request. */
  contributors: readonly string[];
  changeControl: Pick<Config["change_control"], "allow_author" | "allow_contributors">;
  events: readonly ApprovalEvent[];
  /** Repository permission per login, for the logins `neededLookups` named; "none" for no access. */
  permissions: ReadonlyMap<string, Lookup<Permission | "none">>;
  /**
   * One person's membership of one team, keyed by `membershipKey(team, login)`, for the pairs
   * `neededLookups` named (the App asks person by person, so a team's size does not matter). A pair
   * not asked, or an error, fails closed for that person only.
   */
  memberships: ReadonlyMap<string, Lookup<boolean>>;
}

export type RefusalCode =
  | "bot"
  | "author"
  | "contributor"
  | "edited"
  | "unknown-record"
  | "out-of-scope"
  | "not-approver"
  | "unverified";

export interface Refusal {
  login: string;
  via: ApprovalVia;
  code: RefusalCode;
  reason: string;
}

export interface StaleApproval {
  login: string;
  via: ApprovalVia;
  reason: string;
}

export interface Tampering {
  login: string;
  comment: number;
  /** Who edited the approval comment. */
  editedBy: string;
}

export interface RuleApprovals {
  rule: ChangeRule;
  requirements: string[];
  /** The rule's `count`. */
  needed: number;
  /** Distinct logins whose current approval counts for this rule, sorted. */
  approvedBy: string[];
  satisfied: boolean;
  /** People whose latest approval was made on other content; sorted by login. */
  stale: StaleApproval[];
  /** Approvals that do not count for this rule, and why; sorted by login. */
  refused: Refusal[];
  mayStillApprove: MayStillApprove;
}

/** Who else could approve a rule: listed users who have not approved, the teams, the permission. */
export interface MayStillApprove {
  users: string[];
  teams: string[];
  permission?: Permission;
  /** The author and contributors are excluded (unless the configuration allows them). */
  excludesAuthor: boolean;
  excludesContributors: boolean;
}

export interface ApprovalResult {
  subject: string;
  rules: RuleApprovals[];
  satisfied: boolean;
  /** Rules still short of approvals, with how many more each needs. */
  missing: Array<{ rule: string; remaining: number }>;
  /** Approval comments edited by someone other than their author. */
  tampered: Tampering[];
}

export function isBot(login: string): boolean {
  return login.toLowerCase().endsWith("[bot]");
}

/** "@org/slug" → "org/slug", lower case. */
export function teamKey(team: string): string {
  return (team.startsWith("@") ? team.slice(1) : team).toLowerCase();
}

function loginKey(login: string): string {
  return login.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------
// Folding events into each person's standing approval

interface Standing {
  login: string;
  event: ApprovalEvent;
  /** Set when the approval cannot count for any rule, before eligibility is looked at. */
  refusal?: Omit<Refusal, "login" | "via">;
  stale?: string;
  /** Record IDs the approval is limited to; undefined for the whole change. */
  records?: readonly string[];
}

interface Folded {
  standing: Standing[];
  tampered: Tampering[];
}

type PreflightSnapshot = Omit<ApprovalSnapshot, "permissions" | "memberships">;

/** What an event does to its author's standing: approves, withdraws every earlier approval, or nothing. */
export function actOf(event: ApprovalEvent): "approve" | "withdraw" | "none" {
  if (event.kind === "review") return event.state === "APPROVED" ? "approve" : event.state === "COMMENTED" ? "none" : "withdraw";
  if (event.kind === "comment") return event.command.name === "revoke" || event.edited ? "withdraw" : "approve";
  return "approve";
}

/**
 * Each person's latest action (SPEC 2.3 step 5: each person's latest action stands), by login in lower
 * case: the latest event that approves or withdraws. A COMMENTED review is no action.
 */
export function latestActions(events: readonly ApprovalEvent[]): Map<string, ApprovalEvent> {
  const latest = new Map<string, ApprovalEvent>();
  for (const event of [...events].sort(eventOrder)) if (actOf(event) !== "none") latest.set(loginKey(event.by), event);
  return latest;
}

function fold(snapshot: PreflightSnapshot): Folded {
  const tampered: Tampering[] = [];
  for (const event of snapshot.events) {
    if (event.kind !== "comment" || event.command.name !== "approve" || !event.edited) continue;
    const editor = event.edited.by;
    if (editor !== undefined && loginKey(editor) !== loginKey(event.by)) tampered.push({ login: event.by, comment: event.id, editedBy: editor });
  }
  const subject = snapshot.evaluation.subject;
  const prRecords = new Set(snapshot.evaluation.records.map((r) => r.record.id));
  const author = loginKey(snapshot.author);
  const contributors = new Set(snapshot.contributors.map(loginKey));
  const standing: Standing[] = [];
  for (const [key, latest] of latestActions(snapshot.events)) {
    if (actOf(latest) === "withdraw") {
      // A withdrawal leaves nothing standing; an edited approval comment is worth reporting.
      if (latest.kind === "comment" && latest.command.name === "approve" && latest.edited) {
        const editor = latest.edited.by;
        const other = editor !== undefined && loginKey(editor) !== key;
        standing.push({
          login: latest.by,
          event: latest,
          refusal: {
            code: "edited",
            reason: other ? `approval comment edited by ${editor}; voided` : "the approval comment was edited; edited comments do not approve (post a new one)",
          },
        });
      }
      continue;
    }
    const s: Standing = { login: latest.by, event: latest };
    if (latest.kind === "comment" && latest.command.name === "approve" && latest.command.records.length > 0) {
      s.records = latest.command.records;
    }
    const refusal = preflight(key, s, { author, contributors, prRecords, changeControl: snapshot.changeControl });
    if (refusal) s.refusal = refusal;
    else if (latest.subject !== subject) s.stale = staleReason(latest);
    standing.push(s);
  }
  standing.sort((a, b) => cmp(loginKey(a.login), loginKey(b.login)));
  return { standing, tampered };
}

function preflight(
  key: string,
  s: Standing,
  ctx: { author: string; contributors: ReadonlySet<string>; prRecords: ReadonlySet<string>; changeControl: PreflightSnapshot["changeControl"] },
): Omit<Refusal, "login" | "via"> | undefined {
  if (isBot(s.login)) return { code: "bot", reason: "bots cannot approve" };
  if (key === ctx.author && !ctx.changeControl.allow_author) return { code: "author", reason: "the author of the pull request cannot approve it" };
  if (ctx.contributors.has(key) && !ctx.changeControl.allow_contributors) {
    return { code: "contributor", reason: "pushed commits to this pull request, so cannot approve it" };
  }
  const unknown = (s.records ?? []).filter((id) => !ctx.prRecords.has(id));
  if (unknown.length > 0) {
    return { code: "unknown-record", reason: `named ${unknown.join(", ")}, which this pull request does not add or change; the approval does not count` };
  }
  return undefined;
}

function staleReason(event: ApprovalEvent): string {
  if (event.subject === undefined) {
    return event.kind === "review"
      ? `approved commit ${event.commit.slice(0, 7)}, whose content could not be determined; approve again`
      : "what was approved could not be determined; approve again";
  }
  const where = event.kind === "review" ? ` at commit ${event.commit.slice(0, 7)}` : "";
  return `approved an earlier version${where}; requirements, change records or the base changed since`;
}

const KIND_ORDER: Record<ApprovalVia, number> = { review: 0, comment: 1, button: 2 };

function eventOrder(a: ApprovalEvent, b: ApprovalEvent): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  // An unparseable time sorts first: it can be superseded but never supersede.
  const byTime = (Number.isNaN(ta) ? -Infinity : ta) - (Number.isNaN(tb) ? -Infinity : tb);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || idOf(a) - idOf(b);
}

function idOf(e: ApprovalEvent): number {
  return e.kind === "button" ? e.checkRun : e.id;
}

// ---------------------------------------------------------------------------------------------------
// Lookups

export interface NeededLookups {
  /** Logins whose repository permission must be read, sorted. */
  permissions: string[];
  /** Each (team "org/slug" lower case, login) whose membership decides a current approval, sorted by key. */
  memberships: Array<{ team: string; login: string }>;
}

/**
 * The permission and membership lookups that deciding `snapshot` needs: only for people with a current
 * approval that could count, only for rules that do not list them by login. Nothing when nobody approved.
 */
export function neededLookups(snapshot: PreflightSnapshot): NeededLookups {
  const permissions = new Set<string>();
  const memberships = new Map<string, { team: string; login: string }>();
  const { demands } = snapshot.evaluation;
  if (demands.length === 0) return { permissions: [], memberships: [] };
  for (const s of fold(snapshot).standing) {
    if (s.refusal || s.stale !== undefined) continue;
    for (const { rule } of demands) {
      if (listedUser(rule, s.login)) continue;
      if (rule.approvers.permission !== undefined) permissions.add(s.login);
      for (const team of rule.approvers.teams) memberships.set(membershipKey(team, s.login), { team: teamKey(team), login: s.login });
    }
  }
  const sortedMemberships = [...memberships.entries()].sort(([a], [b]) => cmp(a, b)).map(([, m]) => m);
  return { permissions: [...permissions].sort(cmp), memberships: sortedMemberships };
}

/** "org/slug login", lower case: the key of `memberships`. */
export function membershipKey(team: string, login: string): string {
  return `${teamKey(team)} ${loginKey(login)}`;
}


function listedUser(rule: ChangeRule, login: string): boolean {
  const key = loginKey(login);
  return rule.approvers.users.some((u) => loginKey(u) === key);
}

// ---------------------------------------------------------------------------------------------------
// Deciding

/** The approvals that count for each demanded rule, and whether every rule has its `count`. */
export function evaluateApprovals(snapshot: ApprovalSnapshot): ApprovalResult {
  const { standing, tampered } = fold(snapshot);
  const creditOf = new Map<string, string | undefined>(snapshot.evaluation.changes.map((c) => [c.id, c.record]));
  const rules = snapshot.evaluation.demands.map(({ rule, requirements }): RuleApprovals => {
    const approvedBy: string[] = [];
    const stale: StaleApproval[] = [];
    const refused: Refusal[] = [];
    for (const s of standing) {
      if (s.refusal) {
        refused.push({ login: s.login, via: s.event.kind, ...s.refusal });
        continue;
      }
      if (s.stale !== undefined) {
        stale.push({ login: s.login, via: s.event.kind, reason: s.stale });
        continue;
      }
      if (s.records) {
        const named = new Set(s.records);
        const outside = requirements.filter((id) => !named.has(creditOf.get(id) ?? ""));
        if (outside.length > 0) {
          refused.push({ login: s.login, via: s.event.kind, code: "out-of-scope", reason: `approved only ${s.records.join(", ")}, which do not cover ${outside.join(", ")}` });
          continue;
        }
      }
      const verdict = eligibility(rule, s.login, snapshot);
      if (verdict === true) approvedBy.push(s.login);
      else refused.push({ login: s.login, via: s.event.kind, ...verdict });
    }
    return {
      rule,
      requirements,
      needed: rule.count,
      approvedBy,
      satisfied: approvedBy.length >= rule.count,
      stale,
      refused,
      mayStillApprove: mayStillApprove(rule, approvedBy, snapshot),
    };
  });
  const missing = rules.filter((r) => !r.satisfied).map((r) => ({ rule: r.rule.name, remaining: r.needed - r.approvedBy.length }));
  return { subject: snapshot.evaluation.subject, rules, satisfied: missing.length === 0, missing, tampered };
}

/** True when `login` is one of the rule's approvers; otherwise why not. Lookup errors fail closed. */
function eligibility(rule: ChangeRule, login: string, snapshot: ApprovalSnapshot): true | Omit<Refusal, "login" | "via"> {
  if (listedUser(rule, login)) return true;
  const key = loginKey(login);
  const unverified: string[] = [];
  const wanted = rule.approvers.permission;
  if (wanted !== undefined) {
    const permission = snapshot.permissions.get(login) ?? snapshot.permissions.get(key);
    if (permission === undefined || permission === "error") unverified.push("repository permission");
    else if (permission !== "none" && PERMISSIONS.indexOf(permission) >= PERMISSIONS.indexOf(wanted)) return true;
  }
  for (const team of rule.approvers.teams) {
    const membership = snapshot.memberships.get(membershipKey(team, login));
    if (membership === undefined || membership === "error") unverified.push(`membership of ${teamKey(team)}`);
    else if (membership) return true;
  }
  if (unverified.length > 0) {
    return { code: "unverified", reason: `could not verify ${unverified.join(" or ")} (GitHub API error); the approval does not count until it can be checked` };
  }
  // The check is public: it says what the rule asks for, never what permission the person has.
  return { code: "not-approver", reason: `not an approver of "${rule.name}" (${describeApprovers(rule)})` };
}

/** "users alice, bob; members of acme/board; maintain permission or higher". */
export function describeApprovers(rule: ChangeRule): string {
  const parts: string[] = [];
  if (rule.approvers.users.length > 0) parts.push(`users ${rule.approvers.users.join(", ")}`);
  if (rule.approvers.teams.length > 0) parts.push(`members of ${rule.approvers.teams.map(teamKey).join(", ")}`);
  if (rule.approvers.permission !== undefined) parts.push(`${rule.approvers.permission} permission or higher`);
  return parts.join("; ");
}

function mayStillApprove(rule: ChangeRule, approvedBy: readonly string[], snapshot: ApprovalSnapshot): MayStillApprove {
  const { allow_author, allow_contributors } = snapshot.changeControl;
  const excluded = new Set(approvedBy.map(loginKey));
  if (!allow_author) excluded.add(loginKey(snapshot.author));
  if (!allow_contributors) for (const c of snapshot.contributors) excluded.add(loginKey(c));
  const result: MayStillApprove = {
    users: rule.approvers.users.filter((u) => !excluded.has(loginKey(u)) && !isBot(u)),
    teams: rule.approvers.teams.map(teamKey),
    excludesAuthor: !allow_author,
    excludesContributors: !allow_contributors,
  };
  if (rule.approvers.permission !== undefined) result.permission = rule.approvers.permission;
  return result;
}
