import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { SINK_LAG_BUCKETS } from "../defaults";

/** The sink's Prometheus series, labelled by direction and (source) table. */
export interface SinkMetrics {
  registry: Registry;
  applied: Counter<"direction" | "table">;
  skipped: Counter<"direction" | "table" | "reason">;
  deadLettered: Counter<"direction" | "table">;
  conflicts: Counter<"direction" | "table">;
  violations: Counter<"direction" | "table">;
  lag: Histogram<"direction" | "table">;
  lastLag: Gauge<"direction" | "table">;
  fallbacks: Counter<"direction" | "table">;
}

// Two sinks (both directions) may share a registry; registering a name twice would throw.
function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** Registers (or reuses) the sink series in `registry`, or in a new one. */
export function createSinkMetrics(registry: Registry = new Registry()): SinkMetrics {
  const registers = [registry];
  const labelNames = ["direction", "table"] as const;
  return {
    registry,
    applied: reuse(
      registry,
      "strangler_cdc_applied_events_total",
      () =>
        new Counter({
          name: "strangler_cdc_applied_events_total",
          help: "Change events applied to the target database",
          labelNames,
          registers,
        }),
    ),
    skipped: reuse(
      registry,
      "strangler_cdc_skipped_events_total",
      () =>
        new Counter({
          name: "strangler_cdc_skipped_events_total",
          help: "Change events acknowledged without a write: duplicate, late (older than the row's position) or tombstone",
          labelNames: [...labelNames, "reason"] as const,
          registers,
        }),
    ),
    deadLettered: reuse(
      registry,
      "strangler_cdc_dead_lettered_events_total",
      () =>
        new Counter({
          name: "strangler_cdc_dead_lettered_events_total",
          help: "Change events written to strangler_cdc.dead_letters",
          labelNames,
          registers,
        }),
    ),
    conflicts: reuse(
      registry,
      "strangler_cdc_conflicts_total",
      () =>
        new Counter({
          name: "strangler_cdc_conflicts_total",
          help: "Change events not applied because the target row was changed by another writer with a later newerBy value (recorded in strangler_cdc.dead_letters, kind conflict)",
          labelNames,
          registers,
        }),
    ),
    violations: reuse(
      registry,
      "strangler_cdc_violations_total",
      () =>
        new Counter({
          name: "strangler_cdc_violations_total",
          help: "Source writes read while the stream watches (the other side owns the table's writes): not applied, recorded in strangler_cdc.dead_letters, kind violation",
          labelNames,
          registers,
        }),
    ),
    lag: reuse(
      registry,
      "strangler_cdc_lag_seconds",
      () =>
        new Histogram({
          name: "strangler_cdc_lag_seconds",
          help: "Commit time in the target minus source.ts_ms of applied events",
          labelNames,
          buckets: SINK_LAG_BUCKETS,
          registers,
        }),
    ),
    fallbacks: reuse(
      registry,
      "strangler_cdc_set_based_fallbacks_total",
      () =>
        new Counter({
          name: "strangler_cdc_set_based_fallbacks_total",
          help: "Times a table's events of a batch could not be applied set-based (a poison event, a concurrent writer) and were applied event by event",
          labelNames,
          registers,
        }),
    ),
    lastLag: reuse(
      registry,
      "strangler_cdc_last_lag_seconds",
      () =>
        new Gauge({
          name: "strangler_cdc_last_lag_seconds",
          help: "Lag of the last applied event",
          labelNames,
          registers,
        }),
    ),
  };
}
