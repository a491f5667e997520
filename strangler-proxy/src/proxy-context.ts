import type { IncomingMessage } from "node:http";
import type { MigrationConfig } from "@strangler/migration-config";
import type { Logger } from "pino";
import type { CircuitBreaker } from "./fallback/circuit-breaker";
import type { FlagSource } from "./flags/flag-source";
import type { RequestIdentity } from "./flags/identity";
import type { DeadlineQueue } from "./forwarding/deadline-queue";
import type { Upstream } from "./forwarding/upstream";
import type { ProxyMetrics } from "./metrics/proxy-metrics";
import type { RouteTable } from "./routing/route-table";
import type { ShadowTraffic } from "./shadow/shadow-traffic";
import type { TrafficSink } from "./traffic/traffic-sink";

/** A service the proxy can send routes to, with its breaker. */
export interface ServiceBackend {
  upstream: Upstream;
  breaker: CircuitBreaker;
  /** The service honours x-strangler-dry-run: shadow mode may mirror writes to it. */
  dryRun: boolean;
}

/** What the request path works with, built once by createProxy. */
export interface HandlerContext {
  proxy: MigrationConfig["proxy"];
  routes: RouteTable;
  flags: FlagSource;
  monolith: Upstream;
  services: ReadonlyMap<string, ServiceBackend>;
  identity: (headers: IncomingMessage["headers"]) => RequestIdentity;
  isTrustedPeer: (peer: string) => boolean;
  metrics: ProxyMetrics;
  logger: Logger;
  /** Upstream calls waiting for their response headers (proxy.timeouts.responseMs). */
  responseDeadlines: DeadlineQueue;
  /** Mirrors requests whose shadow flag is on (off the request path). */
  shadow: ShadowTraffic;
  /** Counts each request served on a route (side, error, latency) for the toolkit database. */
  traffic: TrafficSink;
}
