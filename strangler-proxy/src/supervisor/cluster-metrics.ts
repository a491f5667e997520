import { AggregatorRegistry, type Registry } from "prom-client";
import type { MetricJson, WorkerMetrics } from "./worker-messages";

/** Counters and histograms keep counting across worker restarts; gauges are the live processes' only. */
const CUMULATIVE = new Set(["counter", "histogram"]);

/** The supervisor's /metrics: every worker's metrics added up, plus what drained workers had counted. */
export interface ClusterMetrics {
  readonly contentType: string;
  /** Keeps the counters and histograms of a worker that drained and exits, so the totals do not drop. */
  retire(final: WorkerMetrics): void;
  /** Prometheus text of the live workers' metrics, the retired totals and the supervisor's own registry. */
  render(live: readonly WorkerMetrics[]): Promise<string>;
}

async function aggregateJson(parts: readonly WorkerMetrics[]): Promise<WorkerMetrics> {
  return (await AggregatorRegistry.aggregate([...parts]).getMetricsAsJSON()) as unknown as MetricJson[];
}

/**
 * Each metric is aggregated by its own rule (prom-client's `aggregator`: sum by default, max for the
 * breaker state and flag age, average for event-loop lag, …). A worker that crashes takes its
 * counts with it; one that drains hands them over first.
 */
export function createClusterMetrics(own: Registry): ClusterMetrics {
  let retired: WorkerMetrics = [];
  let pending: Promise<void> = Promise.resolve();
  return {
    contentType: own.contentType,
    retire(final) {
      const cumulative = final.filter((metric) => CUMULATIVE.has(metric.type));
      pending = pending.then(async () => {
        retired = await aggregateJson([retired, cumulative]);
      });
    },
    async render(live) {
      await pending;
      const registry = AggregatorRegistry.aggregate([...live, retired, await own.getMetricsAsJSON()]);
      return registry.metrics();
    },
  };
}
