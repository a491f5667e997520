import { PROXY_POLL_INTERVAL } from "../../defaults";
import { CliError } from "../cli-error";
import { formatFlag, formatSeconds } from "./flag-format";
import type { ProxyRoutesReader, ProxyRoutesReport, ProxyRouteView } from "./proxy-admin-client";

/** The percentages a `flags set` asked for. */
export interface RolloutTarget {
  serve?: number;
  shadow?: number;
}

/**
 * The outcome of a wait: per route, when the proxy first reported the target (ms after the start of
 * the wait); the routes it did not confirm, each with why.
 */
export interface Confirmation {
  confirmed: boolean;
  elapsedMs: number;
  confirmedMs: ReadonlyMap<string, number>;
  pending: ReadonlyMap<string, string>;
}

/** A flag shows `percent` when it is on at exactly that rollout; 0 % is also shown by a flag that is off. */
function shows(flag: { enabled: boolean; rollout: number | null }, percent: number): boolean {
  return percent === 0 ? !flag.enabled || flag.rollout === 0 : flag.enabled && flag.rollout === percent;
}

/** Whether the proxy's view of a route has the target state. */
export function routeShowsTarget(view: ProxyRouteView, target: RolloutTarget): boolean {
  return (
    (target.serve === undefined || shows(view.serve, target.serve)) &&
    (target.shadow === undefined || shows(view.shadow, target.shadow))
  );
}

function staleReason(view: ProxyRouteView, target: RolloutTarget, report: ProxyRoutesReport, waitedMs: number): string {
  const reported = [
    ...(target.serve === undefined ? [] : [`serve ${formatFlag(view.serve)}`]),
    ...(target.shadow === undefined ? [] : [`shadow ${formatFlag(view.shadow)}`]),
  ].join(", ");
  const { source, ageSeconds } = report.flags;
  const age = ageSeconds === null ? "never synced" : `last synced ${ageSeconds.toFixed(1)} s ago`;
  return `the proxy still reports ${reported} after ${formatSeconds(waitedMs)} (its flags come from ${source}, ${age})`;
}

/**
 * Polls the proxy's routing table until every route shows the target, or the time is up. A rejected
 * token or an answer of the wrong shape ends the wait at once; an unreachable proxy is retried
 * (it may be restarting).
 */
export async function waitForProxy(options: {
  read: ProxyRoutesReader;
  routeIds: readonly string[];
  target: RolloutTarget;
  timeoutMs: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<Confirmation> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  const confirmedMs = new Map<string, number>();
  const pending = new Map<string, string>(options.routeIds.map((id) => [id, "the proxy was not asked"]));
  const outcome = (): Confirmation => ({
    confirmed: pending.size === 0,
    elapsedMs: now() - started,
    confirmedMs,
    pending,
  });
  for (;;) {
    try {
      const report = await options.read();
      for (const routeId of [...pending.keys()]) {
        const view = report.routes.find((route) => route.id === routeId);
        if (view && routeShowsTarget(view, options.target)) {
          pending.delete(routeId);
          confirmedMs.set(routeId, now() - started);
        } else {
          pending.set(
            routeId,
            view
              ? staleReason(view, options.target, report, now() - started)
              : `the proxy has no route ${routeId} (does it run another migration config?)`,
          );
        }
      }
      if (pending.size === 0) return outcome();
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      for (const routeId of pending.keys()) pending.set(routeId, error.message);
      if (!error.retriable) return outcome();
    }
    const elapsed = now() - started;
    if (elapsed >= options.timeoutMs) return outcome();
    await sleep(Math.min(options.intervalMs ?? PROXY_POLL_INTERVAL, options.timeoutMs - elapsed));
  }
}
