import { Client } from "pg";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createPgParityRunStore, PARITY_SCHEMA, ToolkitStoreError } from "../src";
import { tableReport } from "./parity-run-fixtures";
import { describeParityRunStore } from "./parity-run-store-contract";

const logger = pino({ level: "silent" });
let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createEmptyTestDatabase("toolkit_parity");
  client = new Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("the PostgreSQL parity run store", () => {
  describeParityRunStore({
    async open({ now }) {
      return createPgParityRunStore(db.url, { logger, now });
    },
    async failDifferencesKeyed(store, marker) {
      await store.runs({ limit: 1 }); // the schema exists from here on
      // A constraint the store's insert trips over, after its UPDATE of the report in the same transaction.
      await client.query(
        `ALTER TABLE ${PARITY_SCHEMA}.differences ADD CONSTRAINT "no-${marker}"
         CHECK (NOT (${client.escapeLiteral(marker)} = ANY(key))) NOT VALID`,
      );
    },
    brokenTableDifferences: 100_000,
  });

  it("creates its schema once when several processes start on an empty database at the same time", async () => {
    const fresh = await createEmptyTestDatabase("toolkit_parity_schema");
    const stores = Array.from({ length: 4 }, () => createPgParityRunStore(fresh.url, { logger }));
    const admin = new Client({ connectionString: fresh.url });
    try {
      await Promise.all(stores.map((store) => store.runs()));
      const created = await Promise.all(
        stores.map((store) => store.createRun({ options: {}, lagAware: false, tables: [tableReport("t")] })),
      );
      expect((await stores[0]?.runs())?.map((run) => run.runId).sort()).toEqual(created.map((run) => run.runId).sort());
      await admin.connect();
      const versions = await admin.query(`SELECT version FROM ${PARITY_SCHEMA}.schema_version ORDER BY version`);
      expect(versions.rows).toEqual([{ version: 1 }]);
      const tables = await admin.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
        [PARITY_SCHEMA],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(["differences", "runs", "schema_version", "tables"]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await admin.end();
      await fresh.drop();
    }
  });

  it("fails with a retriable ToolkitStoreError while the database is unreachable", async () => {
    const url = new URL(db.url);
    url.port = "1";
    const store = createPgParityRunStore(url.toString(), { logger });
    try {
      const failure = await store.runs().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ToolkitStoreError);
      expect(failure).toMatchObject({ code: "TOOLKIT_STORE_UNAVAILABLE", retriable: true });
    } finally {
      await store.close();
    }
  });
});
