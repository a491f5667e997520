import type { MigrationConfig } from "@strangler/migration-config";
import type { PlanState } from "@strangler/ops-contract";
import type { NextPlanState, PlanStore } from "@strangler/toolkit-store";
import { initialPlanState, type PlanStep, servicePlan } from "../../plan/plan-steps";
import { createTextStyle } from "../text-style";

/** One service in `strangler plan status`: its steps, its stored state (null before the plan started) and the state in effect. */
export interface ServicePlanStatus {
  service: string;
  steps: PlanStep[];
  state: PlanState | null;
  effective: NextPlanState;
}

/** The plan of every service of the config (or one), with the state the toolkit database holds. */
export async function collectPlanStatus(
  config: MigrationConfig,
  store: Pick<PlanStore, "states">,
  only?: string,
): Promise<ServicePlanStatus[]> {
  const states = await store.states();
  return config.services
    .filter((service) => only === undefined || service.name === only)
    .map((service) => {
      const state = states.find((s) => s.service === service.name) ?? null;
      const { step, stage, status, owners, enteredAt, sync, pending } = state ?? initialPlanState(config, service.name);
      return {
        service: service.name,
        steps: servicePlan(config, service.name),
        state,
        effective: { step, stage, status, owners, enteredAt, sync, pending },
      };
    });
}

/** `plan status` as text: per service its steps (done, current with its stage, to come) and who owns each table's writes. */
export function formatPlanStatus(services: readonly ServicePlanStatus[], options: { color: boolean }): string {
  const style = createTextStyle(options.color);
  return services
    .map(({ service, steps, state, effective }) => {
      const current = steps.findIndex((step) => step.id === effective.step);
      const step = steps[current];
      const stage = step && step.stages.length > 1 ? ` (${step.stages[effective.stage] ?? "?"})` : "";
      const where = state === null ? "not started" : `${effective.status.replace("_", " ")}`;
      const lines = [
        `${style.bold(service)}  step ${current + 1}/${steps.length}: ${step?.title ?? effective.step}${stage}, ${where}`,
      ];
      steps.forEach((s, i) => {
        const mark =
          i < current || effective.status === "done" ? style.green("✓") : i === current ? style.yellow("▶") : "·";
        const stages = s.stages.length > 1 ? `: ${s.stages.join(" → ")}` : "";
        lines.push(`  ${mark} ${s.title}${stages}`);
        if (i === current)
          lines.push(`      does:      ${s.action}`, `      gate:      ${s.gate}`, `      roll back: ${s.rollback}`);
      });
      if (effective.pending)
        lines.push(
          `  pending: ${effective.pending.action} since ${effective.pending.startedAt} ('plan next' finishes it)`,
        );
      const owners = Object.entries(effective.owners);
      if (owners.length > 0)
        lines.push(`  writes owned by: ${owners.map(([table, owner]) => `${table} → ${owner}`).join(", ")}`);
      return lines.join("\n");
    })
    .join("\n\n");
}
