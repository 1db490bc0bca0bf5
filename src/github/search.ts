// The search behind suspect work (SPEC 2.5): open issues and pull requests whose title or body names a
// moved requirement, with GitHub's issue search (`GET /search/issues`), one query per six IDs
// (domain/suspect `suspectQueries`), 100 results a page. GitHub's search has its own rate limit (30
// requests a minute): the throttling plugin of the App's Octokit queues search requests apart and waits
// as GitHub asks (`retry-after`, secondary limits; see octokit.ts). Search serves at most 1,000 results
// per query; past that, or when GitHub says its results are incomplete, the answer says so — it never
// stands for "nothing else is suspect".
import type { ProbotOctokit } from "probot";
import { isHttpError } from "./conditional.js";

/** An open issue or pull request as the search found it. */
export interface FoundWork {
  number: number;
  pull: boolean;
  title: string;
  body: string;
}

export interface SearchOutcome {
  items: FoundWork[];
  /** Why the items may not be all of them (a failed query, results past 1,000, GitHub's incomplete_results). */
  incomplete: string[];
  /** Requests made (for the bench and the logs). */
  requests: number;
}

const PER_PAGE = 100;
/** GitHub serves the first 1,000 results of a search. */
const MAX_PAGES = 10;

interface SearchPage {
  total_count: number;
  incomplete_results: boolean;
  items: Array<{ number: number; title: string; body?: string | null; state: string; pull_request?: unknown }>;
}

export async function searchWork(octokit: ProbotOctokit, queries: readonly string[]): Promise<SearchOutcome> {
  const seen = new Map<number, FoundWork>();
  const incomplete: string[] = [];
  let requests = 0;
  for (const q of queries) {
    for (let page = 1; page <= MAX_PAGES; page++) {
      let data: SearchPage;
      try {
        requests++;
        data = (await octokit.request("GET /search/issues", { q, per_page: PER_PAGE, page, advanced_search: "true" })).data;
      } catch (error) {
        const status = isHttpError(error) ? ` (HTTP ${error.status})` : "";
        incomplete.push(`a search for suspect work failed${status}`);
        break;
      }
      if (data.incomplete_results) incomplete.push("GitHub's search answered with incomplete results (it timed out)");
      for (const item of data.items) {
        if (item.state !== "open" || seen.has(item.number)) continue;
        seen.set(item.number, { number: item.number, pull: item.pull_request !== undefined && item.pull_request !== null, title: item.title, body: item.body ?? "" });
      }
      if (page * PER_PAGE >= data.total_count || data.items.length < PER_PAGE) break;
      if (page === MAX_PAGES) incomplete.push(`a search for suspect work found ${data.total_count} items; GitHub serves the first 1,000`);
    }
  }
  return { items: [...seen.values()].sort((a, b) => a.number - b.number), incomplete: [...new Set(incomplete)], requests };
}
