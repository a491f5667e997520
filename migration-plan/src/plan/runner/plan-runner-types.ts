import type { GateResult, ParityRunReport, PlanState, SyncDirections, TableOwner } from "@strangler/ops-contract";
import type { PlanStore } from "@strangler/toolkit-store";
import type { DesiredWorld } from "./desired-world";
import type { PlanEvidence } from "./plan-evidence";

/** What the plan does to the world; each call is idempotent (absolute targets), so a crashed move can be redone. */
export interface PlanEffects {
  /** Sets the routes' flags in Unleash, then waits until every proxy replica reports them (PLAN_UNCONFIRMED if not). */
  applyFlags(changes: DesiredWorld["flags"]): Promise<void>;
  /** Waits until the CDC process follows plan state `version` of the service (PLAN_UNCONFIRMED if not). */
  confirmSync(service: string, sync: SyncDirections | null, version: number): Promise<void>;
  /** Waits until no write from `side` reaches the service's tables for a quiet window; the gate says what it saw. */
  quietWrites(service: string, side: "legacy" | "service"): Promise<GateResult>;
  /** Runs data parity on the service's tables, each compared against its owner. */
  runParity(service: string, owners: Record<string, TableOwner>): Promise<ParityRunReport>;
  /** Writes the decommission cleanup script (never runs it); returns the files written. */
  writeCleanupScript(service: string): Promise<string[]>;
}

/** Narration of what the runner does, as it does it. */
export interface PlanEvent {
  service: string;
  kind: "phase" | "gates" | "state";
  message: string;
  gates?: GateResult[];
}

export interface PlanRunnerDeps {
  store: PlanStore;
  evidence: PlanEvidence;
  effects: PlanEffects;
  /** Who acts, for the audit log ("ada@host (strangler plan next)"). */
  actor: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  observe?: (event: PlanEvent) => void;
}

/** What one `next`, `rollback` or dry run did (or would do). */
export interface PlanOutcome {
  service: string;
  result: "advanced" | "held" | "failed" | "rolled-back" | "done" | "dry-run";
  /** Labels of the positions before and after ("canary reads at 10 % of reads"); null: before the plan. */
  from: string | null;
  to: string | null;
  gates: GateResult[];
  message: string;
  /** The move's phases, described (a dry run's are what it would do). */
  phases: string[];
  state: PlanState | null;
}
