import { formatTableName, type TableName } from "@strangler/migration-config";
import { Client } from "pg";
import type { SourceColumnType } from "../mapping/debezium-wire-values";

/**
 * The column types of the captured tables, read from the source database's catalog: with schemas
 * off, Debezium's messages carry no types, so the consumer needs them to read epoch numbers and
 * base64 decimals back (compileWireDecoder). Keyed by the canonical table name (formatTableName: `User`, `sales.User`).
 */
export async function loadSourceColumnTypes(
  sourceUrl: string,
  tables: readonly TableName[],
): Promise<Map<string, SourceColumnType[]>> {
  const client = new Client({ connectionString: sourceUrl, application_name: "strangler-cdc-column-types" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query<{
      table_schema: string;
      table_name: string;
      column_name: string;
      udt_name: string;
      datetime_precision: number | null;
      numeric_scale: number | null;
    }>(
      `SELECT c.table_schema, c.table_name, c.column_name, c.udt_name, c.datetime_precision, c.numeric_scale
         FROM information_schema.columns c
         JOIN unnest($1::text[], $2::text[]) AS t(s, n) ON c.table_schema = t.s AND c.table_name = t.n
        ORDER BY c.table_name, c.ordinal_position`,
      [tables.map((t) => t.schema), tables.map((t) => t.name)],
    );
    const byTable = new Map<string, SourceColumnType[]>();
    for (const row of result.rows) {
      const table = formatTableName({ schema: row.table_schema, name: row.table_name });
      const list = byTable.get(table) ?? [];
      list.push({
        column: row.column_name,
        udtName: row.udt_name,
        datetimePrecision: row.datetime_precision,
        numericScale: row.numeric_scale,
      });
      byTable.set(table, list);
    }
    return byTable;
  } finally {
    await client.end().catch(() => undefined);
  }
}
