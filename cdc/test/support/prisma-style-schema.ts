import { type MigrationConfig, parseMigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import type { TableMapping } from "../../src/mapping/compile-table-mapping";
import { mappedDifferences } from "./mapped-compare";

// A neutral fixture named the way Prisma names things by default: PascalCase tables, camelCase
// columns, an implicit many-to-many join table "_PostToTag" (A, B) with a unique index and no
// primary key, and a wide table of assorted types in its own schema that is copied without listing
// a column. The service side has the same tables (a copy-all target needs the same column names).

const WIDE_COLUMNS = `
  id bigint PRIMARY KEY,
  "Amount" numeric(20, 6),
  doc jsonb,
  "happenedAt" timestamptz,
  tags text[],
  ref uuid,
  raw bytea,
  note text,
  "isActive" boolean,
  day date,
  ratio double precision,
  "Mixed Case" integer`;

/** The same DDL on both sides: the names are the point, not a difference in shape. */
export const PRISMA_STYLE_DDL = `
CREATE TABLE "User" (id serial PRIMARY KEY, email text NOT NULL UNIQUE, "displayName" text, "createdAt" timestamptz NOT NULL DEFAULT now());
CREATE TABLE "_PostToTag" ("A" integer NOT NULL, "B" integer NOT NULL);
CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag" ("A", "B");
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag" ("B");
CREATE SCHEMA sales;
CREATE TABLE sales."Wide" (${WIDE_COLUMNS});
CREATE TABLE "Log" (at timestamptz, line text);`;

/** The data section's tables: "User" by explicit columns (key from its primary key), the join table by its two columns, sales.Wide copied whole. */
export const PRISMA_STYLE_TABLES = `
        - { source: User, target: User, columns: { email: email, displayName: displayName, CREATEDAT_COLUMN: createdAt } }
        - { source: _PostToTag, target: _PostToTag, key: { A: A, B: B } }
        - { source: sales.Wide, target: sales.Wide }`;

/** The fixture's migration config; `createdAt` is the name the config uses for the "createdAt" column (a typo to test errors). */
export function prismaStyleConfig(options: {
  sourceUrl: string;
  targetUrl: string;
  createdAt?: string;
  extraTables?: string;
  kafka?: { brokers: string; connectUrl: string };
  reverse?: boolean;
}): MigrationConfig {
  const cdc = options.kafka
    ? `\ncdc: { transport: debezium, kafka: { brokers: "${options.kafka.brokers}", connectUrl: "${options.kafka.connectUrl}" } }`
    : "";
  const yaml = `
version: 1
legacy: { name: blog, url: "http://127.0.0.1:1", database: "${options.sourceUrl}" }
unleash: { url: "http://127.0.0.1:2" }${cdc}
services:
  - name: blog-service
    url: "http://127.0.0.1:3"
    routes: {}
    data:
      database: "${options.targetUrl}"
      reverse: ${options.reverse ?? false}
      tables:${PRISMA_STYLE_TABLES.replace("CREATEDAT_COLUMN", options.createdAt ?? "createdAt")}${options.extraTables ?? ""}`;
  return parseMigrationConfig(yaml, "blog.config.yaml", {});
}

/** The mappings with the keys the catalog gives (mappedDifferences compiles them as the sink does). */
export const PRISMA_STYLE_MAPPINGS: TableMapping[] = [
  {
    source: "User",
    target: "User",
    key: { id: "id" },
    columns: { email: "email", displayName: "displayName", createdAt: "createdAt" },
    split: [],
  },
  { source: "_PostToTag", target: "_PostToTag", key: { A: "A", B: "B" }, split: [] },
  { source: "sales.Wide", target: "sales.Wide", key: { id: "id" }, split: [] },
];

/** Every difference between source and target, table by table, key by key. */
export async function prismaStyleDifferences(source: Client, target: Client): Promise<string[]> {
  const all = await Promise.all(PRISMA_STYLE_MAPPINGS.map((table) => mappedDifferences(table, source, target)));
  return all.flatMap((problems, i) => problems.map((p) => `${PRISMA_STYLE_MAPPINGS[i]?.source as string} ${p}`));
}

/**
 * A wide row with every column set to a value at an edge of its type (`id` varies them), or the
 * nullable ones null; `day` defaults to a BC date.
 */
export async function insertWide(client: Client, id: number, nulls = false, day = "0044-03-15 BC"): Promise<void> {
  if (nulls) {
    await client.query(`INSERT INTO sales."Wide" (id) VALUES ($1)`, [id]);
    return;
  }
  await client.query(
    `INSERT INTO sales."Wide" (id, "Amount", doc, "happenedAt", tags, ref, raw, note, "isActive", day, ratio, "Mixed Case")
     VALUES ($1, $2::numeric, $3::jsonb, $4::timestamptz, $5::text[], gen_random_uuid(), $6::bytea, $7, $8, $9::date, $10::float8, $11)`,
    [
      id,
      `${id}1234567890.000001`,
      JSON.stringify({ n: id, nested: { quote: 'say "hi"', list: [1, null, "x"] } }),
      `2026-03-01T23:59:59.${String(id).padStart(6, "0")}+05:30`,
      `{"a b","c\\"d",NULL,""}`,
      "\\x00ff10",
      `line ${id}\nwith tab\t`,
      id % 2 === 0,
      day,
      -0.1 * id,
      -2147483648 + id,
    ],
  );
}
