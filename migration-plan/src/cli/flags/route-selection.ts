import type { CompiledRoute } from "@strangler/migration-config";
import { CliError } from "../cli-error";

/** Which routes `flags set` changes: route ids, or a service's reads, writes or both. */
export type RouteSelection =
  { routeIds: readonly string[] } | { service: string; kinds: ReadonlyArray<"read" | "write"> };

/**
 * The config's routes a selection names, in the order given (ids) or the file's order (service);
 * each route once. Throws a usage error naming what the config has when a route or service is unknown.
 */
export function selectRoutes(
  routes: readonly CompiledRoute[],
  selection: RouteSelection,
  configPath: string,
): CompiledRoute[] {
  if ("routeIds" in selection) {
    const unknown = selection.routeIds.filter((id) => !routes.some((route) => route.id === id));
    if (unknown.length > 0) {
      const names = unknown.map((id) => `"${id}"`).join(", ");
      throw new CliError(
        "STRANGLER_UNKNOWN_ROUTE",
        `unknown route${unknown.length > 1 ? "s" : ""} ${names}; ${configPath} has: ${routes.map((route) => route.id).join(", ")}`,
      );
    }
    return [...new Set(selection.routeIds)].map((id) => routes.find((route) => route.id === id) as CompiledRoute);
  }
  const services = [...new Set(routes.map((route) => route.service))];
  if (!services.includes(selection.service)) {
    throw new CliError(
      "STRANGLER_UNKNOWN_SERVICE",
      `unknown service "${selection.service}"; ${configPath} has: ${services.join(", ")}`,
    );
  }
  const chosen = routes.filter((route) => route.service === selection.service && selection.kinds.includes(route.kind));
  if (chosen.length === 0) {
    const what = selection.kinds.length === 1 ? `no ${selection.kinds[0]} routes` : "no routes";
    throw new CliError("STRANGLER_USAGE", `service "${selection.service}" has ${what} in ${configPath}`);
  }
  return chosen;
}
