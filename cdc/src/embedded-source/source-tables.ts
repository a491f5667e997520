/** A configured table, split into schema and name ("users" → public.users). */
export interface SourceTable {
  schema: string;
  table: string;
}

export function parseSourceTable(name: string): SourceTable {
  const parts = name.split(".");
  if (parts.length === 1 && parts[0]) return { schema: "public", table: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { schema: parts[0], table: parts[1] };
  throw new Error(`embedded source: table "${name}" must be "table" or "schema.table"`);
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
