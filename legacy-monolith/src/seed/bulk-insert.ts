import type { Prisma } from "../db/prisma-client";

/** One column of a bulk insert: its SQL name and type, and how to read it from a row. */
export interface BulkColumn<T> {
  name: string;
  type: "uuid" | "text" | "int4" | "timestamptz" | "order_status" | "payment_status";
  value: (row: T) => string | number | Date | null;
}

/** Rows per INSERT statement; bounds the size of one statement, not the number of parameters. */
export const BULK_INSERT_CHUNK_ROWS = 5000;

function sqlValue(value: string | number | Date | null): string | number | null {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Inserts rows with one `INSERT … SELECT * FROM unnest($1::type[], …)` per chunk: one array
 * parameter per column, so the statement is parsed once and nothing is built per row.
 * createMany costs about 0.1 ms of CPU per row in the js engine, which made the default seed
 * (55 000 rows) take 7 s; this takes well under one.
 */
export async function bulkInsert<T>(
  tx: Prisma.TransactionClient,
  table: string,
  columns: readonly BulkColumn<T>[],
  rows: readonly T[],
): Promise<void> {
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const arrays = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${arrays})`;
  for (let start = 0; start < rows.length; start += BULK_INSERT_CHUNK_ROWS) {
    const chunk = rows.slice(start, start + BULK_INSERT_CHUNK_ROWS);
    await tx.$executeRawUnsafe(sql, ...columns.map((column) => chunk.map((row) => sqlValue(column.value(row)))));
  }
}
