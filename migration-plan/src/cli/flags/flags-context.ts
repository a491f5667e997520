import {
  type CompiledRoute,
  compileRoutes,
  loadMigrationConfig,
  type MigrationConfig,
} from "@strangler/migration-config";
import { createUnleashAdmin, type UnleashAdmin } from "@strangler/unleash-admin";
import { type CliEnvironment, configPathFor } from "../cli-config";
import { findToken } from "../cli-tokens";
import { listenUrl } from "../listen-url";
import { createProxyRoutesReader, type ProxyRoutesReader } from "./proxy-admin-client";

/** What the flags commands work with: the config's routes, Unleash, and the proxy's admin API. */
export interface FlagsContext {
  configPath: string;
  migration: MigrationConfig;
  /** The config's routes in the order the file lists them. */
  routes: CompiledRoute[];
  unleashUrl: string;
  admin: () => UnleashAdmin;
  proxyAdminUrl: string;
  readProxy: () => ProxyRoutesReader;
}

function inFileOrder(migration: MigrationConfig, routes: CompiledRoute[]): CompiledRoute[] {
  const order = migration.services.flatMap((service) =>
    [...service.routes.reads, ...service.routes.writes].map((route) => route.id),
  );
  return [...routes].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** Loads the migration config (throws MigrationConfigError) and prepares the clients; tokens are read on first use. */
export function loadFlagsContext(environment: CliEnvironment, configOption: string | undefined): FlagsContext {
  const configPath = configPathFor(environment, configOption);
  const migration = loadMigrationConfig(configPath, environment.interpolation);
  const { unleash, proxy } = migration;
  const proxyAdminUrl = listenUrl(proxy.admin.host, proxy.admin.port);
  return {
    configPath,
    migration,
    routes: inFileOrder(migration, compileRoutes(migration)),
    unleashUrl: unleash.url,
    admin: () =>
      createUnleashAdmin({
        url: unleash.url,
        token: findToken(environment, "unleashAdmin"),
        project: unleash.project,
        environment: unleash.environment,
      }),
    proxyAdminUrl,
    readProxy: () =>
      createProxyRoutesReader({ adminUrl: proxyAdminUrl, token: () => findToken(environment, "proxyAdmin") }),
  };
}
