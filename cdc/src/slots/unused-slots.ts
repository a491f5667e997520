import type { MigrationConfig } from "@strangler/migration-config";
import { formatBytes } from "./format-bytes";
import { type SlotInventory, type ToolkitSlot, dropSlotSql, listToolkitSlots } from "./toolkit-slots";

/** A toolkit replication slot the current config and transport do not use: it keeps WAL for nobody. */
export interface UnusedSlot {
  slot: string;
  service: string | null;
  /** The database holding it, password redacted. */
  database: string;
  /** WAL it keeps from being recycled (pg_current_wal_lsn() − restart_lsn); null when unknown. */
  retainedBytes: number | null;
  /** What /status, the log and `stack status` say: why it is unused, what it costs, how to drop it. */
  warning: string;
}

function withRetained(slot: ToolkitSlot): string {
  const retained = slot.slot?.retainedBytes;
  const active = slot.slot?.active
    ? ` It is in use (pid ${slot.slot.activePid ?? "?"}): stop what reads it first.`
    : "";
  return `still exists and keeps ${retained === null || retained === undefined ? "an unknown amount" : formatBytes(retained)} of WAL from being recycled (it grows with every write).${active}`;
}

/** Why `slot` is not used, and what retires it besides dropping it by hand. */
function explain(slot: ToolkitSlot, config: MigrationConfig): { why: string; remedy: string } {
  const where = `in ${slot.databaseUrl}`;
  const service = slot.service;
  if (service === null) {
    return {
      why: `replication slot ${slot.name} ${where} is named like the toolkit's, but no stream of the migration config uses it; it`,
      remedy: "If nothing else reads it (a service renamed or removed from the config), drop it",
    };
  }
  const connector = slot.direction === "reverse" ? "the Debezium reverse connector's" : "the Debezium connector's";
  if (slot.transport === config.cdc.transport) {
    // Same transport: only a reverse stream turned off leaves a slot behind.
    return slot.transport === "embedded"
      ? {
          why: `the reverse stream of ${service} is off (data.reverse: false), but its replication slot ${slot.name} ${where}`,
          remedy: "Turn reverse back on, or drop the slot",
        }
      : {
          why: `the reverse stream of ${service} is off (data.reverse: false), but ${connector} replication slot ${slot.name} ${where}`,
          remedy:
            "`npm run stack -- up` retires the connector and drops it; elsewhere (docker-compose) delete the connector, then drop the slot " +
            "(registered again, the connector needs its offsets reset: DELETE /connectors/<name>/offsets while it is stopped)",
        };
  }
  const stream = `the ${slot.direction} stream of ${service}`;
  return slot.transport === "debezium"
    ? {
        why: `cdc.transport is "${config.cdc.transport}", but ${connector} replication slot ${slot.name} (${stream}) ${where}`,
        remedy:
          "`npm run stack -- up` retires the connector (stopped, offsets reset, deleted) and drops it; elsewhere delete the connector, then drop the slot",
      }
    : {
        why: `cdc.transport is "${config.cdc.transport}", but the embedded source's replication slot ${slot.name} (${stream}) ${where}`,
        remedy:
          "`npm run stack -- up` drops it once no CDC process reads it; elsewhere stop the embedded CDC process, then drop the slot",
      };
}

/** The slots of `inventory` that the config does not use, each with its warning; publications alone keep no WAL and are left out. */
export function unusedSlots(inventory: SlotInventory, config: MigrationConfig): UnusedSlot[] {
  return inventory.slots
    .filter((slot) => slot.slot !== null && !slot.used)
    .map((slot) => {
      const { why, remedy } = explain(slot, config);
      return {
        slot: slot.name,
        service: slot.service,
        database: slot.databaseUrl,
        retainedBytes: slot.slot?.retainedBytes ?? null,
        warning: `${why} ${withRetained(slot)} ${remedy}: ${dropSlotSql(slot.name)}`,
      };
    });
}

/**
 * Reads the toolkit's slots in every database of the config and returns those it does not use
 * (a reverse stream turned off, the other transport's, a service no longer in the config), with the
 * databases that could not be read.
 */
export async function findUnusedSlots(
  config: MigrationConfig,
): Promise<{ unused: UnusedSlot[]; unreachable: SlotInventory["unreachable"] }> {
  const inventory = await listToolkitSlots(config);
  return { unused: unusedSlots(inventory, config), unreachable: inventory.unreachable };
}
