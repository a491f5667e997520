import type { GateResult } from "@strangler/ops-contract";
import type { AutoOutcome } from "../../plan/runner/plan-runner";
import type { PlanEvent, PlanOutcome } from "../../plan/runner/plan-runner-types";
import { createTextStyle } from "../text-style";

/** A gate's verdict as one line: "✔ shadow: pass: match rate …". */
export function formatGate(gate: GateResult, color: boolean): string {
  const style = createTextStyle(color);
  const mark =
    gate.verdict === "pass"
      ? style.green("✔ pass")
      : gate.verdict === "hold"
        ? style.yellow("… hold")
        : style.red("✘ fail");
  return `  ${mark} ${gate.gate}: ${gate.message}`;
}

/** A runner event as the narration prints it. */
export function formatPlanEvent(event: PlanEvent, color: boolean): string {
  const style = createTextStyle(color);
  if (event.kind === "gates" && event.gates) return event.gates.map((g) => formatGate(g, color)).join("\n");
  return event.kind === "phase" ? `  ${style.dim("→")} ${event.message}` : style.bold(event.message);
}

/** What one `plan next`, `rollback` or dry run did, as text. */
export function formatPlanOutcome(outcome: PlanOutcome, color: boolean): string {
  const style = createTextStyle(color);
  const lines = [style.bold(`${outcome.service}: ${outcome.message}`)];
  if (outcome.result === "dry-run") {
    for (const gate of outcome.gates) lines.push(formatGate(gate, color));
    for (const phase of outcome.phases) lines.push(`  would: ${phase}`);
    lines.push(style.dim("  (dry run: nothing changed)"));
  }
  return lines.join("\n");
}

/** How `plan auto` ended. */
export function formatAutoOutcome(outcome: AutoOutcome, color: boolean): string {
  const style = createTextStyle(color);
  const why: Record<AutoOutcome["stoppedBecause"], string> = {
    done: style.green("the plan is complete"),
    "max-steps": "stopped after the allowed number of moves",
    deadline: style.yellow("stopped at the deadline"),
    failed: style.red("stopped: a gate failed (nothing served had moved at this step, so nothing was rolled back)"),
    "rolled-back": style.red("a gate failed: rolled back one position and stopped"),
  };
  const moves = outcome.outcomes.filter((o) => o.result === "advanced" || o.result === "rolled-back").length;
  return `${style.bold(`${outcome.service}: ${why[outcome.stoppedBecause]}`)} (${moves} move(s)); ${outcome.final.message}`;
}
