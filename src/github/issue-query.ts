// One GraphQL query reads what an evaluation of an issue needs besides the baseline: the issue as it is
// now (title, body, labels, author, state: the webhook payload may be stale on a redelivery), its
// comments (reqgate's own comment and replies), and the configuration files of the default branch
// (the repository's `.github/reqgate.yml` and the owner's `.github` repository's copy, Probot's
// fallback). Configuration files are a few hundred bytes; the lock is read apart, with an ETag.
// When asked (an edit or a label change, which can change how a pull request is traced), the same query
// also lists the open pull requests that reference the issue: its closing pull requests and the
// cross-references and connections on its timeline (the latest 50), at most MAX_PULLS.
import type { ProbotOctokit } from "probot";
import type { IssueFacts } from "../domain/issues/evaluate-issue.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";


export const ISSUE_QUERY = /* GraphQL */ `
  query reqgateIssue($owner: String!, $repo: String!, $number: Int!, $config: String!, $after: String, $first: Boolean!, $pulls: Boolean!) {
    repository(owner: $owner, name: $repo) {
      config: object(expression: $config) @include(if: $first) { ... on Blob { text isTruncated } }
      issue(number: $number) {
        title
        body
        state
        author { __typename login }
        labels(first: 100) @include(if: $first) { nodes { name } }
        closedByPullRequestsReferences(first: 10, includeClosedPrs: false) @include(if: $pulls) { nodes { ...pull } }
        timelineItems(itemTypes: [CROSS_REFERENCED_EVENT, CONNECTED_EVENT], last: 50) @include(if: $pulls) {
          nodes {
            ... on CrossReferencedEvent { source { ...pull } }
            ... on ConnectedEvent { source { ...pull } subject { ...pull } }
          }
        }
        comments(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { fullDatabaseId body author { __typename login } }
        }
      }
    }
    ownerDefaults: repository(owner: $owner, name: ".github") @include(if: $first) {
      config: object(expression: $config) { ... on Blob { text isTruncated } }
    }
  }
  fragment pull on ReferencedSubject { ... on PullRequest { number state repository { databaseId } } }
`;

/** At most this many pull requests referencing an issue are evaluated again when it changes. */
export const MAX_PULLS = 10;

/** Issues with more comments than this are read only this far (the reqgate comment is near the start). */
const MAX_COMMENT_PAGES = 30;

export interface CommentSummary {
  id: number;
  body: string;
  /** True when the comment was written by this App's bot account. */
  own: boolean;
}

export interface ConfigBlob {
  text?: string;
  truncated: boolean;
}

export interface IssueRead {
  issue: IssueFacts;
  comments: CommentSummary[];
  /** undefined: the file does not exist. */
  repoConfig?: ConfigBlob;
  ownerConfig?: ConfigBlob;
  /** Open pull requests of the same repository that reference the issue, when asked; newest references first. */
  pulls: number[];
}

interface Actor {
  __typename: string;
  login: string;
}

interface Page {
  repository: {
    config?: { text?: string | null; isTruncated?: boolean } | null;
    issue: {
      title: string;
      body: string;
      state: "OPEN" | "CLOSED";
      author: Actor | null;
      labels?: { nodes: Array<{ name: string } | null> | null };
      closedByPullRequestsReferences?: { nodes?: Array<PullRef | null> | null } | null;
      timelineItems?: { nodes?: Array<{ source?: PullRef | null; subject?: PullRef | null } | null> | null } | null;
      comments: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: Array<{ fullDatabaseId: string | number | null; body: string; author: Actor | null } | null> | null;
      };
    } | null;
  } | null;
  ownerDefaults?: { config?: { text?: string | null; isTruncated?: boolean } | null } | null;
}

interface PullRef {
  number?: number;
  state?: string;
  repository?: { databaseId?: number | null } | null;
}

/** The bot's login as REST (`reqgate[bot]`) and GraphQL (`reqgate`) spell it, compared without the suffix. */
export function sameBot(actor: Actor | null, botLogin: string): boolean {
  if (!actor || actor.__typename !== "Bot") return false;
  return stripBot(actor.login) === stripBot(botLogin);
}

function stripBot(login: string): string {
  return login.toLowerCase().replace(/\[bot\]$/, "");
}

/**
 * Reads the issue, its comments and the configuration files (and, with `pulls.repoId`, the open pull
 * requests of that repository that reference it). Undefined when there is no such issue.
 */
export async function readIssue(octokit: ProbotOctokit, owner: string, repo: string, number: number, botLogin: string, pulls?: { repoId: number }): Promise<IssueRead | undefined> {
  const variables = { owner, repo, number, config: `HEAD:${CONFIG_PATH}`, first: true, after: null as string | null, pulls: pulls !== undefined };
  const first = await query(octokit, variables);
  const issue = first.repository?.issue;
  if (!issue) return undefined;
  const comments: CommentSummary[] = [];
  let page = issue.comments;
  for (let n = 1; ; n++) {
    for (const c of page.nodes ?? []) {
      if (!c || c.fullDatabaseId === null) continue;
      comments.push({ id: Number(c.fullDatabaseId), body: c.body, own: sameBot(c.author, botLogin) });
    }
    if (!page.pageInfo.hasNextPage || n >= MAX_COMMENT_PAGES) break;
    const next = await query(octokit, { ...variables, first: false, pulls: false, after: page.pageInfo.endCursor });
    if (!next.repository?.issue) break;
    page = next.repository.issue.comments;
  }
  const read: IssueRead = {
    issue: {
      number,
      title: issue.title,
      body: issue.body,
      author: issue.author ? (issue.author.__typename === "Bot" ? `${stripBot(issue.author.login)}[bot]` : issue.author.login) : "ghost",
      labels: (issue.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
      state: issue.state === "OPEN" ? "open" : "closed",
    },
    comments,
    pulls: [],
  };
  if (pulls) {
    const add = (p: PullRef | null | undefined) => {
      if (!p || typeof p.number !== "number" || p.state !== "OPEN" || p.repository?.databaseId !== pulls.repoId || read.pulls.includes(p.number)) return;
      read.pulls.push(p.number);
    };
    for (const p of issue.closedByPullRequestsReferences?.nodes ?? []) add(p);
    for (const item of [...(issue.timelineItems?.nodes ?? [])].reverse()) {
      add(item?.source);
      add(item?.subject);
    }
    read.pulls = read.pulls.slice(0, MAX_PULLS);
  }
  const repoConfig = blob(first.repository?.config);
  if (repoConfig) read.repoConfig = repoConfig;
  const ownerConfig = blob(first.ownerDefaults?.config);
  if (ownerConfig) read.ownerConfig = ownerConfig;
  return read;
}

function blob(object: { text?: string | null; isTruncated?: boolean } | null | undefined): ConfigBlob | undefined {
  if (!object) return undefined;
  const out: ConfigBlob = { truncated: object.isTruncated === true || typeof object.text !== "string" };
  if (typeof object.text === "string") out.text = object.text;
  return out;
}

async function query(octokit: ProbotOctokit, variables: Record<string, unknown>): Promise<Page> {
  try {
    return await octokit.graphql<Page>(ISSUE_QUERY, variables);
  } catch (error) {
    // The owner may have no `.github` repository (or not let the App read it): GraphQL answers with
    // partial data and a NOT_FOUND error for that field only. Anything else is a real failure.
    const partial = partialData(error);
    if (partial) return partial;
    throw error;
  }
}

function partialData(error: unknown): Page | undefined {
  if (typeof error !== "object" || error === null || !("errors" in error) || !("data" in error)) return undefined;
  const { errors, data } = error;
  if (!Array.isArray(errors) || typeof data !== "object" || data === null) return undefined;
  const onlyOwnerDefaults = errors.every((e: { path?: unknown[]; type?: string }) => Array.isArray(e?.path) && e.path[0] === "ownerDefaults" && e.type === "NOT_FOUND");
  return onlyOwnerDefaults ? (data as Page) : undefined;
}
