import type { CustomTypesConfig } from "pg";

/**
 * Session settings under which PostgreSQL writes every value in a text form that reads back exactly
 * and the same way on any server (ADR 0011): ISO dates (`4713-01-01 BC`), timestamps with a `+00`
 * offset, hex bytea, shortest exact floats. The embedded source sets them on its replication and
 * snapshot connections, so the row images it emits hold PostgreSQL's own text, never a JavaScript Date.
 */
export const TEXT_SESSION_SETTINGS: readonly string[] = [
  "SET DateStyle = ISO, YMD",
  "SET IntervalStyle = postgres",
  "SET TimeZone = 'UTC'",
  "SET extra_float_digits = 1",
  "SET bytea_output = hex",
];

/** Applies TEXT_SESSION_SETTINGS on a connection (a normal one, or a replication connection in database mode). */
export async function useTextSession(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  for (const setting of TEXT_SESSION_SETTINGS) await client.query(setting);
}

const keepText = (value: string): string => value;

/** node-postgres type parsers that keep every value as the text PostgreSQL sent. */
export const KEEP_TEXT_TYPES: CustomTypesConfig = { getTypeParser: () => keepText };

/** The parser pgoutput column readers get instead of node-postgres' (which turns timestamps into Dates). */
export const keepTextParser = keepText;
