import type { SyncDirections } from "@strangler/ops-contract";
import { type DesiredWorld, flagChanges, ownershipMove } from "./desired-world";
import type { PlanPosition } from "./plan-positions";

/** One ordered part of moving the world from one position's to another's. */
export type MovePhase =
  | { kind: "sync"; sync: SyncDirections | null; why: string }
  | { kind: "flags"; changes: DesiredWorld["flags"]; why: string }
  | { kind: "quiet-writes"; side: "legacy" | "service"; why: string }
  | { kind: "parity"; why: string };

const describeSync = (sync: SyncDirections | null) =>
  sync === null
    ? "CDC as the config says"
    : `forward stream ${sync.forward === "apply" ? "applying" : "watching (applies nothing)"}, reverse stream ${sync.reverse ? "on" : "off"}`;

/** Whether two CDC direction requests ask the same (null: the config decides). */
export const sameSync = (a: SyncDirections | null, b: SyncDirections | null) =>
  a === b || (a !== null && b !== null && a.forward === b.forward && a.reverse === b.reverse);

/**
 * The phases that take the world from `from` to `to`, in order. Handing the tables' writes over is
 * the one ordered dance (one writer per table, always): both streams on, the write routes moved and
 * confirmed by every proxy, the old writer seen quiet, then the old direction stops. Anything else
 * is the flags, after any CDC change.
 */
export function movePhases(from: DesiredWorld, to: DesiredWorld, target: PlanPosition | null): MovePhase[] {
  const phases: MovePhase[] = [];
  const changes = flagChanges(from, to);
  const flags = (why: string): MovePhase[] => (changes.length === 0 ? [] : [{ kind: "flags", changes, why }]);
  const handOver = ownershipMove(from, to);
  if (handOver !== null) {
    const both: SyncDirections = { forward: "apply", reverse: true };
    const oldWriter = handOver === "to-service" ? "legacy" : "service";
    const newWriter = handOver === "to-service" ? "service" : "legacy";
    phases.push(
      { kind: "sync", sync: both, why: "both streams on, so whichever side takes a write, the other gets it" },
      ...flags(`the write routes to the ${newWriter === "service" ? "service" : "monolith"}`),
      {
        kind: "quiet-writes",
        side: oldWriter,
        why: `no ${oldWriter} write reaches the tables any more (besides the other stream's own)`,
      },
      {
        kind: "sync",
        sync: to.sync,
        why: `the ${oldWriter} side's stream stops: the ${newWriter} side owns the writes`,
      },
    );
  } else {
    if (!sameSync(from.sync, to.sync)) phases.push({ kind: "sync", sync: to.sync, why: describeSync(to.sync) });
    phases.push(...flags("route flags"));
  }
  if (target?.step.id === "verify-data")
    phases.push({ kind: "parity", why: "compare the service's tables with the monolith's (strangler parity data)" });
  return phases;
}

/** A phase as one line of a dry run or of the narration. */
export function describePhase(phase: MovePhase): string {
  switch (phase.kind) {
    case "sync":
      return `CDC: ${describeSync(phase.sync)} (${phase.why}); wait until the CDC process confirms`;
    case "flags":
      return `flags: ${phase.changes.map((c) => `${c.routeId} serve ${c.serve} % shadow ${c.shadow} %`).join(", ")} (${phase.why}); wait until every proxy replica confirms`;
    case "quiet-writes":
      return `confirm ${phase.why}`;
    case "parity":
      return phase.why;
  }
}
