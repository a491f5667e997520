import type { PlanConfig } from "@strangler/migration-config";
import type { GateResult, ParityRunReport } from "@strangler/ops-contract";

/**
 * The verify-data gate: the last data parity run that covered the service's tables must be done,
 * equal on every one of them, and recent enough. None yet, or too old: hold (run parity data);
 * a difference: fail, naming the table and its counts.
 */
export function parityGate(
  run: ParityRunReport | undefined,
  service: string,
  tables: readonly string[],
  thresholds: PlanConfig["gates"]["parity"],
  now: number,
): GateResult {
  const covered = run?.tables.filter((t) => t.service === service && tables.includes(t.legacyTable)) ?? [];
  if (!run || run.status !== "done" || covered.length < tables.length)
    return {
      gate: "parity",
      verdict: "hold",
      message: `no finished data parity run covers ${service}'s tables (${tables.join(", ")}): run 'strangler parity data --service ${service}'`,
      figures: { runId: run?.runId ?? null },
    };
  const ageSeconds = Math.round((now - Date.parse(run.finishedAt ?? run.startedAt)) / 1000);
  const figures = { runId: run.runId, ageSeconds, maxAgeSeconds: thresholds.maxAgeSeconds };
  const different = covered.find((t) => !t.equal);
  if (different) {
    const c = different.counts;
    return {
      gate: "parity",
      verdict: "fail",
      message: `data parity run ${run.runId}: ${different.legacyTable} → ${different.serviceTable} differs (${c.mismatched} mismatched, ${c.onlyInLegacy} only in legacy, ${c.onlyInService} only in the service)`,
      figures: {
        ...figures,
        table: different.legacyTable,
        mismatched: c.mismatched,
        onlyInLegacy: c.onlyInLegacy,
        onlyInService: c.onlyInService,
      },
    };
  }
  if (ageSeconds > thresholds.maxAgeSeconds)
    return {
      gate: "parity",
      verdict: "hold",
      message: `the last equal data parity run (${run.runId}) is ${ageSeconds} s old, ${ageSeconds - thresholds.maxAgeSeconds} s over ${thresholds.maxAgeSeconds} s: run it again`,
      figures,
    };
  return {
    gate: "parity",
    verdict: "pass",
    message: `data parity run ${run.runId}: ${covered.length} table(s) equal, ${ageSeconds} s old`,
    figures,
  };
}
