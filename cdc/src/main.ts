import pino from "pino";
import { Registry } from "prom-client";
import { CDC_SHUTDOWN_GRACE, CDC_START_RETRY, UNUSED_SLOT_CHECK_INTERVAL } from "./defaults";
import { createCdcHttpServer } from "./process/cdc-http";
import { createDebeziumCdcStream, createReverseDebeziumCdcStream } from "./kafka-source/debezium-cdc-stream";
import { loadCdcSettings } from "./process/cdc-settings";
import { isRetriableStartError } from "./process/start-retry";
import { createRetrier } from "./retry/retrier";
import { type CdcStream, createCdcStream, createReverseCdcStream, servicesWithData } from "./stream/cdc-stream";
import { type UnusedSlot, findUnusedSlots } from "./slots/unused-slots";

/**
 * The CDC process: `node --import tsx cdc/src/main.ts`. One forward stream (legacy → service) per
 * service with `data` in the migration config, plus its reverse stream (service → legacy) when
 * `data.reverse` is true; /healthz, /readyz, /metrics, /status over HTTP.
 * SIGTERM/SIGINT: the streams stop cleanly (in-flight batch committed and acknowledged, slots kept).
 * A stream whose database is unreachable at start is retried with a backoff (the process stays up,
 * not ready). Every toolkit replication slot the config does not use (a reverse stream turned off,
 * the other transport's, a service no longer configured) is a warning on the log and /status.
 */
async function main(): Promise<void> {
  const settings = loadCdcSettings();
  const logger = pino({ name: "strangler-cdc", level: settings.logLevel, base: { app: "strangler-cdc" } });
  const registry = new Registry();
  // Per service: the forward stream first, then (data.reverse) the reverse one, started once the
  // forward one streams, so its snapshot finds the rows the forward snapshot copied (equal: no writes).
  // cdc.transport: "embedded" reads the slots itself; "debezium" consumes the connectors' Kafka topics.
  const [forwardStream, reverseStream] =
    settings.migration.cdc.transport === "debezium"
      ? [createDebeziumCdcStream, createReverseDebeziumCdcStream]
      : [createCdcStream, createReverseCdcStream];
  const chains: CdcStream[][] = servicesWithData(settings.migration).map((service) => [
    forwardStream(settings.migration, service.name, { logger, metrics: registry }),
    ...(service.data.reverse ? [reverseStream(settings.migration, service.name, { logger, metrics: registry })] : []),
  ]);
  const streams = chains.flat();
  let unused: UnusedSlot[] = [];
  const server = createCdcHttpServer(streams, registry, () => unused.map((slot) => slot.warning));
  await server.listen(settings.port, settings.host);
  logger.info(
    { config: settings.configPath, host: settings.host, port: settings.port, streams: streams.map((s) => s.direction) },
    "strangler cdc listening",
  );

  let stopping = false;
  /** The periodic look for unused slots (checkUnusedSlots, below). */
  const slotCheck = setInterval(() => void checkUnusedSlots(), UNUSED_SLOT_CHECK_INTERVAL);
  slotCheck.unref();
  const stop = (signal: string, failure = false) => {
    if (stopping) return;
    stopping = true;
    clearInterval(slotCheck);
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

  /** Starts the stream, retrying transient failures (database unreachable) with a backoff; false when it gave up. */
  const startWithRetry = async (stream: CdcStream): Promise<boolean> => {
    const retrier = createRetrier(CDC_START_RETRY);
    for (let attempt = 1; ; attempt += 1) {
      if (stopping) return false;
      try {
        await stream.start();
        if (attempt > 1)
          logger.info({ direction: stream.direction, attempts: attempt }, "cdc stream started after retrying");
        return true;
      } catch (error) {
        if (stopping) return false;
        const reason = error instanceof Error ? error.message : String(error);
        if (!isRetriableStartError(error)) {
          logger.error(
            { err: error, direction: stream.direction },
            `cdc stream ${stream.direction} failed to start: ${reason}`,
          );
          stop("start failure", true);
          return false;
        }
        const delay = retrier.failed();
        logger.warn(
          { err: error, direction: stream.direction, attempt, retryInMs: delay },
          `cdc stream ${stream.direction} could not start (${reason}); retrying in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  const startChain = async (chain: readonly CdcStream[]): Promise<void> => {
    for (const stream of chain) {
      if (!(await startWithRetry(stream))) return;
      logger.info({ direction: stream.direction }, "cdc stream: streaming");
    }
  };
  /**
   * Looks for toolkit slots the config does not use: /status lists them while they exist (with the
   * WAL each keeps), the log warns once per slot. A database it cannot read keeps its earlier warnings.
   */
  const logged = new Set<string>();
  let checking: Promise<void> | null = null;
  const checkUnusedSlots = (): Promise<void> =>
    (checking ??= findUnusedSlots(settings.migration)
      .then((found) => {
        const unreadable = new Set(found.unreachable.map((db) => db.databaseUrl));
        unused = [...found.unused, ...unused.filter((slot) => unreadable.has(slot.database))];
        for (const slot of found.unused) {
          const key = `${slot.database} ${slot.slot}`;
          if (logged.has(key)) continue;
          logged.add(key);
          logger.warn(
            { service: slot.service, slot: slot.slot, database: slot.database, retainedBytes: slot.retainedBytes },
            slot.warning,
          );
        }
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not check for unused replication slots"))
      .finally(() => (checking = null)));
  // Once a chain streams, its databases are reachable: look then, not only at the next interval.
  for (const chain of chains) void startChain(chain).then(() => (stopping ? undefined : checkUnusedSlots()));
}

main().catch((error: unknown) => {
  // Before the logger exists (bad settings or config) the reason goes to stderr as plain text.
  process.stderr.write(`strangler-cdc: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
