import type { Metric } from "prom-client";

type Labels = Record<string, string>;

/** One sample as prom-client's Registry formats it. */
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

interface Series {
  route: string;
  backend: string;
  count: number;
  sum: number;
  /** Per-bucket counts (not cumulative); the last slot is +Inf. */
  buckets: Float64Array;
  /** Requests by status code. */
  statuses: Map<number, number>;
}

/**
 * The per-request metrics (requests by route/backend/status, duration by route/backend) kept as
 * plain numbers, found by route then backend (the same string objects every time, so no key is
 * built per request), and turned into Prometheus samples only when scraped: prom-client's own
 * Counter/Histogram re-hash and validate their labels on every update, which measurably slowed the
 * proxy's request path. Registered in a prom-client Registry as two metrics.
 */
export class RequestSeries {
  private readonly routes = new Map<string, Map<string, Series>>();

  constructor(
    readonly counterName: string,
    readonly counterHelp: string,
    readonly histogramName: string,
    readonly histogramHelp: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(route: string, backend: string, status: number, seconds: number): void {
    let byBackend = this.routes.get(route);
    if (byBackend === undefined) {
      byBackend = new Map();
      this.routes.set(route, byBackend);
    }
    let series = byBackend.get(backend);
    if (series === undefined) {
      series = {
        route,
        backend,
        count: 0,
        sum: 0,
        buckets: new Float64Array(this.bounds.length + 1),
        statuses: new Map(),
      };
      byBackend.set(backend, series);
    }
    series.count += 1;
    series.sum += seconds;
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i += 1;
    (series.buckets[i] as number) += 1;
  }

  private all(): Series[] {
    return [...this.routes.values()].flatMap((byBackend) => [...byBackend.values()]);
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
        values: this.all().flatMap((series) =>
          [...series.statuses].map(([status, value]): Sample => ({
            labels: { route: series.route, backend: series.backend, status: String(status) },
            value,
          })),
        ),
      }),
      reset: () => this.routes.clear(),
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
        values: this.all().flatMap((series) => this.histogramValues(series)),
      }),
      reset: () => this.routes.clear(),
    };
    // Structurally what the Registry uses of a metric; prom-client's types only name its own classes.
    return [counter as unknown as Metric, histogram as unknown as Metric];
  }

  private histogramValues(series: Series): Sample[] {
    const labels = { route: series.route, backend: series.backend };
    const values: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      cumulative += series.buckets[i] as number;
      const le = i < this.bounds.length ? String(this.bounds[i]) : "+Inf";
      values.push({ metricName: `${this.histogramName}_bucket`, labels: { ...labels, le }, value: cumulative });
    }
    values.push({ metricName: `${this.histogramName}_sum`, labels, value: series.sum });
    values.push({ metricName: `${this.histogramName}_count`, labels, value: series.count });
    return values;
  }
}
