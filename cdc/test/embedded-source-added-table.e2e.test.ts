import { randomUUID } from "node:crypto";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import type { ChangeEvent, RowImage } from "../src/envelope/debezium-envelope";
import { type EmbeddedSource, createEmbeddedSource } from "../src/embedded-source/embedded-source";
import { toRowImage } from "../src/embedded-source/row-values";
import { dropSlot } from "../src/embedded-source/source-setup";
import {
  type SourceHarness,
  connect,
  createHarness,
  eventually,
  foldByKey,
  insertUsers,
  silentLogger,
  sourceUsers,
} from "./support/embedded-source-fixture";

// A table added to the stream's configuration after its slot and snapshot exist: on the next start
// the source snapshots it at a consistent point of its own, under a concurrent write load, so the
// end state equals the source for the old and the new table alike.
const EXTRA_ROWS = 60;
const LOAD_TRANSACTIONS = 150;

let db: TestDatabase;
let client: Client;
let harness: SourceHarness;
let current: EmbeddedSource | undefined;

beforeAll(async () => {
  db = await createTestDatabase("monolith");
  client = await connect(db.url);
  await client.query("CREATE TABLE extras (id uuid PRIMARY KEY, label text NOT NULL, n integer NOT NULL)");
  harness = createHarness(db.url, { tables: ["users"] });
});

afterAll(async () => {
  await current?.stop();
  await harness.source.stop();
  await dropSlot(client, harness.options.slotName);
  await client.query(`DROP PUBLICATION IF EXISTS ${harness.options.publicationName}`);
  await client.end();
  await db.drop();
});

async function sourceExtras(): Promise<Map<string, RowImage>> {
  const result = await client.query<Record<string, unknown>>("SELECT * FROM extras");
  return new Map(result.rows.map((row) => [String(row.id), toRowImage(row) ?? {}]));
}

const ofTable = (table: string) => harness.sink.events.filter((event: ChangeEvent) => event.source.table === table);
const sorted = (rows: Map<string, RowImage>) => JSON.stringify([...rows].sort(([a], [b]) => a.localeCompare(b)));

test("a table added after the snapshot is snapshotted on the next start, consistently with the stream under load", async () => {
  await insertUsers(client, 10, "seed");
  await harness.source.start();
  const firstPoint = harness.sink.events[0]?.source.lsn ?? 0;
  for (let i = 0; i < EXTRA_ROWS; i += 1)
    await client.query("INSERT INTO extras (id, label, n) VALUES ($1, $2, 0)", [randomUUID(), `extra ${i}`]);
  await insertUsers(client, 3, "live");
  await harness.sink.waitFor((events) => events.length >= 13);
  await harness.source.stop();
  expect(ofTable("extras")).toEqual([]);

  // Writes to both tables go on while the source restarts with extras in its configuration.
  const writer = await connect(db.url);
  let loading = true;
  let transactions = 0;
  const load = (async () => {
    for (; transactions < LOAD_TRANSACTIONS && loading; transactions += 1) {
      await writer.query("BEGIN");
      await writer.query(
        "UPDATE extras SET n = n + 1, label = $1 WHERE id = (SELECT id FROM extras ORDER BY random() LIMIT 1)",
        [`t${transactions}`],
      );
      if (transactions % 4 === 0)
        await writer.query("INSERT INTO extras (id, label, n) VALUES ($1, 'added', 0)", [randomUUID()]);
      if (transactions % 9 === 0)
        await writer.query("DELETE FROM extras WHERE id = (SELECT id FROM extras ORDER BY random() LIMIT 1)");
      if (transactions % 5 === 0) await insertUsers(writer, 1, `load-${transactions}`);
      await writer.query("COMMIT");
    }
  })();
  try {
    await eventually("the load is under way", async () => transactions >= 20, 20_000);
    current = createEmbeddedSource(
      { ...harness.options, tables: ["users", "extras"] },
      { sink: harness.sink, logger: silentLogger },
    );
    await current.start();
    await load;
  } finally {
    loading = false;
    await load.catch(() => undefined);
    await writer.end();
  }
  expect(transactions).toBe(LOAD_TRANSACTIONS);

  const [users, extras] = [await sourceUsers(client), await sourceExtras()];
  await eventually(
    "both tables equal the source",
    async () =>
      sorted(foldByKey(ofTable("users"))) === sorted(users) && sorted(foldByKey(ofTable("extras"))) === sorted(extras),
    30_000,
  );
  expect(foldByKey(ofTable("extras"))).toEqual(extras);
  expect(foldByKey(ofTable("users"))).toEqual(users);
  // The added table's snapshot: its rows at one point of its own, after the slot's first one.
  const snapshotRows = ofTable("extras").filter((event) => event.op === "r");
  expect(snapshotRows.length).toBeGreaterThanOrEqual(EXTRA_ROWS);
  expect(new Set(snapshotRows.map((event) => event.source.lsn)).size).toBe(1);
  expect(snapshotRows[0]?.source.lsn).toBeGreaterThan(firstPoint);
  // Users were not snapshotted again.
  expect(ofTable("users").filter((event) => event.op === "r")).toHaveLength(10);

  // The next start knows extras is covered: no further snapshot.
  await current.stop();
  current = createEmbeddedSource(
    { ...harness.options, tables: ["users", "extras"] },
    { sink: harness.sink, logger: silentLogger },
  );
  await current.start();
  expect(harness.sink.events.filter((event) => event.op === "r")).toHaveLength(10 + snapshotRows.length);
}, 120_000);
