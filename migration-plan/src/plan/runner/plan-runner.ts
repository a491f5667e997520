import type { MigrationConfig } from "@strangler/migration-config";
import type { GateResult, PlanState } from "@strangler/ops-contract";
import type { NextPlanState, PlanAuditRecord } from "@strangler/toolkit-store";
import { PLAN_AUTO_POLL_INTERVAL } from "../../defaults";
import { PlanError } from "../plan-error";
import { initialPlanState, servicePlan } from "../plan-steps";
import { desiredWorld } from "./desired-world";
import { describePhase, movePhases, sameSync } from "./move-phases";
import { combinedVerdict, positionGates } from "./position-gates";
import { type PlanPosition, planPositions, positionOf } from "./plan-positions";
import type { PlanOutcome, PlanRunnerDeps } from "./plan-runner-types";

/** Why `plan auto` stopped. */
export type AutoStop = "done" | "failed" | "rolled-back" | "max-steps" | "deadline";

export interface AutoOutcome {
  service: string;
  stoppedBecause: AutoStop;
  /** Every move and every verdict change, in order (holds only when the hold is new). */
  outcomes: PlanOutcome[];
  final: PlanOutcome;
}

export interface PlanRunner {
  /** Finishes an interrupted move, or passes the current position's gates and moves one position on. */
  next(service: string, options?: { dryRun?: boolean }): Promise<PlanOutcome>;
  /** Undoes the current position's action (or the interrupted move), back one position. */
  rollback(service: string, options?: { dryRun?: boolean; gates?: GateResult[] }): Promise<PlanOutcome>;
  /** Moves the world back to before the plan from wherever it stands (done included) and starts the plan over. */
  reset(service: string): Promise<PlanOutcome>;
  /** Advances while gates pass, waits while they hold, rolls back when one fails; bounded by steps and a deadline. */
  auto(service: string, options: { maxSteps: number; deadline: number; pollMs?: number }): Promise<AutoOutcome>;
}

type PositionRef = { step: string; stage: number } | null;
const ref = (position: PlanPosition | null): PositionRef =>
  position === null ? null : { step: position.step.id, stage: position.stage };
const label = (position: PlanPosition | null) => position?.label ?? "before the plan";
/** Steps whose gate failing means users are exposed: auto rolls them back. Shadow and data checks fail in place. */
const EXPOSING = new Set(["canary-reads", "switch-writes", "decommission"]);

/**
 * The plan runner (DESIGN "The plan"): one position at a time, each move written first as a
 * pending action (so a crashed run is finished once by the next `plan next`), every effect an
 * absolute target confirmed by the component that applies it, and every flip in the audit log
 * with the gate figures that allowed or refused it. Only one runner acts at a time (the toolkit
 * database's runner lock).
 */
export function createPlanRunner(config: MigrationConfig, deps: PlanRunnerDeps): PlanRunner {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const iso = () => new Date(now()).toISOString();
  const emit = (service: string, kind: "phase" | "gates" | "state", message: string, gates?: GateResult[]) =>
    deps.observe?.({ service, kind, message, ...(gates ? { gates } : {}) });

  const positionsOf = (service: string) => planPositions(servicePlan(config, service));
  const at = (positions: PlanPosition[], service: string, target: PositionRef) =>
    target === null ? null : positionOf(positions, { service, ...target });
  const refsOf = (state: PlanState) => {
    const target = state.pending?.target as { from?: PositionRef; to?: PositionRef } | undefined;
    return { from: target?.from ?? null, to: target?.to ?? null };
  };

  const fields = (state: PlanState): NextPlanState => ({
    step: state.step,
    stage: state.stage,
    status: state.status,
    owners: state.owners,
    enteredAt: state.enteredAt,
    sync: state.sync,
    pending: state.pending,
  });
  const write = (
    state: PlanState,
    patch: Partial<NextPlanState>,
    audit: Omit<PlanAuditRecord, "actor" | "gates"> & { gates?: GateResult[] },
  ) =>
    deps.store.transition(
      state.service,
      state.version,
      { ...fields(state), ...patch },
      { actor: deps.actor, gates: [], ...audit },
    );

  /** The stored state; the first use records the plan's start, so every later flip has a before. */
  const stored = async (service: string): Promise<PlanState> =>
    (await deps.store.state(service)) ??
    deps.store.transition(service, 0, initialPlanState(config, service), {
      actor: deps.actor,
      action: "start",
      message: `the plan of ${service} starts: nothing moved, the monolith owns every table's writes`,
      gates: [],
    });

  const outcome = (
    state: PlanState | null,
    result: PlanOutcome["result"],
    from: PlanPosition | null,
    to: PlanPosition | null,
    message: string,
    gates: GateResult[] = [],
    phases: string[] = [],
  ): PlanOutcome => ({
    service: state?.service ?? "",
    result,
    from: label(from),
    to: label(to),
    gates,
    message,
    phases,
    state,
  });

  /** Moves the world from one position's to another's, phase by phase, and records the arrival. */
  async function move(
    state: PlanState,
    from: PlanPosition | null,
    to: PlanPosition | null,
    action: "advance" | "rollback",
    gates: GateResult[],
    resumed: boolean,
  ): Promise<PlanState> {
    const service = state.service;
    const target = desiredWorld(config, service, to);
    const phases = movePhases(desiredWorld(config, service, from), target, action === "advance" ? to : null);
    let current = state;
    if (!resumed)
      current = await write(
        current,
        {
          status: "in_progress",
          pending: { action, target: { from: ref(from), to: ref(to) }, startedAt: iso() },
        },
        {
          action: `${action} started`,
          message: `${label(from)} → ${label(to)}${phases.length > 0 ? `: ${phases.map(describePhase).join("; ")}` : ""}`,
          gates,
        },
      );
    else emit(service, "state", `finishing the interrupted ${action}: ${label(from)} → ${label(to)}`);
    for (const phase of phases) {
      emit(service, "phase", describePhase(phase));
      switch (phase.kind) {
        case "sync":
          if (!sameSync(current.sync, phase.sync))
            current = await write(current, { sync: phase.sync }, { action: "sync", message: describePhase(phase) });
          await deps.effects.confirmSync(service, phase.sync, current.version);
          break;
        case "flags":
          await deps.effects.applyFlags(phase.changes);
          break;
        case "quiet-writes": {
          const gate = await deps.effects.quietWrites(service, phase.side);
          emit(service, "gates", gate.message, [gate]);
          if (gate.verdict !== "pass")
            throw new PlanError(
              "PLAN_WRITES_NOT_QUIET",
              `${gate.message}; the move ${label(from)} → ${label(to)} stays pending: 'strangler plan next' tries again, 'strangler plan rollback' undoes it`,
              { retriable: true },
            );
          break;
        }
        case "parity": {
          const run = await deps.effects.runParity(service, target.owners);
          const tables = run.tables.filter((t) => t.service === service);
          emit(
            service,
            "phase",
            `data parity run ${run.runId}: ${tables.map((t) => `${t.legacyTable} ${t.equal ? "equal" : "differs"} (${t.counts.processed} rows)`).join(", ")}`,
          );
          break;
        }
      }
    }
    const arrival = to ?? (positionsOf(service)[0] as PlanPosition);
    current = await write(
      current,
      {
        step: arrival.step.id,
        stage: arrival.stage,
        status: "idle",
        owners: target.owners,
        enteredAt: to === null ? null : iso(),
        sync: target.sync,
        pending: null,
      },
      {
        action,
        message: `${action === "advance" ? "now at" : "back at"} ${label(to)}${resumed ? " (finished an interrupted move)" : ""}`,
      },
    );
    emit(service, "state", `${service}: ${action === "advance" ? "now at" : "back at"} ${label(to)}`);
    return current;
  }

  async function nextInner(service: string): Promise<PlanOutcome> {
    let state = await stored(service);
    const positions = positionsOf(service);
    if (state.pending) {
      const { from, to } = refsOf(state);
      const [fromPos, toPos] = [at(positions, service, from), at(positions, service, to)];
      const action = state.pending.action === "rollback" ? "rollback" : "advance";
      state = await move(state, fromPos, toPos, action, [], true);
      return outcome(
        state,
        action === "advance" ? "advanced" : "rolled-back",
        fromPos,
        toPos,
        `finished the interrupted ${action}: now at ${label(toPos)}`,
      );
    }
    const current = positionOf(positions, state);
    if (state.status === "done") return outcome(state, "done", current, current, `the plan of ${service} is complete`);
    if (state.enteredAt === null) {
      state = await move(state, null, current, "advance", [], false);
      return outcome(state, "advanced", null, current, `started: now at ${current.label}`);
    }
    const gates = await positionGates(config, current, state, deps.evidence, now());
    emit(service, "gates", gates.map((g) => `${g.gate}: ${g.verdict}: ${g.message}`).join("\n"), gates);
    const verdict = combinedVerdict(gates);
    const why = gates
      .filter((g) => g.verdict === verdict)
      .map((g) => g.message)
      .join("; ");
    if (verdict === "hold") {
      if (state.status !== "held")
        state = await write(state, { status: "held" }, { action: "hold", message: `${current.label}: ${why}`, gates });
      return outcome(state, "held", current, current, `holding at ${current.label}: ${why}`, gates);
    }
    if (verdict === "fail") {
      state = await write(
        state,
        { status: "failed" },
        { action: "gate failed", message: `${current.label}: ${why}`, gates },
      );
      return outcome(state, "failed", current, current, `the gate of ${current.label} failed: ${why}`, gates);
    }
    const following = positions[current.index + 1];
    if (!following) {
      const files = current.step.id === "decommission" ? await deps.effects.writeCleanupScript(service) : [];
      const written = files.length > 0 ? `; cleanup script written (never run): ${files.join(", ")}` : "";
      state = await write(
        state,
        { status: "done" },
        { action: "complete", message: `${current.label} passed${written}`, gates },
      );
      return outcome(state, "done", current, current, `the plan of ${service} is complete${written}`, gates);
    }
    state = await move(state, current, following, "advance", gates, false);
    return outcome(state, "advanced", current, following, `gates passed: now at ${following.label}`, gates);
  }

  async function rollbackInner(service: string, gates: GateResult[]): Promise<PlanOutcome> {
    let state = await stored(service);
    const positions = positionsOf(service);
    if (state.pending) {
      const { from, to } = refsOf(state);
      const [fromPos, toPos] = [at(positions, service, from), at(positions, service, to)];
      state = await move(state, toPos, fromPos, "rollback", gates, false);
      return outcome(
        state,
        "rolled-back",
        toPos,
        fromPos,
        `undid the interrupted move: back at ${label(fromPos)}`,
        gates,
      );
    }
    if (state.status === "done")
      throw new PlanError(
        "PLAN_DONE",
        `the plan of ${service} is complete (decommissioned): there is nothing to roll back`,
      );
    const current = positionOf(positions, state);
    if (state.enteredAt === null)
      throw new PlanError("PLAN_NOTHING_TO_ROLL_BACK", `the plan of ${service} has not started: nothing to roll back`);
    const previous = positions[current.index - 1] ?? null;
    state = await move(state, current, previous, "rollback", gates, false);
    return outcome(state, "rolled-back", current, previous, `rolled back: now at ${label(previous)}`, gates);
  }

  async function dryNext(service: string): Promise<PlanOutcome> {
    const positions = positionsOf(service);
    const state = (await deps.store.state(service)) ?? {
      ...initialPlanState(config, service),
      service,
      version: 0,
      updatedAt: iso(),
    };
    const phasesOf = (from: PlanPosition | null, to: PlanPosition | null, advance: boolean) =>
      movePhases(desiredWorld(config, service, from), desiredWorld(config, service, to), advance ? to : null).map(
        describePhase,
      );
    if (state.pending) {
      const { from, to } = refsOf(state);
      const [fromPos, toPos] = [at(positions, service, from), at(positions, service, to)];
      return outcome(
        state,
        "dry-run",
        fromPos,
        toPos,
        `would finish the interrupted ${state.pending.action}: ${label(fromPos)} → ${label(toPos)}`,
        [],
        phasesOf(fromPos, toPos, state.pending.action !== "rollback"),
      );
    }
    const current = positionOf(positions, state);
    if (state.status === "done")
      return outcome(state, "dry-run", current, current, `the plan of ${service} is complete: nothing to do`);
    if (state.enteredAt === null)
      return outcome(
        state,
        "dry-run",
        null,
        current,
        `would start the plan at ${current.label}`,
        [],
        phasesOf(null, current, true),
      );
    const gates = await positionGates(config, current, state, deps.evidence, now());
    const verdict = combinedVerdict(gates);
    const following = positions[current.index + 1] ?? null;
    if (verdict !== "pass")
      return outcome(
        state,
        "dry-run",
        current,
        current,
        `would ${verdict === "hold" ? "hold" : "stop (gate failed)"} at ${current.label}`,
        gates,
      );
    if (following === null)
      return outcome(
        state,
        "dry-run",
        current,
        current,
        `gates pass: would complete the plan${current.step.id === "decommission" ? " and write the cleanup script" : ""}`,
        gates,
      );
    return outcome(
      state,
      "dry-run",
      current,
      following,
      `gates pass: would move to ${following.label}`,
      gates,
      phasesOf(current, following, true),
    );
  }

  async function dryRollback(service: string): Promise<PlanOutcome> {
    const positions = positionsOf(service);
    const state = (await deps.store.state(service)) ?? null;
    if (!state || (state.enteredAt === null && !state.pending))
      return outcome(state, "dry-run", null, null, `the plan of ${service} has not started: nothing to roll back`);
    const phasesOf = (from: PlanPosition | null, to: PlanPosition | null) =>
      movePhases(desiredWorld(config, service, from), desiredWorld(config, service, to), null).map(describePhase);
    if (state.pending) {
      const { from, to } = refsOf(state);
      const [fromPos, toPos] = [at(positions, service, from), at(positions, service, to)];
      return outcome(
        state,
        "dry-run",
        toPos,
        fromPos,
        `would undo the interrupted move back to ${label(fromPos)}`,
        [],
        phasesOf(toPos, fromPos),
      );
    }
    if (state.status === "done")
      return outcome(state, "dry-run", null, null, `the plan of ${service} is complete: nothing to roll back`);
    const current = positionOf(positions, state);
    const previous = positions[current.index - 1] ?? null;
    return outcome(
      state,
      "dry-run",
      current,
      previous,
      `would roll back to ${label(previous)}`,
      [],
      phasesOf(current, previous),
    );
  }

  const locked = <T>(work: () => Promise<T>) => deps.store.withRunnerLock(work);

  async function resetInner(service: string): Promise<PlanOutcome> {
    let state = await stored(service);
    const positions = positionsOf(service);
    const current = state.pending
      ? at(positions, service, refsOf(state).to)
      : state.enteredAt === null
        ? null
        : positionOf(positions, state);
    if (current === null && !state.pending)
      return outcome(state, "rolled-back", null, null, "the plan has not started: nothing to reset");
    state = await move(state, current, null, "rollback", [], false);
    return outcome(
      state,
      "rolled-back",
      current,
      null,
      `reset: back before the plan, the monolith serving and owning everything`,
    );
  }

  return {
    reset: (service) => locked(() => resetInner(service)),
    next: (service, options = {}) => (options.dryRun ? dryNext(service) : locked(() => nextInner(service))),
    rollback: (service, options = {}) =>
      options.dryRun ? dryRollback(service) : locked(() => rollbackInner(service, options.gates ?? [])),
    auto: (service, options) =>
      locked(async () => {
        const outcomes: PlanOutcome[] = [];
        let steps = 0;
        const stop = (stoppedBecause: AutoStop, final: PlanOutcome): AutoOutcome => ({
          service,
          stoppedBecause,
          outcomes,
          final,
        });
        let last: PlanOutcome | undefined;
        for (;;) {
          if (now() >= options.deadline && last) return stop("deadline", last);
          const result = await nextInner(service);
          if (result.result !== "held" || last?.result !== "held") outcomes.push(result);
          last = result;
          if (result.result === "done") return stop("done", result);
          if (result.result === "advanced") {
            steps += 1;
            if (steps >= options.maxSteps) return stop("max-steps", result);
            continue;
          }
          if (result.result === "failed") {
            const stepId = result.state?.step ?? "";
            if (!EXPOSING.has(stepId)) return stop("failed", result);
            const back = await rollbackInner(service, result.gates);
            outcomes.push(back);
            return stop("rolled-back", back);
          }
          await sleep(Math.min(options.pollMs ?? PLAN_AUTO_POLL_INTERVAL, Math.max(0, options.deadline - now())));
        }
      }),
  };
}
