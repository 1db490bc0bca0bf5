// /metrics with REDIS_URL: the acceptor's registry and the worker thread's, as one Prometheus text.
import { describe, expect, it } from "@jest/globals";
import { aggregate, createMetrics } from "../../src/server/metrics.js";

describe("the acceptor's and the worker thread's metrics together", () => {
  it("adds up counters and histograms, keeps the lowest rate limit left, and the acceptor's depth and process metrics", async () => {
    const acceptor = createMetrics(() => 4);
    const worker = createMetrics();
    acceptor.deliveries.inc({ event: "issues", outcome: "queued" }, 3);
    acceptor.githubRequests.inc({ method: "GET", status: "200" });
    acceptor.rateLimitRemaining.set({ resource: "core" }, 4990);
    worker.githubRequests.inc({ method: "GET", status: "200" }, 5);
    worker.githubRequests.inc({ method: "POST", status: "201" }, 2);
    worker.evaluations.inc({ event: "issues", outcome: "done" }, 3);
    worker.evaluationSeconds.observe({ event: "issues" }, 0.2);
    worker.evaluationSeconds.observe({ event: "issues" }, 0.7);
    worker.rateLimitRemaining.set({ resource: "core" }, 4321);
    worker.rateLimitRemaining.set({ resource: "graphql" }, 4800);

    const text = await aggregate(acceptor.registry, [await worker.registry.getMetricsAsJSON()]);
    expect(text).toMatch(/^reqgate_deliveries_total\{event="issues",outcome="queued"\} 3$/m);
    expect(text).toMatch(/^reqgate_github_requests_total\{method="GET",status="200"\} 6$/m);
    expect(text).toMatch(/^reqgate_github_requests_total\{method="POST",status="201"\} 2$/m);
    expect(text).toMatch(/^reqgate_evaluations_total\{event="issues",outcome="done"\} 3$/m);
    expect(text).toMatch(/^reqgate_evaluation_duration_seconds_bucket\{le="0.25",event="issues"\} 1$/m);
    expect(text).toMatch(/^reqgate_evaluation_duration_seconds_bucket\{le="1",event="issues"\} 2$/m);
    expect(text).toMatch(/^reqgate_evaluation_duration_seconds_count\{event="issues"\} 2$/m);
    expect(text).toMatch(/^reqgate_github_rate_limit_remaining\{resource="core"\} 4321$/m);
    expect(text).toMatch(/^reqgate_github_rate_limit_remaining\{resource="graphql"\} 4800$/m);
    expect(text).toMatch(/^reqgate_queue_depth 4$/m);
    expect(text).toMatch(/^# TYPE reqgate_process_process_cpu_user_seconds_total counter$/m);
  });

  it("the worker thread's registry has neither the queue's depth nor process metrics (the acceptor reports them once)", async () => {
    const names = (await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(["reqgate_deliveries_total", "reqgate_evaluation_duration_seconds", "reqgate_evaluations_total", "reqgate_github_rate_limit_remaining", "reqgate_github_requests_total"]);
  });
});
