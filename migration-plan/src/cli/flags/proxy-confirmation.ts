import { PROXY_POLL_INTERVAL } from "../../defaults";
import { CliError } from "../cli-error";
import { formatFlag, formatSeconds } from "./flag-format";
import type { ProxyRoutesReader, ProxyRoutesReport, ProxyRouteView } from "./proxy-admin-client";

/** The percentages a `flags set` asked for. */
export interface RolloutTarget {
  serve?: number;
  shadow?: number;
}

export type Confirmation = { confirmed: true; elapsedMs: number } | { confirmed: false; elapsedMs: number; reason: string };

/** A flag shows `percent` when it is on at exactly that rollout; 0 % is also shown by a flag that is off. */
function shows(flag: { enabled: boolean; rollout: number | null }, percent: number): boolean {
  return percent === 0 ? !flag.enabled || flag.rollout === 0 : flag.enabled && flag.rollout === percent;
}

/** Whether the proxy's view of a route has the target state. */
export function routeShowsTarget(view: ProxyRouteView, target: RolloutTarget): boolean {
  return (target.serve === undefined || shows(view.serve, target.serve)) && (target.shadow === undefined || shows(view.shadow, target.shadow));
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
 * Polls the proxy's routing table until the route shows the target, or the time is up. A rejected
 * token or an answer of the wrong shape ends the wait at once; an unreachable proxy is retried
 * (it may be restarting).
 */
export async function waitForProxy(options: {
  read: ProxyRoutesReader;
  routeId: string;
  target: RolloutTarget;
  timeoutMs: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<Confirmation> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  let reason = "the proxy was not asked";
  for (;;) {
    try {
      const report = await options.read();
      const view = report.routes.find((route) => route.id === options.routeId);
      if (view && routeShowsTarget(view, options.target)) return { confirmed: true, elapsedMs: now() - started };
      reason = view
        ? staleReason(view, options.target, report, now() - started)
        : `the proxy has no route ${options.routeId} (does it run another migration config?)`;
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      if (!error.retriable) return { confirmed: false, elapsedMs: now() - started, reason: error.message };
      reason = error.message;
    }
    const elapsed = now() - started;
    if (elapsed >= options.timeoutMs) return { confirmed: false, elapsedMs: elapsed, reason };
    await sleep(Math.min(options.intervalMs ?? PROXY_POLL_INTERVAL, options.timeoutMs - elapsed));
  }
}
