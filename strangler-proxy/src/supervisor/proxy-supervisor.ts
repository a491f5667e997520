import http from "node:http";
import os from "node:os";
import type { MigrationConfig } from "@strangler/migration-config";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { createAdminHandler } from "../admin/admin-handler";
import { createBearerCheck } from "../admin/bearer-auth";
import { createDiffAdmin } from "../admin/diff-admin";
import { openDiffResultsReader } from "../admin/diff-results-reader";
import type { ProxyHealth } from "../admin/health-report";
import type { RoutingReport } from "../admin/routing-report";
import { loadProxySettings } from "../config/proxy-settings";
import {
  SHUTDOWN_GRACE,
  WORKER_EXIT_MARGIN,
  WORKER_QUERY_TIMEOUT,
  WORKER_RESPAWN_DELAY,
  WORKER_RESPAWN_MAX_DELAY,
  WORKER_START_TIMEOUT,
} from "../defaults";
import { ProxyError } from "../errors/proxy-error";
import { createProxyLogger } from "../logging/create-logger";
import { closeServer, listenOn, urlOf } from "../server/listen";
import { createClusterMetrics } from "./cluster-metrics";
import { aggregateHealth, aggregateRoutingReports } from "./cluster-reports";
import { createRestartCoordinator } from "./restart-coordinator";
import type { WorkerMetrics } from "./worker-messages";
import { createWorkerPool } from "./worker-pool";
import { forkClusterWorker } from "./worker-process";

/** `proxy.workers`: a number, or one per CPU core. */
export function workerCount(migration: MigrationConfig): number {
  const { workers } = migration.proxy;
  return workers === "auto" ? os.availableParallelism() : workers;
}

function noWorkerAnswered(): ProxyError {
  return new ProxyError("STRANGLER_SERVICE_UNAVAILABLE", "no proxy worker answered", {}, true);
}

/**
 * The proxy process's primary (node:cluster): it holds the proxy port's listening socket and hands
 * connections to its workers, serves the admin port for all of them (reports and metrics collected
 * over IPC), replaces a worker that dies, restarts them one at a time on SIGHUP (re-reading the
 * migration config and the code), and drains them all on SIGTERM/SIGINT (ADR 0010).
 */
export async function startProxySupervisor(): Promise<void> {
  const settings = loadProxySettings();
  const logger = createProxyLogger(settings.logLevel, 1, { role: "supervisor" });
  let migration = settings.migration;

  const own = new Registry();
  own.setDefaultLabels({ app: "strangler-proxy" });
  collectDefaultMetrics({ register: own });
  const metrics = createClusterMetrics(own);
  const pool = createWorkerPool({
    fork: forkClusterWorker,
    startTimeoutMs: WORKER_START_TIMEOUT,
    exitMarginMs: WORKER_EXIT_MARGIN,
    queryTimeoutMs: WORKER_QUERY_TIMEOUT,
    respawnDelayMs: WORKER_RESPAWN_DELAY,
    respawnMaxDelayMs: WORKER_RESPAWN_MAX_DELAY,
    logger,
    onRetiring: (final) => metrics.retire(final),
  });
  new Gauge({
    name: "strangler_proxy_workers",
    help: "Proxy workers taking connections",
    registers: [own],
    collect() {
      this.set(pool.listening());
    },
  });
  const restartsTotal = new Counter({
    name: "strangler_proxy_restarts_total",
    help: "Rolling restarts of the proxy workers, by outcome",
    labelNames: ["outcome"],
    registers: [own],
  });

  let startup: Promise<unknown> = Promise.resolve();
  const restarts = createRestartCoordinator(async () => {
    await startup.catch(() => undefined);
    const started = Date.now();
    logger.info(
      { workers: pool.workers().length },
      "restart: re-reading the migration config, then replacing the workers one at a time",
    );
    try {
      // A broken config stops the restart here, before any worker is replaced.
      const next = loadProxySettings().migration;
      const { listen, admin } = migration.proxy;
      if (next.proxy.admin.host !== admin.host || next.proxy.admin.port !== admin.port)
        logger.warn("restart: proxy.admin changed; the admin port moves only with a stop and a start");
      if (next.proxy.listen.host !== listen.host || next.proxy.listen.port !== listen.port)
        logger.warn(
          "restart: proxy.listen changed; the new workers listen there, the old address closes with the last old worker",
        );
      await pool.restart(workerCount(next), SHUTDOWN_GRACE);
      migration = next;
      restartsTotal.labels("ok").inc();
      logger.info({ workers: pool.listening(), ms: Date.now() - started }, "restart done");
    } catch (error) {
      restartsTotal.labels("failed").inc();
      logger.error({ err: error }, "restart failed; the workers that were serving keep serving");
      throw error;
    }
  });

  let ready = false;
  let stopping = false;
  const collect = async <T>(what: "routes" | "health"): Promise<T[]> => {
    const answers = (await pool.query(what)) as T[];
    if (answers.length === 0) throw noWorkerAnswered();
    return answers;
  };
  // The admin port's reports of shadow results: read from the toolkit database the workers write to.
  const diffResults = openDiffResultsReader(migration.toolkit, logger);
  const adminServer = http.createServer(
    createAdminHandler({
      authorized: createBearerCheck(settings.adminToken),
      routes: async () => aggregateRoutingReports(await collect<RoutingReport>("routes")),
      health: async () => ({
        ...aggregateHealth(await collect<ProxyHealth>("health")),
        supervisor: { pid: process.pid, workers: pool.workers(), restart: restarts.status() },
      }),
      metrics: async () => {
        const live = (await pool.query("metrics")) as WorkerMetrics[];
        return { contentType: metrics.contentType, text: await metrics.render(live) };
      },
      isReady: () => ready && !stopping && pool.listening() > 0,
      diff: createDiffAdmin(diffResults, logger),
      logger,
    }),
  );

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE + WORKER_EXIT_MARGIN + 2_000).unref();
    pool
      .stop(SHUTDOWN_GRACE)
      .then(() => closeServer(adminServer, 0))
      .then(() => diffResults?.close())
      .then(() => {
        logger.info("stopped");
        logger.flush(() => process.exit(0));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => {
    if (stopping) return;
    logger.info("SIGHUP: restart requested");
    restarts.request();
  });

  const { admin } = migration.proxy;
  await listenOn(adminServer, admin.host, admin.port);
  const count = workerCount(migration);
  try {
    startup = pool.start(count);
    await startup;
  } catch (error) {
    if (stopping) return;
    logger.error({ err: error }, "a proxy worker could not start");
    await pool.stop(0);
    await closeServer(adminServer, 0);
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    throw error;
  }
  ready = true;
  const { listen } = migration.proxy;
  logger.info(
    {
      proxyUrl: `http://${listen.host}:${listen.port}`,
      adminUrl: urlOf(adminServer),
      workers: count,
      config: settings.configPath,
      backupDir: settings.backupDir,
      pid: process.pid,
    },
    "strangler proxy started",
  );
}
