import { Client } from "pg";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createFakeShadowResultStore, createPgShadowResultStore, SHADOW_SCHEMA, ToolkitStoreError } from "../src";
import { describeShadowResultStore } from "./shadow-result-store-contract";
import { minuteDelta } from "./shadow-result-fixtures";

const logger = pino({ level: "silent" });
let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createEmptyTestDatabase("toolkit_shadow");
  client = new Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("the PostgreSQL shadow result store", () => {
  describeShadowResultStore({
    async open({ examplesPerSignature }) {
      const options = { retention: { days: 7, examplesPerSignature }, logger };
      const [a, b] = [createPgShadowResultStore(db.url, options), createPgShadowResultStore(db.url, options)];
      return {
        a,
        b,
        async examplesKept(routeId, signature) {
          const rows = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${SHADOW_SCHEMA}.examples WHERE route_id = $1 AND signature_key = md5($2)`,
            [routeId, signature],
          );
          return rows.rows[0]?.n ?? 0;
        },
        close: async () => void (await Promise.all([a.close(), b.close()])),
      };
    },
  });

  it("creates its schema once, whatever the number of stores starting at the same time", async () => {
    const stores = Array.from({ length: 4 }, () =>
      createPgShadowResultStore(db.url, { retention: { days: 7, examplesPerSignature: 5 }, logger }),
    );
    try {
      await Promise.all(stores.map((store) => store.noise("nothing")));
      await Promise.all(stores.map((store) => store.report({ since: 0 })));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    const versions = await client.query(`SELECT version FROM ${SHADOW_SCHEMA}.schema_version ORDER BY version`);
    expect(versions.rows).toEqual([{ version: 1 }]);
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
      [SHADOW_SCHEMA],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      "examples",
      "latency",
      "minutes",
      "noise",
      "schema_version",
      "signatures",
      "skipped",
    ]);
  });

  it("fails with a retriable ToolkitStoreError while the database is unreachable, and after close() with a final one", async () => {
    const url = new URL(db.url);
    url.port = "1";
    const store = createPgShadowResultStore(url.toString(), {
      retention: { days: 7, examplesPerSignature: 5 },
      logger,
    });
    const failure = await store
      .write({ minutes: [minuteDelta({ minute: 0, routeId: "r" })], noise: [], examples: [] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolkitStoreError);
    expect(failure).toMatchObject({ code: "TOOLKIT_STORE_UNAVAILABLE", retriable: true });
    await store.close();
    await expect(store.report({ since: 0 })).rejects.toMatchObject({ code: "TOOLKIT_STORE_CLOSED", retriable: false });
  });
});

describe("the fake shadow result store", () => {
  describeShadowResultStore({
    async open({ examplesPerSignature }) {
      const store = createFakeShadowResultStore({ examplesPerSignature });
      return { a: store, b: store, examplesKept: async (r, s) => store.examplesKept(r, s), close: () => store.close() };
    },
  });
});
