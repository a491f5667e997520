import type { DataTableConfig } from "@strangler/migration-config";
import { withPgClient } from "../postgres/pg-client";
import { type TestDatabase, createEmptyTestDatabase } from "../testing/test-database";
import { countMappedMismatches } from "./demo-mapped-rows";

// Real PostgreSQL, a neutral fixture: a Prisma-style source ("Item", "createdAt", a key of two
// columns) mapped to a target with other names, compared as the mapping says.
const table: DataTableConfig = {
  source: "Item",
  target: "catalog.entries",
  key: { shopId: "shop", id: "entry_id" },
  columns: { Name: "title", createdAt: "listed_at" },
  copyRest: false,
  exclude: [],
  split: [],
};

let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  [source, target] = await Promise.all([
    createEmptyTestDatabase("demo_rows_src"),
    createEmptyTestDatabase("demo_rows_tgt"),
  ]);
  await withPgClient(source.url, (client) =>
    client.query(`CREATE TABLE "Item" ("shopId" int, "id" int, "Name" text, "createdAt" timestamptz, PRIMARY KEY ("shopId", "id"));
      INSERT INTO "Item" VALUES (1, 1, 'A', '2026-01-01T00:00:00Z'), (1, 2, NULL, '2026-01-02T00:00:00Z'), (2, 1, 'C', '2026-01-03T00:00:00Z')`),
  );
  await withPgClient(target.url, (client) =>
    client.query(`CREATE SCHEMA catalog; CREATE TABLE catalog.entries (shop int, entry_id int, title text, listed_at timestamptz, PRIMARY KEY (shop, entry_id));
      INSERT INTO catalog.entries VALUES (1, 1, 'A', '2026-01-01T00:00:00Z'), (1, 2, NULL, '2026-01-02T00:00:00Z'), (2, 1, 'C', '2026-01-03T00:00:00Z')`),
  );
});

afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

test("counts no mismatch when every mapped column is equal key by key, NULLs included", async () => {
  expect(await countMappedMismatches(source.url, target.url, table)).toEqual({ rows: 3, mismatches: 0 });
});

test("counts a differing value, a missing row and a row under another key", async () => {
  await withPgClient(target.url, (client) =>
    client.query(
      "UPDATE catalog.entries SET title = 'changed' WHERE shop = 1 AND entry_id = 1; DELETE FROM catalog.entries WHERE shop = 1 AND entry_id = 2; UPDATE catalog.entries SET shop = 3 WHERE shop = 2",
    ),
  );
  expect(await countMappedMismatches(source.url, target.url, table)).toEqual({ rows: 3, mismatches: 3 });
});

test("refuses a mapping it cannot compare column by column", async () => {
  await expect(
    countMappedMismatches(source.url, target.url, {
      ...table,
      split: [{ from: "Name", into: ["a", "b"], separator: " " }],
    }),
  ).rejects.toThrow(/needs explicit key and columns, no split/);
});
