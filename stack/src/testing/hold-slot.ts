import pg from "pg";
import { withPgClient } from "../postgres/pg-client";

/** A walsender streaming from the slot, as Debezium's task or the embedded source does: the slot is active until release(). */
export async function holdSlot(
  url: string,
  slot: string,
  publication: string,
): Promise<{ pid: number; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url, replication: "database" } as pg.ClientConfig);
  client.on("error", () => undefined);
  await client.connect();
  const pid = (client as unknown as { processID: number }).processID;
  // Enters COPY BOTH mode and never resolves; end() closes the connection and releases the slot.
  client
    .query(`START_REPLICATION SLOT ${slot} LOGICAL 0/0 (proto_version '1', publication_names '${publication}')`)
    .catch(() => undefined);
  await withPgClient(url, async (admin) => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const row = await admin.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active", [slot]);
      if (row.rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`slot ${slot} did not become active`);
  });
  return { pid, release: () => client.end().catch(() => undefined) };
}

/** Whether the slot and the publication exist in the database at `url`. */
export async function slotAndPublication(
  url: string,
  slot: string,
  publication: string,
): Promise<{ slot: boolean; publication: boolean }> {
  return withPgClient(url, async (client) => ({
    slot: Boolean((await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", [slot])).rowCount),
    publication: Boolean(
      (await client.query("SELECT 1 FROM pg_publication WHERE pubname = $1", [publication])).rowCount,
    ),
  }));
}
