import path from "node:path";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig } from "@strangler/migration-config";
import { findRepoRoot } from "../stack/src/config/repo-root";
import { deleteConnector, listConnectors, putConnector } from "../stack/src/kafka/connect-client";
import { stackConnectors } from "../stack/src/kafka/stack-connectors";

/**
 * The docker-compose `connect-register` service: registers the connectors generated from the
 * migration config's data sections (the ones `npx strangler connectors` writes to cdc/connectors)
 * with Kafka Connect exactly as the native stack's connect component does — the same definitions,
 * chosen by the migration config (the forward connector for a service with `data`, the reverse one when
 * `data.reverse` is true; a connector no longer wanted is deleted), topics named after
 * cdc.kafka.topicPrefix — with PUT /connectors/<name>/config, then waits until each one runs.
 * `${env:NAME}` placeholders stay as they are: the connect container's env config provider
 * resolves them. Connect's URL is the migration config's cdc.kafka.connectUrl (STRANGLER_CONNECT_URL).
 *
 * Usage: node --import tsx docker/register-connectors.ts   (STRANGLER_CONFIG, STRANGLER_CONNECT_URL, …)
 */
export async function registerStackConnectors(
  env: NodeJS.ProcessEnv,
  repoRoot: string = findRepoRoot(__dirname),
  log: (line: string) => void = () => undefined,
): Promise<{ registered: string[]; deleted: string[] }> {
  const migration = loadMigrationConfig(env.STRANGLER_CONFIG || path.join(repoRoot, DEFAULT_CONFIG_PATH), env);
  const connectUrl = migration.cdc.kafka.connectUrl.replace(/\/+$/, "");
  const connectors = stackConnectors(repoRoot, migration);
  for (const connector of connectors.wanted) {
    const state = await putConnector(connectUrl, connector);
    log(`${connector.name}: ${state.connector}, tasks ${state.tasks.map((task) => task.state).join(", ")}`);
  }
  const present = await listConnectors(connectUrl);
  const deleted = connectors.unwanted.filter((name) => present.includes(name));
  for (const name of deleted) {
    await deleteConnector(connectUrl, name);
    log(`${name}: deleted (not wanted by the migration config)`);
  }
  return { registered: connectors.wanted.map((connector) => connector.name), deleted };
}

if (require.main === module) {
  registerStackConnectors(process.env, undefined, (line) => process.stdout.write(`connect-register: ${line}\n`)).catch(
    (error: unknown) => {
      process.stderr.write(`connect-register: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
