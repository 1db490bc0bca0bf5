// Reads a repository's issues and pull requests for `reqgate report --github OWNER/REPO` (SPEC 3), in the
// raw shape that `workItemsFromIssues` (domain/report/work-items.ts) validates. The token and the API address
// come from the caller (the CLI reads GITHUB_TOKEN and GITHUB_API_URL): nothing here reads process.env.
import { Octokit } from "@octokit/rest";
import { parseRepository } from "../domain/report/provenance.js";

export interface FetchIssuesOptions {
  owner: string;
  repo: string;
  /** Optional: a public repository can be read without one (at a low rate limit). */
  token?: string;
  /** The REST API root, e.g. `https://ghe.example.com/api/v3` on GitHub Enterprise Server. */
  baseUrl?: string;
  /** Called after each page with the number of items read so far (for a progress line). */
  onProgress?: (fetched: number) => void;
}

/** The fields of a REST issue that the report reads; everything else is dropped at the edge. */
export interface RawIssue {
  number: number;
  title: string;
  body: string | null;
  state: string;
  labels: string[];
  html_url: string;
  pull_request?: Record<string, never>;
}

/** A failure to read issues, with a message a person can act on. */
export class FetchIssuesError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FetchIssuesError";
    this.status = status;
  }
}

const QUIET = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Every issue and pull request of the repository, open and closed, 100 per request. */
export async function fetchIssues(options: FetchIssuesOptions): Promise<RawIssue[]> {
  const { owner, repo } = options;
  if (parseRepository(`${owner}/${repo}`) === undefined) {
    throw new FetchIssuesError(`"${owner}/${repo}" is not a repository name of the form OWNER/REPO`);
  }
  const baseUrl = options.baseUrl?.trim().replace(/\/+$/, "") || undefined;
  const octokit = new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    userAgent: "reqgate",
    // Failures are turned into one clear FetchIssuesError; the request log would only repeat them.
    log: QUIET,
  });

  const issues: RawIssue[] = [];
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner, repo, state: "all", per_page: 100 });
    for await (const page of pages) {
      for (const issue of page.data) issues.push(toRaw(issue));
      options.onProgress?.(issues.length);
    }
  } catch (error) {
    throw explain(error, `${owner}/${repo}`, baseUrl ?? "https://api.github.com");
  }
  return issues;
}

interface ListedIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string | null }>;
  html_url: string;
  pull_request?: unknown;
}

function toRaw(issue: ListedIssue): RawIssue {
  const raw: RawIssue = {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    state: issue.state,
    labels: issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((l) => l !== ""),
    html_url: issue.html_url,
  };
  if (issue.pull_request) raw.pull_request = {};
  return raw;
}

function explain(error: unknown, slug: string, api: string): FetchIssuesError {
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  const response = (error as { response?: { headers?: Record<string, string | undefined> } }).response;
  const headers = response?.headers ?? {};
  // Octokit reports a request that got no answer as status 500 with no response.
  const answered = status !== undefined && response !== undefined;
  const fail = (message: string) => new FetchIssuesError(message, answered ? status : undefined, { cause: error });
  switch (answered ? status : undefined) {
    case undefined:
      return fail(`cannot read the issues of ${slug}: GitHub at ${api} did not answer (${detail})`);
    case 401:
      return fail(`GitHub rejected the token (401 ${detail}): set GITHUB_TOKEN to a valid token that can read the issues of ${slug}`);
    case 404:
      return fail(`${slug} was not found at ${api}, or the token cannot see it (a private repository needs GITHUB_TOKEN)`);
    case 410:
      return fail(`issues are disabled in ${slug}`);
    case 403:
    case 429:
      if (headers["x-ratelimit-remaining"] === "0" || status === 429) {
        const reset = Number(headers["x-ratelimit-reset"]);
        const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
        return fail(`GitHub's rate limit is used up${when}: wait, or set GITHUB_TOKEN for a higher limit`);
      }
      return fail(`GitHub refused to list the issues of ${slug} (403 ${detail}): the token needs read access to issues`);
    default:
      return fail(`GitHub answered ${status} while listing the issues of ${slug}: ${detail}`);
  }
}
