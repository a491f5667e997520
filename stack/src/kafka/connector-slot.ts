import { CONNECTOR_SLOT_RELEASE_TIMEOUT, KAFKA_READY_POLL_INTERVAL } from "../defaults";
import { StackError } from "../errors/stack-error";
import { databaseUrl, quoteIdent, withPgClient } from "../postgres/pg-client";
import { sleep } from "../process/process-state";
import type { ConnectorDefinition } from "./connect-client";

/** The replication slot and publication a Debezium PostgreSQL connector keeps in its database. */
export interface ConnectorSlot {
  /** database.dbname */
  database: string;
  /** slot.name (Debezium's default "debezium" when the file does not set it) */
  slot: string;
  /** publication.name (Debezium's default "dbz_publication") */
  publication: string;
}

/** What dropConnectorSlot found and removed. */
export interface DroppedConnectorSlot {
  slot: boolean;
  publication: boolean;
}

/** The slot and publication of a connector definition; null when it names no database. */
export function connectorSlot(connector: ConnectorDefinition): ConnectorSlot | null {
  const database = connector.config["database.dbname"];
  if (!database) return null;
  return {
    database,
    slot: connector.config["slot.name"] ?? "debezium",
    publication: connector.config["publication.name"] ?? "dbz_publication",
  };
}

/** The SQL an operator runs to drop them by hand (in the connector's database). */
export function dropConnectorSlotSql(slot: ConnectorSlot): string {
  return `SELECT pg_drop_replication_slot('${slot.slot}'); DROP PUBLICATION IF EXISTS ${quoteIdent(slot.publication)};`;
}

/** PostgreSQL's invalid_catalog_name: the database does not exist, so neither does anything in it. */
const NO_SUCH_DATABASE = "3D000";

/**
 * Drops a deleted connector's replication slot and publication in `serverUrl`'s server (the
 * database from the connector). A slot retains WAL for as long as it exists, so one left behind by
 * a connector that no longer runs grows without bound. Connect stops the deleted connector's task
 * asynchronously: this waits up to `releaseTimeoutMs` for the slot to become inactive, then throws
 * (a slot still in use is never dropped). Missing slot, publication or database: nothing to do.
 */
export async function dropConnectorSlot(
  serverUrl: string,
  slot: ConnectorSlot,
  releaseTimeoutMs: number = CONNECTOR_SLOT_RELEASE_TIMEOUT,
): Promise<DroppedConnectorSlot> {
  return dropReplicationSlot(
    databaseUrl(serverUrl, slot.database),
    slot,
    releaseTimeoutMs,
    " after its connector was deleted",
  );
}

/**
 * Drops replication slot `slot.slot` and publication `slot.publication` in the database at
 * `url` (named `slot.database` in messages) once the slot is inactive, waiting up to
 * `releaseTimeoutMs`; a slot still in use then is never dropped (StackError naming the pid and the
 * SQL to drop it later, `inUseNote` appended to "still in use"). Missing slot, publication or
 * database: nothing to do.
 */
export async function dropReplicationSlot(
  url: string,
  slot: ConnectorSlot,
  releaseTimeoutMs: number,
  inUseNote = "",
): Promise<DroppedConnectorSlot> {
  try {
    return await withPgClient(url, async (client) => {
      const deadline = Date.now() + releaseTimeoutMs;
      let dropped = false;
      for (;;) {
        const found = await client.query<{ active_pid: number | null }>(
          "SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()",
          [slot.slot],
        );
        const row = found.rows[0];
        if (!row) break;
        if (row.active_pid === null) {
          // Another session may take it between the check and the drop: the drop then fails ("is active"), and so do we.
          await client.query("SELECT pg_drop_replication_slot($1)", [slot.slot]);
          dropped = true;
          break;
        }
        if (Date.now() >= deadline) {
          throw new StackError(
            "STACK_CONNECT_FAILED",
            `replication slot ${slot.slot} in ${slot.database} is still in use (pid ${row.active_pid}) ${Math.round(releaseTimeoutMs / 1000)} s${inUseNote}; it keeps WAL until dropped: ${dropConnectorSlotSql(slot)}`,
            { retriable: true },
          );
        }
        await sleep(KAFKA_READY_POLL_INTERVAL);
      }
      const publication = await client.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [slot.publication]);
      if (publication.rowCount) await client.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(slot.publication)}`);
      return { slot: dropped, publication: Boolean(publication.rowCount) };
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === NO_SUCH_DATABASE) return { slot: false, publication: false };
    throw error;
  }
}
