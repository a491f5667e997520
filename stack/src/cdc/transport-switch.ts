import { expectedSlots } from "@strangler/cdc/src/slots";
import type { MigrationConfig } from "@strangler/migration-config";
import type { StackConfig } from "../config/stack-config";
import { RETIRED_SLOT_RELEASE_TIMEOUT } from "../defaults";
import { describeError } from "../errors/stack-error";
import { connectReady } from "../kafka/connect-client";
import { reconcileConnectors, stackConnectRunning } from "../kafka/connect-component";
import { dropReplicationSlot } from "../kafka/connector-slot";
import { connectRestUrl } from "../kafka/kafka-runtime";
import { stackMigration } from "../kafka/kafka-transport";
import { stackConnectors } from "../kafka/stack-connectors";
import { adminDatabaseUrl } from "../postgres/postgres-server-url";
import type { ProgressListener } from "../stack/progress";

const LABEL = "cdc";

/** The database name of a PostgreSQL URL ("monolith"), for messages. */
function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || url;
  } catch {
    return url;
  }
}

/**
 * The config's slots (and publications) of `transport` — named as the transports name them
 * (@strangler/cdc's slot names), in the databases of the config — dropped once no process reads
 * them. One still in use is left, with a note saying how to drop it later.
 */
async function dropTransportSlots(
  migration: MigrationConfig,
  transport: "embedded" | "debezium",
  progress: ProgressListener,
): Promise<void> {
  const what = transport === "embedded" ? "the embedded transport's" : "the Debezium transport's";
  for (const expected of expectedSlots(migration).filter((slot) => slot.transport === transport)) {
    const slot = { database: databaseName(expected.databaseUrl), slot: expected.name, publication: expected.name };
    try {
      const dropped = await dropReplicationSlot(expected.databaseUrl, slot, RETIRED_SLOT_RELEASE_TIMEOUT);
      const objects = [
        dropped.slot ? `replication slot ${slot.slot}` : "",
        dropped.publication ? `publication ${slot.publication}` : "",
      ].filter(Boolean);
      if (objects.length > 0) {
        progress({
          kind: "note",
          label: LABEL,
          message: `retired ${what} ${objects.join(" and ")} in ${slot.database} (cdc.transport is "${migration.cdc.transport}"; they would retain WAL)`,
        });
      }
    } catch (error) {
      progress({
        kind: "note",
        label: LABEL,
        message: `warning: could not retire ${what} replication slot ${slot.slot}: ${describeError(error)}`,
      });
    }
  }
}

/**
 * On the embedded transport: the Debezium connectors. When the stack's own Connect worker runs and
 * answers (a worker of another installation on the same port is left alone), each one registered
 * is retired as a connector no longer wanted is (stopped, offsets reset, deleted, its slot and
 * publication dropped: connect-component.ts). Then, Connect running or not, the config's Debezium
 * slots and publications are dropped if no process reads them (registered again later, a connector
 * whose offsets are older than its new slot is reset by `up`).
 */
async function retireDebeziumConnectors(
  config: StackConfig,
  migration: MigrationConfig,
  progress: ProgressListener,
): Promise<void> {
  const connectUrl = connectRestUrl(config.connectPort);
  if (stackConnectRunning(config) && (await connectReady(connectUrl))) {
    const { wanted, retired } = stackConnectors(config.repoRoot, migration);
    const connectors = [...wanted, ...retired];
    await reconcileConnectors(
      connectUrl,
      { wanted: [], unwanted: connectors.map((connector) => connector.name), retired: connectors },
      adminDatabaseUrl(config),
      progress,
    );
  }
  await dropTransportSlots(migration, "debezium", progress);
}

/**
 * Before the stack starts the CDC process on one transport, retires what the other transport left
 * for the same services, so no slot keeps WAL for nobody (the CDC process warns about any that
 * remain). Says in the progress what it retired; never fails the start (a problem becomes a note).
 */
export async function retireOtherTransport(
  config: StackConfig,
  progress: ProgressListener,
  migration: MigrationConfig = stackMigration(config),
): Promise<void> {
  try {
    if (migration.cdc.transport === "debezium") await dropTransportSlots(migration, "embedded", progress);
    else await retireDebeziumConnectors(config, migration, progress);
  } catch (error) {
    progress({
      kind: "note",
      label: LABEL,
      message: `warning: could not retire the other transport's slots: ${describeError(error)} (\`npx strangler cdc slots\` lists them)`,
    });
  }
}
