// The App's own bot login (`<slug>[bot]`), which identifies reqgate's comments. Asked once per process
// with the App's own credentials (GET /app does not count against an installation's rate limit);
// a failed lookup is retried on the next event rather than remembered.
import type { ProbotOctokit } from "probot";

export function botLoginResolver(appOctokit: () => Promise<ProbotOctokit>, fixed?: string): () => Promise<string> {
  let pending: Promise<string> | undefined = fixed === undefined ? undefined : Promise.resolve(fixed);
  return () => {
    pending ??= (async () => {
      const octokit = await appOctokit();
      const { data } = await octokit.request("GET /app");
      const slug = (data as { slug?: unknown } | null)?.slug;
      if (typeof slug !== "string" || slug === "") throw new Error("GET /app returned no slug");
      return `${slug}[bot]`;
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
