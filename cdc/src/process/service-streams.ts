import type { CdcPlanApplied, SyncDirections } from "@strangler/ops-contract";
import type { Logger } from "pino";
import type { CdcStream } from "../stream/cdc-stream";

/** The directions asked for one service's streams, and the plan state version they come from. */
export interface DirectionsTarget {
  sync: SyncDirections;
  /** The plan state version; null: no plan state (the config decides). */
  version: number | null;
}

export interface ServiceStreamsOptions {
  service: string;
  /** The forward stream: started once and runs for the process's life; its mode follows the directions. */
  forward: CdcStream;
  /** A new reverse stream: a stopped stream does not start again (its sink's pool is closed). */
  createReverse: () => CdcStream;
  /**
   * Called after the directions stopped a running reverse stream: the embedded transport drops its
   * slot (ADR 0019: no WAL kept for nobody; the next start snapshots again). Absent: nothing to retire.
   */
  retireReverse?: () => Promise<void>;
  /** Starts a stream, retrying transient failures until `cancelled()` is true; false when it gave up. */
  start: (stream: CdcStream, cancelled: () => boolean) => Promise<boolean>;
  logger: Logger;
  now?: () => number;
}

/** One service's CDC streams, following the directions asked of them, one change at a time. */
export interface ServiceStreams {
  readonly service: string;
  /** The streams that exist now, forward first (/status, /readyz). */
  streams(): CdcStream[];
  /** The directions in force and since when; null until the first ones took effect. */
  applied(): CdcPlanApplied | null;
  /** Whether a reverse stream exists now (started or starting). */
  reverseRunning(): boolean;
  /**
   * Asks for `target`. Changes are serialised: resolves once the last target asked took effect, or
   * the streams stopped. In one change the reverse stream starts first, then the forward mode is set,
   * then the reverse stream stops: a direct jump between write owners never leaves a table without its copy.
   */
  follow(target: DirectionsTarget): Promise<void>;
  /** Stops the streams (the process's shutdown: slots kept); no later target is followed. */
  stop(): Promise<Array<PromiseSettledResult<void>>>;
}

const sameSync = (a: SyncDirections, b: SyncDirections): boolean => a.forward === b.forward && a.reverse === b.reverse;

/** Creates the controller of one service's streams; nothing starts before the first follow(). */
export function createServiceStreams(options: ServiceStreamsOptions): ServiceStreams {
  const { service, forward, logger } = options;
  const now = options.now ?? Date.now;
  let desired: DirectionsTarget | null = null;
  let applied: CdcPlanApplied | null = null;
  let forwardStarted = false;
  let reverse: CdcStream | null = null;
  let stopped = false;
  let working: Promise<void> | null = null;
  /** A start gave up for good (not retriable): the process is stopping; do not loop on it. */
  let failed = false;

  const done = (target: DirectionsTarget): boolean =>
    applied !== null && applied.version === target.version && sameSync(applied.sync, target.sync);

  async function work(): Promise<void> {
    while (!stopped && desired !== null && !done(desired)) {
      const target: DirectionsTarget = desired;
      if (!forwardStarted) {
        await forward.setMode(target.sync.forward);
        if (!(await options.start(forward, () => stopped))) {
          failed = !stopped;
          return;
        }
        forwardStarted = true;
        logger.info({ service, direction: forward.direction }, "cdc stream: streaming");
      }
      if (target.sync.reverse && reverse === null) {
        const stream = options.createReverse();
        reverse = stream;
        // Given up when stopping, or when the latest target no longer wants it (not stuck retrying for nothing).
        const started = await options.start(stream, () => stopped || desired?.sync.reverse !== true);
        if (!started) {
          if (stopped) return;
          reverse = null;
          await stream
            .stop()
            .catch((error: unknown) => logger.warn({ err: error, service }, "reverse stream stop failed"));
          if (desired?.sync.reverse === true) {
            failed = true; // a start failure that is not retriable: the process stops
            return;
          }
          continue;
        }
        logger.info({ service, direction: stream.direction }, "cdc stream: streaming");
      }
      if (forward.status().mode !== target.sync.forward) {
        await forward.setMode(target.sync.forward);
        logger.info({ service, direction: forward.direction, mode: target.sync.forward }, "forward stream mode set");
      }
      if (!target.sync.reverse && reverse !== null) {
        const stream = reverse;
        reverse = null;
        // A stop that fails still ends the stream (its connections are closed): the directions hold.
        await stream
          .stop()
          .catch((error: unknown) => logger.warn({ err: error, service }, "the reverse stream did not stop cleanly"));
        logger.info({ service, direction: stream.direction }, "reverse stream stopped as directed");
        await options
          .retireReverse?.()
          .catch((error: unknown) =>
            logger.warn(
              { err: error, service },
              "could not retire the reverse stream's slot; it keeps WAL until dropped",
            ),
          );
      }
      if (stopped) return;
      applied = { service, version: target.version, sync: { ...target.sync }, appliedAt: now() };
      logger.info({ service, version: target.version, sync: target.sync }, "cdc directions in force");
    }
  }

  /** One worker at a time; a target asked while it was finishing gets a worker of its own right after. */
  function run(): Promise<void> {
    if (working)
      return working.then(() => (failed || stopped || desired === null || done(desired) ? undefined : run()));
    working = work().finally(() => (working = null));
    return working;
  }

  return {
    service,
    streams: () => (reverse ? [forward, reverse] : [forward]),
    applied: () => (applied === null ? null : { ...applied, sync: { ...applied.sync } }),
    reverseRunning: () => reverse !== null,
    follow(target) {
      if (stopped) return Promise.resolve();
      desired = { version: target.version, sync: { ...target.sync } };
      return run();
    },
    async stop() {
      stopped = true;
      const streams = reverse ? [forward, reverse] : [forward];
      return Promise.allSettled(streams.map((stream) => stream.stop()));
    },
  };
}
