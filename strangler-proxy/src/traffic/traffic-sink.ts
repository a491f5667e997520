import type { TrafficSide } from "@strangler/toolkit-store";

/** What the traffic sink needs of a route: the same object every time (the compiled route). */
export interface TrafficRoute {
  readonly id: string;
  readonly service: string;
}

/** Where the request path hands each request it served on a route. Never throws, never blocks. */
export interface TrafficSink {
  /** A request on `route` answered on `side` (see served-traffic.ts), an error or not, in `ms` milliseconds. */
  record(route: TrafficRoute, side: TrafficSide, error: boolean, ms: number): void;
}

/** A sink that drops everything: the default without a toolkit database. */
export const DISCARDING_TRAFFIC_SINK: TrafficSink = {
  record() {},
};
