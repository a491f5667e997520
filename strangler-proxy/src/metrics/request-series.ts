import type { Metric } from "prom-client";

type Labels = Record<string, string>;

/** One sample as prom-client's Registry formats it. */
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

interface Series {
  labels: Labels;
  count: number;
  sum: number;
  /** Per-bucket counts (not cumulative); the last slot is +Inf. */
  buckets: Float64Array;
}

/**
 * The per-request metrics (requests by route/backend/status, duration by route/backend) kept as
 * plain numbers under a pre-joined key, and turned into Prometheus samples only when scraped:
 * prom-client's own Counter/Histogram re-hash and validate their labels on every update, which
 * measurably slowed the proxy's request path. Registered in a prom-client Registry as two metrics.
 */
export class RequestSeries {
  private readonly counts = new Map<string, { labels: Labels; value: number }>();
  private readonly durations = new Map<string, Series>();

  constructor(
    readonly counterName: string,
    readonly counterHelp: string,
    readonly histogramName: string,
    readonly histogramHelp: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(route: string, backend: string, status: number, seconds: number): void {
    const key = `${route}\u0000${backend}`;
    const countKey = `${key}\u0000${status}`;
    const count = this.counts.get(countKey);
    if (count) count.value += 1;
    else this.counts.set(countKey, { labels: { route, backend, status: String(status) }, value: 1 });
    let series = this.durations.get(key);
    if (!series) {
      series = { labels: { route, backend }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length + 1) };
      this.durations.set(key, series);
    }
    series.count += 1;
    series.sum += seconds;
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i += 1;
    (series.buckets[i] as number) += 1;
  }

  /** The two metrics, in the shape prom-client's Registry reads (name, get(), reset()). */
  metrics(): Metric[] {
    const counter = {
      name: this.counterName,
      help: this.counterHelp,
      type: "counter",
      aggregator: "sum",
      get: async () => ({
        name: this.counterName,
        help: this.counterHelp,
        type: "counter",
        aggregator: "sum",
        values: [...this.counts.values()].map(({ labels, value }): Sample => ({ labels, value })),
      }),
      reset: () => this.counts.clear(),
    };
    const histogram = {
      name: this.histogramName,
      help: this.histogramHelp,
      type: "histogram",
      aggregator: "sum",
      get: async () => ({
        name: this.histogramName,
        help: this.histogramHelp,
        type: "histogram",
        aggregator: "sum",
        values: [...this.durations.values()].flatMap((series) => this.histogramValues(series)),
      }),
      reset: () => this.durations.clear(),
    };
    // Structurally what the Registry uses of a metric; prom-client's types only name its own classes.
    return [counter as unknown as Metric, histogram as unknown as Metric];
  }

  private histogramValues(series: Series): Sample[] {
    const values: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      cumulative += series.buckets[i] as number;
      const le = i < this.bounds.length ? String(this.bounds[i]) : "+Inf";
      values.push({ metricName: `${this.histogramName}_bucket`, labels: { ...series.labels, le }, value: cumulative });
    }
    values.push({ metricName: `${this.histogramName}_sum`, labels: series.labels, value: series.sum });
    values.push({ metricName: `${this.histogramName}_count`, labels: series.labels, value: series.count });
    return values;
  }
}
