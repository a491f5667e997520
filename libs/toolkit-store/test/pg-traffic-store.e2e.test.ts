import { Client } from "pg";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createPgTrafficStore, TRAFFIC_SCHEMA, ToolkitStoreError } from "../src";
import { latencies, trafficDelta } from "./traffic-fixtures";
import { describeTrafficStore } from "./traffic-store-contract";

const logger = pino({ level: "silent" });
let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createEmptyTestDatabase("toolkit_traffic");
  client = new Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("the PostgreSQL traffic store", () => {
  describeTrafficStore({
    async open({ now }) {
      return createPgTrafficStore(db.url, { logger, ...(now ? { now } : {}) });
    },
  });

  it("creates its schema once when several replicas start on an empty database at the same time", async () => {
    const fresh = await createEmptyTestDatabase("toolkit_traffic_schema");
    const stores = Array.from({ length: 4 }, () => createPgTrafficStore(fresh.url, { logger }));
    const admin = new Client({ connectionString: fresh.url });
    try {
      const minute = Date.UTC(2026, 11, 2, 10, 0, 0);
      const delta = trafficDelta({ minute, routeId: "r", requests: 1, latency: latencies([1, 1]) });
      await Promise.all(stores.map((store) => store.write([delta])));
      const report = await stores[0]?.report({ since: new Date(minute), until: new Date(minute) });
      expect(report?.routes[0]?.sides.legacy.requests).toBe(4);
      await admin.connect();
      const versions = await admin.query(`SELECT version FROM ${TRAFFIC_SCHEMA}.schema_version ORDER BY version`);
      expect(versions.rows).toEqual([{ version: 1 }]);
      const tables = await admin.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
        [TRAFFIC_SCHEMA],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(["minutes", "schema_version"]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await admin.end();
      await fresh.drop();
    }
  });

  it("keeps one row per minute, route and side whatever the number of writes", async () => {
    const store = createPgTrafficStore(db.url, { logger });
    try {
      const minute = Date.UTC(2026, 11, 3, 10, 0, 0);
      const delta = trafficDelta({ minute, routeId: "rows", side: "service", requests: 2, latency: latencies([7, 2]) });
      for (let i = 0; i < 5; i += 1) await store.write([delta]);
      const rows = await client.query<{ requests: string; latency: string[] }>(
        `SELECT requests, latency FROM ${TRAFFIC_SCHEMA}.minutes WHERE route_id = 'rows'`,
      );
      expect(rows.rows).toEqual([{ requests: "10", latency: latencies([7, 10]).map(String) }]);
    } finally {
      await store.close();
    }
  });

  it("fails with a retriable ToolkitStoreError while the database is unreachable", async () => {
    const url = new URL(db.url);
    url.port = "1";
    const store = createPgTrafficStore(url.toString(), { logger });
    try {
      const failure = await store
        .write([trafficDelta({ minute: 0, routeId: "r", requests: 1, latency: latencies([1, 1]) })])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ToolkitStoreError);
      expect(failure).toMatchObject({ code: "TOOLKIT_STORE_UNAVAILABLE", retriable: true });
    } finally {
      await store.close();
    }
  });
});
