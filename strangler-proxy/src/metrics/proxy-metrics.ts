import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { DURATION_BUCKETS_SECONDS } from "../defaults";
import type { BreakerState } from "../fallback/circuit-breaker";
import { RequestSeries } from "./request-series";

/** Why a request the flags sent to a service was answered by the monolith. */
export type FallbackReason = "connect_error" | "reset" | "timeout" | "status_5xx" | "breaker_open";

/** What became of a mirrored call (the ShadowSink's CallOutcome kinds). */
export type ShadowOutcomeKind = "answered" | "error" | "timeout" | "too_large";

export interface ProxyMetrics {
  registry: Registry;
  observeRequest(route: string, backend: string, status: number, seconds: number): void;
  countFallback(route: string, reason: FallbackReason): void;
  /** A mirrored call settled: to `side` (legacy or service), with its outcome and duration. */
  observeShadow(route: string, side: string, outcome: ShadowOutcomeKind, seconds: number): void;
  /** A request whose shadow flag was on was not mirrored. */
  countShadowSkipped(route: string, reason: string): void;
}

export interface MetricsSources {
  breakers: () => ReadonlyArray<{ service: string; state: BreakerState }>;
  flagAgeSeconds: () => number | null;
  /** Mirrored requests in flight in this process. */
  shadowInFlight: () => number;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

/** The proxy's Prometheus metrics, on a registry of its own. */
export function createProxyMetrics(sources: MetricsSources): ProxyMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "strangler-proxy" });
  collectDefaultMetrics({ register: registry });
  const series = new RequestSeries(
    "strangler_proxy_requests_total",
    "Requests by route (id or -), backend (monolith, service name, or - when the proxy answered itself) and status",
    "strangler_proxy_request_duration_seconds",
    "Request duration, from the first byte in to the last byte out, by route and backend",
    DURATION_BUCKETS_SECONDS,
  );
  for (const metric of series.metrics()) registry.registerMetric(metric);
  const fallbacks = new Counter({
    name: "strangler_proxy_fallbacks_total",
    help: "Requests the flags sent to a service that the monolith answered, by route and reason",
    labelNames: ["route", "reason"],
    registers: [registry],
  });
  new Gauge({
    name: "strangler_proxy_breaker_state",
    help: "Circuit breaker state per service: 0 closed, 1 half-open, 2 open",
    labelNames: ["service"],
    registers: [registry],
    // Across workers (each has its own breaker), the worst state.
    aggregator: "max",
    collect() {
      for (const { service, state } of sources.breakers()) this.set({ service }, BREAKER_VALUE[state]);
    },
  });
  new Gauge({
    name: "strangler_proxy_flag_age_seconds",
    help: "Seconds since the flags were last fetched from Unleash (or the backup file was written); NaN when there are none",
    registers: [registry],
    // Across workers, the stalest.
    aggregator: "max",
    collect() {
      this.set(sources.flagAgeSeconds() ?? Number.NaN);
    },
  });
  // Shadow traffic is kept apart from real traffic: its own series, never in strangler_proxy_requests_total.
  const shadowRequests = new Counter({
    name: "strangler_proxy_shadow_requests_total",
    help: "Mirrored calls (shadow traffic) by route, side they went to (legacy or service) and outcome (answered, error, timeout, too_large)",
    labelNames: ["route", "side", "outcome"],
    registers: [registry],
  });
  const shadowSkipped = new Counter({
    name: "strangler_proxy_shadow_skipped_total",
    help: "Requests whose shadow flag was on that were not mirrored, by route and reason",
    labelNames: ["route", "reason"],
    registers: [registry],
  });
  const shadowDuration = new Histogram({
    name: "strangler_proxy_shadow_duration_seconds",
    help: "Duration of mirrored calls, from sending to the last body byte (or the timeout), by route and side",
    labelNames: ["route", "side"],
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  new Gauge({
    name: "strangler_proxy_shadow_in_flight",
    help: "Mirrored requests in flight (capped per worker by proxy.shadow.concurrency)",
    registers: [registry],
    collect() {
      this.set(sources.shadowInFlight());
    },
  });
  return {
    registry,
    observeRequest: (route, backend, status, seconds) => series.observe(route, backend, status, seconds),
    countFallback: (route, reason) => fallbacks.labels(route, reason).inc(),
    observeShadow(route, side, outcome, seconds) {
      shadowRequests.labels(route, side, outcome).inc();
      shadowDuration.labels(route, side).observe(seconds);
    },
    countShadowSkipped: (route, reason) => shadowSkipped.labels(route, reason).inc(),
  };
}
