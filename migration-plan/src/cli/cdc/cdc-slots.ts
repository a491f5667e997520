import {
  type SlotInventory,
  type ToolkitSlot,
  formatBytes,
  listToolkitSlots,
  unusedSlots,
} from "@strangler/cdc/src/slots";
import type { MigrationConfig } from "@strangler/migration-config";
import { CliError } from "../cli-error";
import type { CliIo } from "../cli-io";
import { formatTable } from "../text-table";

/** One slot as `strangler cdc slots --json` prints it: the inventory's fields plus the retained WAL for people. */
export type SlotReport = ToolkitSlot & { retained: string | null };

function retained(slot: ToolkitSlot): string | null {
  const bytes = slot.slot?.retainedBytes;
  return bytes === null || bytes === undefined ? null : formatBytes(bytes);
}

const yesNo = (value: boolean): string => (value ? "yes" : "no");

/** The rows of the table: one per slot or publication name, per database. */
export function slotRows(slots: readonly ToolkitSlot[]): string[][] {
  return slots.map((s) => [
    s.name,
    `${s.transport} ${s.direction}`,
    s.service ?? "-",
    s.database,
    s.slot === null ? "no slot" : s.slot.active ? `yes (pid ${s.slot.activePid ?? "?"})` : "no",
    retained(s) ?? "-",
    yesNo(s.publication),
    yesNo(s.used),
  ]);
}

/**
 * `strangler cdc slots [--json]`: every replication slot and publication the toolkit created in the
 * legacy database and each service database, with the WAL each slot retains and whether the
 * config uses it; the unused ones with the statements that drop them. Exit 1 when a database could
 * not be read (the others are still listed).
 */
export async function cdcSlots(
  migration: MigrationConfig,
  options: { json: boolean; configPath: string },
  io: CliIo,
  list: (config: MigrationConfig) => Promise<SlotInventory> = listToolkitSlots,
): Promise<number> {
  const inventory = await list(migration);
  const warnings = unusedSlots(inventory, migration).map((slot) => slot.warning);
  if (options.json) {
    const slots: SlotReport[] = inventory.slots.map((slot) => ({ ...slot, retained: retained(slot) }));
    io.out(
      `${JSON.stringify({ config: options.configPath, transport: migration.cdc.transport, slots, unreachable: inventory.unreachable, warnings })}\n`,
    );
  } else {
    const table =
      inventory.slots.length === 0
        ? "no replication slot or publication of the toolkit (strangler_…) in the config's databases"
        : formatTable(
            ["name", "kind", "service", "database", "active", "retained WAL", "publication", "used"],
            slotRows(inventory.slots),
          );
    const notes = warnings.map((warning) => `warning: ${warning}`);
    io.out(
      `${[table, "", `cdc.transport  ${migration.cdc.transport}`, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n")}\n`,
    );
  }
  for (const { databaseUrl, error } of inventory.unreachable)
    io.err(`strangler: could not read the slots of ${databaseUrl}: ${error}\n`);
  if (inventory.unreachable.length > 0 && inventory.slots.length === 0) {
    throw new CliError(
      "STRANGLER_DATABASE_UNREACHABLE",
      "none of the config's databases could be read; is PostgreSQL up? (npm run stack -- status)",
      { retriable: true },
    );
  }
  return inventory.unreachable.length > 0 ? 1 : 0;
}
