// What an evaluation of a pull request reads besides files, in two requests:
//   1. the pull request itself over REST, with an ETag: its head and base, title, body, labels, author and
//      the number of changed files. The same conditional read, repeated just before publishing, answers
//      304 when nothing moved (free), and otherwise tells whether the head moved (a stale result).
//   2. one GraphQL query for the rest: the configuration of the default branch (and the owner's `.github`
//      fallback), the base's lock blob (oid and size only), reviews with the subject reqgate recorded on
//      each reviewed commit, comments, commit authors, this App's check runs on the head (to update them
//      in place) and on the latest earlier heads (the approval ledger and waiver they carry), and the
//      issues the pull request closes, is linked to or mentions (with their reqgate comments, which hold
//      issue waivers). Connections longer than a page are read further page by page, up to a bound past
//      which the evaluation is incomplete (and fails closed).
import type { ProbotOctokit } from "probot";
import { BASELINE_CHECK } from "../domain/pulls/check-names.js";
import type { PullFacts, RunFacts } from "../engine/ports.js";
import type { CommentFact, ReviewFact } from "../domain/pulls/pull-facts.js";
import type { IssueForTrace } from "../engine/ports.js";
import { conditionalGet, type EtagCache } from "./conditional.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { sameBot, type ConfigBlob } from "./issue-query.js";

/** An issue as read for the trace check: the port's shape, with reqgate's comments instead of the verified waiver. */
export type IssueFactsForTrace = Omit<IssueForTrace, "waiverReason"> & {
  /** reqgate's own comments on the issue (the signed waiver is in one of them). */
  ownComments: Array<{ id: number; body: string }>;
};

export interface RawPullContext {
  repoConfig?: ConfigBlob;
  ownerConfig?: ConfigBlob;
  /** The lock blob at the base, at the path asked for; null when there is no file there. */
  baseLock: { oid: string; size: number } | null;
  reviews: ReviewFact[];
  /** Comments with their command-relevant facts, and whether reqgate wrote them. */
  comments: Array<CommentFact & { own: boolean }>;
  /** Per commit, the logins of its authors and committer, and whether one of them is linked to no account. */
  commits: Array<{ logins: string[]; unlinked?: boolean }>;
  /** This App's check runs on the head commit. */
  headRuns: RunFacts[];
  /** This App's check runs on the latest earlier heads (summaries only), when the head has no baseline run yet. */
  earlierRuns: Array<{ name: string; summary?: string }>;
  /** When the base branch last changed. */
  baseChangedAt?: string;
  /** The `reqgate/baseline` external_id reqgate recorded on each reviewed commit. */
  reviewedSubjects: Map<string, string>;
  issues: IssueFactsForTrace[];
  /** Why something could not be read completely. */
  incomplete: string[];
}

/** GitHub shows at most this many closing references and mentioned issues per pull request here. */
export const MAX_ISSUES = 25;
/** Reviews, comments and commits are read at most this many pages of 100. */
export const MAX_PAGES = 10;

// ---------------------------------------------------------------------------------------------------
// REST: the pull request

interface RestPull {
  number: number;
  state: string;
  draft?: boolean;
  title: string;
  body: string | null;
  user: { login: string } | null;
  labels: Array<{ name?: string }>;
  head: { sha: string };
  base: { sha: string; ref: string };
  changed_files?: number;
  html_url: string;
}

function toFacts(data: unknown): PullFacts {
  const d = data as RestPull;
  return {
    number: d.number,
    state: d.state === "open" ? "open" : "closed",
    draft: d.draft === true,
    title: d.title,
    body: d.body ?? "",
    author: d.user?.login ?? "ghost",
    labels: d.labels.flatMap((l) => (typeof l.name === "string" ? [l.name] : [])),
    headSha: d.head.sha,
    baseSha: d.base.sha,
    baseRef: d.base.ref,
    changedFiles: typeof d.changed_files === "number" ? d.changed_files : 0,
    htmlUrl: d.html_url,
  };
}

/** The pull request as it is now; undefined when there is none. A repeated read is a 304 when nothing changed. */
export async function readPull(octokit: ProbotOctokit, cache: EtagCache, owner: string, repo: string, number: number): Promise<PullFacts | undefined> {
  const fetched = await conditionalGet(octokit, cache, "GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number }, toFacts);
  return fetched?.value;
}

// ---------------------------------------------------------------------------------------------------
// GraphQL: everything else

const RUN_FIELDS = "databaseId name status conclusion title summary text externalId detailsUrl annotations { totalCount }";
const ACTOR = "__typename login";
const ISSUE_FIELDS = `number title body state repository { databaseId }
  labels(first: 50) { nodes { name } }
  comments(first: 30) { nodes { fullDatabaseId body author { ${ACTOR} } } }`;
const REVIEW_FIELDS = `fullDatabaseId state submittedAt author { ${ACTOR} }
  commit { oid checkSuites(first: 5, filterBy: { appId: $appId }) { nodes { checkRuns(first: 1, filterBy: { checkName: "${BASELINE_CHECK}" }) { nodes { externalId } } } } }`;
const COMMENT_FIELDS = `fullDatabaseId body createdAt lastEditedAt author { ${ACTOR} } editor { ${ACTOR} }`;
const COMMIT_FIELDS = `commit { authors(first: 10) { nodes { user { login } } } committer { user { login } } }`;
/** This App's runs on a commit, ids only: which earlier head carries the record is decided before summaries are read. */
const RUN_IDS = `checkSuites(first: 5, filterBy: { appId: $appId }) { nodes { checkRuns(first: 5) { nodes { id name } } } }`;
/** Force-pushed heads looked at (the latest), when the head has no run of this App yet. */
export const FORCE_PUSHES = 10;
/** At most this many earlier runs' summaries are read: the latest commit's and the latest force-pushed heads'. */
const MAX_EARLIER_RUNS = 4;

export function contextQuery(mentioned: readonly number[], social: boolean): string {
  const issues = mentioned.map((n) => `i${n}: issueOrPullRequest(number: ${n}) { ... on Issue { ${ISSUE_FIELDS} } }`).join("\n");
  const socialFields = social
    ? `reviews(last: 100) { pageInfo { hasPreviousPage startCursor } nodes { ${REVIEW_FIELDS} } }
       comments(last: 100) { pageInfo { hasPreviousPage startCursor } nodes { ${COMMENT_FIELDS} } }
       commits(first: 100) { pageInfo { hasNextPage endCursor } nodes { ${COMMIT_FIELDS} } }`
    : "";
  return `query reqgatePull($owner: String!, $repo: String!, $number: Int!, $config: String!, $lock: String!, $head: GitObjectID!, $appId: Int!) {
  repository(owner: $owner, name: $repo) {
    config: object(expression: $config) { ... on Blob { text isTruncated } }
    baseLock: object(expression: $lock) { ... on Blob { oid byteSize } }
    head: object(oid: $head) { ... on Commit { checkSuites(first: 5, filterBy: { appId: $appId }) { nodes { checkRuns(first: 10) { nodes { ${RUN_FIELDS} } } } } } }
    pullRequest(number: $number) {
      closingIssuesReferences(first: ${MAX_ISSUES}) { nodes { ${ISSUE_FIELDS} } }
      ${socialFields}
      recent: commits(last: 100) { pageInfo { hasPreviousPage startCursor } nodes { commit { oid ${RUN_IDS} } } }
      forcePushes: timelineItems(itemTypes: [HEAD_REF_FORCE_PUSHED_EVENT], last: ${FORCE_PUSHES}) { pageInfo { hasPreviousPage startCursor } nodes { ... on HeadRefForcePushedEvent { beforeCommit { oid ${RUN_IDS} } } } }
      baseChanges: timelineItems(itemTypes: [BASE_REF_CHANGED_EVENT], last: 1) { nodes { ... on BaseRefChangedEvent { createdAt } } }
    }
    ${issues}
  }
  ownerDefaults: repository(owner: $owner, name: ".github") { config: object(expression: $config) { ... on Blob { text isTruncated } } }
}`;
}

export const PAGE_QUERIES = {
  reviews: `query reqgatePullReviews($owner: String!, $repo: String!, $number: Int!, $cursor: String!, $appId: Int!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { page: reviews(last: 100, before: $cursor) { pageInfo { hasPreviousPage startCursor } nodes { ${REVIEW_FIELDS} } } } }
}`,
  comments: `query reqgatePullComments($owner: String!, $repo: String!, $number: Int!, $cursor: String!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { page: comments(last: 100, before: $cursor) { pageInfo { hasPreviousPage startCursor } nodes { ${COMMENT_FIELDS} } } } }
}`,
  recent: `query reqgatePullRecent($owner: String!, $repo: String!, $number: Int!, $cursor: String!, $appId: Int!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { page: commits(last: 100, before: $cursor) { pageInfo { hasPreviousPage startCursor } nodes { commit { oid ${RUN_IDS} } } } } }
}`,
  commits: `query reqgatePullCommits($owner: String!, $repo: String!, $number: Int!, $cursor: String!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { page: commits(first: 100, after: $cursor) { pageInfo { hasNextPage endCursor } nodes { ${COMMIT_FIELDS} } } } }
}`,
} as const;

interface Actor {
  __typename: string;
  login: string;
}
interface PageInfo {
  hasPreviousPage?: boolean;
  startCursor?: string | null;
  hasNextPage?: boolean;
  endCursor?: string | null;
}
interface Connection<T> {
  pageInfo?: PageInfo;
  nodes?: Array<T | null> | null;
}
interface RawRun {
  databaseId?: number | null;
  name?: string;
  status?: string;
  conclusion?: string | null;
  title?: string | null;
  summary?: string | null;
  text?: string | null;
  externalId?: string | null;
  detailsUrl?: string | null;
  annotations?: { totalCount?: number } | null;
}
interface Suites {
  checkSuites?: Connection<{ checkRuns?: Connection<RawRun> | null }> | null;
}
interface RunIds {
  checkSuites?: Connection<{ checkRuns?: Connection<{ id?: string; name?: string }> | null }> | null;
}
interface RawIssue {
  number?: number;
  title?: string;
  body?: string;
  state?: string;
  repository?: { databaseId?: number | null } | null;
  labels?: Connection<{ name: string }> | null;
  comments?: Connection<{ fullDatabaseId: string | number | null; body: string; author: Actor | null }> | null;
}
interface RawReview {
  fullDatabaseId: string | number | null;
  state: string;
  submittedAt: string | null;
  author: Actor | null;
  commit: ({ oid: string } & Suites) | null;
}
interface RawComment {
  fullDatabaseId: string | number | null;
  body: string;
  createdAt: string;
  lastEditedAt: string | null;
  author: Actor | null;
  editor: Actor | null;
}
interface RawCommit {
  commit: { authors?: Connection<{ user: { login: string } | null }> | null; committer?: { user: { login: string } | null } | null } | null;
}
interface ContextData {
  repository: ({
    config?: { text?: string | null; isTruncated?: boolean } | null;
    baseLock?: { oid?: string; byteSize?: number } | null;
    head?: Suites | null;
    pullRequest?: {
      closingIssuesReferences?: Connection<RawIssue> | null;
      reviews?: Connection<RawReview>;
      comments?: Connection<RawComment>;
      commits?: Connection<RawCommit>;
      recent?: Connection<{ commit: ({ oid: string } & RunIds) | null }> | null;
      forcePushes?: Connection<{ beforeCommit?: ({ oid: string } & RunIds) | null }> | null;
      baseChanges?: Connection<{ createdAt?: string }> | null;
    } | null;
  } & Record<string, unknown>) | null;
  ownerDefaults?: { config?: { text?: string | null; isTruncated?: boolean } | null } | null;
}

export interface ContextRequest {
  owner: string;
  repo: string;
  repoId: number;
  appId: number;
  botLogin: string;
  pull: PullFacts;
  /** The lock path to look for at the base (the configuration's, or its default until that is known). */
  lockPath: string;
  /** Issue numbers the body mentions or closes by keyword (beyond GitHub's own closing references). */
  mentioned: ReadonlyArray<{ number: number; relation: "closes" | "mentions" }>;
  /** False for a trace-only evaluation: reviews, comments and commits are not read. */
  social: boolean;
}

/** Reads the context of one pull request; undefined when GitHub no longer has it. */
export async function readPullContext(octokit: ProbotOctokit, request: ContextRequest): Promise<RawPullContext | undefined> {
  const { owner, repo, pull, appId } = request;
  const mentioned = request.mentioned.slice(0, MAX_ISSUES);
  const variables = { owner, repo, number: pull.number, config: `HEAD:${CONFIG_PATH}`, lock: `${pull.baseSha}:${request.lockPath}`, head: pull.headSha, appId };
  const data = await queryTolerant<ContextData>(octokit, contextQuery(mentioned.map((m) => m.number), request.social), variables, (path) => path[0] === "ownerDefaults" || (path[0] === "repository" && /^i\d+$/.test(String(path[1])) && path.length === 2));
  const repository = data.repository;
  const pr = repository?.pullRequest;
  if (!repository || !pr) return undefined;

  const incomplete: string[] = [];
  const context: RawPullContext = {
    baseLock: repository.baseLock?.oid ? { oid: repository.baseLock.oid, size: repository.baseLock.byteSize ?? 0 } : null,
    reviews: [],
    comments: [],
    commits: [],
    headRuns: runsOf(repository.head),
    earlierRuns: [],
    reviewedSubjects: new Map(),
    issues: [],
    incomplete,
  };
  const repoConfig = blob(repository.config);
  if (repoConfig) context.repoConfig = repoConfig;
  const ownerConfig = blob(data.ownerDefaults?.config);
  if (ownerConfig) context.ownerConfig = ownerConfig;

  const baseChangedAt = pr.baseChanges?.nodes?.at(-1)?.createdAt;
  if (typeof baseChangedAt === "string") context.baseChangedAt = baseChangedAt;
  // Earlier heads carry the approval record: needed only while the head has no baseline run of this App.
  if (!context.headRuns.some((r) => r.name === BASELINE_CHECK)) context.earlierRuns = await earlierRuns(octokit, request, pr, incomplete);

  // Issues: GitHub's closing references (this repository's only), then the body's own references.
  const seen = new Set<number>();
  for (const issue of pr.closingIssuesReferences?.nodes ?? []) {
    if (!issue || issue.repository?.databaseId !== request.repoId) continue;
    const facts = issueFacts(issue, "linked", request.botLogin);
    if (facts && !seen.has(facts.number)) {
      seen.add(facts.number);
      context.issues.push(facts);
    }
  }
  for (const m of mentioned) {
    const issue = repository[`i${m.number}`] as RawIssue | null | undefined;
    if (!issue || typeof issue.number !== "number") continue;
    const facts = issueFacts(issue, m.relation, request.botLogin);
    if (!facts) continue;
    const known = context.issues.find((i) => i.number === facts.number);
    if (known) {
      if (m.relation === "closes") known.relation = "closes";
      continue;
    }
    context.issues.push(facts);
  }
  if (request.mentioned.length > MAX_ISSUES) incomplete.push(`the description references more than ${MAX_ISSUES} issues; only the first ${MAX_ISSUES} were read`);

  if (request.social) {
    const reviews = await allPages(octokit, request, "reviews", pr.reviews, incomplete);
    const comments = await allPages(octokit, request, "comments", pr.comments, incomplete);
    const commits = await allPages(octokit, request, "commits", pr.commits, incomplete);
    for (const r of reviews) {
      const id = Number(r.fullDatabaseId);
      if (!r.author || !r.commit || !Number.isSafeInteger(id)) continue;
      const review: ReviewFact = { id, by: loginOf(r.author), state: r.state, commit: r.commit.oid };
      if (r.submittedAt) review.at = r.submittedAt;
      context.reviews.push(review);
      const subject = recordedSubject(r.commit);
      if (subject !== undefined && !context.reviewedSubjects.has(r.commit.oid)) context.reviewedSubjects.set(r.commit.oid, subject);
    }
    for (const c of comments) {
      const id = Number(c.fullDatabaseId);
      if (!c.author || !Number.isSafeInteger(id)) continue;
      const comment: CommentFact & { own: boolean } = { id, by: loginOf(c.author), bot: c.author.__typename === "Bot", body: c.body, createdAt: c.createdAt, own: sameBot(c.author, request.botLogin) };
      if (c.lastEditedAt) comment.edited = c.editor ? { by: loginOf(c.editor) } : {};
      context.comments.push(comment);
    }
    for (const c of commits) {
      const authors = (c.commit?.authors?.nodes ?? []).filter((a) => a !== null);
      const logins = [...authors.flatMap((a) => (a.user ? [a.user.login] : [])), ...(c.commit?.committer?.user ? [c.commit.committer.user.login] : [])];
      const unlinked = authors.some((a) => !a.user) || !c.commit?.committer?.user;
      context.commits.push(unlinked ? { logins, unlinked } : { logins });
    }
  }
  return context;
}

type PageKind = keyof typeof PAGE_QUERIES;
type NodeOf<K extends PageKind> = K extends "reviews" ? RawReview : K extends "comments" ? RawComment : RawCommit;

/** Every node of a connection: reviews and comments backwards from the newest, commits forwards. */
async function allPages<K extends PageKind>(octokit: ProbotOctokit, request: ContextRequest, kind: K, first: Connection<NodeOf<K>> | undefined, incomplete: string[]): Promise<Array<NodeOf<K>>> {
  const nodes: Array<NodeOf<K>> = [];
  let page = first;
  for (let n = 1; page; n++) {
    for (const node of page.nodes ?? []) if (node) nodes.push(node);
    const info = page.pageInfo ?? {};
    const more = kind === "commits" ? info.hasNextPage === true && info.endCursor : info.hasPreviousPage === true && info.startCursor;
    if (!more) break;
    if (n >= MAX_PAGES) {
      incomplete.push(`the pull request has more than ${MAX_PAGES * 100} ${kind}; reqgate reads at most that many`);
      break;
    }
    const variables: Record<string, unknown> = { owner: request.owner, repo: request.repo, number: request.pull.number, cursor: more };
    if (kind === "reviews") variables.appId = request.appId;
    const data = await octokit.graphql<{ repository: { pullRequest: { page: Connection<NodeOf<K>> } | null } | null }>(PAGE_QUERIES[kind], variables);
    page = data.repository?.pullRequest?.page;
  }
  // Backward pages arrive newest first: put everything in the order GitHub lists it.
  return kind === "commits" ? nodes : nodes.sort((a, b) => Number((a as { fullDatabaseId: unknown }).fullDatabaseId) - Number((b as { fullDatabaseId: unknown }).fullDatabaseId));
}

function issueFacts(issue: RawIssue, relation: IssueFactsForTrace["relation"], botLogin: string): IssueFactsForTrace | undefined {
  if (typeof issue.number !== "number" || typeof issue.title !== "string") return undefined;
  const ownComments: Array<{ id: number; body: string }> = [];
  for (const c of issue.comments?.nodes ?? []) {
    if (c && sameBot(c.author, botLogin) && c.fullDatabaseId !== null) ownComments.push({ id: Number(c.fullDatabaseId), body: c.body });
  }
  return {
    number: issue.number,
    relation,
    state: issue.state === "CLOSED" ? "closed" : "open",
    title: issue.title,
    body: issue.body ?? "",
    labels: (issue.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
    ownComments,
  };
}

function runsOf(commit: Suites | null | undefined): RunFacts[] {
  const runs: RunFacts[] = [];
  for (const suite of commit?.checkSuites?.nodes ?? []) {
    for (const r of suite?.checkRuns?.nodes ?? []) {
      if (!r || typeof r.databaseId !== "number" || typeof r.name !== "string") continue;
      const run: RunFacts = { id: r.databaseId, name: r.name, status: r.status ?? "", annotations: r.annotations?.totalCount ?? 0 };
      if (r.conclusion) run.conclusion = r.conclusion;
      if (typeof r.title === "string") run.title = r.title;
      if (typeof r.summary === "string") run.summary = r.summary;
      if (typeof r.text === "string") run.text = r.text;
      if (typeof r.externalId === "string" && r.externalId !== "") run.externalId = r.externalId;
      if (typeof r.detailsUrl === "string") run.detailsUrl = r.detailsUrl;
      runs.push(run);
    }
  }
  return runs;
}

/** The external id of this App's `reqgate/baseline` run on a reviewed commit: the subject it showed. */
function recordedSubject(commit: Suites): string | undefined {
  for (const suite of commit.checkSuites?.nodes ?? []) {
    for (const r of suite?.checkRuns?.nodes ?? []) if (r && typeof r.externalId === "string" && r.externalId !== "") return r.externalId;
  }
  return undefined;
}

function runIdsOf(commit: RunIds | null | undefined): string[] {
  const ids: string[] = [];
  for (const suite of commit?.checkSuites?.nodes ?? []) for (const r of suite?.checkRuns?.nodes ?? []) if (r && typeof r.id === "string") ids.push(r.id);
  return ids;
}

/** Earlier force-pushes, when none of the latest replaced a head with a run of this App (deliveries were missed). */
export const FORCE_PUSH_PAGE = `query reqgatePullForcePushes($owner: String!, $repo: String!, $number: Int!, $cursor: String!, $appId: Int!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) { page: timelineItems(itemTypes: [HEAD_REF_FORCE_PUSHED_EVENT], last: 100, before: $cursor) { pageInfo { hasPreviousPage startCursor } nodes { ... on HeadRefForcePushedEvent { beforeCommit { oid ${RUN_IDS} } } } } } }
}`;

export const RUN_SUMMARIES = `query reqgateRunSummaries($ids: [ID!]!) {
  nodes(ids: $ids) { ... on CheckRun { name summary } }
}`;

/**
 * This App's runs on the latest earlier heads, latest first: the latest commit of the pull request
 * (before the head) that has a run of this App, however many commits were pushed since (read back 100 at
 * a time, up to the same bound as the commits; past it the evaluation is incomplete), and the heads the
 * latest force-pushes replaced. Every run carries the whole record forward, so these suffice. One more
 * request reads their summaries.
 */
async function earlierRuns(octokit: ProbotOctokit, request: ContextRequest, pr: NonNullable<NonNullable<ContextData["repository"]>["pullRequest"]>, incomplete: string[]): Promise<Array<{ name: string; summary?: string }>> {
  const head = request.pull.headSha;
  const runsOf = (commit: ({ oid: string } & RunIds) | null | undefined) => (commit && commit.oid !== head ? runIdsOf(commit) : []);
  const variables = (cursor: string) => ({ owner: request.owner, repo: request.repo, number: request.pull.number, cursor, appId: request.appId });
  type Recent = NonNullable<typeof pr.recent>;
  type ForcePushes = NonNullable<typeof pr.forcePushes>;
  // The latest earlier commit with a run, however many were pushed at once.
  const commits = await runsPagingBack(
    pr.recent,
    (page: Recent) => (page.nodes ?? []).map((c) => runsOf(c?.commit)),
    async (cursor) => (await octokit.graphql<{ repository: { pullRequest: { page: Recent } | null } | null }>(PAGE_QUERIES.recent, variables(cursor))).repository?.pullRequest?.page,
    `the pull request has more than ${MAX_PAGES * 100} commits; reqgate reads at most that many`,
    incomplete,
  );
  const ids: string[] = [...(commits.at(-1) ?? [])];
  // The heads the latest force-pushes replaced; when none of the latest had a run (the App missed their
  // deliveries), read back until one did, so that a burst of force-pushes cannot push the record out.
  const forced = await runsPagingBack(
    pr.forcePushes,
    (page: ForcePushes) => (page.nodes ?? []).map((n) => runsOf(n?.beforeCommit)),
    async (cursor) => (await octokit.graphql<{ repository: { pullRequest: { page: ForcePushes } | null } | null }>(FORCE_PUSH_PAGE, variables(cursor))).repository?.pullRequest?.page,
    `the pull request was force-pushed more than ${FORCE_PUSHES + (MAX_PAGES - 1) * 100} times since reqgate last saw it; reqgate reads at most that many`,
    incomplete,
  );
  for (const runs of forced.reverse()) {
    if (ids.length >= MAX_EARLIER_RUNS * 2) break;
    ids.push(...runs);
  }
  if (ids.length === 0) return [];
  const data = await octokit.graphql<{ nodes: Array<{ name?: string; summary?: string | null } | null> }>(RUN_SUMMARIES, { ids: [...new Set(ids)] });
  const out: Array<{ name: string; summary?: string }> = [];
  for (const r of data.nodes ?? []) if (r && typeof r.name === "string") out.push(typeof r.summary === "string" ? { name: r.name, summary: r.summary } : { name: r.name });
  return out;
}

type PageBack = { pageInfo?: { hasPreviousPage?: boolean; startCursor?: string | null } | null };

/**
 * A connection read back from its latest page (`first`, from the context query) until a page has nodes
 * with runs of this App: those nodes' run IDs, latest last; empty when none has any. At most `MAX_PAGES`
 * pages: past them `tooMany` is incomplete (the evaluation fails closed rather than forget a record).
 */
async function runsPagingBack<P extends PageBack>(first: P | null | undefined, runsOnPage: (page: P) => string[][], previous: (cursor: string) => Promise<P | null | undefined>, tooMany: string, incomplete: string[]): Promise<string[][]> {
  let page = first;
  for (let n = 1; page; n++) {
    const found = runsOnPage(page).filter((ids) => ids.length > 0);
    if (found.length > 0) return found;
    const info = page.pageInfo ?? {};
    if (info.hasPreviousPage !== true || !info.startCursor) break;
    if (n >= MAX_PAGES) {
      incomplete.push(tooMany);
      break;
    }
    page = await previous(info.startCursor);
  }
  return [];
}

/** REST spells bots `name[bot]`, GraphQL `name`: reqgate uses REST's spelling everywhere. */
export function loginOf(actor: Actor): string {
  return actor.__typename === "Bot" && !actor.login.endsWith("[bot]") ? `${actor.login}[bot]` : actor.login;
}

function blob(object: { text?: string | null; isTruncated?: boolean } | null | undefined): ConfigBlob | undefined {
  if (!object) return undefined;
  const out: ConfigBlob = { truncated: object.isTruncated === true || typeof object.text !== "string" };
  if (typeof object.text === "string") out.text = object.text;
  return out;
}

/**
 * A GraphQL query whose answer may carry NOT_FOUND errors for fields that are allowed to be missing
 * (the owner's `.github` repository, a mentioned number that is no issue): the partial data is used.
 * Any other error is a failure.
 */
export async function queryTolerant<T>(octokit: ProbotOctokit, query: string, variables: Record<string, unknown>, allowed: (path: readonly unknown[]) => boolean): Promise<T> {
  try {
    return await octokit.graphql<T>(query, variables);
  } catch (error) {
    if (typeof error !== "object" || error === null || !("errors" in error) || !("data" in error)) throw error;
    const { errors, data } = error;
    if (!Array.isArray(errors) || typeof data !== "object" || data === null) throw error;
    const tolerated = errors.every((e: { path?: unknown[]; type?: string }) => Array.isArray(e?.path) && e.type === "NOT_FOUND" && allowed(e.path));
    if (!tolerated) throw error;
    return data as T;
  }
}

// ---------------------------------------------------------------------------------------------------
// A pushed commit: the configuration and this App's runs on it

export const PUSH_QUERY = `query reqgatePush($owner: String!, $repo: String!, $config: String!, $head: GitObjectID!, $appId: Int!, $lock: String!, $withLock: Boolean!) {
  repository(owner: $owner, name: $repo) {
    config: object(expression: $config) { ... on Blob { text isTruncated } }
    baseLock: object(expression: $lock) @include(if: $withLock) { ... on Blob { oid byteSize } }
    head: object(oid: $head) { ... on Commit { checkSuites(first: 5, filterBy: { appId: $appId }) { nodes { checkRuns(first: 10) { nodes { ${RUN_FIELDS} } } } } } }
  }
  ownerDefaults: repository(owner: $owner, name: ".github") { config: object(expression: $config) { ... on Blob { text isTruncated } } }
}`;

export interface RawPushContext {
  repoConfig?: ConfigBlob;
  ownerConfig?: ConfigBlob;
  headRuns: RunFacts[];
  /** The lock blob at `lockAt`, when asked; null when there is none. */
  baseLock?: { oid: string; size: number } | null;
}

export async function readPushContext(octokit: ProbotOctokit, request: { owner: string; repo: string; appId: number; head: string; lockAt?: string }): Promise<RawPushContext> {
  const variables = { owner: request.owner, repo: request.repo, config: `HEAD:${CONFIG_PATH}`, head: request.head, appId: request.appId, lock: request.lockAt ?? "", withLock: request.lockAt !== undefined };
  const data = await queryTolerant<ContextData>(octokit, PUSH_QUERY, variables, (path) => path[0] === "ownerDefaults");
  const context: RawPushContext = { headRuns: runsOf(data.repository?.head) };
  if (request.lockAt !== undefined) {
    const lock = data.repository?.baseLock;
    context.baseLock = lock?.oid ? { oid: lock.oid, size: lock.byteSize ?? 0 } : null;
  }
  const repoConfig = blob(data.repository?.config);
  if (repoConfig) context.repoConfig = repoConfig;
  const ownerConfig = blob(data.ownerDefaults?.config);
  if (ownerConfig) context.ownerConfig = ownerConfig;
  return context;
}

export const LOCK_AT = `query reqgateLockAt($owner: String!, $repo: String!, $expression: String!) {
  repository(owner: $owner, name: $repo) { object(expression: $expression) { ... on Blob { oid byteSize } } }
}`;

/** The blob at `commit:path`, oid and size only; null when there is no file there. */
export async function lockAt(octokit: ProbotOctokit, owner: string, repo: string, commit: string, path: string): Promise<{ oid: string; size: number } | null> {
  const data = await octokit.graphql<{ repository: { object: { oid?: string; byteSize?: number } | null } | null }>(LOCK_AT, { owner, repo, expression: `${commit}:${path}` });
  const object = data.repository?.object;
  return object?.oid ? { oid: object.oid, size: object.byteSize ?? 0 } : null;
}
