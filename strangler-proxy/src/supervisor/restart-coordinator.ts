/** What /admin/health reports about restarts; `strangler`'s stack waits on `completed`. */
export interface RestartStatus {
  state: "idle" | "running";
  /** Restart requests received (SIGHUP). */
  requested: number;
  /** Requests served: a restart that began after request n has finished (well or not) once completed ≥ n. */
  completed: number;
  lastOutcome: "ok" | "failed" | null;
  lastError: string | null;
  lastFinishedAt: string | null;
}

export interface RestartCoordinator {
  /** Asks for a restart; one asked for while another runs is done after it (several such requests, once). */
  request(): void;
  status(): RestartStatus;
  /** Resolves when no restart runs. */
  idle(): Promise<void>;
}

/** Runs restarts one at a time and keeps their record. `run` rejects when a restart failed. */
export function createRestartCoordinator(
  run: () => Promise<void>,
  now: () => Date = () => new Date(),
): RestartCoordinator {
  const status: RestartStatus = {
    state: "idle",
    requested: 0,
    completed: 0,
    lastOutcome: null,
    lastError: null,
    lastFinishedAt: null,
  };
  let running: Promise<void> = Promise.resolve();

  const loop = async () => {
    status.state = "running";
    while (status.completed < status.requested) {
      const serving = status.requested;
      try {
        await run();
        status.lastOutcome = "ok";
        status.lastError = null;
      } catch (error) {
        status.lastOutcome = "failed";
        status.lastError = error instanceof Error ? error.message : String(error);
      }
      status.completed = serving;
      status.lastFinishedAt = now().toISOString();
    }
    status.state = "idle";
  };

  return {
    request() {
      status.requested += 1;
      if (status.state === "idle") running = loop();
    },
    status: () => ({ ...status }),
    idle: () => running,
  };
}
