// Prometheus metrics (GET /metrics): deliveries by event and outcome, evaluations and their duration,
// GitHub requests by status and the rate limit left, and the queue's depth. One registry per thread: with
// REDIS_URL the worker thread counts evaluations and GitHub requests in its own, and /metrics (served by
// the acceptor) adds it to the acceptor's (aggregate, below).
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from "prom-client";

export interface Metrics {
  registry: Registry;
  deliveries: Counter<"event" | "outcome">;
  evaluations: Counter<"event" | "outcome">;
  evaluationSeconds: Histogram<"event">;
  githubRequests: Counter<"method" | "status">;
  rateLimitRemaining: Gauge<"resource">;
  /** Only where the depth is known (the acceptor, or the one process). */
  queueDepth?: Gauge;
}

/** The metrics of one thread; `depth` given: also the process's own metrics and the queue's depth (the acceptor's). */
export function createMetrics(depth?: () => Promise<number> | number): Metrics {
  const registry = new Registry();
  if (depth) collectDefaultMetrics({ register: registry, prefix: "reqgate_process_" });
  const metrics: Metrics = {
    registry,
    deliveries: new Counter({ name: "reqgate_deliveries_total", help: "Webhook deliveries received, by event and outcome (processed, queued, duplicate, coalesced, requeued, failed, rejected).", labelNames: ["event", "outcome"], registers: [registry] }),
    evaluations: new Counter({ name: "reqgate_evaluations_total", help: "Deliveries run through the handlers, by event and outcome (done, retry, failed).", labelNames: ["event", "outcome"], registers: [registry] }),
    evaluationSeconds: new Histogram({ name: "reqgate_evaluation_duration_seconds", help: "Time the handlers took for one delivery.", labelNames: ["event"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
    githubRequests: new Counter({ name: "reqgate_github_requests_total", help: "Requests to GitHub, by method and response status (0: no response).", labelNames: ["method", "status"], registers: [registry] }),
    rateLimitRemaining: new Gauge({ name: "reqgate_github_rate_limit_remaining", help: "x-ratelimit-remaining of GitHub's last response, by resource.", labelNames: ["resource"], registers: [registry] }),
  };
  if (depth) {
    metrics.queueDepth = new Gauge({
      name: "reqgate_queue_depth",
      help: "Deliveries waiting, delayed or running (across replicas with REDIS_URL; in this process otherwise).",
      registers: [registry],
      async collect() {
        this.set(await depth());
      },
    });
  }
  return metrics;
}

/** A registry's metrics as prom-client JSON (getMetricsAsJSON): what the worker thread posts. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * The acceptor's metrics and the worker thread's as one Prometheus text: counters and histograms are
 * added up; the rate limit left is the lowest either thread saw (both threads talk to GitHub).
 */
export async function aggregate(own: Registry, others: MetricsSnapshot[]): Promise<string> {
  const snapshots = [await own.getMetricsAsJSON(), ...others].map((list) =>
    list.map((metric) => (metric.name === "reqgate_github_rate_limit_remaining" ? { ...metric, aggregator: "min" as const } : metric)),
  );
  return AggregatorRegistry.aggregate(snapshots).metrics();
}

interface HookedOctokit {
  hook: { wrap(name: "request", wrapper: (request: (options: RequestOptions) => Promise<ResponseLike>, options: RequestOptions) => Promise<ResponseLike>): void };
}
interface RequestOptions {
  method?: string;
}
interface ResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
}

/** An Octokit plugin that counts requests and records the rate limit GitHub reports. */
export function metricsPlugin(metrics: Metrics): (octokit: HookedOctokit) => void {
  function record(method: string, status: number, headers: Record<string, string | number | undefined> | undefined): void {
    metrics.githubRequests.inc({ method, status: String(status) });
    const remaining = headers?.["x-ratelimit-remaining"];
    if (remaining !== undefined && Number.isFinite(Number(remaining))) metrics.rateLimitRemaining.set({ resource: String(headers?.["x-ratelimit-resource"] ?? "core") }, Number(remaining));
  }
  return (octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const method = options.method ?? "GET";
      try {
        const response = await request(options);
        record(method, response.status, response.headers);
        return response;
      } catch (error) {
        const e = error as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
        record(method, typeof e.status === "number" ? e.status : 0, e.response?.headers);
        throw error;
      }
    });
  };
}
