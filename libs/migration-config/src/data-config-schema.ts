import { z } from "zod";

/** Unquoted lower-case SQL identifiers only: the sink interpolates them into SQL (quoted) and they must match the schema as written. */
const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

const identifier = z.string({ error: "must be a table or column name" }).regex(SQL_IDENTIFIER, { error: "must be a lower-case SQL name (letters, digits, _; at most 63), e.g. user_profiles" });

/** A PostgreSQL connection URL (postgres:// or postgresql://). */
export const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" });

// zod reports a bad record key as "Invalid key in record"; say what a key must be instead.
const columnMap = z.record(identifier, identifier, {
  error: (issue) => (issue.code === "invalid_key" ? "must be a lower-case SQL name (letters, digits, _; at most 63)" : "must map source column names to target column names, e.g. { email: email_address }"),
});

const split = z.strictObject({
  from: identifier,
  into: z.tuple([identifier, identifier], { error: "must name two target columns, e.g. [first_name, last_name]" }),
  separator: z.string().min(1, { error: "must not be empty" }).default(" "),
});

/** How one legacy table maps onto one service table (and back, with the inverse). */
export const dataTableSchema = z.strictObject({
  source: identifier,
  target: identifier,
  key: columnMap.refine((key) => Object.keys(key).length === 1, { error: "must map exactly one source key column to one target key column, e.g. { id: user_id }" }),
  columns: columnMap.default({}),
  split: z.array(split).default([]),
  /**
   * Two-way sync: a source column (mapped in columns, e.g. updated_at) whose value decides between
   * concurrent writes on both sides; an incoming row older than the target row is not written.
   */
  newerBy: identifier.optional(),
});

/** The service's own database and the legacy tables copied into it. */
export const dataSchema = z.strictObject({
  database: postgresUrl,
  tables: z.array(dataTableSchema).min(1, { error: "must map at least one table" }),
  /**
   * Also run the reverse stream (the service database → the legacy database, with the inverse
   * mappings), for when the service owns the writes and legacy features still read the tables.
   */
  reverse: z.boolean({ error: "must be true or false" }).default(false),
});

export type DataConfig = z.output<typeof dataSchema>;
export type DataTableConfig = z.output<typeof dataTableSchema>;

type Problem = { path: Array<string | number>; message: string };

/** Problems within one table mapping: a target column written twice, a source column read twice. */
export function crossCheckTable(table: DataTableConfig, at: Array<string | number>): Problem[] {
  const problems: Problem[] = [];
  const [[sourceKey, targetKey]] = Object.entries(table.key) as [[string, string]];
  const targets = new Map<string, string>([[targetKey, `key.${sourceKey}`]]);
  const sources = new Map<string, string>([[sourceKey, "key"]]);
  const claimTarget = (column: string, where: string, path: Array<string | number>) => {
    const previous = targets.get(column);
    if (previous) problems.push({ path: [...at, ...path], message: `target column "${column}" is already set by ${previous}` });
    else targets.set(column, where);
  };
  const claimSource = (column: string, where: string, path: Array<string | number>) => {
    const previous = sources.get(column);
    if (previous) problems.push({ path: [...at, ...path], message: `source column "${column}" is already mapped by ${previous}` });
    else sources.set(column, where);
  };
  for (const [source, target] of Object.entries(table.columns)) {
    claimSource(source, `columns.${source}`, ["columns", source]);
    claimTarget(target, `columns.${source}`, ["columns", source]);
  }
  table.split.forEach((entry, i) => {
    claimSource(entry.from, `split[${i}]`, ["split", i, "from"]);
    entry.into.forEach((target, j) => claimTarget(target, `split[${i}]`, ["split", i, "into", j]));
  });
  if (table.newerBy !== undefined && !(table.newerBy in table.columns)) problems.push({ path: [...at, "newerBy"], message: `must be a source column mapped in columns (got "${table.newerBy}")` });
  return problems;
}

/** Problems across a service's tables: a source or target table mapped twice. */
export function crossCheckData(data: DataConfig, at: Array<string | number>): Problem[] {
  const problems: Problem[] = [];
  const sources = new Map<string, number>();
  const targets = new Map<string, number>();
  data.tables.forEach((table, t) => {
    const here = [...at, "tables", t];
    if (sources.has(table.source)) problems.push({ path: [...here, "source"], message: `source table "${table.source}" is already mapped by tables[${sources.get(table.source)}]` });
    else sources.set(table.source, t);
    if (targets.has(table.target)) problems.push({ path: [...here, "target"], message: `target table "${table.target}" is already mapped by tables[${targets.get(table.target)}]` });
    else targets.set(table.target, t);
    problems.push(...crossCheckTable(table, here));
  });
  return problems;
}
