import { parseTableName } from "@strangler/migration-config";

/** A configured table, split into schema and name ("User" → public."User"). */
export interface SourceTable {
  schema: string;
  table: string;
}

/** A table name as the config writes it (`User`, `sales.User`, `"my.table"`: parseTableName), case kept. */
export function parseSourceTable(name: string): SourceTable {
  const parsed = parseTableName(name);
  if (typeof parsed === "string") throw new Error(`embedded source: table "${name}" ${parsed}`);
  return { schema: parsed.schema, table: parsed.name };
}

/** Double-quotes an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** "schema.table", unquoted: how the source state and the decoder name a table. */
export function tableKey({ schema, table }: SourceTable): string {
  return `${schema}.${table}`;
}

export function qualifiedName({ schema, table }: SourceTable): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** Escapes a string literal for commands where parameters are not allowed (replication protocol, SET). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
