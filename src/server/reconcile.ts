// Reconciliation, on start and every N minutes (one replica at a time with Redis):
// 1. deliveries that failed (GitHub got no 2xx: the App was down, or handling failed) are redelivered
//    through the App's hook-deliveries API, within GitHub's three-day window, once each (remembered in
//    Redis, or in this process);
// 2. open pull requests whose head has no reqgate check are evaluated again, as if they were pushed
//    (bounded per run), through the same handlers.
import type { Redis } from "ioredis";
import type { Probot } from "probot";
import { BASELINE_CHECK, TRACE_CHECK } from "../domain/pulls/check-names.js";
import type { SubjectQueue } from "../app/services.js";
import type { Delivery } from "./delivery-queue.js";

/** GitHub redelivers deliveries of the last three days; a margin keeps clear of the edge. */
const WINDOW_MS = 71 * 3600 * 1000;
export const LIMITS = { deliveryPages: 10, redeliveries: 50, installations: 20, repositories: 50, pulls: 200, evaluations: 20 };

interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ReconcileOptions {
  intervalMs: number;
  redis?: Redis | undefined;
  log: Log;
  subjects: SubjectQueue;
  /** Runs a delivery through the App's handlers. */
  handle(delivery: Delivery): Promise<void>;
  now?: () => number;
}

export interface Reconciler {
  /** One pass; resolves with what it did. */
  run(): Promise<ReconcileResult>;
  stop(): void;
}

export interface ReconcileResult {
  redelivered: string[];
  evaluated: string[];
  skipped?: "another replica";
}

interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
  event: string;
}

type AppOctokit = Awaited<ReturnType<Probot["auth"]>>;

/** Remembers what was redelivered: in Redis across replicas (four days), else in this process. */
export function redeliveryMemory(redis: Redis | undefined): { claim(guid: string): Promise<boolean> } {
  const local = new Set<string>();
  return {
    async claim(guid) {
      if (redis) return (await redis.set(`reqgate:redelivered:${guid}`, "1", "EX", 4 * 24 * 3600, "NX")) === "OK";
      if (local.has(guid)) return false;
      if (local.size > 100_000) local.clear();
      local.add(guid);
      return true;
    },
  };
}

export async function redeliverFailed(app: AppOctokit, remember: { claim(guid: string): Promise<boolean> }, now: number): Promise<string[]> {
  const byGuid = new Map<string, HookDelivery[]>();
  let cursor: string | undefined;
  for (let page = 0; page < LIMITS.deliveryPages; page++) {
    const response = await app.request("GET /app/hook/deliveries", { per_page: 100, ...(cursor ? { cursor } : {}) });
    const list = response.data as HookDelivery[];
    let old = false;
    for (const d of list) {
      if (now - Date.parse(d.delivered_at) > WINDOW_MS) {
        old = true;
        continue;
      }
      byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
    }
    const next = /<[^>]*[?&]cursor=([^&>]+)[^>]*>;\s*rel="next"/.exec(String(response.headers.link ?? ""));
    if (old || !next || list.length === 0) break;
    cursor = decodeURIComponent(next[1]!);
  }
  const redelivered: string[] = [];
  for (const [guid, attempts] of byGuid) {
    if (redelivered.length >= LIMITS.redeliveries) break;
    // An attempt that succeeded (the original or a redelivery) settles the delivery.
    if (attempts.some((a) => a.status_code >= 200 && a.status_code < 300)) continue;
    if (!(await remember.claim(guid))) continue;
    const latest = attempts.reduce((a, b) => (Date.parse(a.delivered_at) >= Date.parse(b.delivered_at) ? a : b));
    await app.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: latest.id });
    redelivered.push(guid);
  }
  return redelivered;
}

interface Installation {
  id: number;
}
interface Repository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch: string;
  html_url: string;
}
interface Pull {
  number: number;
  head: { sha: string };
  draft?: boolean;
}

/** Open pull requests whose head lacks either reqgate check, evaluated again through the handlers. */
export async function evaluateMissing(probot: Probot, app: AppOctokit, handle: (d: Delivery) => Promise<void>, appId: number, stamp: number): Promise<string[]> {
  const evaluated: string[] = [];
  const installations = (await app.request("GET /app/installations", { per_page: LIMITS.installations })).data as Installation[];
  let pullsSeen = 0;
  for (const installation of installations.slice(0, LIMITS.installations)) {
    const octokit = await probot.auth(installation.id);
    const repos = ((await octokit.request("GET /installation/repositories", { per_page: LIMITS.repositories })).data as { repositories: Repository[] }).repositories;
    for (const repository of repos.slice(0, LIMITS.repositories)) {
      const pulls = (await octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: repository.owner.login, repo: repository.name, state: "open", per_page: 50 })).data as Pull[];
      for (const pull of pulls) {
        if (evaluated.length >= LIMITS.evaluations || pullsSeen >= LIMITS.pulls) return evaluated;
        pullsSeen++;
        const runs = (await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner: repository.owner.login, repo: repository.name, ref: pull.head.sha, app_id: appId, per_page: 100 })).data as { check_runs: Array<{ name: string }> };
        const names = new Set(runs.check_runs.map((r) => r.name));
        if (names.has(TRACE_CHECK) && names.has(BASELINE_CHECK)) continue;
        const payload = { action: "synchronize", number: pull.number, pull_request: pull, repository, installation: { id: installation.id }, sender: { login: "reqgate-reconcile", type: "Bot" } };
        await handle({ id: `reconcile-${stamp}-${repository.id}-${pull.number}`, name: "pull_request", payload });
        evaluated.push(`${repository.full_name}#${pull.number}`);
      }
    }
  }
  return evaluated;
}

export function startReconciler(probot: Probot, options: ReconcileOptions): Reconciler {
  const now = options.now ?? Date.now;
  const remember = redeliveryMemory(options.redis);
  async function run(): Promise<ReconcileResult> {
    // One replica per interval.
    if (options.redis && (await options.redis.set("reqgate:reconcile", "1", "PX", Math.max(1000, options.intervalMs - 1000), "NX")) !== "OK") {
      return { redelivered: [], evaluated: [], skipped: "another replica" };
    }
    const app = await probot.auth();
    const appId = ((await app.request("GET /app")).data as { id: number }).id;
    const redelivered = await redeliverFailed(app, remember, now());
    const evaluated = await evaluateMissing(probot, app, options.handle.bind(options), appId, now());
    options.log.info({ redelivered: redelivered.length, evaluated: evaluated.length }, "reconciled");
    return { redelivered, evaluated };
  }
  const safely = () => {
    run().catch((error: unknown) => options.log.warn({ err: error }, "reconciliation failed"));
  };
  const first = setTimeout(safely, 5000);
  const timer = setInterval(safely, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    run,
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
