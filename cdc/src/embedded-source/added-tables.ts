import type { Client } from "pg";
import type { EventSink } from "../sink/event-sink";
import type { EmbeddedSourceLogger } from "./embedded-source-logger";
import { createSlotWithSnapshot, runInitialSnapshot } from "./initial-snapshot";
import { parseLsn } from "./lsn";
import { recordTables } from "./source-setup";
import { type SourceTable, tableKey } from "./source-tables";

export interface AddedTablesOptions {
  sourceUrl: string;
  db: string;
  slotName: string;
  /** The configured tables (already in the publication). */
  tables: readonly SourceTable[];
  /** The tables ("schema.table") the slot's snapshots cover so far. */
  covered: readonly string[];
  /** Whether `covered` came from the source state (false: inferred, to be recorded). */
  recorded: boolean;
  /** Snapshot points of tables added earlier. */
  known: ReadonlyMap<string, number>;
  batchSize: number;
  sink: EventSink;
  logger: EmbeddedSourceLogger;
  withClient<T>(work: (client: Client) => Promise<T>): Promise<T>;
  isStopping(): boolean;
  onSnapshot(): void;
  onApplied(count: number): void;
}

/**
 * Tables added to the configuration after the slot's snapshot: the slot streams their changes from
 * now on but never had their rows. Takes their snapshot at the consistent point of a temporary slot
 * (which waits for the transactions running at its creation, so none is in neither the snapshot nor
 * the stream), records it, and returns every added table's point for the decoder (ADR 0006).
 * Null when stop() interrupted it (the next start redoes it).
 */
export async function snapshotAddedTables(options: AddedTablesOptions): Promise<Map<string, number> | null> {
  const { logger, slotName } = options;
  const known = new Map(options.known);
  const missing = options.tables.filter((table) => !options.covered.includes(tableKey(table)));
  if (missing.length === 0) {
    const configured = options.tables.map(tableKey);
    // A table removed from the configuration no longer counts as covered: re-added, it is snapshotted again.
    if (!options.recorded || options.covered.some((table) => !configured.includes(table))) {
      await options.withClient((client) => recordTables(client, slotName, options.tables, new Map()));
    }
    return known;
  }
  const names = missing.map(tableKey);
  logger.warn(
    { slot: slotName, tables: names },
    `embedded source: ${names.join(", ")} added to the stream after its snapshot: taking their snapshot now, consistent with the stream`,
  );
  options.onSnapshot();
  const slot = await createSlotWithSnapshot(options.sourceUrl, `${slotName}_add`.slice(0, 63), { temporary: true });
  const before = Date.now();
  let rows = 0;
  const outcome = await runInitialSnapshot({
    sourceUrl: options.sourceUrl,
    db: options.db,
    tables: missing,
    batchSize: options.batchSize,
    slot,
    sink: options.sink,
    isStopping: options.isStopping,
    onApplied: (count) => {
      rows += count;
      options.onApplied(count);
    },
  });
  if (outcome === "stopped") return null;
  const added = new Map(names.map((name) => [name, slot.consistentLsn]));
  await options.withClient((client) => recordTables(client, slotName, options.tables, added));
  logger.info(
    { slot: slotName, tables: names, consistentLsn: slot.consistentLsn, rows, ms: Date.now() - before },
    "embedded source: snapshot of the added tables complete",
  );
  for (const name of names) known.set(name, parseLsn(slot.consistentLsn));
  return known;
}
