import { z } from "zod";
import { formatTableName, identifierProblem, parseTableName } from "./table-name";

/**
 * A column name exactly as PostgreSQL's catalog has it (`createdAt`, `A`, `user_id`): any
 * identifier; the toolkit double-quotes it in every statement.
 */
const identifier = z.string({ error: "must be a table or column name" }).superRefine((name, ctx) => {
  const problem = identifierProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** A table name as the catalog has it, optionally schema-qualified: `User`, `sales.User`, `"my.table"`. */
const tableName = z.string({ error: "must be a table name" }).superRefine((name, ctx) => {
  const parsed = parseTableName(name);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});

/** A PostgreSQL connection URL (postgres:// or postgresql://). */
export const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" });

// zod reports a bad record key as "Invalid key in record"; say what a key must be instead.
const columnMap = z.record(identifier, identifier, {
  error: (issue) =>
    issue.code === "invalid_key"
      ? "must be column names (at most 63 bytes, no NUL)"
      : "must map source column names to target column names, e.g. { email: email_address }",
});

const split = z.strictObject({
  from: identifier,
  into: z.tuple([identifier, identifier], { error: "must name two target columns, e.g. [first_name, last_name]" }),
  separator: z.string().min(1, { error: "must not be empty" }).default(" "),
});

/** How one legacy table maps onto one service table (and back, with the inverse). */
export const dataTableSchema = z.strictObject({
  source: tableName,
  target: tableName,
  /**
   * The key columns, source → target (`{ id: user_id }`, `{ A: A, B: B }`). Omitted: the source
   * table's primary key, else a unique index on NOT NULL columns, under the same names in the target.
   */
  key: columnMap
    .refine((key) => Object.keys(key).length >= 1, {
      error: "must map at least one source key column to a target key column, e.g. { id: user_id }",
    })
    .optional(),
  /** Explicit column mappings, source → target. Omitted: every source column under its own name (copy-all). */
  columns: columnMap.optional(),
  /** With columns: also copy every other source column under its own name. */
  copyRest: z.boolean({ error: "must be true or false" }).default(false),
  /** Source columns never copied when the table copies all (columns omitted) or the rest (copyRest). */
  exclude: z.array(identifier, { error: "must list source column names, e.g. [password_hash]" }).default([]),
  split: z.array(split).default([]),
  /**
   * Two-way sync: a source column (mapped in columns, or copied under its own name, e.g.
   * updated_at) whose value decides between concurrent writes on both sides; an incoming row older
   * than the target row is not written.
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

/** True when the table copies every source column it does not map otherwise (columns omitted, or copyRest). */
export function copiesAllColumns(table: Pick<DataTableConfig, "columns" | "copyRest">): boolean {
  return table.columns === undefined || table.copyRest;
}

type Problem = { path: Array<string | number>; message: string };

/** Problems within one table mapping: a target column written twice, a source column read twice. */
export function crossCheckTable(table: DataTableConfig, at: Array<string | number>): Problem[] {
  const problems: Problem[] = [];
  const targets = new Map<string, string>();
  const sources = new Map<string, string>();
  const claimTarget = (column: string, where: string, path: Array<string | number>) => {
    const previous = targets.get(column);
    if (previous)
      problems.push({ path: [...at, ...path], message: `target column "${column}" is already set by ${previous}` });
    else targets.set(column, where);
  };
  const claimSource = (column: string, where: string, path: Array<string | number>) => {
    const previous = sources.get(column);
    if (previous)
      problems.push({ path: [...at, ...path], message: `source column "${column}" is already mapped by ${previous}` });
    else sources.set(column, where);
  };
  for (const [source, target] of Object.entries(table.key ?? {})) {
    claimSource(source, "key", ["key", source]);
    claimTarget(target, `key.${source}`, ["key", source]);
  }
  for (const [source, target] of Object.entries(table.columns ?? {})) {
    claimSource(source, `columns.${source}`, ["columns", source]);
    claimTarget(target, `columns.${source}`, ["columns", source]);
  }
  table.split.forEach((entry, i) => {
    claimSource(entry.from, `split[${i}]`, ["split", i, "from"]);
    entry.into.forEach((target, j) => claimTarget(target, `split[${i}]`, ["split", i, "into", j]));
  });
  const copyAll = copiesAllColumns(table);
  if (!copyAll && table.exclude.length > 0)
    problems.push({
      path: [...at, "exclude"],
      message: "applies only when the table copies all columns (columns omitted, or copyRest: true)",
    });
  table.exclude.forEach((column, i) => {
    const previous = sources.get(column);
    if (previous)
      problems.push({
        path: [...at, "exclude", i],
        message: `source column "${column}" is mapped by ${previous}: it cannot be excluded as well`,
      });
  });
  if (table.newerBy !== undefined) {
    const mapped = table.columns !== undefined && table.newerBy in table.columns;
    const copied = copyAll && !sources.has(table.newerBy) && !table.exclude.includes(table.newerBy);
    if (!mapped && !copied)
      problems.push({
        path: [...at, "newerBy"],
        message: `must be a source column mapped in columns or copied under its own name (got "${table.newerBy}")`,
      });
  }
  return problems;
}

/** Problems across a service's tables: a source or target table mapped twice. */
export function crossCheckData(data: DataConfig, at: Array<string | number>): Problem[] {
  const problems: Problem[] = [];
  const sources = new Map<string, number>();
  const targets = new Map<string, number>();
  // Compared in their canonical form: `User` and `public.User` are one table.
  const canonical = (name: string) => {
    const parsed = parseTableName(name);
    return typeof parsed === "string" ? name : formatTableName(parsed);
  };
  data.tables.forEach((table, t) => {
    const here = [...at, "tables", t];
    const source = canonical(table.source);
    const target = canonical(table.target);
    if (sources.has(source))
      problems.push({
        path: [...here, "source"],
        message: `source table "${table.source}" is already mapped by tables[${sources.get(source)}]`,
      });
    else sources.set(source, t);
    if (targets.has(target))
      problems.push({
        path: [...here, "target"],
        message: `target table "${table.target}" is already mapped by tables[${targets.get(target)}]`,
      });
    else targets.set(target, t);
    problems.push(...crossCheckTable(table, here));
  });
  return problems;
}
