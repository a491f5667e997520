import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { compileRoutes, type MigrationConfig } from "@strangler/migration-config";
import pino, { type Logger } from "pino";
import type { Registry } from "prom-client";
import { createAdminHandler } from "./admin/admin-handler";
import { createBearerCheck } from "./admin/bearer-auth";
import { routingReport, type RoutingReport } from "./admin/routing-report";
import { SHUTDOWN_GRACE, REPEATED_LOG_INTERVAL } from "./defaults";
import { ProxyError } from "./errors/proxy-error";
import { sendClientError } from "./errors/send-error";
import { createCircuitBreaker } from "./fallback/circuit-breaker";
import type { FlagSource } from "./flags/flag-source";
import { createIdentityResolver } from "./flags/identity";
import { createUpstream } from "./forwarding/upstream";
import { createRateLimitedLog } from "./logging/rate-limited-log";
import { createProxyMetrics } from "./metrics/proxy-metrics";
import { normalisePeer } from "./forwarding/client-request";
import type { ServiceBackend } from "./proxy-context";
import { createRequestHandler } from "./request-handler";
import { createRouteTable } from "./routing/route-table";

/** What createProxy needs to know: the migration config and the admin API's bearer token. */
export interface ProxyConfig {
  migration: MigrationConfig;
  adminToken: string;
}

/** The external systems of the proxy, handed in so tests and the benchmark can use fakes. */
export interface ProxyDeps {
  flags: FlagSource;
  logger?: Logger;
  now?: () => number;
}

export interface Proxy {
  /** Starts the proxy port and the admin port (port 0 in the config picks free ports). */
  listen(): Promise<{ proxyUrl: string; adminUrl: string }>;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes connections and upstream pools. Does not close the FlagSource. */
  close(graceMs?: number): Promise<void>;
  /** The effective routing table, as GET /admin/routes reports it. */
  routingReport(): RoutingReport;
  metrics: Registry;
}

function urlOf(server: http.Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function listenOn(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: http.Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    // Keep-alive connections become idle as their last request finishes; close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The strangler proxy: the front door that routes each request to the monolith or a service as the flags decide. */
export function createProxy(config: ProxyConfig, deps: ProxyDeps): Proxy {
  const { migration } = config;
  const proxy = migration.proxy;
  const logger = deps.logger ?? pino({ level: "silent" });
  const limited = createRateLimitedLog(logger, REPEATED_LOG_INTERVAL, deps.now);
  const routes = compileRoutes(migration);
  const monolith = createUpstream(migration.legacy.name, migration.legacy.url, proxy.timeouts.connectMs);
  const services = new Map<string, ServiceBackend>(
    migration.services.map((service) => [
      service.name,
      {
        upstream: createUpstream(service.name, service.url, proxy.timeouts.connectMs),
        breaker: createCircuitBreaker({
          ...proxy.breaker,
          now: deps.now,
          onTransition: (from, to) => logger.warn({ service: service.name, from, to }, `circuit breaker of ${service.name}: ${from} → ${to}`),
        }),
      },
    ]),
  );
  const trusted = new Set(proxy.trustedProxies.map(normalisePeer));
  const metrics = createProxyMetrics({
    breakers: () => [...services].map(([service, backend]) => ({ service, state: backend.breaker.snapshot().state })),
    flagAgeSeconds: () => deps.flags.status().ageSeconds,
  });
  const report = () => routingReport(routes, deps.flags, services);
  let closing = false;

  const proxyServer = http.createServer(
    { maxHeaderSize: proxy.maxHeaderBytes },
    createRequestHandler({
      proxy,
      routes: createRouteTable(routes),
      flags: deps.flags,
      monolith,
      services,
      identity: createIdentityResolver(proxy.identity),
      isTrustedPeer: (peer) => trusted.has(peer),
      metrics,
      logger,
    }),
  );
  // Requests Node's parser refuses (CRLF or other bytes not allowed in a header, Content-Length with
  // Transfer-Encoding, headers over maxHeaderBytes) get the error JSON and a closed connection.
  proxyServer.on("clientError", (error: NodeJS.ErrnoException & { reason?: string }, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const requestId = randomUUID();
    const proxyError =
      error.code === "HPE_HEADER_OVERFLOW"
        ? new ProxyError("STRANGLER_HEADERS_TOO_LARGE", `request headers are larger than ${proxy.maxHeaderBytes} bytes`)
        : new ProxyError("STRANGLER_BAD_REQUEST", `malformed HTTP request: ${error.reason ?? error.message}`, { parserCode: error.code });
    limited("warn", `client-error:${error.code}`, { requestId, code: error.code, peer: socket.remoteAddress }, "malformed request rejected");
    sendClientError(socket, proxyError, requestId);
  });

  const adminServer = http.createServer(
    createAdminHandler({
      authorized: createBearerCheck(config.adminToken),
      routes: report,
      health: () => ({
        status: [...services.values()].every((s) => s.breaker.snapshot().state === "closed") ? "ok" : "degraded",
        flags: report().flags,
        legacy: { name: monolith.name, url: monolith.url },
        backends: [...services.values()].map(({ upstream, breaker }) => {
          const snapshot = breaker.snapshot();
          return {
            service: upstream.name,
            url: upstream.url,
            healthy: snapshot.state === "closed",
            breaker: { state: snapshot.state, failures: snapshot.failures },
            lastError: snapshot.lastError,
            lastErrorAt: snapshot.lastErrorAt?.toISOString() ?? null,
          };
        }),
      }),
      registry: metrics.registry,
      isReady: () => proxyServer.listening && !closing,
      logger,
    }),
  );

  return {
    metrics: metrics.registry,
    routingReport: report,
    async listen() {
      await listenOn(proxyServer, proxy.listen.host, proxy.listen.port);
      try {
        await listenOn(adminServer, proxy.admin.host, proxy.admin.port);
      } catch (error) {
        await closeServer(proxyServer, 0);
        throw error;
      }
      const urls = { proxyUrl: urlOf(proxyServer), adminUrl: urlOf(adminServer) };
      logger.info({ ...urls, routes: routes.length, legacy: monolith.url, services: [...services.keys()] }, "strangler proxy listening");
      return urls;
    },
    async close(graceMs = SHUTDOWN_GRACE) {
      closing = true;
      await closeServer(proxyServer, graceMs);
      await closeServer(adminServer, 0);
      monolith.agent.destroy();
      for (const { upstream } of services.values()) upstream.agent.destroy();
    },
  };
}
