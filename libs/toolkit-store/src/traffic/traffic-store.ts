import type { TrafficReport, TrafficSide } from "@strangler/ops-contract";

/** One route's served traffic on one side during one minute, as one proxy process counted it. */
export interface TrafficMinuteDelta {
  /** Epoch ms of the minute's start. */
  minute: number;
  routeId: string;
  service: string;
  side: TrafficSide;
  requests: number;
  errors: number;
  /** Requests per bucket of TRAFFIC_LATENCY_BUCKETS_MS plus the overflow bucket (mergeable by addition). */
  latency: number[];
}

/** Which traffic a report covers. */
export interface TrafficReportQuery {
  /** Only the routes of this service. */
  service?: string;
  /** Only these routes. */
  routeIds?: readonly string[];
  /** From the minute holding it on. */
  since: Date;
  /** Up to this time (default now). */
  until?: Date;
}

/** The traffic the proxies served per route, side and minute, in the toolkit database: written by every proxy replica. */
export interface TrafficStore {
  /** Adds per-minute deltas to the stored counts (summed, so several writers add up). */
  write(deltas: readonly TrafficMinuteDelta[]): Promise<void>;
  /** Per route and side: totals, latency histogram and percentiles, and the per-minute series. */
  report(query: TrafficReportQuery): Promise<TrafficReport>;
  /** Deletes the minutes before `olderThan` (the retention). */
  prune(olderThan: Date): Promise<void>;
  close(): Promise<void>;
}
