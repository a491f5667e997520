import { findUnusedSlots } from "@strangler/cdc/src/slots";
import type { MigrationConfig } from "@strangler/migration-config";
import type { StackConfig } from "../config/stack-config";
import { stackMigration } from "../kafka/kafka-transport";

/**
 * The warnings `status` shows: every replication slot of the toolkit that the migration config and
 * its transport do not use, with the WAL it keeps and the SQL that drops it — the same ones the CDC
 * process reports on /status, read from PostgreSQL, so they show while the CDC process is down too.
 * Nothing when the config does not load or no database answers (the components' rows say why).
 */
export async function unusedSlotWarnings(config: StackConfig, migration?: MigrationConfig): Promise<string[]> {
  try {
    const { unused } = await findUnusedSlots(migration ?? stackMigration(config));
    return unused.map((slot) => slot.warning);
  } catch {
    return [];
  }
}
