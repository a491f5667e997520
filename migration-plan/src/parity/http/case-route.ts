import { type CompiledRoute, matchRoutePattern } from "@strangler/migration-config";
import { CliError } from "../../cli/cli-error";
import type { CorpusCase } from "./corpus-case";

/** The path's segments for matching: the query and fragment dropped, each segment percent-decoded. */
function segmentsOf(path: string): string[] | undefined {
  const bare = path.replace(/[?#].*$/s, "");
  if (bare === "/") return [];
  try {
    return bare
      .slice(1)
      .split("/")
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/**
 * The route of the config that takes a case (the config's routes, most specific first, as the proxy
 * matches them). A path no route takes, or a method its route does not take, is a STRANGLER_BAD_CORPUS
 * error naming the file: a parity case must exercise a route that moves.
 */
export function routeOfCase(routes: readonly CompiledRoute[], corpusCase: CorpusCase): CompiledRoute {
  const segments = segmentsOf(corpusCase.path);
  const matching =
    segments === undefined ? [] : routes.filter((route) => matchRoutePattern(route.pattern, segments) !== undefined);
  const route = matching.find((r) => r.methods.has(corpusCase.method));
  if (route) return route;
  const what = `${corpusCase.method} ${corpusCase.path}`;
  const hint =
    matching.length > 0
      ? `its path is taken by ${matching.map((r) => `${r.id} (${[...r.methods].join(", ")})`).join(", ")}, not for ${corpusCase.method}`
      : `no route's path matches (routes: ${routes.map((r) => `${r.id} ${r.pattern.source}`).join(", ")})`;
  throw new CliError(
    "STRANGLER_BAD_CORPUS",
    `corpus file ${corpusCase.file}: ${what} is not a route of the migration config: ${hint}`,
  );
}
