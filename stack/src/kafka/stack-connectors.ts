import { debeziumConnectors } from "@strangler/cdc/src/connectors";
import type { MigrationConfig } from "@strangler/migration-config";
import type { ConnectorDefinition } from "./connect-client";

export interface StackConnectors {
  /** Registered (PUT) on every `up`. */
  wanted: ConnectorDefinition[];
  /** Deleted when present: e.g. the reverse connector after data.reverse was turned off. */
  unwanted: string[];
  /** The definitions of `unwanted`, in the same order: their slot and publication are dropped after the DELETE. */
  retired: ConnectorDefinition[];
}

/**
 * The Debezium connectors of the migration config, generated from its `data` sections
 * (debeziumConnectors, the same function `npx strangler connectors` writes cdc/connectors with):
 * the forward connector of each service with `data`, its reverse one when `data.reverse` is true;
 * a reverse connector that is not wanted is retired. `_repoRoot` is kept for the callers' signature.
 */
export function stackConnectors(_repoRoot: string, migration: MigrationConfig): StackConnectors {
  const result: StackConnectors = { wanted: [], unwanted: [], retired: [] };
  for (const { wanted, connector } of debeziumConnectors(migration)) {
    if (wanted) result.wanted.push(connector);
    else {
      result.unwanted.push(connector.name);
      result.retired.push(connector);
    }
  }
  return result;
}
