import cluster from "node:cluster";
import { setTimeout as sleep } from "node:timers/promises";
import { loadProxySettings } from "../config/proxy-settings";
import { FLAGS_LOAD_WAIT, WORKER_EXIT_MARGIN } from "../defaults";
import { createUnleashFlagSource } from "../flags/unleash-flag-source";
import { createProxyLogger } from "../logging/create-logger";
import { createProxyServer } from "../proxy-server";
import { startShadowResults } from "../shadow/results/start-shadow-results";
import { startTrafficRecorder } from "../traffic/start-traffic-recorder";
import { isSupervisorMessage, type WorkerMessage, type WorkerMetrics } from "./worker-messages";

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    // A supervisor that is gone cannot be told anything: the error is dropped.
    process.send(message, undefined, {}, () => resolve());
  });
}

/**
 * One worker of the proxy process: the proxy port (shared through node:cluster with the other
 * workers; the supervisor holds the listening socket), its own flags and upstream pools. It obeys
 * the supervisor: it drains when told to, or when the supervisor is gone.
 */
export async function startProxyWorker(): Promise<void> {
  // Signals to the process group (`stack down`, Ctrl-C, a hang-up) reach the workers too; the
  // supervisor decides how each worker stops, so a worker ignores them.
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => undefined);
  let settings: ReturnType<typeof loadProxySettings>;
  try {
    settings = loadProxySettings();
  } catch (error) {
    await send({ type: "strangler:failed", message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const logger = createProxyLogger(settings.logLevel, 1, { worker: cluster.worker?.id ?? 0 });
  const { unleash } = settings.migration;
  const flags = createUnleashFlagSource(
    {
      url: unleash.url,
      appName: unleash.appName,
      environment: unleash.environment,
      project: unleash.project,
      refreshIntervalMs: unleash.refreshIntervalMs,
      clientToken: settings.unleashClientToken,
      backupDir: settings.backupDir,
    },
    { logger },
  );
  const shadowResults = startShadowResults(settings.migration, logger);
  const traffic = startTrafficRecorder(settings.migration, logger);
  const server = createProxyServer(settings.migration, {
    flags,
    logger,
    shadowSink: shadowResults,
    trafficSink: traffic,
  });
  for (const metric of shadowResults.metrics()) server.metrics.registry.registerMetric(metric);

  let draining = false;
  const drain = (graceMs: number) => {
    if (draining) return;
    draining = true;
    setTimeout(() => process.exit(1), graceMs + WORKER_EXIT_MARGIN).unref();
    logger.info({ graceMs }, "draining");
    server
      .close(graceMs)
      // After the drain: the last mirrored exchanges are judged and written, the last requests counted.
      .then(() => Promise.all([shadowResults.close(), traffic.close()]))
      .then(() => flags.close())
      .then(async () =>
        send({
          type: "strangler:retiring",
          metrics: (await server.metrics.registry.getMetricsAsJSON()) as unknown as WorkerMetrics,
        }),
      )
      .then(() => {
        logger.info("drained");
        logger.flush(() => process.exit(0));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "drain failed");
        logger.flush(() => process.exit(1));
      });
  };
  process.on("message", (message: unknown) => {
    if (!isSupervisorMessage(message)) return;
    if (message.type === "strangler:drain") return drain(message.graceMs);
    const value =
      message.what === "routes" ? server.routingReport() : message.what === "health" ? server.health() : null;
    if (value !== null) return void send({ type: "strangler:answer", id: message.id, value });
    server.metrics.registry
      .getMetricsAsJSON()
      .then((metrics) => send({ type: "strangler:answer", id: message.id, value: metrics }))
      .catch((error: unknown) => logger.error({ err: error }, "metrics for the supervisor failed"));
  });
  // A supervisor that dies without draining its workers (kill -9) takes them with it: node:cluster
  // exits a worker whose channel to the primary closes unexpectedly, so none is left unsupervised.

  // Traffic only once the flags are in: a new worker in a restart must route like the old ones.
  await Promise.race([flags.loaded(), sleep(FLAGS_LOAD_WAIT, undefined, { ref: false })]);
  if (draining) return;
  try {
    const proxyUrl = await server.listen();
    logger.info({ proxyUrl, flags: flags.status().source }, "listening");
    await send({ type: "strangler:listening", proxyUrl });
  } catch (error) {
    await send({ type: "strangler:failed", message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
