import path from "node:path";
import { Client } from "pg";
import { runPrismaCli } from "@strangler/prisma-offline";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createCatalogTestDatabase } from "./support/catalog-test-database";

// The migrations are hand-written; the Prisma client is generated from schema.prisma. A database
// built by the migrations must have the same tables, columns and indexes as one built from the
// SQL Prisma derives from the schema. (`migrate diff --from-schema-datasource` is not available
// with a driver adapter, hence two databases compared through the catalog.)
const APP_DIR = path.join(__dirname, "..");
const databases: TestDatabase[] = [];

/** Tables, columns and indexes of the public schema, without Prisma's migrations table. */
async function describeSchema(url: string): Promise<unknown> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, character_maximum_length, datetime_precision, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes
       WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`,
    );
    return { columns: columns.rows, indexes: indexes.rows };
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

test("a database built by prisma/migrations equals one built from prisma/schema.prisma", async () => {
  const migrated = await createCatalogTestDatabase();
  databases.push(migrated);
  const fromSchema = await createEmptyTestDatabase("catalog_schema");
  databases.push(fromSchema);
  const ddl = await runPrismaCli(
    APP_DIR,
    ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    {
      DATABASE_URL: fromSchema.url,
    },
  );
  expect(ddl.code).toBe(0);
  const script = ddl.output.slice(ddl.output.indexOf("--"));
  expect(script).toContain('CREATE TABLE "catalog_items"');
  const client = new Client({ connectionString: fromSchema.url });
  await client.connect();
  await client.query(script).finally(() => client.end());

  const [actual, expected] = await Promise.all([describeSchema(migrated.url), describeSchema(fromSchema.url)]);
  expect(actual).toEqual(expected);
});
