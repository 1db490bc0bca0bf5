// The App's own identity: its bot login (`<slug>[bot]`), which identifies reqgate's comments, and its
// numeric ID, which identifies its check runs (`app_id` filters). Asked once per process with the
// App's own credentials (GET /app does not count against an installation's rate limit) unless both
// are configured; a failed lookup is retried on the next event rather than remembered.
import type { ProbotOctokit } from "probot";

export interface AppIdentity {
  login: string;
  id: number;
}

export function appIdentityResolver(appOctokit: () => Promise<ProbotOctokit>, fixed: { login?: string; id?: number } = {}): () => Promise<AppIdentity> {
  let pending: Promise<AppIdentity> | undefined =
    fixed.login !== undefined && fixed.id !== undefined ? Promise.resolve({ login: fixed.login, id: fixed.id }) : undefined;
  return () => {
    pending ??= (async () => {
      const octokit = await appOctokit();
      const { data } = await octokit.request("GET /app");
      const { slug, id } = (data ?? {}) as { slug?: unknown; id?: unknown };
      if (fixed.login === undefined && (typeof slug !== "string" || slug === "")) throw new Error("GET /app returned no slug");
      if (fixed.id === undefined && (typeof id !== "number" || !Number.isSafeInteger(id))) throw new Error("GET /app returned no id");
      return { login: fixed.login ?? `${slug as string}[bot]`, id: fixed.id ?? (id as number) };
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** The bot login alone, for callers that need nothing else. */
export function botLoginResolver(appOctokit: () => Promise<ProbotOctokit>, fixed?: string): () => Promise<string> {
  const identity = appIdentityResolver(appOctokit, fixed === undefined ? {} : { login: fixed, id: 0 });
  return async () => (await identity()).login;
}
