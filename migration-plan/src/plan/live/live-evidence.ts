import type { MigrationConfig } from "@strangler/migration-config";
import type { CdcStatusDocument } from "@strangler/ops-contract";
import type { ParityRunStore, ShadowResultStore } from "@strangler/toolkit-store";
import type { PlanEvidence, TrafficEvidence } from "../runner/plan-evidence";
import { checkServiceMappings } from "./mappings-check";

/** How many recent parity runs are searched for one that covered a service. */
const PARITY_RUNS_SEARCHED = 20;

/** The live sources of the gates: the toolkit database's stores and the CDC process's status. */
export function createLiveEvidence(options: {
  config: MigrationConfig;
  shadow: Pick<ShadowResultStore, "report">;
  parity: Pick<ParityRunStore, "runs">;
  traffic: (service: string, routeIds: readonly string[], since: number) => Promise<TrafficEvidence>;
  readCdcStatus: () => Promise<CdcStatusDocument>;
  now?: () => number;
}): PlanEvidence {
  const now = options.now ?? Date.now;
  return {
    mappings: (service) => checkServiceMappings(options.config, service),
    async shadow(service, routeIds, since) {
      const report = await options.shadow.report({ since, until: now(), service });
      return report.routes.filter((route) => routeIds.includes(route.routeId));
    },
    async lastParityRun(service) {
      const runs = await options.parity.runs({ limit: PARITY_RUNS_SEARCHED });
      return runs.find((run) => run.tables.some((table) => table.service === service));
    },
    // A CDC process that does not answer is evidence of nothing: the gates that need it hold.
    cdcStatus: () => options.readCdcStatus().catch(() => null),
    traffic: options.traffic,
  };
}
