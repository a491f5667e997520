import { quoteIdentifier } from "@strangler/migration-config";
import { expectedServiceRow } from "./row-compare";
import type { TextRow } from "./side-reader";
import { type ParityTablePlan, sqlLiteral } from "./table-plan";

const literal = (value: unknown): string =>
  value === null || value === undefined ? "NULL" : sqlLiteral(String(value));

function where(columns: readonly string[], values: readonly unknown[]): string {
  return columns.map((column, i) => `${quoteIdentifier(column)} = ${literal(values[i])}`).join(" AND ");
}

function upsert(
  tableSql: string,
  keys: readonly string[],
  key: readonly unknown[],
  values: Record<string, unknown>,
): string {
  const columns = Object.keys(values).filter((column) => !keys.includes(column));
  const names = [...keys, ...columns].map(quoteIdentifier).join(", ");
  const row = [...key, ...columns.map((column) => values[column])].map(literal).join(", ");
  const conflict = keys.map(quoteIdentifier).join(", ");
  const set = columns.map((c) => `${quoteIdentifier(c)} = EXCLUDED.${quoteIdentifier(c)}`).join(", ");
  return `INSERT INTO ${tableSql} (${names}) VALUES (${row}) ON CONFLICT (${conflict}) DO ${set ? `UPDATE SET ${set}` : "NOTHING"};`;
}

/**
 * The statement that makes the copy's row of `key` equal to the owner's row as it is now
 * (`ownerRow`, read through the plan's SELECT list; undefined when the owner has no such row):
 * an upsert of the mapped values, or a delete. The copy is the service table when the legacy side
 * owns the writes (values through the mapping), the legacy table otherwise (through its inverse).
 */
export function fixupStatement(
  plan: ParityTablePlan,
  owner: "legacy" | "service",
  key: readonly string[],
  ownerRow: TextRow | undefined,
): string {
  if (owner === "legacy") {
    if (ownerRow === undefined) return `DELETE FROM ${plan.serviceSql} WHERE ${where(plan.serviceKeys, key)};`;
    const expected = expectedServiceRow(plan, ownerRow);
    const values = Object.fromEntries(plan.compared.map((column, i) => [column, expected.values[i]]));
    return upsert(plan.serviceSql, plan.serviceKeys, expected.key, values);
  }
  if (ownerRow === undefined) return `DELETE FROM ${plan.legacySql} WHERE ${where(plan.legacyKeys, key)};`;
  const image: Record<string, string | null> = {};
  [...plan.serviceKeys, ...plan.compared].forEach((column, i) => (image[column] = ownerRow[i] ?? null));
  const mapped = plan.inverse.map(image);
  return upsert(plan.legacySql, plan.legacyKeys, mapped.key, mapped.values);
}
