import type { RouteFlagsState } from "@strangler/unleash-admin";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatTable } from "../text-table";
import { formatFlag } from "./flag-format";
import type { FlagsContext } from "./flags-context";
import type { ProxyRoutesReport, ProxyRouteView } from "./proxy-admin-client";

/** `flags list --json`: the config's routes with their flags in Unleash and what the proxy reports. */
export interface FlagsListing {
  config: string;
  unleash: { url: string; project: string; environment: string };
  proxy: { adminUrl: string; reachable: boolean; error: string | null; flags: ProxyRoutesReport["flags"] | null };
  routes: Array<{
    id: string;
    service: string;
    kind: "read" | "write";
    methods: string[];
    path: string;
    serve: RouteFlagsState["serve"];
    shadow: RouteFlagsState["shadow"];
    /** The route as the proxy reports it; null when the proxy is not reachable or does not know it. */
    proxy: Pick<ProxyRouteView, "serve" | "shadow" | "backend" | "breaker"> | null;
  }>;
}

/** Gathers the listing: Unleash must answer; the proxy is optional (its absence is reported, not an error). */
export async function collectFlagsListing(context: FlagsContext): Promise<FlagsListing> {
  const readProxy = context.readProxy();
  const [states, proxy] = await Promise.all([
    context.admin().listRouteFlags(context.routes),
    readProxy().then(
      (report) => ({ report, error: null }),
      (error: unknown) => {
        if (error instanceof CliError) return { report: null, error: error.message };
        throw error;
      },
    ),
  ]);
  const { unleash } = context.migration;
  return {
    config: context.configPath,
    unleash: { url: unleash.url, project: unleash.project, environment: unleash.environment },
    proxy: {
      adminUrl: context.proxyAdminUrl,
      reachable: proxy.report !== null,
      error: proxy.error,
      flags: proxy.report?.flags ?? null,
    },
    routes: context.routes.map((route, index) => {
      const state = states[index] as RouteFlagsState;
      const view = proxy.report?.routes.find((candidate) => candidate.id === route.id);
      return {
        id: route.id,
        service: route.service,
        kind: route.kind,
        methods: [...route.methods],
        path: route.pattern.source,
        serve: state.serve,
        shadow: state.shadow,
        proxy: view ? { serve: view.serve, shadow: view.shadow, backend: view.backend, breaker: view.breaker } : null,
      };
    }),
  };
}

function proxyLine(listing: FlagsListing): string {
  const { proxy } = listing;
  if (!proxy.reachable || !proxy.flags) return `proxy    ${proxy.error ?? "not reachable"}`;
  const age = proxy.flags.ageSeconds === null ? "never synced" : `synced ${proxy.flags.ageSeconds.toFixed(1)} s ago`;
  return `proxy    ${proxy.adminUrl}: flags from ${proxy.flags.source}, ${age}`;
}

/** The listing as a table for people. */
export function formatFlagsListing(listing: FlagsListing): string {
  const rows = listing.routes.map((route) => [
    route.id,
    route.service,
    route.kind,
    route.methods.join(","),
    route.path,
    formatFlag(route.serve),
    formatFlag(route.shadow),
    route.proxy ? formatFlag(route.proxy.serve) : "-",
    route.proxy ? formatFlag(route.proxy.shadow) : "-",
    route.proxy ? `${route.proxy.breaker.state}${route.proxy.backend.healthy ? "" : ", backend down"}` : "-",
  ]);
  const table = formatTable(
    ["route", "service", "kind", "methods", "path", "serve", "shadow", "proxy serve", "proxy shadow", "breaker"],
    rows,
  );
  const { unleash } = listing;
  const extra = listing.routes
    .filter((route) => route.serve.strategies > 1 || route.shadow.strategies > 1)
    .map((route) => route.id);
  return [
    table,
    "",
    `config   ${listing.config}`,
    `unleash  ${unleash.url} (project ${unleash.project}, environment ${unleash.environment})`,
    proxyLine(listing),
    ...(extra.length > 0
      ? [
          `warning  ${extra.join(", ")}: flags with strategies besides the gradual rollout (added by hand?); the percentage shown is not the whole story`,
        ]
      : []),
  ].join("\n");
}

/** `strangler flags list [--json]`. */
export async function flagsList(context: FlagsContext, options: { json: boolean }, io: CliIo): Promise<number> {
  const listing = await collectFlagsListing(context);
  io.out(options.json ? `${JSON.stringify(listing, null, 2)}\n` : `${formatFlagsListing(listing)}\n`);
  return 0;
}
