import type { MigrationConfig } from "@strangler/migration-config";
import { Client } from "pg";
import { redactDatabaseUrl } from "../embedded-source/database-url";
import { cdcReverseSlotName, servicesWithData } from "./cdc-stream";

/** A reverse stream's slot still in the service database although `data.reverse` is off. */
export interface RetiredReverseSlot {
  service: string;
  slot: string;
  /** The service database, password redacted. */
  database: string;
  /** Bytes of WAL the slot keeps from being recycled (pg_current_wal_lsn() − restart_lsn). */
  retainedBytes: number;
  /** What /status and the log say. */
  warning: string;
}

/** Reads the reverse slot of one service with `reverse: false`; null when it does not exist (the normal case). */
export async function findRetiredReverseSlot(config: MigrationConfig, serviceName: string): Promise<RetiredReverseSlot | null> {
  const service = servicesWithData(config).find((s) => s.name === serviceName);
  if (!service || service.data.reverse) return null;
  const slot = cdcReverseSlotName(serviceName);
  const client = new Client({ connectionString: service.data.database });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ retained: string | null }>(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()",
      [slot],
    );
    const row = result.rows[0];
    if (!row) return null;
    const retainedBytes = Number(row.retained ?? 0);
    const database = redactDatabaseUrl(service.data.database);
    const warning =
      `the reverse stream of ${serviceName} is off (data.reverse: false), but its replication slot ${slot} in ${database} still exists ` +
      `and keeps ${formatBytes(retainedBytes)} of WAL from being recycled (it grows with every write). Turn reverse back on, or drop the slot: ` +
      `SELECT pg_drop_replication_slot('${slot}'); DROP PUBLICATION IF EXISTS ${slot};`;
    return { service: serviceName, slot, database, retainedBytes, warning };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
