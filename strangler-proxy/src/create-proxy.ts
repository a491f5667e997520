import http from "node:http";
import type { MigrationConfig } from "@strangler/migration-config";
import type { Registry } from "prom-client";
import pino from "pino";
import { createAdminHandler } from "./admin/admin-handler";
import { createBearerCheck } from "./admin/bearer-auth";
import { createDiffAdmin } from "./admin/diff-admin";
import { type DiffResultsReader, openDiffResultsReader } from "./admin/diff-results-reader";
import type { ProxyHealth } from "./admin/health-report";
import type { RoutingReport } from "./admin/routing-report";
import { SHUTDOWN_GRACE } from "./defaults";
import { createProxyServer, type ProxyDeps } from "./proxy-server";
import type { ShadowPipeline } from "./shadow/results/shadow-pipeline";
import { startShadowResults } from "./shadow/results/start-shadow-results";
import { closeServer, listenOn, urlOf } from "./server/listen";
import { startTrafficRecorder, type ClosableTrafficSink } from "./traffic/start-traffic-recorder";

export type { ProxyDeps } from "./proxy-server";

/** createProxy's dependencies: the proxy port's, and the reader of shadow results for GET /admin/diff/… */
export interface CreateProxyDeps extends ProxyDeps {
  /** Default: the toolkit database of the migration config (none: the diff routes answer 503). */
  diffResults?: DiffResultsReader | null;
}

/** What createProxy needs to know: the migration config and the admin API's bearer token. */
export interface ProxyConfig {
  migration: MigrationConfig;
  adminToken: string;
}

export interface Proxy {
  /** Starts the proxy port and the admin port (port 0 in the config picks free ports). */
  listen(): Promise<{ proxyUrl: string; adminUrl: string }>;
  /** Drains the proxy port (see ProxyServer.close), then closes the admin port and the upstream pools. Does not close the FlagSource. */
  close(graceMs?: number): Promise<void>;
  /** The effective routing table, as GET /admin/routes reports it. */
  routingReport(): RoutingReport;
  /** What GET /admin/health reports. */
  health(): ProxyHealth;
  metrics: Registry;
}

/**
 * The strangler proxy in one process: the proxy port and its admin port. The proxy process
 * (main.ts) instead runs a supervisor that serves the admin port and workers that each run a
 * ProxyServer (ADR 0010).
 */
export function createProxy(config: ProxyConfig, deps: CreateProxyDeps): Proxy {
  const { diffResults, ...proxyDeps } = deps;
  const logger = deps.logger ?? pino({ level: "silent" });
  const ownDiffReader = diffResults === undefined ? openDiffResultsReader(config.migration.toolkit, logger) : null;
  // A sink handed in (tests, several proxies in one process) belongs to the caller; otherwise the
  // proxy runs its own results pipeline (and served-traffic recorder) and closes it.
  let ownResults: ShadowPipeline | undefined;
  const shadowSink = deps.shadowSink ?? (ownResults = startShadowResults(config.migration, logger));
  let ownTraffic: ClosableTrafficSink | undefined;
  const trafficSink = deps.trafficSink ?? (ownTraffic = startTrafficRecorder(config.migration, logger));
  const proxyServer = createProxyServer(config.migration, { ...proxyDeps, logger, shadowSink, trafficSink });
  const { registry } = proxyServer.metrics;
  for (const metric of ownResults?.metrics() ?? []) registry.registerMetric(metric);
  const adminServer = http.createServer(
    createAdminHandler({
      authorized: createBearerCheck(config.adminToken),
      routes: () => proxyServer.routingReport(),
      health: () => proxyServer.health(),
      metrics: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
      isReady: () => proxyServer.isServing(),
      diff: createDiffAdmin(diffResults === undefined ? ownDiffReader : diffResults, logger),
      logger,
    }),
  );
  const { admin } = config.migration.proxy;

  return {
    metrics: registry,
    routingReport: () => proxyServer.routingReport(),
    health: () => proxyServer.health(),
    async listen() {
      const proxyUrl = await proxyServer.listen();
      try {
        await listenOn(adminServer, admin.host, admin.port);
      } catch (error) {
        await proxyServer.close(0);
        throw error;
      }
      const urls = { proxyUrl, adminUrl: urlOf(adminServer) };
      logger.info(
        {
          ...urls,
          routes: proxyServer.routingReport().routes.length,
          legacy: config.migration.legacy.url,
          services: config.migration.services.map((s) => s.name),
        },
        "strangler proxy listening",
      );
      return urls;
    },
    async close(graceMs = SHUTDOWN_GRACE) {
      await proxyServer.close(graceMs);
      await closeServer(adminServer, 0);
      // After the drain: the last mirrored exchanges are judged and written, the last requests counted.
      await Promise.all([ownResults?.close(), ownTraffic?.close()]);
      await ownDiffReader?.close();
    },
  };
}
