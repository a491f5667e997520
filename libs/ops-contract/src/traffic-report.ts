import { z } from "zod";
import { latencySummarySchema } from "./diff-report";

const count = z.number().int().nonnegative();

/** Which side answered: the monolith (legacy) or the route's service. */
export const trafficSideSchema = z.enum(["legacy", "service"]);

/** One slice (toolkit-store TRAFFIC_SLICE_MS, 5 s) of a side's served traffic, summed over every proxy replica. */
export const trafficMinuteSchema = z.object({
  /** ISO time of the slice's start (the field keeps its first name, "minute"). */
  minute: z.string(),
  requests: count,
  errors: count,
  /** Latency percentiles in milliseconds (interpolated within the histogram's buckets); null without requests. */
  p50: z.number().nullable(),
  p95: z.number().nullable(),
});

/** One side of a route over the report's window. */
export const sideTrafficSchema = z.object({
  requests: count,
  /** 5xx answers, upstream failures answered by the proxy, and (service side) failures hidden by a fallback. */
  errors: count,
  /** errors / requests; null without requests. */
  errorRate: z.number().nullable(),
  latency: latencySummarySchema,
  /** Requests per latency bucket: one count per bound of the report's latencyBucketsMs, then the overflow bucket. */
  histogram: z.array(count),
  /** The slices with at least one request on this side, oldest first. */
  minutes: z.array(trafficMinuteSchema),
});

/** One route's served traffic, per side, summed over every proxy replica. */
export const routeTrafficReportSchema = z.object({
  routeId: z.string(),
  service: z.string(),
  sides: z.object({ legacy: sideTrafficSchema, service: sideTrafficSchema }),
});

/**
 * The traffic the proxies served per route and side (requests, errors, latency), from the toolkit
 * database: what the canary gate compares and the dashboard charts. Mirrored (shadow) calls are not in it.
 */
export const trafficReportSchema = z.object({
  /** ISO times of the window (since: the start of its first slice). */
  since: z.string(),
  until: z.string(),
  /** Upper bounds (ms) of the histogram buckets; the last bucket counts everything above the last bound. */
  latencyBucketsMs: z.array(z.number().positive()),
  routes: z.array(routeTrafficReportSchema),
});

export type TrafficSide = z.infer<typeof trafficSideSchema>;
export type TrafficMinute = z.infer<typeof trafficMinuteSchema>;
export type SideTraffic = z.infer<typeof sideTrafficSchema>;
export type RouteTrafficReport = z.infer<typeof routeTrafficReportSchema>;
export type TrafficReport = z.infer<typeof trafficReportSchema>;
