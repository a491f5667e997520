import pino from "pino";
import { Registry } from "prom-client";
import { CDC_SHUTDOWN_GRACE } from "./defaults";
import { createCdcHttpServer } from "./process/cdc-http";
import { loadCdcSettings } from "./process/cdc-settings";
import { createCdcStream, servicesWithData } from "./stream/cdc-stream";

/**
 * The CDC process: `node --import tsx cdc/src/main.ts`. One forward stream (legacy → service) per
 * service with `data` in the migration config; /healthz, /readyz, /metrics, /status over HTTP.
 * SIGTERM/SIGINT: the streams stop cleanly (in-flight batch committed and acknowledged, slots kept).
 */
async function main(): Promise<void> {
  const settings = loadCdcSettings();
  const logger = pino({ name: "strangler-cdc", level: settings.logLevel, base: { app: "strangler-cdc" } });
  const registry = new Registry();
  const streams = servicesWithData(settings.migration).map((service) => createCdcStream(settings.migration, service.name, { logger, metrics: registry }));
  const server = createCdcHttpServer(streams, registry);
  await server.listen(settings.port, settings.host);
  logger.info({ config: settings.configPath, host: settings.host, port: settings.port, streams: streams.map((s) => s.direction) }, "strangler cdc listening");

  let stopping = false;
  const stop = (signal: string, failure = false) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: stopping the streams");
    const force = setTimeout(() => process.exit(1), CDC_SHUTDOWN_GRACE);
    force.unref();
    Promise.allSettled(streams.map((stream) => stream.stop()))
      .then(async (results) => {
        await server.close();
        const failed = results.filter((result) => result.status === "rejected");
        for (const failure of failed) logger.error({ err: failure.reason }, "a stream did not stop cleanly");
        logger.info("stopped");
        logger.flush(() => process.exit(failed.length === 0 && !failure ? 0 : 1));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));

  for (const stream of streams) {
    stream
      .start()
      .then(() => logger.info({ direction: stream.direction }, "cdc stream: streaming"))
      .catch((error: unknown) => {
        if (stopping) return;
        logger.error({ err: error, direction: stream.direction }, "cdc stream failed to start");
        stop("start failure", true);
      });
  }
}

main().catch((error: unknown) => {
  // Before the logger exists (bad settings or config) the reason goes to stderr as plain text.
  process.stderr.write(`strangler-cdc: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
