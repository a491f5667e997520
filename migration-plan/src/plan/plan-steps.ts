import { formatTableName, type MigrationConfig, type ServiceConfig, tableNameOf } from "@strangler/migration-config";
import type { TableOwner } from "@strangler/ops-contract";
import type { NextPlanState } from "@strangler/toolkit-store";

/** The steps every plan is made of, in order; a service has those its config gives it the means for. */
export const PLAN_STEP_IDS = [
  "prepare",
  "sync",
  "verify-data",
  "shadow",
  "canary-reads",
  "switch-writes",
  "decommission",
] as const;
export type PlanStepId = (typeof PLAN_STEP_IDS)[number];

/** One step of a service's plan: what it does, what must hold before the plan goes past it, how it is undone. */
export interface PlanStep {
  id: PlanStepId;
  title: string;
  action: string;
  gate: string;
  rollback: string;
  /** Labels of the step's stages in order (the canary's shares); one stage for the other steps. */
  stages: readonly string[];
}

/** The legacy tables of a service's data section (canonical names), in the config's order. */
export function serviceTables(service: ServiceConfig): string[] {
  return (service.data?.tables ?? []).map((table) => formatTableName(tableNameOf(table.source)));
}

function findService(config: MigrationConfig, name: string): ServiceConfig {
  const service = config.services.find((s) => s.name === name);
  if (!service)
    throw new Error(
      `no service "${name}" in the migration config (services: ${config.services.map((s) => s.name).join(", ")})`,
    );
  return service;
}

/**
 * A service's plan from its config: prepare → sync → verify data (with a data section) → shadow →
 * canary reads (with read routes) → switch writes (with write routes or a data section) →
 * decommission (once the service owns writes: a service that only serves reads of tables the
 * monolith still writes, like a catalog of products, stops at its canary).
 */
export function servicePlan(config: MigrationConfig, name: string): PlanStep[] {
  const service = findService(config, name);
  const { plan, routes, data } = service;
  const gates = plan.gates;
  const tables = serviceTables(service).join(", ");
  const steps: PlanStep[] = [];
  const one = (step: Omit<PlanStep, "stages">) => steps.push({ ...step, stages: [step.title] });
  if (data) {
    one({
      id: "prepare",
      title: "prepare the service database",
      action: `check that the service database has the mapped tables (${tables}) with their keys`,
      gate: "the data section resolves against both catalogs",
      rollback: "nothing to undo",
    });
    one({
      id: "sync",
      title: "sync (snapshot + stream)",
      action: `the forward CDC stream ${config.legacy.name} → ${service.name} copies the tables, then streams every change`,
      gate: `the stream is streaming with lag ≤ ${gates.cdc.maxLagSeconds} s`,
      rollback: "nothing to undo (the stream keeps the copy current)",
    });
    one({
      id: "verify-data",
      title: "verify data",
      action: "run `strangler parity data` on the service's tables",
      gate: `the last parity run is equal and at most ${gates.parity.maxAgeSeconds} s old`,
      rollback: "nothing to undo",
    });
  }
  const mirrorsWrites = routes.writes.length > 0 && service.dryRun;
  if (routes.reads.length > 0 || mirrorsWrites)
    one({
      id: "shadow",
      title: mirrorsWrites ? "shadow reads and writes (dry-run)" : "shadow reads",
      action: `turn the shadow flag on for the ${mirrorsWrites ? "read and write" : "read"} routes: the monolith answers, the service is compared`,
      gate: `match rate ≥ ${gates.shadow.minMatchRate * 100} % over at least ${gates.shadow.minSample} compared requests (fewer: hold)`,
      rollback: "turn the shadow flags off",
    });
  if (routes.reads.length > 0)
    steps.push({
      id: "canary-reads",
      title: "canary reads",
      action: `serve the read routes from the service, a share at a time: ${plan.canary.reads.map((p) => `${p} %`).join(" → ")}`,
      gate: `at each share, at least ${gates.canary.minSample} requests per side; error rate at most ${gates.canary.maxErrorRateIncrease * 100} points above the monolith's and median latency at most ${gates.canary.maxLatencyRatio}× (${gates.canary.confidence * 100} % confidence); shadow match rate kept; CDC lag ≤ ${gates.cdc.maxLagSeconds} s`,
      rollback: "back to the previous share (0 % before the first)",
      stages: plan.canary.reads.map((p) => `${p} % of reads`),
    });
  const ownsWrites = routes.writes.length > 0;
  if (ownsWrites)
    one({
      id: "switch-writes",
      title: "switch writes",
      action: data
        ? `turn the reverse stream on, serve the write routes from the service, confirm no legacy write reaches ${tables} any more, stop the forward stream: the service owns the writes`
        : "serve the write routes from the service",
      gate: data
        ? "no legacy writes to the moved tables (besides the reverse stream's own); reverse lag within bounds"
        : "the write routes' error rate and latency hold",
      rollback: "the same in reverse: forward stream on, write routes back to the monolith, reverse stream off",
    });
  if (ownsWrites)
    one({
      id: "decommission",
      title: "decommission",
      action:
        "write the cleanup script (legacy foreign keys and tables, the routes in the config, slots and publications); never run it",
      gate: `no legacy traffic on the service's routes and no legacy writes to its tables for ${gates.decommission.evidenceSeconds} s`,
      rollback: "none after the script ran; until then, roll back the steps before",
    });
  return steps;
}

/** Where a plan starts: its first step, nothing moved, the monolith owning every table's writes. */
export function initialPlanState(config: MigrationConfig, name: string): NextPlanState {
  const steps = servicePlan(config, name);
  const owners: Record<string, TableOwner> = {};
  for (const table of serviceTables(findService(config, name))) owners[table] = "legacy";
  return {
    step: steps[0]?.id ?? "decommission",
    stage: 0,
    status: "idle",
    owners,
    enteredAt: null,
    sync: null,
    pending: null,
  };
}
