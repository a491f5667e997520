import path from "node:path";
import { createNodeAppComponent, type NodeAppDefinition } from "../apps/node-app-component";
import { stackUnleashUrl } from "../config/migration-config-env";
import type { StackConfig } from "../config/stack-config";
import { UNLEASH_DEFAULT_LOGIN, UNLEASH_LISTEN_ADDRESS, UNLEASH_READY_TIMEOUT } from "../defaults";
import { StackError } from "../errors/stack-error";
import { databaseUrl, postgresProblem, redactUrl } from "../postgres/pg-client";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";
import { loadOrCreateStackSecrets, type StackSecrets } from "../secrets/stack-secrets";
import type { Component } from "../stack/component";
import { provisionRouteFlags } from "./route-flag-provisioning";
import { unleashServerEntry, unleashServerEnv } from "./unleash-server-env";

/** Name of Unleash's database on the stack's PostgreSQL (listed in DATABASES). */
export const UNLEASH_DATABASE = "unleash";

/** unleash-server as a node app; without secrets (status, stop) it carries no environment. */
function unleashDefinition(config: StackConfig, secrets: StackSecrets | null): NodeAppDefinition {
  const entry = unleashServerEntry(config.repoRoot);
  return {
    name: "unleash",
    appDir: path.dirname(path.dirname(entry)),
    entry,
    port: config.unleashPort,
    portVariable: "STRANGLER_UNLEASH_PORT",
    host: UNLEASH_LISTEN_ADDRESS,
    runtime: "node",
    readyUrl: `${stackUnleashUrl(config)}/health`,
    readyTimeoutMs: UNLEASH_READY_TIMEOUT,
    detail: `web UI; first login ${UNLEASH_DEFAULT_LOGIN}`,
    env: secrets
      ? unleashServerEnv({
          databaseUrl: databaseUrl(adminDatabaseUrl(config), UNLEASH_DATABASE),
          host: UNLEASH_LISTEN_ADDRESS,
          port: config.unleashPort,
          adminToken: secrets.unleashAdminToken,
          clientToken: secrets.unleashClientToken,
        })
      : {},
  };
}

/**
 * The Unleash server (npm unleash-server, migrating its own database) with the installation's
 * tokens; once it is healthy, every flag the migration config implies is provisioned.
 */
export function createUnleashComponent(config: StackConfig): Component {
  const idle = createNodeAppComponent(config, unleashDefinition(config, null));
  return {
    name: "unleash",
    async start(progress) {
      const secrets = loadOrCreateStackSecrets(config);
      const database = databaseUrl(adminDatabaseUrl(config), UNLEASH_DATABASE);
      const problem = await postgresProblem(database);
      if (problem !== null) {
        throw new StackError(
          "STACK_UNLEASH_FAILED",
          `unleash: its database ${redactUrl(database)} is not reachable (${problem}): start postgres first (\`npm run stack -- up postgres\` creates it)`,
          { retriable: true },
        );
      }
      const outcome = await createNodeAppComponent(config, unleashDefinition(config, secrets)).start(progress);
      await provisionRouteFlags(config, secrets, progress);
      return outcome;
    },
    stop: () => idle.stop(),
    status: () => idle.status(),
  };
}
