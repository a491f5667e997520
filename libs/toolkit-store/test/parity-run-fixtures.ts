import { emptyParityCounts, type ParityDifference, type ParityTableReport } from "@strangler/ops-contract";

/** A table report as a run starts it (pending, nothing counted). */
export function tableReport(legacyTable: string, fields: Partial<ParityTableReport> = {}): ParityTableReport {
  return {
    service: "svc",
    legacyTable,
    serviceTable: `svc.${legacyTable}`,
    keyColumns: ["id"],
    mode: "full",
    owner: "legacy",
    status: "pending",
    counts: emptyParityCounts(),
    columns: {},
    lastKey: null,
    equal: false,
    startedAt: null,
    finishedAt: null,
    ...fields,
  };
}

/** A mismatch on a one-column key. */
export const mismatch = (key: string, columns = ["name"]): ParityDifference => ({
  kind: "mismatched",
  key: [key],
  columns,
});
/** A row only in the legacy table. */
export const onlyInLegacy = (key: string): ParityDifference => ({ kind: "only_in_legacy", key: [key], columns: [] });
/** A clock that reads `start` and moves on one second per call. */
export const clock = (start: number) => {
  let at = start - 1_000;
  return () => (at += 1_000);
};
