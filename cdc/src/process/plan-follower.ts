import type { PlanState, SyncDirections } from "@strangler/ops-contract";
import type { Logger } from "pino";
import { PLAN_POLL_INTERVAL, PLAN_UNREADABLE_WARN_INTERVAL } from "../defaults";
import type { DirectionsTarget, ServiceStreams } from "./service-streams";

/** Where the plan states are read from: the toolkit database's plan store (or its fake). */
export interface PlanStatesSource {
  states(): Promise<PlanState[]>;
}

export interface PlanFollowerOptions {
  store: PlanStatesSource;
  services: readonly ServiceStreams[];
  /** A service's directions from the config: forward apply, reverse = data.reverse. */
  configDirections: (service: string) => SyncDirections;
  logger: Logger;
  /** Default PLAN_POLL_INTERVAL. */
  intervalMs?: number;
  /** Default PLAN_UNREADABLE_WARN_INTERVAL. */
  warnEveryMs?: number;
  now?: () => number;
}

/** The CDC process's reader of the plan: each service's streams follow its state's `sync`. */
export interface PlanFollower {
  /**
   * Reads the plan states once and hands each service its directions; false when the store could not
   * be read (the directions in force stay; a service with none yet gets the config's).
   */
  poll(): Promise<boolean>;
  /** Polls every intervalMs until stop(). */
  start(): void;
  stop(): Promise<void>;
}

/** The directions a plan state asks for: its `sync`, or the config's when there is no state or `sync` is null. */
export function directionsOf(state: PlanState | undefined, config: SyncDirections): DirectionsTarget {
  return { sync: state?.sync ?? config, version: state?.version ?? null };
}

const key = (target: DirectionsTarget): string =>
  `${target.version ?? "-"} ${target.sync.forward} ${String(target.sync.reverse)}`;

/** Creates the follower; nothing is read before poll() or start(). */
export function createPlanFollower(options: PlanFollowerOptions): PlanFollower {
  const { store, services, logger } = options;
  const intervalMs = options.intervalMs ?? PLAN_POLL_INTERVAL;
  const warnEveryMs = options.warnEveryMs ?? PLAN_UNREADABLE_WARN_INTERVAL;
  const now = options.now ?? Date.now;
  /** The target last handed to each service (a poll that finds nothing new asks nothing). */
  const given = new Map<string, string>();
  let failures = 0;
  let lastWarnAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<boolean> | null = null;
  let stopped = false;

  const hand = (streams: ServiceStreams, target: DirectionsTarget): void => {
    const wanted = key(target);
    if (given.get(streams.service) === wanted) return;
    given.set(streams.service, wanted);
    void streams
      .follow(target)
      .catch((error: unknown) =>
        logger.error({ err: error, service: streams.service }, "could not follow the plan's CDC directions"),
      );
  };

  async function readOnce(): Promise<boolean> {
    let states: PlanState[];
    try {
      states = await store.states();
    } catch (error) {
      failures += 1;
      const at = now();
      if (lastWarnAt === null || at - lastWarnAt >= warnEveryMs) {
        lastWarnAt = at;
        logger.warn(
          { err: error, failures },
          "cannot read the plan states from the toolkit database; the CDC directions in force stay, retrying",
        );
      }
      // A service with no directions yet (the process just started) follows its config meanwhile.
      for (const streams of services)
        if (!given.has(streams.service))
          hand(streams, directionsOf(undefined, options.configDirections(streams.service)));
      return false;
    }
    if (failures > 0) logger.info({ failures }, "the plan states are readable again");
    failures = 0;
    lastWarnAt = null;
    const byService = new Map(states.map((state) => [state.service, state]));
    for (const streams of services)
      hand(streams, directionsOf(byService.get(streams.service), options.configDirections(streams.service)));
    return true;
  }

  const poll = (): Promise<boolean> => (polling ??= readOnce().finally(() => (polling = null)));

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void poll().finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  return {
    poll,
    start: schedule,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await polling;
    },
  };
}
