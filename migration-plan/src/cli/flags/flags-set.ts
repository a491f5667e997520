import type { CompiledRoute } from "@strangler/migration-config";
import type { FlagState, RolloutChange } from "@strangler/unleash-admin";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatFlag, formatSeconds } from "./flag-format";
import type { FlagsContext } from "./flags-context";
import { type RolloutTarget, waitForProxy } from "./proxy-confirmation";
import { type RouteSelection, selectRoutes } from "./route-selection";

export interface FlagsSetRequest {
  /** Route ids, or a service's reads / writes. */
  routes: RouteSelection;
  target: RolloutTarget;
  /** 0 = do not wait for the proxy. */
  timeoutSeconds: number;
}

/** Parses a percentage option: an integer from 0 to 100, written as digits. */
export function parsePercent(option: string, value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) > 100) {
    throw new CliError("STRANGLER_INVALID_PERCENT", `${option} ${value}: expected an integer percentage from 0 to 100`);
  }
  return Number(value);
}

/** Parses --timeout: seconds, a number ≥ 0. */
export function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
    throw new CliError(
      "STRANGLER_USAGE",
      `--timeout ${value}: expected a number of seconds (0 = do not wait for the proxy)`,
    );
  }
  return seconds;
}

function describeChange(name: string, change: RolloutChange | undefined): string[] {
  if (!change) return [];
  const label = (state: FlagState) => formatFlag(state);
  return [`${name} ${label(change.before)} → ${label(change.after)}`];
}

/**
 * `strangler flags set <route>... | --service <name> [--reads] [--writes] --serve N [--shadow N]`:
 * checks every route first, changes their flags in Unleash (the source of truth) one by one, then
 * waits until the proxy reports the new state of each; throws STRANGLER_PROXY_UNCONFIRMED naming the
 * routes it did not confirm in time (Unleash keeps the new state).
 */
export async function flagsSet(context: FlagsContext, request: FlagsSetRequest, io: CliIo): Promise<number> {
  const routes = selectRoutes(context.routes, request.routes, context.configPath);
  const admin = context.admin();
  const summaries = new Map<string, string>();
  const change = async (route: CompiledRoute) => {
    const serve =
      request.target.serve === undefined ? undefined : await admin.setServeRollout(route.id, request.target.serve);
    const shadow =
      request.target.shadow === undefined ? undefined : await admin.setShadowRollout(route.id, request.target.shadow);
    summaries.set(
      route.id,
      `${route.id}: ${[...describeChange("serve", serve), ...describeChange("shadow", shadow)].join(", ")}`,
    );
  };
  try {
    for (const route of routes) await change(route);
  } catch (error) {
    // What did change stays changed: say so before the error.
    for (const summary of summaries.values()) io.out(`${summary} (in Unleash)\n`);
    throw error;
  }
  if (request.timeoutSeconds === 0) {
    for (const summary of summaries.values()) io.out(`${summary} (in Unleash; not waiting for the proxy)\n`);
    return 0;
  }
  const confirmation = await waitForProxy({
    read: context.readProxy(),
    routeIds: routes.map((route) => route.id),
    target: request.target,
    timeoutMs: request.timeoutSeconds * 1000,
  });
  for (const [routeId, summary] of summaries) {
    const confirmedMs = confirmation.confirmedMs.get(routeId);
    io.out(
      `${summary} (${confirmedMs === undefined ? "in Unleash" : `proxy confirmed in ${formatSeconds(confirmedMs)}`})\n`,
    );
  }
  if (confirmation.confirmed) return 0;
  const reasons = [...confirmation.pending].map(
    ([routeId, reason]) => `${routeId}: the proxy did not confirm within ${request.timeoutSeconds} s: ${reason}`,
  );
  throw new CliError("STRANGLER_PROXY_UNCONFIRMED", reasons.join("\n"));
}
