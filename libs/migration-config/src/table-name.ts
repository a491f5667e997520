/** A table as PostgreSQL's catalog names it: schema and name, case kept. */
export interface TableName {
  schema: string;
  name: string;
}

/** The schema of a table name written without one. */
export const DEFAULT_SCHEMA = "public";

/** PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/** Why `name` cannot be a PostgreSQL identifier, or null when it can. */
export function identifierProblem(name: string): string | null {
  if (name.length === 0) return "must not be empty";
  if (name.includes("\u0000")) return "must not contain a NUL character";
  if (Buffer.byteLength(name, "utf8") > MAX_IDENTIFIER_BYTES)
    return `must be at most ${MAX_IDENTIFIER_BYTES} bytes (PostgreSQL's identifier limit)`;
  return null;
}

/**
 * Reads a table name as the config writes it: `User`, `sales.User`, or with a part in double
 * quotes when it holds a dot (`"my.table"`, `sales."a.b"`; `""` is a quote inside quotes). Case is
 * kept: `User` is the table "User". Returns the problem as a string when the text is not a name.
 */
export function parseTableName(text: string): TableName | string {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = "";
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) return `has an unclosed double quote: ${text}`;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += text[i];
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ".") {
        if (text[i] === '"') return `has a double quote inside a name: write the whole part in double quotes ("…")`;
        part += text[i];
        i += 1;
      }
    }
    const problem = identifierProblem(part);
    if (problem) return `${problem} (in "${text}")`;
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== ".") return `must be "table" or "schema.table" (a part with a dot goes in double quotes): ${text}`;
    i += 1;
  }
  if (parts.length === 1) return { schema: DEFAULT_SCHEMA, name: parts[0] as string };
  if (parts.length === 2) return { schema: parts[0] as string, name: parts[1] as string };
  return `must be "table" or "schema.table" (a part with a dot goes in double quotes): ${text}`;
}

const formatPart = (part: string): string =>
  part.includes(".") || part.includes('"') ? `"${part.replace(/"/g, '""')}"` : part;

/**
 * The canonical text of a table name, as the config would write it: `User` for public."User",
 * `sales.User`, `"my.table"`. One text per table: it keys the table mappings, the sink's row
 * positions and dead letters, whatever way the config wrote it.
 */
export function formatTableName({ schema, name }: TableName): string {
  return schema === DEFAULT_SCHEMA ? formatPart(name) : `${formatPart(schema)}.${formatPart(name)}`;
}

/** Double-quotes an identifier for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."name"`, for SQL. */
export function qualifiedTableSql({ schema, name }: TableName): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/** The table name of a config text that the schema validated already (throws otherwise). */
export function tableNameOf(text: string): TableName {
  const parsed = parseTableName(text);
  if (typeof parsed === "string") throw new Error(`table name ${text} ${parsed}`);
  return parsed;
}
