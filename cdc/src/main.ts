import pino from "pino";
import { Registry } from "prom-client";
import { CDC_SHUTDOWN_GRACE } from "./defaults";
import { createCdcHttpServer } from "./process/cdc-http";
import { loadCdcSettings } from "./process/cdc-settings";
import { type CdcStream, createCdcStream, createReverseCdcStream, servicesWithData } from "./stream/cdc-stream";

/**
 * The CDC process: `node --import tsx cdc/src/main.ts`. One forward stream (legacy → service) per
 * service with `data` in the migration config, plus its reverse stream (service → legacy) when
 * `data.reverse` is true; /healthz, /readyz, /metrics, /status over HTTP.
 * SIGTERM/SIGINT: the streams stop cleanly (in-flight batch committed and acknowledged, slots kept).
 */
async function main(): Promise<void> {
  const settings = loadCdcSettings();
  const logger = pino({ name: "strangler-cdc", level: settings.logLevel, base: { app: "strangler-cdc" } });
  const registry = new Registry();
  // Per service: the forward stream first, then (data.reverse) the reverse one, started once the
  // forward one streams, so its snapshot finds the rows the forward snapshot copied (equal: no writes).
  const chains: CdcStream[][] = servicesWithData(settings.migration).map((service) => [
    createCdcStream(settings.migration, service.name, { logger, metrics: registry }),
    ...(service.data.reverse ? [createReverseCdcStream(settings.migration, service.name, { logger, metrics: registry })] : []),
  ]);
  const streams = chains.flat();
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

  const startChain = async (chain: readonly CdcStream[]): Promise<void> => {
    for (const stream of chain) {
      if (stopping) return;
      try {
        await stream.start();
      } catch (error) {
        if (stopping) return;
        logger.error({ err: error, direction: stream.direction }, "cdc stream failed to start");
        stop("start failure", true);
        return;
      }
      logger.info({ direction: stream.direction }, "cdc stream: streaming");
    }
  };
  for (const chain of chains) void startChain(chain);
}

main().catch((error: unknown) => {
  // Before the logger exists (bad settings or config) the reason goes to stderr as plain text.
  process.stderr.write(`strangler-cdc: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
