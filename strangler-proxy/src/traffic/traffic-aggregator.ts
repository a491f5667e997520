import {
  emptyHistogram,
  latencyBucket,
  TRAFFIC_LATENCY_BUCKETS_MS,
  TRAFFIC_SLICE_MS,
  type TrafficMinuteDelta,
  type TrafficSide,
} from "@strangler/toolkit-store";
import type { TrafficRoute } from "./traffic-sink";

const MINUTE_MS = TRAFFIC_SLICE_MS;
// Read once: imported bindings cost a getter call per read under tsx's CommonJS (request-handler.ts).
const BOUNDS = TRAFFIC_LATENCY_BUCKETS_MS;
const bucketOf = latencyBucket;

interface RouteMinute {
  legacy: TrafficMinuteDelta | undefined;
  service: TrafficMinuteDelta | undefined;
}

/** Served traffic counted per minute, route and side between two writes; take() hands it over and starts afresh. */
export interface TrafficAggregator {
  /** Counts one request that ended at `at` (epoch ms). No allocation but the first of its route, side and minute. */
  add(at: number, route: TrafficRoute, side: TrafficSide, error: boolean, ms: number): void;
  take(): TrafficMinuteDelta[];
}

/**
 * The per-request half of the served traffic: plain counters found by route then side (the route's
 * id is the same string every time, so nothing is built per request), for the current minute; a
 * request in a new minute sets the finished minute's counters aside for the next take().
 */
export function createTrafficAggregator(): TrafficAggregator {
  let minute = Number.NaN;
  let current = new Map<string, RouteMinute>();
  let finished: TrafficMinuteDelta[] = [];

  const setAside = () => {
    for (const entry of current.values()) {
      if (entry.legacy) finished.push(entry.legacy);
      if (entry.service) finished.push(entry.service);
    }
    current = new Map();
  };

  return {
    add(at, route, side, error, ms) {
      const start = at - (at % MINUTE_MS);
      if (start !== minute) {
        setAside();
        minute = start;
      }
      let entry = current.get(route.id);
      if (entry === undefined) {
        entry = { legacy: undefined, service: undefined };
        current.set(route.id, entry);
      }
      let delta = entry[side];
      if (delta === undefined) {
        delta = {
          minute: start,
          routeId: route.id,
          service: route.service,
          side,
          requests: 0,
          errors: 0,
          latency: emptyHistogram(BOUNDS),
        };
        entry[side] = delta;
      }
      delta.requests += 1;
      if (error) delta.errors += 1;
      (delta.latency[bucketOf(ms, BOUNDS)] as number) += 1;
    },
    take() {
      setAside();
      const taken = finished;
      finished = [];
      return taken;
    },
  };
}
