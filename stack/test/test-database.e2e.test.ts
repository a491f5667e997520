import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("createTestDatabase", () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of created) await database.drop();
  });

  it("clones the migrated monolith template into a database of its own", async () => {
    const database = await createTestDatabase("monolith");
    created.push(database);
    const tables = await query<{ table_name: string }>(
      database.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["users", "products", "_prisma_migrations"]),
    );
  });

  it("gives two callers two separate databases from the same template", async () => {
    const [first, second] = await Promise.all([
      createTestDatabase("users_service"),
      createTestDatabase("users_service"),
    ]);
    created.push(first, second);
    expect(first.name).not.toBe(second.name);
    expect(first.url).not.toBe(second.url);
  });

  it("drops the database, even with a connection still open", async () => {
    const database = await createTestDatabase("monolith");
    const leftOpen = new pg.Client({ connectionString: database.url });
    leftOpen.on("error", () => undefined);
    await leftOpen.connect();
    await database.drop();
    await leftOpen.end().catch(() => undefined);
    const admin = process.env.STRANGLER_TEST_PG_URL ?? "";
    const rows = await query(admin, `SELECT 1 FROM pg_database WHERE datname = '${database.name}'`);
    expect(rows).toHaveLength(0);
  });
});
