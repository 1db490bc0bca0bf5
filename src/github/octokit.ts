// The Octokit class the App runs with: Probot's, with the rate-limit handlers set explicitly.
// Probot's own defaults only log a secondary rate limit and drop the request; reqgate waits for
// `retry-after` (the throttling plugin falls back to 60 s when GitHub sends none) and retries a
// bounded number of times. Primary limits are retried only when the reset is near, so that a webhook
// handler never sleeps for most of an hour.
//
// With REDIS_URL a limit is also shared with the other replicas (src/server/shared-rate-limits.ts adds
// `sharePause` to the client): all of them wait, not only the one GitHub answered.
//
// Probot builds its per-event clients from this class with `Octokit.defaults(fn)`; the function form is
// applied after Probot's own options (the object form is overridden, probot#2039).
import { ProbotOctokit } from "probot";

export const MAX_SECONDARY_RETRIES = 3;
export const MAX_PRIMARY_RETRIES = 2;
/** Seconds: a primary limit that resets later than this is not waited for. */
export const MAX_PRIMARY_WAIT = 120;

interface ThrottledRequest {
  method: string;
  url: string;
}

interface LoggingOctokit {
  log: { warn(fields: object, message: string): void };
  /** Present with REDIS_URL: every replica's requests for this installation wait too. */
  sharePause?: (seconds: number) => void;
}

export function onSecondaryRateLimit(retryAfter: number, options: ThrottledRequest, octokit: LoggingOctokit, retryCount: number): boolean {
  const retry = retryCount < MAX_SECONDARY_RETRIES;
  octokit.log.warn({ method: options.method, url: options.url, retryAfter, retryCount, retry }, "secondary rate limit");
  octokit.sharePause?.(retryAfter);
  return retry;
}

export function onRateLimit(retryAfter: number, options: ThrottledRequest, octokit: LoggingOctokit, retryCount: number): boolean {
  const retry = retryCount < MAX_PRIMARY_RETRIES && retryAfter <= MAX_PRIMARY_WAIT;
  octokit.log.warn({ method: options.method, url: options.url, retryAfter, retryCount, retry }, "primary rate limit");
  // The quota is the installation's: every replica is out of it until the reset.
  octokit.sharePause?.(retryAfter);
  return retry;
}

type OctokitOptions = Record<string, unknown> & { throttle?: Record<string, unknown> };

/** Probot's Octokit with reqgate's rate-limit handlers (and any further options, e.g. for tests). */
export function reqgateOctokit(extra: (options: OctokitOptions) => OctokitOptions = (o) => o): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: OctokitOptions) =>
    extra({
      ...options,
      throttle: { ...options.throttle, onSecondaryRateLimit, onRateLimit },
    }),
  );
}

export const ReqgateOctokit = reqgateOctokit();
