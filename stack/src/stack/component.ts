import type { ProgressListener } from "./progress";

/** What `status` reports about one component. */
export interface ComponentStatus {
  /** Where clients reach it (passwords redacted); null when it has no address. */
  url: string | null;
  /** Process id of the running component (process group leader for apps), null when not running. */
  pid: number | null;
  healthy: boolean;
  /** Its log file, null when the stack does not run it. */
  log: string | null;
  state: "running" | "stopped" | "external" | "unreachable";
  /** A short human note: "not initialised", "stale pid file", … */
  detail?: string;
}

/** Outcome words shown after the progress label. */
/** "skipped": the component is not available in this checkout (e.g. no proxy entry point yet). */
export type StartOutcome = "started" | "already running" | "reachable" | "skipped";
export type StopOutcome = "stopped" | "killed" | "not running" | "not managed";
/** "restarted (N workers)": replaced in place, without downtime; "started": it was not running. */
export type RestartOutcome = `restarted${string}` | "started" | "already running" | "reachable" | "skipped";

/**
 * One piece of the local stack. `up` starts components in list order, `down` stops them in
 * reverse order. New pieces (unleash, kafka, connect, proxy, cdc) implement this interface.
 */
export interface Component {
  readonly name: string;
  /** Starts it unless it runs; reports its own progress steps (it may have several, e.g. databases). */
  start(progress: ProgressListener): Promise<StartOutcome>;
  /** Stops it and everything it spawned; harmless when it does not run. The caller reports progress. */
  stop(): Promise<StopOutcome>;
  status(): Promise<ComponentStatus>;
  /**
   * Replaces the running process without refusing or failing a request (the proxy: its workers one
   * at a time); starts it when it does not run. Components without it are stopped and started.
   */
  restart?(progress: ProgressListener): Promise<RestartOutcome>;
}
