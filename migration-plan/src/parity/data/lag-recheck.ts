import type { ParityDifference } from "@strangler/ops-contract";
import type pg from "pg";
import type { CdcPositions, CdcWait } from "./cdc-positions";
import { keyId, readRowsByKey } from "./keyed-read";
import { differingColumns, expectedServiceRow, sameRow } from "./row-compare";
import type { TextRow } from "./side-reader";
import type { ParityTablePlan } from "./table-plan";

/** A difference seen in a scan, not yet known to persist. */
export interface Suspect {
  key: string[];
}

/** What the re-check found: differences that persisted, rows that agreed once CDC caught up, rows still moving. */
export interface RecheckOutcome {
  differences: ParityDifference[];
  inFlight: number;
  unsettled: ParityDifference[];
}

export interface RecheckDeps {
  plan: ParityTablePlan;
  /** Connections outside the scans' snapshots. */
  legacy: pg.Client;
  service: pg.Client;
  /** The side that owns the table's writes; the stream `direction` copies them to the other side. */
  owner: "legacy" | "service";
  direction: string;
  cdc: CdcPositions;
  /** Whether differences are waited out against the stream's position (its status is readable). */
  lagAware: boolean;
  lagTimeoutMs: number;
  rounds: number;
}

/** Compares a legacy row and a service row of one key (either may be missing): null when they agree. */
export function classifyRows(
  plan: ParityTablePlan,
  key: string[],
  legacy: TextRow | undefined,
  service: TextRow | undefined,
): ParityDifference | null {
  if (legacy === undefined && service === undefined) return null;
  if (service === undefined) return { kind: "only_in_legacy", key, columns: [] };
  if (legacy === undefined) return { kind: "only_in_service", key, columns: [] };
  const columns = differingColumns(plan, expectedServiceRow(plan, legacy), service);
  return columns.length === 0 ? null : { kind: "mismatched", key, columns };
}

/**
 * Re-checks suspects the way a lagging copy must be judged (AWS DMS validation waits out
 * replication lag the same way): read the owner's rows and the WAL position after the read, wait
 * until the CDC stream has applied past it, read the copy, compare. A row that still differs is
 * reported only if the owner's row did not change meanwhile; one that changed is checked again, up
 * to `rounds` times, then listed as unsettled. Rows that agree were in flight.
 */
export async function recheckSuspects(suspects: readonly Suspect[], deps: RecheckDeps): Promise<RecheckOutcome> {
  const { plan } = deps;
  const legacyRead = {
    tableSql: plan.legacySql,
    select: plan.legacySelect,
    keyColumns: plan.legacyKeys,
    keyTypes: plan.legacyTypes,
  };
  const serviceRead = {
    tableSql: plan.serviceSql,
    select: plan.serviceSelect,
    keyColumns: plan.serviceKeys,
    keyTypes: plan.serviceTypes,
  };
  const ownerRead = deps.owner === "legacy" ? legacyRead : serviceRead;
  const ownerClient = deps.owner === "legacy" ? deps.legacy : deps.service;
  const outcome: RecheckOutcome = { differences: [], inFlight: 0, unsettled: [] };
  let pending = suspects.map((suspect) => suspect.key);
  let last = new Map<string, ParityDifference>();
  for (let round = 0; round < deps.rounds && pending.length > 0; round += 1) {
    const owned = await readRowsByKey(ownerClient, ownerRead, pending, true);
    const wait: CdcWait =
      deps.lagAware && owned.lsn !== null
        ? await deps.cdc.waitPast(deps.direction, owned.lsn, deps.lagTimeoutMs)
        : "unavailable";
    const copy =
      deps.owner === "legacy"
        ? await readRowsByKey(deps.service, serviceRead, pending, false)
        : await readRowsByKey(deps.legacy, legacyRead, pending, false);
    const [legacyRows, serviceRows] = deps.owner === "legacy" ? [owned.rows, copy.rows] : [copy.rows, owned.rows];
    const candidates: string[][] = [];
    last = new Map();
    for (const key of pending) {
      const id = keyId(key);
      const difference = classifyRows(plan, key, legacyRows.get(id), serviceRows.get(id));
      if (difference === null) outcome.inFlight += 1;
      else {
        candidates.push(key);
        last.set(id, difference);
      }
    }
    if (candidates.length === 0) return outcome;
    // The owner's row unchanged since the copy caught up with it: the difference is real.
    const again = await readRowsByKey(ownerClient, ownerRead, candidates, false);
    const settled = wait !== "behind";
    pending = [];
    for (const key of candidates) {
      const id = keyId(key);
      if (settled && sameRow(owned.rows.get(id), again.rows.get(id)))
        outcome.differences.push(last.get(id) as ParityDifference);
      else pending.push(key);
    }
  }
  for (const key of pending) {
    const seen = last.get(keyId(key));
    outcome.unsettled.push({ kind: "unsettled", key, columns: seen?.columns ?? [] });
  }
  return outcome;
}
