import type { MigrationConfig, ServiceConfig } from "@strangler/migration-config";
import type { SyncDirections, TableOwner } from "@strangler/ops-contract";
import { serviceTables } from "../plan-steps";
import type { PlanPosition } from "./plan-positions";

/** A route's two flags as percentages. */
export interface RouteFlags {
  serve: number;
  shadow: number;
}

/** What the world looks like once the plan stands at a position: flags, CDC directions, table owners. */
export interface DesiredWorld {
  /** Every route of the service, in the config's order. */
  flags: Array<{ routeId: string; kind: "read" | "write" } & RouteFlags>;
  /** null: the migration config decides (forward applies, reverse as data.reverse says). */
  sync: SyncDirections | null;
  owners: Record<string, TableOwner>;
}

const ownedBy = (service: ServiceConfig, owner: TableOwner): Record<string, TableOwner> =>
  Object.fromEntries(serviceTables(service).map((table) => [table, owner]));

/**
 * The world of a position (null: before the plan's first action). Before shadow nothing is routed;
 * shadow mirrors the reads (and the writes, when the service runs them as dry runs); the canary
 * serves its share of reads and keeps mirroring (the monolith becomes the candidate for the moved
 * users); switch writes serves the writes too, stops mirroring them, turns the reverse stream on
 * and makes the forward one watch: the service owns the tables. Decommission stops every mirror:
 * the monolith gets nothing more from these routes.
 */
export function desiredWorld(
  config: MigrationConfig,
  serviceName: string,
  position: PlanPosition | null,
): DesiredWorld {
  const service = config.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`no service "${serviceName}" in the migration config`);
  const step = position?.step.id;
  const shares = service.plan.canary.reads;
  const at = (ids: readonly string[]) => (step === undefined ? -1 : ids.indexOf(step));
  // How far the plan has come, as the first step it has reached of each kind.
  const shadowing = at(["shadow", "canary-reads", "switch-writes"]) >= 0;
  const readServe =
    step === "canary-reads"
      ? (shares[position?.stage ?? 0] ?? 0)
      : at(["switch-writes", "decommission"]) >= 0
        ? 100
        : 0;
  const writesMoved = at(["switch-writes", "decommission"]) >= 0;
  const mirrorsWrites = service.dryRun && !writesMoved && shadowing;
  const flags = [
    ...service.routes.reads.map((route) => ({
      routeId: route.id,
      kind: "read" as const,
      serve: readServe,
      shadow: shadowing ? 100 : 0,
    })),
    ...service.routes.writes.map((route) => ({
      routeId: route.id,
      kind: "write" as const,
      serve: writesMoved ? 100 : 0,
      shadow: mirrorsWrites ? 100 : 0,
    })),
  ];
  const hasData = service.data !== undefined;
  return {
    flags,
    sync: writesMoved && hasData ? { forward: "watch", reverse: true } : null,
    owners: ownedBy(service, writesMoved ? "service" : "legacy"),
  };
}

/** The routes whose flags differ between two worlds, with the target flags. */
export function flagChanges(from: DesiredWorld, to: DesiredWorld): DesiredWorld["flags"] {
  return to.flags.filter((target) => {
    const before = from.flags.find((f) => f.routeId === target.routeId);
    return !before || before.serve !== target.serve || before.shadow !== target.shadow;
  });
}

/** Whether the move hands the tables' writes from one side to the other (the write switch or its rollback). */
export function ownershipMove(from: DesiredWorld, to: DesiredWorld): "to-service" | "to-legacy" | null {
  const tables = Object.keys(to.owners);
  if (tables.length === 0) return null;
  const was = tables.some((t) => from.owners[t] === "service");
  const will = tables.some((t) => to.owners[t] === "service");
  return was === will ? null : will ? "to-service" : "to-legacy";
}
