import http from "node:http";
import { compileRoutes, type MigrationConfig } from "@strangler/migration-config";
import pino, { type Logger } from "pino";
import { healthReport, type ProxyHealth } from "./admin/health-report";
import { routingReport, type RoutingReport } from "./admin/routing-report";
import {
  CLIENT_TIMEOUT_CHECK_INTERVAL,
  DRAIN_IDLE_CLOSE,
  REPEATED_LOG_INTERVAL,
  SHUTDOWN_GRACE,
  UPSTREAM_FREE_SOCKET_TIMEOUT,
  UPSTREAM_IDLE_SWEEP_INTERVAL,
} from "./defaults";
import { createClientErrorListener } from "./errors/client-error";
import { createCircuitBreaker } from "./fallback/circuit-breaker";
import type { FlagSource } from "./flags/flag-source";
import { createIdentityResolver } from "./flags/identity";
import { normalisePeer } from "./forwarding/client-request";
import { DeadlineQueue } from "./forwarding/deadline-queue";
import { createIdleSocketSweeper } from "./forwarding/idle-socket-sweeper";
import { createUpstream } from "./forwarding/upstream";
import { createRateLimitedLog } from "./logging/rate-limited-log";
import { createProxyMetrics, type ProxyMetrics } from "./metrics/proxy-metrics";
import type { ServiceBackend } from "./proxy-context";
import { createRequestHandler } from "./request-handler";
import { createRouteTable } from "./routing/route-table";
import { DISCARDING_SHADOW_SINK, type ShadowSink } from "./shadow/shadow-sink";
import { createShadowTraffic } from "./shadow/shadow-traffic";
import { drainServer, trackConnections } from "./server/drain-server";
import { DISCARDING_TRAFFIC_SINK, type TrafficSink } from "./traffic/traffic-sink";
import { listenOn, urlOf } from "./server/listen";

/** The external systems of the proxy, handed in so tests and the benchmark can use fakes. */
export interface ProxyDeps {
  flags: FlagSource;
  logger?: Logger;
  now?: () => number;
  /** Where shadow exchanges go (compared and stored off the request path); by default they are dropped. */
  shadowSink?: ShadowSink;
  /** Where each request served on a route is counted (served traffic); by default nothing is counted. */
  trafficSink?: TrafficSink;
}

/** The proxy port alone, without the admin port: what each worker process runs. */
export interface ProxyServer {
  /** Starts the proxy port (port 0 in the config picks a free port); resolves to its URL. */
  listen(): Promise<string>;
  /** Drains: stops accepting, closes keep-alive connections without failing a client, lets in-flight requests finish (up to graceMs), then closes the upstream pools. Does not close the FlagSource. */
  close(graceMs?: number): Promise<void>;
  /** Listening and not draining. */
  isServing(): boolean;
  /** The effective routing table, as GET /admin/routes reports it. */
  routingReport(): RoutingReport;
  /** What GET /admin/health reports. */
  health(): ProxyHealth;
  metrics: ProxyMetrics;
}

/** The proxy port: routes each request to the monolith or a service as the flags decide. */
export function createProxyServer(migration: MigrationConfig, deps: ProxyDeps): ProxyServer {
  const proxy = migration.proxy;
  const { timeouts } = proxy;
  const logger = deps.logger ?? pino({ level: "silent" });
  const limited = createRateLimitedLog(logger, REPEATED_LOG_INTERVAL, deps.now);
  const routes = compileRoutes(migration);
  // Idle pooled sockets close after 4 s: below the 5 s keep-alive of Node servers, so the proxy does
  // not reuse a socket the upstream is closing at that moment.
  const sweeper = createIdleSocketSweeper(UPSTREAM_FREE_SOCKET_TIMEOUT, UPSTREAM_IDLE_SWEEP_INTERVAL);
  const monolith = createUpstream(migration.legacy.name, migration.legacy.url, timeouts.connectMs, sweeper);
  const services = new Map<string, ServiceBackend>(
    migration.services.map((service) => [
      service.name,
      {
        upstream: createUpstream(service.name, service.url, timeouts.connectMs, sweeper),
        dryRun: service.dryRun,
        breaker: createCircuitBreaker({
          ...proxy.breaker,
          now: deps.now,
          onTransition: (from, to) =>
            logger.warn({ service: service.name, from, to }, `circuit breaker of ${service.name}: ${from} → ${to}`),
        }),
      },
    ]),
  );
  const trusted = new Set(proxy.trustedProxies.map(normalisePeer));
  const metrics = createProxyMetrics({
    breakers: () => [...services].map(([service, backend]) => ({ service, state: backend.breaker.snapshot().state })),
    flagAgeSeconds: () => deps.flags.status().ageSeconds,
    // Declared just below: the metrics read it only when scraped.
    shadowInFlight: () => shadow.inFlight(),
  });
  const shadow = createShadowTraffic(
    {
      settings: proxy.shadow,
      legacy: migration.legacy,
      services: migration.services,
      connectMs: timeouts.connectMs,
      identity: proxy.identity,
    },
    { sink: deps.shadowSink ?? DISCARDING_SHADOW_SINK, metrics, logger, now: deps.now },
  );
  const report = () => routingReport(routes, deps.flags, services);
  let draining = false;

  const handler = createRequestHandler({
    proxy,
    routes: createRouteTable(routes),
    flags: deps.flags,
    monolith,
    services,
    identity: createIdentityResolver(proxy.identity),
    isTrustedPeer: (peer) => trusted.has(peer),
    metrics,
    logger,
    responseDeadlines: new DeadlineQueue(timeouts.responseMs),
    shadow,
    traffic: deps.trafficSink ?? DISCARDING_TRAFFIC_SINK,
  });
  // Node enforces the header and request timeouts only every connectionsCheckingInterval (30 s by
  // default): the check runs often enough to cut a slow client within a second of its timeout.
  const server = http.createServer(
    {
      maxHeaderSize: proxy.maxHeaderBytes,
      headersTimeout: timeouts.clientHeadersMs,
      requestTimeout: timeouts.clientRequestMs,
      connectionsCheckingInterval: CLIENT_TIMEOUT_CHECK_INTERVAL,
    },
    handler,
  );
  server.keepAliveTimeout = timeouts.clientIdleMs;
  const connections = trackConnections(server);
  // Requests Node's server refuses (CRLF or other bytes not allowed in a header, Content-Length with
  // Transfer-Encoding, headers over maxHeaderBytes, too slow) get the error JSON and a closed connection.
  server.on(
    "clientError",
    createClientErrorListener(
      {
        maxHeaderBytes: proxy.maxHeaderBytes,
        clientHeadersMs: timeouts.clientHeadersMs,
        clientRequestMs: timeouts.clientRequestMs,
      },
      limited,
    ),
  );

  return {
    metrics,
    routingReport: report,
    health: () => healthReport(monolith, services, report().flags),
    isServing: () => server.listening && !draining,
    async listen() {
      await listenOn(server, proxy.listen.host, proxy.listen.port);
      return urlOf(server);
    },
    async close(graceMs = SHUTDOWN_GRACE) {
      draining = true;
      await drainServer(
        { server, listener: handler, connections },
        { graceMs, idleCloseMs: Math.min(DRAIN_IDLE_CLOSE, graceMs) },
      );
      sweeper.stop();
      shadow.close();
      for (const upstream of [monolith, ...[...services.values()].map((s) => s.upstream)]) {
        upstream.agent.destroy();
        upstream.freshAgent.destroy();
      }
    },
  };
}
