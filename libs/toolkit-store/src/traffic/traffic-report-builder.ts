import type { SideTraffic, TrafficReport, TrafficSide } from "@strangler/ops-contract";
import { TRAFFIC_LATENCY_BUCKETS_MS, TRAFFIC_SLICE_MS } from "../defaults";
import { addHistogram, emptyHistogram, summariseHistogram } from "../latency/latency-histogram";
import { rejected, storable } from "../records/contract-document";
import type { TrafficMinuteDelta } from "./traffic-store";

const SIDES: readonly TrafficSide[] = ["legacy", "service"];
const BUCKETS = TRAFFIC_LATENCY_BUCKETS_MS.length + 1;

/** The epoch ms of the start of the slice (TRAFFIC_SLICE_MS) holding `ms`. */
export function trafficMinuteOf(ms: number): number {
  return Math.floor(ms / TRAFFIC_SLICE_MS) * TRAFFIC_SLICE_MS;
}

/** Row key of a delta: one stored row per minute, route and side. */
export function trafficKey(delta: TrafficMinuteDelta): string {
  return `${delta.minute}\n${delta.side}\n${delta.routeId}`;
}

/**
 * Deltas as they are stored: checked (a side, a minute start, non-negative integer counts, a histogram
 * of the right length: one of another length would corrupt every sum it is added to), NUL characters
 * replaced, and those of the same minute, route and side merged, in key order (so two writers lock
 * rows in the same order). A bad delta rejects the whole batch (TOOLKIT_STORE_QUERY_FAILED).
 */
export function storableTrafficDeltas(deltas: readonly TrafficMinuteDelta[]): TrafficMinuteDelta[] {
  const merged = new Map<string, TrafficMinuteDelta>();
  for (const delta of deltas) {
    const problem = problemOf(delta);
    if (problem !== undefined) throw rejected("writing served traffic", `${delta.routeId}: ${problem}`);
    const row = { ...delta, routeId: storable(delta.routeId), service: storable(delta.service) };
    const known = merged.get(trafficKey(row));
    if (known === undefined) merged.set(trafficKey(row), { ...row, latency: [...row.latency] });
    else {
      known.requests += row.requests;
      known.errors += row.errors;
      known.service = row.service;
      addHistogram(known.latency, row.latency);
    }
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
}

const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;

function problemOf(delta: TrafficMinuteDelta): string | undefined {
  if (!SIDES.includes(delta.side)) return `side must be legacy or service, not ${String(delta.side)}`;
  if (!Number.isSafeInteger(delta.minute) || delta.minute % TRAFFIC_SLICE_MS !== 0)
    return `minute must start a slice of ${TRAFFIC_SLICE_MS} ms`;
  if (!isCount(delta.requests) || !isCount(delta.errors)) return "requests and errors must be counts";
  if (delta.errors > delta.requests) return "more errors than requests";
  if (delta.latency.length !== BUCKETS || !delta.latency.every(isCount))
    return `latency must be ${BUCKETS} bucket counts (TRAFFIC_LATENCY_BUCKETS_MS)`;
  return undefined;
}

function emptySide(): SideTraffic {
  return {
    requests: 0,
    errors: 0,
    errorRate: null,
    latency: summariseHistogram([]),
    histogram: emptyHistogram(TRAFFIC_LATENCY_BUCKETS_MS),
    minutes: [],
  };
}

/**
 * The report from the stored rows of its window (one per minute, route and side, already summed over
 * replicas), the same way for the PostgreSQL store and the fake. Routes by id; per side the minutes in order.
 */
export function buildTrafficReport(rows: readonly TrafficMinuteDelta[], since: number, until: number): TrafficReport {
  const routes = new Map<
    string,
    { routeId: string; service: string; last: number; sides: Record<TrafficSide, SideTraffic> }
  >();
  const sorted = [...rows].sort((a, b) => a.minute - b.minute);
  for (const row of sorted) {
    let route = routes.get(row.routeId);
    if (route === undefined) {
      route = {
        routeId: row.routeId,
        service: row.service,
        last: row.minute,
        sides: { legacy: emptySide(), service: emptySide() },
      };
      routes.set(row.routeId, route);
    }
    // A route moved to another service since: the newest row names it.
    if (row.minute >= route.last) {
      route.service = row.service;
      route.last = row.minute;
    }
    const side = route.sides[row.side];
    side.requests += row.requests;
    side.errors += row.errors;
    addHistogram(side.histogram, row.latency);
    if (row.requests === 0) continue;
    const { p50, p95 } = summariseHistogram(row.latency, TRAFFIC_LATENCY_BUCKETS_MS);
    side.minutes.push({
      minute: new Date(row.minute).toISOString(),
      requests: row.requests,
      errors: row.errors,
      p50,
      p95,
    });
  }
  return {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    latencyBucketsMs: [...TRAFFIC_LATENCY_BUCKETS_MS],
    routes: [...routes.values()]
      .sort((a, b) => (a.routeId < b.routeId ? -1 : a.routeId > b.routeId ? 1 : 0))
      .map(({ routeId, service, sides }) => ({
        routeId,
        service,
        sides: { legacy: finish(sides.legacy), service: finish(sides.service) },
      })),
  };
}

function finish(side: SideTraffic): SideTraffic {
  return {
    ...side,
    errorRate: side.requests === 0 ? null : side.errors / side.requests,
    latency: summariseHistogram(side.histogram, TRAFFIC_LATENCY_BUCKETS_MS),
  };
}
