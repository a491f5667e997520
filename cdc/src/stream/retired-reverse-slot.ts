import fs from "node:fs";
import path from "node:path";
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

/** The Debezium reverse connector's file: its slot.name and publication.name are the reverse slot on the debezium transport. */
export const DEBEZIUM_REVERSE_CONNECTOR_FILE = path.resolve(__dirname, "..", "..", "connectors", "users-service-reverse.json");

/** A reverse slot one of the transports leaves behind, and how to drop it. */
interface ReverseSlotCandidate {
  slot: string;
  publication: string;
  /** e.g. "its replication slot" or "the Debezium reverse connector's replication slot" */
  owner: string;
  /** What takes care of it besides dropping it by hand. */
  remedy: string;
}

/** slot.name and publication.name of a Debezium connector file; null when the file is missing or names no slot. */
export function debeziumConnectorSlot(file: string): { slot: string; publication: string } | null {
  let parsed: { config?: Record<string, unknown> };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  } catch {
    return null;
  }
  const slot = parsed.config?.["slot.name"];
  const publication = parsed.config?.["publication.name"];
  return typeof slot === "string" && slot ? { slot, publication: typeof publication === "string" && publication ? publication : "dbz_publication" } : null;
}

/**
 * Reads the reverse slots of one service with `reverse: false` — the embedded source's
 * (`strangler_<service>_reverse`) and the Debezium reverse connector's (slot.name of
 * cdc/connectors/users-service-reverse.json) — that still exist in its database; usually none.
 */
export async function findRetiredReverseSlots(config: MigrationConfig, serviceName: string, options: { debeziumConnectorFile?: string } = {}): Promise<RetiredReverseSlot[]> {
  const service = servicesWithData(config).find((s) => s.name === serviceName);
  if (!service || service.data.reverse) return [];
  const embedded = cdcReverseSlotName(serviceName);
  const candidates: ReverseSlotCandidate[] = [{ slot: embedded, publication: embedded, owner: "its replication slot", remedy: "Turn reverse back on, or drop the slot" }];
  const debezium = debeziumConnectorSlot(options.debeziumConnectorFile ?? DEBEZIUM_REVERSE_CONNECTOR_FILE);
  if (debezium && debezium.slot !== embedded) {
    candidates.push({
      ...debezium,
      owner: "the Debezium reverse connector's replication slot",
      remedy:
        "`npm run stack -- up` retires the connector and drops it; elsewhere (docker-compose) delete the connector, then drop the slot " +
        "(registered again, the connector needs its offsets reset: DELETE /connectors/<name>/offsets while it is stopped)",
    });
  }
  const client = new Client({ connectionString: service.data.database });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ slot_name: string; retained: string | null }>(
      "SELECT slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained FROM pg_replication_slots WHERE slot_name = ANY($1) AND database = current_database()",
      [candidates.map((candidate) => candidate.slot)],
    );
    const database = redactDatabaseUrl(service.data.database);
    return candidates.flatMap((candidate) => {
      const row = result.rows.find((r) => r.slot_name === candidate.slot);
      if (!row) return [];
      const retainedBytes = Number(row.retained ?? 0);
      const warning =
        `the reverse stream of ${serviceName} is off (data.reverse: false), but ${candidate.owner} ${candidate.slot} in ${database} still exists ` +
        `and keeps ${formatBytes(retainedBytes)} of WAL from being recycled (it grows with every write). ${candidate.remedy}: ` +
        `SELECT pg_drop_replication_slot('${candidate.slot}'); DROP PUBLICATION IF EXISTS ${candidate.publication};`;
      return [{ service: serviceName, slot: candidate.slot, database, retainedBytes, warning }];
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The first of findRetiredReverseSlots (the embedded source's before the Debezium connector's); null when there is none. */
export async function findRetiredReverseSlot(config: MigrationConfig, serviceName: string, options: { debeziumConnectorFile?: string } = {}): Promise<RetiredReverseSlot | null> {
  return (await findRetiredReverseSlots(config, serviceName, options))[0] ?? null;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
