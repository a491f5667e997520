import type { AddressInfo } from "node:net";
import type { SyncDirections } from "@strangler/ops-contract";
import { createPgPlanStore } from "@strangler/toolkit-store";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import { CDC_START_RETRY, UNUSED_SLOT_CHECK_INTERVAL } from "../defaults";
import { createDebeziumCdcStream, createReverseDebeziumCdcStream } from "../kafka-source/debezium-cdc-stream";
import { createRetrier } from "../retry/retrier";
import { streamSlotName } from "../slots/slot-names";
import { findUnusedSlots, type UnusedSlot } from "../slots/unused-slots";
import { type CdcStream, createCdcStream, createReverseCdcStream, servicesWithData } from "../stream/cdc-stream";
import { createCdcHttpServer } from "./cdc-http";
import type { CdcSettings } from "./cdc-settings";
import { createPlanFollower, type PlanStatesSource } from "./plan-follower";
import { dropReverseSlot } from "./retire-reverse-slot";
import { createServiceStreams, type ServiceStreams } from "./service-streams";
import { isRetriableStartError } from "./start-retry";

/** How the process makes a service's streams (default: the config's transport); tests hand in fakes. */
export interface StreamFactories {
  forward(service: string): CdcStream;
  reverse(service: string): CdcStream;
  /** After the plan stopped a service's reverse stream (ADR 0019); absent: nothing is retired. */
  retireReverse?(service: string): Promise<void>;
}

export interface CdcProcessDeps {
  logger: Logger;
  /** The sinks' registry (/metrics); a new one when absent. */
  registry?: Registry;
  /**
   * Where the plan states are read: default the toolkit database's plan store when `toolkit.database`
   * is set; null: none, the config alone decides the directions.
   */
  planStore?: (PlanStatesSource & { close(): Promise<void> }) | null;
  streams?: StreamFactories;
  /** A stream failed to start for a reason that does not pass on its own: main stops the process, exit 1. */
  onFatal?: (error: unknown) => void;
  /** The look for unused slots (default findUnusedSlots on the config's databases). */
  findUnusedSlots?: typeof findUnusedSlots;
}

/** The running CDC process, as main and the tests hold it. */
export interface CdcProcess {
  /** Where /status etc. listen (port 0 in the settings picks a free one). */
  address(): AddressInfo | string | null;
  /** Each service's controller: its streams and the directions in force. */
  readonly services: readonly ServiceStreams[];
  /** Stops the plan reader and the streams (slots kept), then the HTTP server; resolves with the stop failures. */
  stop(): Promise<unknown[]>;
}

/** The default stream factories of the config's transport. */
export function transportStreams(settings: CdcSettings, logger: Logger, registry: Registry): StreamFactories {
  const config = settings.migration;
  const deps = { logger, metrics: registry };
  if (config.cdc.transport === "debezium")
    // The reverse connector's slot belongs to Kafka Connect: nothing to retire here (ADR 0019).
    return {
      forward: (service) => createDebeziumCdcStream(config, service, deps),
      reverse: (service) => createReverseDebeziumCdcStream(config, service, deps),
    };
  return {
    forward: (service) => createCdcStream(config, service, deps),
    reverse: (service) => createReverseCdcStream(config, service, deps),
    retireReverse: (service) => dropReverseSlot(config, service),
  };
}

/**
 * Starts the CDC process (cdc/src/main.ts calls it; tests too): one forward stream per service with
 * `data`, and its reverse stream as directed: by the plan state's `sync` when `toolkit.database` is set
 * and the service has one, else by the config (forward apply, reverse = data.reverse). /healthz,
 * /readyz, /metrics, /status over HTTP. A stream whose database is unreachable is retried with a
 * backoff; every toolkit slot no stream uses is a warning on the log and /status.
 */
export async function startCdcProcess(settings: CdcSettings, deps: CdcProcessDeps): Promise<CdcProcess> {
  const { logger } = deps;
  const config = settings.migration;
  const registry = deps.registry ?? new Registry();
  const factories = deps.streams ?? transportStreams(settings, logger, registry);
  let stopping = false;

  /** Starts the stream, retrying transient failures (database unreachable) with a backoff; false when it gave up. */
  const startWithRetry = async (stream: CdcStream, cancelled: () => boolean): Promise<boolean> => {
    const retrier = createRetrier(CDC_START_RETRY);
    for (let attempt = 1; ; attempt += 1) {
      if (stopping || cancelled()) return false;
      try {
        await stream.start();
        if (attempt > 1)
          logger.info({ direction: stream.direction, attempts: attempt }, "cdc stream started after retrying");
        return true;
      } catch (error) {
        if (stopping || cancelled()) return false;
        const reason = error instanceof Error ? error.message : String(error);
        if (!isRetriableStartError(error)) {
          logger.error(
            { err: error, direction: stream.direction },
            `cdc stream ${stream.direction} failed to start: ${reason}`,
          );
          deps.onFatal?.(error);
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

  const configDirections = new Map<string, SyncDirections>();
  const services = servicesWithData(config).map((service) => {
    configDirections.set(service.name, { forward: "apply", reverse: service.data.reverse === true });
    return createServiceStreams({
      service: service.name,
      forward: factories.forward(service.name),
      createReverse: () => factories.reverse(service.name),
      ...(factories.retireReverse
        ? { retireReverse: () => factories.retireReverse?.(service.name) ?? Promise.resolve() }
        : {}),
      start: startWithRetry,
      logger,
    });
  });
  const directionsFromConfig = (service: string): SyncDirections =>
    configDirections.get(service) ?? { forward: "apply", reverse: false };

  // Unused slots: those no running stream reads (a reverse stream the plan turned on is in use).
  let unused: UnusedSlot[] = [];
  const running = (slot: UnusedSlot): boolean =>
    slot.service !== null &&
    slot.slot === streamSlotName(slot.service, config.cdc.transport, "reverse") &&
    services.some((streams) => streams.service === slot.service && streams.reverseRunning());
  const server = createCdcHttpServer(
    () => services.flatMap((streams) => streams.streams()),
    registry,
    () => unused.filter((slot) => !running(slot)).map((slot) => slot.warning),
    () => services.flatMap((streams) => streams.applied() ?? []),
  );
  await server.listen(settings.port, settings.host);
  logger.info(
    { config: settings.configPath, host: settings.host, port: settings.port, services: services.map((s) => s.service) },
    "strangler cdc listening",
  );

  /**
   * Looks for toolkit slots no stream uses: /status lists them while they exist (with the WAL each
   * keeps), the log warns once per slot. A database it cannot read keeps its earlier warnings.
   */
  const logged = new Set<string>();
  let checking: Promise<void> | null = null;
  const checkUnusedSlots = (): Promise<void> =>
    (checking ??= (deps.findUnusedSlots ?? findUnusedSlots)(config)
      .then((found) => {
        const unreadable = new Set(found.unreachable.map((db) => db.databaseUrl));
        unused = [...found.unused, ...unused.filter((slot) => unreadable.has(slot.database))];
        for (const slot of found.unused) {
          const key = `${slot.database} ${slot.slot}`;
          if (logged.has(key) || running(slot)) continue;
          logged.add(key);
          logger.warn(
            { service: slot.service, slot: slot.slot, database: slot.database, retainedBytes: slot.retainedBytes },
            slot.warning,
          );
        }
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not check for unused replication slots"))
      .finally(() => (checking = null)));
  const slotCheck = setInterval(() => void checkUnusedSlots(), UNUSED_SLOT_CHECK_INTERVAL);
  slotCheck.unref();

  // The plan's directions, read before any stream starts so a restarted process does not apply
  // changes the plan says to watch; an unreadable toolkit database leaves the config's directions.
  const store =
    deps.planStore !== undefined
      ? deps.planStore
      : config.toolkit.database
        ? createPgPlanStore(config.toolkit.database, { logger, poolSize: 1 })
        : null;
  const follower = store
    ? createPlanFollower({ store, services, configDirections: directionsFromConfig, logger })
    : null;
  if (follower) {
    await follower.poll();
    follower.start();
  } else {
    for (const streams of services) void streams.follow({ sync: directionsFromConfig(streams.service), version: null });
  }
  // Once a service's first directions took effect, its databases are reachable: look then, not only at the next interval.
  for (const streams of services) void waitApplied(streams).then(() => (stopping ? undefined : checkUnusedSlots()));

  /** Resolves once the service's first directions are in force (or the process stops). */
  async function waitApplied(streams: ServiceStreams): Promise<void> {
    while (!stopping && streams.applied() === null) await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    address: () => server.address(),
    services,
    async stop() {
      stopping = true;
      clearInterval(slotCheck);
      await follower?.stop();
      const results = (await Promise.all(services.map((streams) => streams.stop()))).flat();
      await store?.close().catch((error: unknown) => logger.warn({ err: error }, "closing the plan store failed"));
      await checking;
      await server.close();
      return results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    },
  };
}
