// The traceability dashboard's reads and writes (SPEC 2.6). One GraphQL query per update reads the
// configuration files, reqgate's dashboard issue (by its label; it is then told by its marker and its
// author being this App's bot) and the repository's issues updated since the last update (100 per page,
// newest first); the issue list is kept per repository in the process, so a steady update reads one
// page. The lock is read with its ETag (a 304 when unchanged); parents, owners and evidence come from
// dashboard-facts.ts (a tree request, a 304 while the default branch does not change, and only blobs not
// seen before). Then one write: the dashboard created, or edited in place when its body differs.
// The state the dashboard keeps (waivers, the last move, incomplete suspect searches) ends its body,
// signed with the App's state secret: a copy edited by anyone else is not believed.
import type { ProbotOctokit } from "probot";
import type { SharedState } from "../app/shared-state.js";
import { DASHBOARD_LABEL, DASHBOARD_MARKER, DASHBOARD_TITLE, type DashboardIssue } from "../domain/dashboard/dashboard.js";
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
      issues(first: 100, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) {
        pageInfo { hasNextPage endCursor }
        nodes { number title body state updatedAt labels(first: 20) { nodes { name } } }
      }
    }
    ownerDefaults: repository(owner: $owner, name: ".github") @include(if: $first) {
      config: object(expression: $config) { ... on Blob { text isTruncated } }
    }
  }
`;

/** The first read of a repository's issues stops after this many pages (10,000 issues); the dashboard says so. */
const MAX_PAGES = 100;

interface RepoIssues {
  byNumber: Map<number, DashboardIssue>;
  /** The newest updatedAt seen: the next read asks only for issues updated since. */
  since?: string;
  complete: boolean;
  dashboard?: number;
}

interface Page {
  repository: {
    config?: { text?: string | null; isTruncated?: boolean } | null;
    dashboards?: { nodes: Array<{ number: number; body: string; author: { __typename: string; login: string } | null } | null> | null };
    issues: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{ number: number; title: string; body: string; state: string; updatedAt: string; labels: { nodes: Array<{ name: string } | null> | null } | null } | null> | null;
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
    async read() {
      const state = listsOf(shared).get(repoId) ?? { byNumber: new Map<number, DashboardIssue>(), complete: false };
      const botLogin = await shared.botLogin();
      let first: Page | undefined;
      let after: string | null = null;
      const incomplete: string[] = [];
      let newest = state.since;
      const prefixes = shared.configs.get(repoId)?.requirements.prefixes ?? ["REQ"];
      for (let n = 0; ; n++) {
        requests++;
        const page: Page = await octokit.graphql<Page>(DASHBOARD_QUERY, { owner, repo, config: `HEAD:${CONFIG_PATH}`, label: DASHBOARD_LABEL, since: state.since ?? null, after, first: n === 0 });
        first ??= page;
        const issues = page.repository?.issues;
        if (!issues) break;
        for (const node of issues.nodes ?? []) {
          if (!node) continue;
          if (newest === undefined || node.updatedAt > newest) newest = node.updatedAt;
          state.byNumber.set(node.number, { number: node.number, title: node.title, state: node.state === "OPEN" ? "open" : "closed", ids: findIds(`${node.title}\n${node.body}`, prefixes).slice(0, 50), labels: (node.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])), pull: false });
        }
        if (!issues.pageInfo.hasNextPage) {
          state.complete = state.complete || state.since === undefined;
          break;
        }
        if (n + 1 >= MAX_PAGES) {
          incomplete.push(`the issue list was read up to ${MAX_PAGES * 100} issues`);
          break;
        }
        after = issues.pageInfo.endCursor;
      }
      if (newest !== undefined) state.since = newest;
      const own = (first?.repository?.dashboards?.nodes ?? []).find((d) => d && sameBot(d.author, botLogin) && d.body.startsWith(DASHBOARD_MARKER));
      if (own) state.dashboard = own.number;
      listsOf(shared).set(repoId, state);
      // The dashboard itself is no work item.
      const issues = [...state.byNumber.values()].filter((i) => i.number !== state.dashboard);
      const files = { ...blob("repoConfig", first?.repository?.config), ...blob("ownerConfig", first?.ownerDefaults?.config) };
      const config = await loadConfig(owner, repo, files, configFileFetcher(octokit, shared.etags, owner));
      if (config.config) shared.configs.set(repoId, config.config);
      // `dashboard: false`: the lock is not read (the engine writes nothing).
      const lockRead = config.config?.dashboard ? await readBaseline(octokit, shared.etags, owner, repo, config.config) : undefined;
      if (lockRead) requests++;
      const entries = lockRead?.view ? [...lockRead.view.entries.values()] : [];
      if (lockRead && lockRead.diagnostics.length > 0) incomplete.push("the baseline lock on the default branch cannot be read");
      const existing = state.dashboard !== undefined ? (first?.repository?.dashboards?.nodes ?? []).find((d) => d?.number === state.dashboard)?.body : undefined;
      const links = lockRead?.view?.links;
      let read: Awaited<ReturnType<typeof readDashboardFacts>> | undefined;
      if (config.config?.dashboard && entries.length > 0) {
        const referenced = new Set(issues.flatMap((i) => i.ids));
        read = await readDashboardFacts(octokit, shared, { owner, repo, defaultBranch }, config.config, entries, referenced);
        requests += read.requests;
        incomplete.push(...read.incomplete);
      }
      const kept = stateOf(existing, shared.stateSecret, repoId);
      if (kept === "forged") {
        incomplete.push("the record the dashboard keeps (waivers, incomplete suspect searches) was changed by someone other than reqgate and is not believed");
        log.warn({ owner, repo, issue: state.dashboard }, "dashboard state not signed by this App: ignored");
      }
      return {
        config: config.config,
        entries,
        ...(links ? { links } : {}),
        issues,
        incomplete,
        dashboard: state.dashboard === undefined ? undefined : { number: state.dashboard, ...(existing !== undefined ? { body: existing } : {}) },
        state: kept === "forged" ? EMPTY_STATE : kept,
        ...(read ? { facts: read.facts, evidence: read.evidence, more: read.more } : {}),
      };
    },
    seal(state) {
      const normal = normalizeState(state) ?? EMPTY_STATE;
      return writeHidden(MARKER.dashboardState, { v: 1, ...normal, sig: signature(shared.stateSecret, stateSubject(repoId, normal)) });
    },
    async write(body, existing) {
      requests++;
      if (existing) {
        if (existing.body === body) return "unchanged";
        await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { owner, repo, issue_number: existing.number, body });
        return "updated";
      }
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
