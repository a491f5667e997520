import type { MigrationConfig } from "@strangler/migration-config";
import { Client } from "pg";
import { connectOrExplain } from "../embedded-source/database-url";
import { dropSlot } from "../embedded-source/source-setup";
import { cdcReverseSlotName } from "../slots/slot-names";

/**
 * Drops the embedded reverse stream's slot in the service database once the plan stopped the stream
 * (ADR 0019): a slot nobody reads keeps WAL without bound, and the next start snapshots again, which
 * writes nothing where the rows are equal. No-op when the slot does not exist.
 */
export async function dropReverseSlot(config: MigrationConfig, serviceName: string): Promise<void> {
  const database = config.services.find((service) => service.name === serviceName)?.data?.database;
  if (!database) return;
  const client = new Client({ connectionString: database, application_name: "strangler-cdc-retire" });
  client.on("error", () => undefined);
  try {
    await connectOrExplain("source", database, () => client.connect());
    await dropSlot(client, cdcReverseSlotName(serviceName));
  } finally {
    await client.end().catch(() => undefined);
  }
}
