// The traceability dashboard's reads and writes (SPEC 2.6), within MAX_REQUESTS requests an update
// whatever the repository's size. One GraphQL query per update reads the configuration files, reqgate's
// dashboard issue (by its label; it is then told by its marker and its author being this App's bot),
// GitHub's count of the repository's issues, and a page of its issues (100, newest first). The issue
// list is kept per repository in the process and read in passes: the first pass reads the whole list,
// a page per request, as many pages as the update's budget leaves, and the next updates go on from its
// cursor (the dashboard says how far it got meanwhile); later passes read only the issues updated since
// the newest one the last pass saw, so a steady update reads one page. Deleted and transferred issues
// leave the list by their events' notes, and when GitHub's count stops matching the list (an event this
// process never saw) the list is read whole again. The lock is read with its ETag (a 304 when
// unchanged); parents, owners and evidence come from dashboard-facts.ts (a tree request, a 304 while the
// default branch does not change, and blob queries for what the budget leaves). Then one write: the
// dashboard created (the label, then the issue), or edited in place when its body differs.
// The state the dashboard keeps (waivers, the last move, incomplete suspect searches) ends its body,
// signed with the App's state secret: a copy edited by anyone else is not believed.
import type { ProbotOctokit } from "probot";
import type { SharedState } from "../app/shared-state.js";
import { DASHBOARD_LABEL, DASHBOARD_MARKER, DASHBOARD_TITLE, type DashboardIssue, type IssueRead } from "../domain/dashboard/dashboard.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { MARKER, readHiddenLast, writeHidden } from "../domain/core/hidden-data.js";
import { EMPTY_STATE, normalizeState, type DashboardState } from "../domain/dashboard/dashboard-state.js";
import { readDashboardFacts } from "./dashboard-facts.js";
import { signature, signatureMatches } from "./signature.js";
import { findIds } from "../domain/requirements/ids.js";
import type { DashboardPorts } from "../engine/dashboard.js";
import { configFileFetcher, loadConfig } from "./config.js";
import type { Log } from "./issue-gateway.js";
import { sameBot } from "./issue-query.js";
import { ensureLabel } from "./labels.js";
import { readBaseline } from "./lock.js";
import { Lru } from "./lru.js";
import type { RepoScope } from "./pull-gateway.js";

export const DASHBOARD_QUERY = /* GraphQL */ `
  query reqgateDashboard($owner: String!, $repo: String!, $config: String!, $label: String!, $since: DateTime, $after: String, $first: Boolean!) {
    repository(owner: $owner, name: $repo) {
      config: object(expression: $config) @include(if: $first) { ... on Blob { text isTruncated } }
      dashboards: issues(first: 5, labels: [$label], orderBy: { field: CREATED_AT, direction: ASC }) @include(if: $first) {
        nodes { number body author { __typename login } }
      }
      count: issues @include(if: $first) { totalCount }
      issues(first: 100, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { number title body state updatedAt labels(first: 20) { nodes { name } } }
      }
    }
    ownerDefaults: repository(owner: $owner, name: ".github") @include(if: $first) {
      config: object(expression: $config) { ... on Blob { text isTruncated } }
    }
  }
`;

/**
 * GitHub requests per dashboard update, 304s and GraphQL pages included (SPEC 2.6: bounded whatever the
 * repository's size). Each update spends them on the query (the first page of issues), the lock, the
 * write (two to create: the label, the issue), then on more pages of issues while the list is read, then
 * on the tree and blob queries; what does not fit is read by the next updates.
 */
export const MAX_REQUESTS = 6;

/** One read of the issue list, newest first, that may span updates. */
interface Pass {
  /** null: the whole list; else the issues updated at or after this time. */
  since: string | null;
  /** Where the next page starts (null: at the newest). */
  after: string | null;
  /** The newest `updatedAt` the pass met: the next pass reads the issues updated since. */
  newest?: string;
  read: number;
  /** GitHub's count of the issues this pass reads, when it began. */
  about?: number;
  /** A read of the whole list builds it afresh: an issue it does not meet is gone. */
  fresh?: Map<number, DashboardIssue>;
  /** Read again because GitHub's count stopped matching the list. */
  again?: boolean;
}

interface RepoIssues {
  byNumber: Map<number, DashboardIssue>;
  /** The whole list was read once: passes read the issues updated since `since`. */
  whole: boolean;
  since?: string;
  /** The pass an update left for the next (past its budget). */
  pass?: Pass;
  /** GitHub's count of the repository's issues minus the list's size, as taken after a whole read. */
  gap: number;
  /** A whole read ended: the next count sets `gap` (issues GitHub counts but never lists stay counted). */
  adopt: boolean;
  dashboard?: number;
}

interface IssueNode {
  number: number;
  title: string;
  body: string;
  state: string;
  updatedAt: string;
  labels: { nodes: Array<{ name: string } | null> | null } | null;
}

interface Page {
  repository: {
    config?: { text?: string | null; isTruncated?: boolean } | null;
    dashboards?: { nodes: Array<{ number: number; body: string; author: { __typename: string; login: string } | null } | null> | null };
    count?: { totalCount?: number } | null;
    issues: {
      totalCount?: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<IssueNode | null> | null;
    };
  } | null;
  ownerDefaults?: { config?: { text?: string | null; isTruncated?: boolean } | null } | null;
}

/** Issue lists per repository ID, for the life of the App's services (one set per Probot: per process). */
let lists = new WeakMap<SharedState, Lru<number, RepoIssues>>();

function listsOf(shared: SharedState): Lru<number, RepoIssues> {
  let found = lists.get(shared);
  if (!found) lists.set(shared, (found = new Lru<number, RepoIssues>(500)));
  return found;
}

export function dashboardGateway(octokit: ProbotOctokit, shared: SharedState, scope: RepoScope & { defaultBranch: string }, log: Log): DashboardPorts {
  const { owner, repo, repoId, defaultBranch } = scope;
  let requests = 0;
  return {
    async read(gone = []) {
      const state: RepoIssues = listsOf(shared).get(repoId) ?? { byNumber: new Map<number, DashboardIssue>(), whole: false, gap: 0, adopt: false };
      // Deleted and transferred issues (their events' notes): no page shows them again.
      for (const number of gone) {
        if (!Number.isSafeInteger(number)) continue;
        state.byNumber.delete(number);
        state.pass?.fresh?.delete(number);
      }
      const botLogin = await shared.botLogin();
      const incomplete: string[] = [];
      let first: Page | undefined;
      let config: Awaited<ReturnType<typeof loadConfig>> | undefined;
      let prefixes: readonly string[] = ["REQ"];
      let pages = 0;
      let configReads = 0;
      // Pages this update may read: known once the first page says whether the dashboard exists.
      let limit = 1;
      // The list is read up to this update: the last pass began and ended in it.
      let current = false;
      // Passes whose first page is read in this update: one that ends in it missed nothing (one begun
      // earlier missed the issues updated meanwhile, which moved before its cursor).
      const begun = new Set<Pass>();
      for (;;) {
        state.pass ??= newPass(state);
        const pass: Pass = state.pass;
        if (pass.after === null) begun.add(pass);
        requests++;
        const page: Page = await octokit.graphql<Page>(DASHBOARD_QUERY, { owner, repo, config: `HEAD:${CONFIG_PATH}`, label: DASHBOARD_LABEL, since: pass.since, after: pass.after, first: pages === 0 });
        pages++;
        if (!first) {
          first = page;
          const own = (page.repository?.dashboards?.nodes ?? []).find((d) => d && sameBot(d.author, botLogin) && d.body.startsWith(DASHBOARD_MARKER));
          if (own) state.dashboard = own.number;
          const files = { ...blob("repoConfig", page.repository?.config), ...blob("ownerConfig", page.ownerDefaults?.config) };
          // A configuration that `_extends` another is read with a (conditional) request per file: counted in the budget.
          const fetch = configFileFetcher(octokit, shared.etags, owner);
          config = await loadConfig(owner, repo, files, (...args) => (configReads++, fetch(...args)));
          requests += configReads;
          if (config.config) shared.configs.set(repoId, config.config);
          prefixes = (config.config ?? shared.configs.get(repoId))?.requirements.prefixes ?? prefixes;
          // The lock, the write (or the label and the issue), and the tree once the list is whole; `dashboard: false`: this page only.
          limit = config.config?.dashboard ? MAX_REQUESTS - configReads - 1 - (state.dashboard === undefined ? 2 : 1) - (state.whole ? 1 : 0) : 1;
        }
        const issues = page.repository?.issues;
        if (!issues) break;
        if (pass.about === undefined && typeof issues.totalCount === "number") pass.about = issues.totalCount;
        for (const node of issues.nodes ?? []) {
          if (!node) continue;
          const issue = toIssue(node, prefixes);
          state.byNumber.set(node.number, issue);
          pass.fresh?.set(node.number, issue);
          pass.read++;
          if (pass.newest === undefined || node.updatedAt > pass.newest) pass.newest = node.updatedAt;
        }
        if (issues.pageInfo.hasNextPage) {
          pass.after = issues.pageInfo.endCursor;
          if (pages >= limit) break;
          continue;
        }
        // The pass is done.
        if (pass.fresh) {
          state.byNumber = pass.fresh;
          state.whole = true;
          state.adopt = true;
        }
        if (pass.newest !== undefined && (state.since === undefined || pass.newest > state.since)) state.since = pass.newest;
        delete state.pass;
        // Read in the request that counted the issues: the list must hold as many as GitHub counts.
        if (begun.has(pass) && pages === 1 && countDiffers(state, first.repository?.count?.totalCount)) {
          // An issue deleted or transferred (or one transferred in) that no event told this process of.
          log.warn({ owner, repo, listed: state.byNumber.size, counted: first.repository?.count?.totalCount }, "dashboard issue list differs from GitHub's count: read again");
          state.pass = { since: null, after: null, read: 0, fresh: new Map(), again: true };
          if (pages >= limit) break;
          continue;
        }
        if (begun.has(pass)) {
          current = true;
          break;
        }
        // Begun in an earlier update: read the issues updated meanwhile now, or in the next update.
        if (pages >= limit) {
          state.pass = newPass(state);
          break;
        }
      }
      const pass = state.pass;
      const issueRead: IssueRead | undefined = current || !pass ? undefined : { kind: !state.whole ? "first" : pass.again ? "again" : "since", read: pass.read, ...(pass.about !== undefined ? { about: pass.about } : {}) };
      listsOf(shared).set(repoId, state);
      // The dashboard itself is no work item.
      const issues = [...state.byNumber.values()].filter((i) => i.number !== state.dashboard);
      // `dashboard: false`: the lock is not read (the engine writes nothing).
      const lockRead = config?.config?.dashboard ? await readBaseline(octokit, shared.etags, owner, repo, config.config) : undefined;
      if (lockRead) requests++;
      const entries = lockRead?.view ? [...lockRead.view.entries.values()] : [];
      if (lockRead && lockRead.diagnostics.length > 0) incomplete.push("the baseline lock on the default branch cannot be read");
      const existing = state.dashboard !== undefined ? (first?.repository?.dashboards?.nodes ?? []).find((d) => d?.number === state.dashboard)?.body : undefined;
      const links = lockRead?.view?.links;
      let read: Awaited<ReturnType<typeof readDashboardFacts>> | undefined;
      // What the pages left of the budget, the write apart: the tree, then blob queries.
      const left = MAX_REQUESTS - pages - configReads - 1 - (state.dashboard === undefined ? 2 : 1);
      const factsWanted = config?.config?.dashboard === true && entries.length > 0;
      if (factsWanted && left >= 1) {
        const referenced = new Set(issues.flatMap((i) => i.ids));
        read = await readDashboardFacts(octokit, shared, { owner, repo, defaultBranch }, config!.config!, entries, referenced, left - 1);
        requests += read.requests;
        incomplete.push(...read.incomplete);
      } else if (factsWanted && issueRead === undefined) {
        incomplete.push("the requirement and evidence files are not read in this update (its requests went to the issue list): at risk, owners and evidence are shown again after the next update reads them");
      }
      const kept = stateOf(existing, shared.stateSecret, repoId);
      if (kept === "forged") {
        incomplete.push("the record the dashboard keeps (waivers, incomplete suspect searches) was changed by someone other than reqgate and is not believed");
        log.warn({ owner, repo, issue: state.dashboard }, "dashboard state not signed by this App: ignored");
      }
      return {
        config: config?.config,
        entries,
        ...(links ? { links } : {}),
        issues,
        incomplete,
        dashboard: state.dashboard === undefined ? undefined : { number: state.dashboard, ...(existing !== undefined ? { body: existing } : {}) },
        state: kept === "forged" ? EMPTY_STATE : kept,
        ...(read ? { facts: read.facts, evidence: read.evidence } : {}),
        ...(issueRead ? { issueRead } : {}),
        more: issueRead !== undefined || read?.more === true || (factsWanted && !read),
      };
    },
    seal(state) {
      const normal = normalizeState(state) ?? EMPTY_STATE;
      return writeHidden(MARKER.dashboardState, { v: 1, ...normal, sig: signature(shared.stateSecret, stateSubject(repoId, normal)) });
    },
    async write(body, existing) {
      if (existing) {
        if (existing.body === body) return "unchanged";
        requests++;
        await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { owner, repo, issue_number: existing.number, body });
        return "updated";
      }
      requests += 2;
      await ensureLabel(octokit, shared.labels, owner, repo, DASHBOARD_LABEL, "reqgate: the traceability dashboard (kept current by reqgate)");
      const created = await octokit.request("POST /repos/{owner}/{repo}/issues", { owner, repo, title: DASHBOARD_TITLE, body, labels: [DASHBOARD_LABEL] });
      const state = listsOf(shared).get(repoId);
      if (state) state.dashboard = created.data.number;
      log.info({ owner, repo, issue: created.data.number }, "dashboard created");
      return "created";
    },
    requests: () => requests,
  };
}

/**
 * Whether GitHub's count of the repository's issues stopped matching the list after a whole read (the
 * difference then is taken as it is: GitHub may count issues it never lists).
 */
function countDiffers(state: RepoIssues, counted: number | undefined): boolean {
  if (!state.whole || typeof counted !== "number") return false;
  const gap = counted - state.byNumber.size;
  if (state.adopt) {
    state.gap = gap;
    state.adopt = false;
    return false;
  }
  return gap !== state.gap;
}

/** The next pass of a list: the whole list until it was read whole once, then the issues updated since. */
function newPass(state: RepoIssues): Pass {
  return state.whole ? { since: state.since ?? null, after: null, read: 0 } : { since: null, after: null, read: 0, fresh: new Map() };
}

function toIssue(node: IssueNode, prefixes: readonly string[]): DashboardIssue {
  return { number: node.number, title: node.title, state: node.state === "OPEN" ? "open" : "closed", ids: findIds(`${node.title}\n${node.body}`, prefixes).slice(0, 50), labels: (node.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])), pull: false };
}

/** What is signed of a state: bound to one repository (it cannot be carried to another one). */
function stateSubject(repoId: number, state: DashboardState): string {
  return `reqgate dashboard-state v1\n${repoId}\n${JSON.stringify(state)}`;
}

/** The state at the end of the dashboard's body: empty when there is none, "forged" when its signature fails. */
function stateOf(body: string | undefined, secret: string, repoId: number): DashboardState | "forged" {
  if (body === undefined) return EMPTY_STATE;
  const data = readHiddenLast(body, MARKER.dashboardState) as { v?: unknown; sig?: unknown } | undefined;
  if (data === undefined) return EMPTY_STATE;
  const { v, sig, ...rest } = data ?? {};
  const state = v === 1 ? normalizeState(rest) : undefined;
  return state && signatureMatches(secret, stateSubject(repoId, state), sig) ? state : "forged";
}

function blob(key: "repoConfig" | "ownerConfig", object: { text?: string | null; isTruncated?: boolean } | null | undefined): Record<string, { text?: string; truncated: boolean }> {
  if (!object) return {};
  return { [key]: { truncated: object.isTruncated === true || typeof object.text !== "string", ...(typeof object.text === "string" ? { text: object.text } : {}) } };
}

/** Forgets the issue lists (tests start each from nothing). */
export function resetDashboardLists(): void {
  lists = new WeakMap<SharedState, Lru<number, RepoIssues>>();
}
