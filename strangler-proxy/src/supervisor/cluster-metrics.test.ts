import { Counter, Gauge, Registry } from "prom-client";
import { createClusterMetrics } from "./cluster-metrics";
import type { WorkerMetrics } from "./worker-messages";

/** A worker's registry: a request counter and a gauge of its breaker. */
function workerRegistry(requests: number, breaker: number): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "strangler-proxy" });
  new Counter({ name: "t_requests_total", help: "requests", labelNames: ["route"], registers: [registry] })
    .labels("users-list")
    .inc(requests);
  new Gauge({ name: "t_breaker_state", help: "breaker", aggregator: "max", registers: [registry] }).set(breaker);
  return registry;
}
const json = async (registry: Registry) => (await registry.getMetricsAsJSON()) as unknown as WorkerMetrics;

describe("cluster metrics", () => {
  it("adds up the workers' counters and takes each gauge by its own rule", async () => {
    const metrics = createClusterMetrics(new Registry());
    const text = await metrics.render([await json(workerRegistry(3, 0)), await json(workerRegistry(4, 2))]);
    expect(text).toContain('t_requests_total{route="users-list",app="strangler-proxy"} 7');
    expect(text).toContain('t_breaker_state{app="strangler-proxy"} 2');
  });

  it("keeps the counts of a worker that drained, and not its gauges", async () => {
    const metrics = createClusterMetrics(new Registry());
    metrics.retire(await json(workerRegistry(10, 2)));
    metrics.retire(await json(workerRegistry(5, 2)));
    const text = await metrics.render([await json(workerRegistry(1, 0))]);
    expect(text).toContain('t_requests_total{route="users-list",app="strangler-proxy"} 16');
    expect(text).toContain('t_breaker_state{app="strangler-proxy"} 0');
  });

  it("includes the supervisor's own metrics", async () => {
    const own = new Registry();
    new Gauge({ name: "t_workers", help: "workers", registers: [own] }).set(2);
    expect(await createClusterMetrics(own).render([])).toContain("t_workers 2");
  });
});
