import type { MigrationConfig } from "@strangler/migration-config";
import { Client } from "pg";
import { SLOT_INVENTORY_CONNECT_TIMEOUT } from "../defaults";
import { connectOrExplain, redactDatabaseUrl } from "../embedded-source/database-url";
import {
  type SlotDirection,
  type SlotTransport,
  TOOLKIT_SLOT_PREFIX,
  slotNameRole,
  streamSlotName,
} from "./slot-names";

/** A slot (with the publication of the same name) that a stream of the config has on one of the transports. */
export interface ExpectedSlot {
  name: string;
  transport: SlotTransport;
  direction: SlotDirection;
  service: string;
  /** The database it lives in: legacy.database (forward) or the service's data.database (reverse). */
  databaseUrl: string;
  /** The config's transport is this one, and the stream is on (forward, or reverse with data.reverse). */
  used: boolean;
}

/** A replication slot or publication the toolkit created (or one named like it), as found in a database. */
export interface ToolkitSlot {
  name: string;
  transport: SlotTransport;
  direction: SlotDirection;
  /** The service whose stream it belongs to; null when no service of the config names it. */
  service: string | null;
  /** current_database() where it was found. */
  database: string;
  /** That database's URL from the config, password redacted. */
  databaseUrl: string;
  /** The replication slot of that name; null when only the publication exists. */
  slot: {
    active: boolean;
    activePid: number | null;
    /** WAL the slot keeps from being recycled: pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn); null when it has no restart_lsn. */
    retainedBytes: number | null;
    /** pg_replication_slots.wal_status: reserved, extended, unreserved or lost. */
    walStatus: string | null;
  } | null;
  /** A publication of that name exists (every toolkit slot has one named like it). */
  publication: boolean;
  /** The current config and transport use it. */
  used: boolean;
}

/** What listToolkitSlots found, and the databases it could not read. */
export interface SlotInventory {
  slots: ToolkitSlot[];
  unreachable: Array<{ databaseUrl: string; error: string }>;
}

type DataService = { name: string; data: NonNullable<MigrationConfig["services"][number]["data"]> };

function dataServices(config: MigrationConfig): DataService[] {
  return config.services.flatMap((service) => (service.data ? [{ name: service.name, data: service.data }] : []));
}

/**
 * Every slot a stream of the config has on either transport (named by slot-names.ts), whether
 * the current config uses it or not: forward ones in legacy.database, reverse ones in the service's.
 */
export function expectedSlots(config: MigrationConfig): ExpectedSlot[] {
  const transports: SlotTransport[] = ["embedded", "debezium"];
  const directions: SlotDirection[] = ["forward", "reverse"];
  return dataServices(config).flatMap((service) =>
    transports.flatMap((transport) =>
      directions.flatMap((direction) => {
        const databaseUrl = direction === "forward" ? config.legacy.database : service.data.database;
        if (!databaseUrl) return [];
        const used = config.cdc.transport === transport && (direction === "forward" || service.data.reverse === true);
        return [
          {
            name: streamSlotName(service.name, transport, direction),
            transport,
            direction,
            service: service.name,
            databaseUrl,
            used,
          },
        ];
      }),
    ),
  );
}

/** The databases the toolkit's slots can live in: legacy.database and each service's data.database, once each. */
export function slotDatabases(config: MigrationConfig): string[] {
  return [
    ...new Set(
      [config.legacy.database, ...dataServices(config).map((service) => service.data.database)].filter(
        (url): url is string => Boolean(url),
      ),
    ),
  ];
}

interface SlotRow {
  slot_name: string;
  active: boolean;
  active_pid: number | null;
  retained: string | null;
  wal_status: string | null;
}

/** "monolith" or "users-service": whose database a URL is, for error messages. */
function databaseRole(config: MigrationConfig, url: string): string {
  if (url === config.legacy.database) return config.legacy.name;
  return (
    dataServices(config)
      .filter((service) => service.data.database === url)
      .map((service) => service.name)
      .join(" and ") || "CDC"
  );
}

async function readDatabase(url: string, role: string, expected: readonly ExpectedSlot[]): Promise<ToolkitSlot[]> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: SLOT_INVENTORY_CONNECT_TIMEOUT,
    application_name: "strangler-slot-inventory",
  });
  client.on("error", () => undefined);
  await connectOrExplain(role, url, () => client.connect());
  try {
    const here = expected.filter((slot) => slot.databaseUrl === url);
    const names = here.map((slot) => slot.name);
    // `_` is a LIKE wildcard: escaped, the prefix matches literally. Temporary slots (an added table's snapshot) end with their session.
    const like = `${TOOLKIT_SLOT_PREFIX.replace(/_/g, "\\_")}%`;
    const database = (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]?.db ?? "";
    const slots = await client.query<SlotRow>(
      `SELECT slot_name, active, active_pid, wal_status,
              pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END, restart_lsn)::text AS retained
         FROM pg_replication_slots
        WHERE database = current_database() AND NOT temporary AND (slot_name = ANY($1) OR slot_name LIKE $2)`,
      [names, like],
    );
    const publications = await client.query<{ pubname: string }>(
      "SELECT pubname FROM pg_publication WHERE pubname = ANY($1) OR pubname LIKE $2",
      [names, like],
    );
    const found = new Set([...slots.rows.map((row) => row.slot_name), ...publications.rows.map((row) => row.pubname)]);
    return [...found].sort().map((name) => {
      const known = here.find((slot) => slot.name === name);
      const row = slots.rows.find((r) => r.slot_name === name);
      return {
        name,
        ...(known ? { transport: known.transport, direction: known.direction } : slotNameRole(name)),
        service: known?.service ?? null,
        database,
        databaseUrl: redactDatabaseUrl(url),
        slot: row
          ? {
              active: row.active,
              activePid: row.active_pid,
              retainedBytes: row.retained === null ? null : Number(row.retained),
              walStatus: row.wal_status,
            }
          : null,
        publication: publications.rows.some((r) => r.pubname === name),
        used: known?.used ?? false,
      };
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Lists every replication slot and publication the toolkit created — the embedded source's
 * (`strangler_<service>`, `…_reverse`), the Debezium connectors' (`strangler_dbz_…`), and any other
 * `strangler_…` one — in legacy.database and each service database, with the WAL each slot retains
 * and whether the current config and transport use it. A database that cannot be read is reported
 * in `unreachable`, the others are still listed.
 */
export async function listToolkitSlots(config: MigrationConfig): Promise<SlotInventory> {
  const expected = expectedSlots(config);
  const inventory: SlotInventory = { slots: [], unreachable: [] };
  // In parallel: an unreachable server costs one connect timeout, not one per database.
  const results = await Promise.allSettled(
    slotDatabases(config).map((url) => readDatabase(url, databaseRole(config, url), expected)),
  );
  slotDatabases(config).forEach((url, index) => {
    const result = results[index];
    if (result?.status === "fulfilled") inventory.slots.push(...result.value);
    else
      inventory.unreachable.push({
        databaseUrl: redactDatabaseUrl(url),
        error: result?.reason instanceof Error ? result.reason.message : String(result?.reason),
      });
  });
  return inventory;
}

/** The statements that drop a toolkit slot and its publication (run in the slot's database, once it is inactive). */
export function dropSlotSql(name: string): string {
  // Slot names are [a-z0-9_] by PostgreSQL's rules; a publication named otherwise needs quoting.
  const publication = /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
  return `SELECT pg_drop_replication_slot('${name.replace(/'/g, "''")}'); DROP PUBLICATION IF EXISTS ${publication};`;
}
