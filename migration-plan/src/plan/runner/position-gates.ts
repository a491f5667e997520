import type { MigrationConfig } from "@strangler/migration-config";
import { forwardDirection, reverseDirection } from "@strangler/cdc";
import type { GateResult, PlanState } from "@strangler/ops-contract";
import { canaryGate } from "../gates/canary-gate";
import { cdcLagGate } from "../gates/cdc-lag-gate";
import { decommissionGate } from "../gates/decommission-gate";
import { parityGate } from "../gates/parity-gate";
import { shadowGate } from "../gates/shadow-gate";
import { serviceTables } from "../plan-steps";
import { ownerViolationsGate, violationsSince } from "./owner-violations-gate";
import type { PlanEvidence } from "./plan-evidence";
import type { PlanPosition } from "./plan-positions";

/** pass only when every gate passes; any fail fails; otherwise hold. */
export function combinedVerdict(gates: readonly GateResult[]): GateResult["verdict"] {
  if (gates.some((g) => g.verdict === "fail")) return "fail";
  return gates.every((g) => g.verdict === "pass") ? "pass" : "hold";
}

/**
 * The gates a position must pass before the plan leaves it, measured now from live sources over
 * the evidence gathered since the plan entered it (`state.enteredAt`).
 */
export async function positionGates(
  config: MigrationConfig,
  position: PlanPosition,
  state: PlanState,
  evidence: PlanEvidence,
  now: number,
): Promise<GateResult[]> {
  const service = config.services.find((s) => s.name === state.service);
  if (!service) throw new Error(`no service "${state.service}" in the migration config`);
  const gates = service.plan.gates;
  const since = state.enteredAt === null ? now : Date.parse(state.enteredAt);
  const reads = service.routes.reads.map((r) => r.id);
  const writes = service.routes.writes.map((r) => r.id);
  const shadowed = [...reads, ...(service.dryRun ? writes : [])];
  const forward = forwardDirection(config, service.name);
  const reverse = reverseDirection(config, service.name);
  switch (position.step.id) {
    case "prepare":
      return [await evidence.mappings(service.name)];
    case "sync":
      return [cdcLagGate(await evidence.cdcStatus(), forward, gates.cdc.maxLagSeconds)];
    case "verify-data":
      return [
        parityGate(await evidence.lastParityRun(service.name), service.name, serviceTables(service), gates.parity, now),
      ];
    case "shadow":
      return [shadowGate(await evidence.shadow(service.name, shadowed, since), gates.shadow)];
    case "canary-reads": {
      const share = service.plan.canary.reads[position.stage] ?? 0;
      const traffic = await evidence.traffic(service.name, reads, since);
      const result: GateResult[] = [
        canaryGate({ ...traffic, share }, gates.canary),
        shadowGate(await evidence.shadow(service.name, reads, since), gates.shadow),
      ];
      if (service.data) result.push(cdcLagGate(await evidence.cdcStatus(), forward, gates.cdc.maxLagSeconds));
      return result;
    }
    case "switch-writes": {
      if (!service.data) {
        const traffic = await evidence.traffic(service.name, writes, since);
        return [canaryGate({ ...traffic, share: 100 }, gates.canary)];
      }
      const status = await evidence.cdcStatus();
      return [cdcLagGate(status, reverse, gates.cdc.maxLagSeconds), ownerViolationsGate(status, forward, since)];
    }
    case "decommission": {
      const traffic = await evidence.traffic(service.name, [...reads, ...writes], since);
      const status = service.data ? await evidence.cdcStatus() : null;
      const stream = status?.streams.find((s) => s.direction === forward);
      return [
        decommissionGate({
          windowSeconds: gates.decommission.evidenceSeconds,
          observedSeconds: Math.max(0, (now - since) / 1000),
          legacyRequests: traffic.legacy.requests,
          legacyWrites: violationsSince(stream, since),
        }),
      ];
    }
  }
}
