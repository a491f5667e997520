import { Client } from "pg";
import type { SourceColumnType } from "../mapping/debezium-wire-values";

/**
 * The column types of the captured tables, read from the source database's catalog: with schemas
 * off, Debezium's messages carry no types, so the consumer needs them to read epoch numbers and
 * base64 decimals back (compileWireDecoder). Keyed by table name (Debezium's `source.table`).
 */
export async function loadSourceColumnTypes(sourceUrl: string, tables: ReadonlyArray<{ schema: string; table: string }>): Promise<Map<string, SourceColumnType[]>> {
  const client = new Client({ connectionString: sourceUrl, application_name: "strangler-cdc-column-types" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ table_name: string; column_name: string; udt_name: string; datetime_precision: number | null; numeric_scale: number | null }>(
      `SELECT c.table_name, c.column_name, c.udt_name, c.datetime_precision, c.numeric_scale
         FROM information_schema.columns c
         JOIN unnest($1::text[], $2::text[]) AS t(s, n) ON c.table_schema = t.s AND c.table_name = t.n
        ORDER BY c.table_name, c.ordinal_position`,
      [tables.map((t) => t.schema), tables.map((t) => t.table)],
    );
    const byTable = new Map<string, SourceColumnType[]>();
    for (const row of result.rows) {
      const list = byTable.get(row.table_name) ?? [];
      list.push({ column: row.column_name, udtName: row.udt_name, datetimePrecision: row.datetime_precision, numericScale: row.numeric_scale });
      byTable.set(row.table_name, list);
    }
    return byTable;
  } finally {
    await client.end().catch(() => undefined);
  }
}
