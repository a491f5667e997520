import type { MigrationConfig } from "@strangler/migration-config";
import type { StackConfig } from "../config/stack-config";
import { StackError } from "../errors/stack-error";
import type { Component } from "../stack/component";
import { trackStep } from "../stack/progress";
import { type ConfiguredApp, configuredApps } from "./configured-apps";
import { httpStatus } from "./http-probe";
import { isLoopbackHost } from "./loopback-host";
import { createNodeAppComponent, type NodeAppDefinition } from "./node-app-component";

/** Names of the stack's own components: an app of the config cannot take one. */
export const STACK_COMPONENT_NAMES = ["postgres", "kafka", "connect", "unleash", "proxy", "cdc"] as const;

function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

function managedAppProblem(app: ConfiguredApp, configFile: string): StackError {
  return new StackError(
    "STACK_CONFIG_INVALID",
    `${configFile}: ${app.configPath}.url (${app.url}) must be on this machine (127.0.0.1, localhost or [::1]) for the stack to run ${app.name} (${app.configPath}.run); remove run to use it as an external app`,
  );
}

/** A managed app as a node-app definition: its command in its folder, PORT from its url, DATABASE_URL from its database. */
export function managedAppDefinition(app: ConfiguredApp, configFile: string): NodeAppDefinition {
  const { run } = app;
  if (!run)
    throw new StackError(
      "STACK_CONFIG_INVALID",
      `${app.configPath} has no run block: the stack does not start ${app.name}`,
    );
  const url = new URL(app.url);
  if (!isLoopbackHost(url.hostname)) throw managedAppProblem(app, configFile);
  const base = url.origin;
  return {
    name: app.name,
    appDir: run.cwd,
    // What identifies its process: the last argument of its command (e.g. its entry file).
    entry: run.command[run.command.length - 1] ?? run.cwd,
    command: run.command,
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: urlPort(url),
    portVariable: `the port of ${app.configPath}.url in ${configFile}`,
    readyUrl: `${base}${run.health}`,
    detail: "managed",
    env: { ...run.env, ...(app.databaseUrl ? { DATABASE_URL: app.databaseUrl } : {}) },
  };
}

/** An app the user runs: `up` probes it (and says so when it does not answer), `down` leaves it alone. */
export function createExternalAppComponent(app: ConfiguredApp): Component {
  const probe = async () => (await httpStatus(app.url)) !== null;
  return {
    name: app.name,
    start: (progress) =>
      trackStep(progress, app.name, "probing", async () => {
        if (await probe()) return "reachable" as const;
        progress({
          kind: "note",
          label: app.name,
          message: `external (no ${app.configPath}.run): nothing answers at ${app.url}; start it yourself`,
        });
        return "skipped" as const;
      }),
    stop: () => Promise.resolve("not managed" as const),
    async status() {
      const reachable = await probe();
      return {
        url: app.url,
        pid: null,
        healthy: reachable,
        log: null,
        state: reachable ? "external" : "unreachable",
        detail: "external",
      };
    },
  };
}

/**
 * A managed app whose url is not on this machine (e.g. a container address that docker-compose sets
 * through the config's variables): `up` refuses to start it, `status` probes it, `down` leaves it.
 */
function createUnrunnableAppComponent(app: ConfiguredApp, configFile: string): Component {
  const probe = createExternalAppComponent(app);
  return {
    name: app.name,
    start: (progress) =>
      trackStep(progress, app.name, "starting", () => Promise.reject(managedAppProblem(app, configFile))),
    stop: () => probe.stop(),
    status: async () => ({ ...(await probe.status()), detail: "managed, but its url is not on this machine" }),
  };
}

/** One component per app of the migration config, in its order: managed apps started by the stack, external ones probed. */
export function appComponents(config: StackConfig, migration: MigrationConfig): Component[] {
  return configuredApps(migration).map((app) => {
    if ((STACK_COMPONENT_NAMES as readonly string[]).includes(app.name)) {
      throw new StackError(
        "STACK_CONFIG_INVALID",
        `${config.migrationConfigPath}: ${app.configPath}.name "${app.name}" is the name of a stack component; choose another name`,
      );
    }
    // The name becomes a pid file and a log file name.
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(app.name)) {
      throw new StackError(
        "STACK_CONFIG_INVALID",
        `${config.migrationConfigPath}: ${app.configPath}.name "${app.name}" must be letters, digits, '.', '_' or '-' for the stack`,
      );
    }
    if (!app.run) return createExternalAppComponent(app);
    if (!isLoopbackHost(new URL(app.url).hostname))
      return createUnrunnableAppComponent(app, config.migrationConfigPath);
    return createNodeAppComponent(config, managedAppDefinition(app, config.migrationConfigPath));
  });
}
