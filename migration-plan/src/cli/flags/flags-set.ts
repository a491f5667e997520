import type { FlagState, RolloutChange } from "@strangler/unleash-admin";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatFlag, formatSeconds } from "./flag-format";
import type { FlagsContext } from "./flags-context";
import { type RolloutTarget, waitForProxy } from "./proxy-confirmation";

export interface FlagsSetRequest {
  routeId: string;
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
    throw new CliError("STRANGLER_USAGE", `--timeout ${value}: expected a number of seconds (0 = do not wait for the proxy)`);
  }
  return seconds;
}

function describeChange(name: string, change: RolloutChange | undefined): string[] {
  if (!change) return [];
  const label = (state: FlagState) => formatFlag(state);
  return [`${name} ${label(change.before)} → ${label(change.after)}`];
}

/**
 * `strangler flags set <route> --serve N [--shadow N]`: changes the flags in Unleash (the source of
 * truth), then waits until the proxy reports the new state; throws STRANGLER_PROXY_UNCONFIRMED when
 * it does not in time (Unleash keeps the new state).
 */
export async function flagsSet(context: FlagsContext, request: FlagsSetRequest, io: CliIo): Promise<number> {
  const route = context.routes.find((candidate) => candidate.id === request.routeId);
  if (!route) {
    throw new CliError(
      "STRANGLER_UNKNOWN_ROUTE",
      `unknown route "${request.routeId}"; ${context.configPath} has: ${context.routes.map((candidate) => candidate.id).join(", ")}`,
    );
  }
  const admin = context.admin();
  const serve = request.target.serve === undefined ? undefined : await admin.setServeRollout(route.id, request.target.serve);
  const shadow = request.target.shadow === undefined ? undefined : await admin.setShadowRollout(route.id, request.target.shadow);
  const summary = `${route.id}: ${[...describeChange("serve", serve), ...describeChange("shadow", shadow)].join(", ")}`;
  if (request.timeoutSeconds === 0) {
    io.out(`${summary} (in Unleash; not waiting for the proxy)\n`);
    return 0;
  }
  const confirmation = await waitForProxy({
    read: context.readProxy(),
    routeId: route.id,
    target: request.target,
    timeoutMs: request.timeoutSeconds * 1000,
  });
  if (confirmation.confirmed) {
    io.out(`${summary} (proxy confirmed in ${formatSeconds(confirmation.elapsedMs)})\n`);
    return 0;
  }
  io.out(`${summary} (in Unleash)\n`);
  throw new CliError("STRANGLER_PROXY_UNCONFIRMED", `${route.id}: the proxy did not confirm within ${request.timeoutSeconds} s: ${confirmation.reason}`);
}
