import type { TextRow } from "./side-reader";
import type { ParityTablePlan } from "./table-plan";

/** A legacy row mapped onto the service table: its key and the compared columns' text, in plan.compared order. */
export interface ExpectedRow {
  key: string[];
  values: Array<string | null>;
}

/** Maps a legacy row (plan.legacySelect order) through the config's mapping: the row the service should hold. */
export function expectedServiceRow(plan: ParityTablePlan, legacy: TextRow): ExpectedRow {
  const image: Record<string, string | null> = {};
  const keys = plan.legacyKeys.length;
  plan.legacyKeys.forEach((column, i) => (image[column] = legacy[i] ?? null));
  plan.legacyColumns.forEach((column, i) => (image[column] = legacy[keys + i] ?? null));
  const mapped = plan.forward.map(image);
  return {
    key: mapped.key as string[],
    values: plan.compared.map((column) => {
      const value = mapped.values[column];
      return value === undefined || value === null ? null : (value as string);
    }),
  };
}

/** The key of a row as read (either side: the key columns come first). */
export function keyOfRow(plan: ParityTablePlan, row: TextRow): string[] {
  return row.slice(0, plan.serviceKeys.length) as string[];
}

/** The service columns that differ between the expected row and the service row (plan.serviceSelect order). */
export function differingColumns(plan: ParityTablePlan, expected: ExpectedRow, service: TextRow): string[] {
  const keys = plan.serviceKeys.length;
  const differing: string[] = [];
  for (let i = 0; i < plan.compared.length; i += 1)
    if (expected.values[i] !== (service[keys + i] ?? null)) differing.push(plan.compared[i] as string);
  return differing;
}

/** Two rows as read are the same (a re-read found the row unchanged). */
export function sameRow(a: TextRow | undefined, b: TextRow | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
