import { compileForwardMapper, compileInverseMapper, type ResolvedTableMapping, type RowMapper } from "@strangler/cdc";
import { formatTableName, qualifiedTableSql, quoteIdentifier, tableNameOf } from "@strangler/migration-config";
import { type ColumnType, readAsType } from "./column-types";
import { type KeyOrderKind, keyOrderKind, keyOrderSql } from "./key-order";

/**
 * How one mapped table is compared: what each side reads (every value as PostgreSQL text), in which
 * order, and the mapping that turns a legacy row into the service row it should be. Legacy values
 * that land in a service column unchanged are read as the service column's type, so their text is
 * the text the service stores (the CDC sink writes text into the column).
 */
export interface ParityTablePlan {
  service: string;
  mapping: ResolvedTableMapping;
  /** Canonical names (`users`, `sales."Order"`) and SQL (`"public"."users"`). */
  legacyTable: string;
  serviceTable: string;
  legacySql: string;
  serviceSql: string;
  /** Key columns in key order on each side, and how each is ordered. */
  legacyKeys: readonly string[];
  serviceKeys: readonly string[];
  keyKinds: readonly KeyOrderKind[];
  /** Legacy columns read besides the key (what the forward mapper takes), in read order. */
  legacyColumns: readonly string[];
  /** Service columns compared besides the key, sorted. */
  compared: readonly string[];
  /** SELECT lists (text expressions): keys first, then legacyColumns / compared. */
  legacySelect: readonly string[];
  /** The same without casts to the service's types, for a table whose values do not all fit them. */
  legacySelectUncast: readonly string[];
  serviceSelect: readonly string[];
  legacyOrder: readonly string[];
  serviceOrder: readonly string[];
  /** The legacy side of the mapping in SQL: for each service key column and compared column, its expected text from a legacy row. */
  legacyMappedSql: Readonly<Record<string, string>>;
  legacyTypes: ReadonlyMap<string, ColumnType>;
  serviceTypes: ReadonlyMap<string, ColumnType>;
  forward: RowMapper;
  inverse: RowMapper;
}

/** A string literal for SQL (standard_conforming_strings, PostgreSQL's default since 9.1). */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function typeOf(types: ReadonlyMap<string, ColumnType>, column: string, table: string): ColumnType {
  const type = types.get(column);
  if (!type) throw new Error(`column "${column}" of ${table} not found in its catalog`);
  return type;
}

/** A legacy column as the text the service column `target` would hold. */
function castText(column: string, from: ColumnType, to: ColumnType | undefined): string {
  const text = `${quoteIdentifier(column)}::text`;
  if (!to || from.type === to.type || !to.builtin) return text;
  return `(${text})::${readAsType(to)}::text`;
}

/** The legacy columns the forward mapper reads besides the key. */
function readColumnsOf(mapping: ResolvedTableMapping, legacyKeys: readonly string[]): string[] {
  const probe = Object.fromEntries(mapping.sourceColumns.map((column) => [column, "x"]));
  const read = new Set<string>([
    ...Object.keys(mapping.columns ?? {}),
    ...mapping.split.map((s) => s.from),
    ...Object.keys(compileForwardMapper(mapping).map(probe).values).filter((c) => mapping.sourceColumns.includes(c)),
  ]);
  for (const key of legacyKeys) read.delete(key);
  return mapping.sourceColumns.filter((column) => read.has(column));
}

/** Builds the plan of one resolved table mapping from both tables' column types. */
export function buildTablePlan(
  service: string,
  mapping: ResolvedTableMapping,
  legacyTypes: ReadonlyMap<string, ColumnType>,
  serviceTypes: ReadonlyMap<string, ColumnType>,
): ParityTablePlan {
  const forward = compileForwardMapper(mapping);
  const inverse = compileInverseMapper(mapping);
  const legacyName = tableNameOf(mapping.source);
  const serviceName = tableNameOf(mapping.target);
  const legacyTable = formatTableName(legacyName);
  const serviceTable = formatTableName(serviceName);
  const legacyKeys = forward.sourceKeys;
  const serviceKeys = forward.targetKeys;
  const keyKinds = legacyKeys.map((key, i) =>
    keyOrderKind(
      typeOf(legacyTypes, key, legacyTable).type,
      typeOf(serviceTypes, serviceKeys[i] as string, serviceTable).type,
    ),
  );
  const legacyColumns = readColumnsOf(mapping, legacyKeys);
  const probe = Object.fromEntries([...legacyKeys, ...legacyColumns].map((column) => [column, "x"]));
  const compared = Object.keys(forward.map(probe).values).sort();
  // Where each legacy column lands unchanged (renames, copy-all; split columns land in two).
  const renamed = new Map<string, string>(Object.entries(mapping.columns ?? {}));
  const splitFrom = new Set(mapping.split.map((s) => s.from));
  for (const column of legacyColumns)
    if (!renamed.has(column) && !splitFrom.has(column) && compared.includes(column)) renamed.set(column, column);
  const legacyKeyText = legacyKeys.map((key, i) =>
    castText(key, typeOf(legacyTypes, key, legacyTable), serviceTypes.get(serviceKeys[i] as string)),
  );
  const legacyColumnText = legacyColumns.map((column) => {
    const target = renamed.get(column);
    return castText(
      column,
      typeOf(legacyTypes, column, legacyTable),
      target === undefined ? undefined : serviceTypes.get(target),
    );
  });
  const serviceKeyText = serviceKeys.map((key) => `${quoteIdentifier(key)}::text`);
  const legacyMappedSql: Record<string, string> = {};
  serviceKeys.forEach((key, i) => (legacyMappedSql[key] = legacyKeyText[i] as string));
  legacyColumns.forEach((column, i) => {
    const target = renamed.get(column);
    if (target !== undefined) legacyMappedSql[target] = legacyColumnText[i] as string;
  });
  for (const { from, into, separator } of mapping.split) {
    const value = `${quoteIdentifier(from)}::text`;
    const at = `strpos(${value}, ${sqlLiteral(separator)})`;
    legacyMappedSql[into[0]] = `CASE WHEN ${at} = 0 THEN ${value} ELSE substr(${value}, 1, ${at} - 1) END`;
    legacyMappedSql[into[1]] =
      `CASE WHEN ${at} = 0 THEN '' ELSE substr(${value}, ${at} + ${[...separator].length}) END`;
  }
  return {
    service,
    mapping,
    legacyTable,
    serviceTable,
    legacySql: qualifiedTableSql(legacyName),
    serviceSql: qualifiedTableSql(serviceName),
    legacyKeys,
    serviceKeys,
    keyKinds,
    legacyColumns,
    compared,
    legacySelect: [...legacyKeyText, ...legacyColumnText],
    legacySelectUncast: [...legacyKeys, ...legacyColumns].map((column) => `${quoteIdentifier(column)}::text`),
    serviceSelect: [...serviceKeyText, ...compared.map((column) => `${quoteIdentifier(column)}::text`)],
    legacyOrder: legacyKeys.map((key, i) =>
      keyOrderSql(keyKinds[i] as KeyOrderKind, quoteIdentifier(key), legacyKeyText[i] as string),
    ),
    serviceOrder: serviceKeys.map((key, i) =>
      keyOrderSql(keyKinds[i] as KeyOrderKind, quoteIdentifier(key), serviceKeyText[i] as string),
    ),
    legacyMappedSql,
    legacyTypes,
    serviceTypes,
    forward,
    inverse,
  };
}
