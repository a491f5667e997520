import type { CdcStatusDocument, GateResult } from "@strangler/ops-contract";

/**
 * One writer per table: once the service owns the writes, the forward stream watches the legacy
 * tables and counts every legacy write to them as a violation (kept, not applied). Any since the
 * plan entered the step fails; a stream not watching (the CDC process has not followed the plan
 * yet, or does not report) holds.
 */
export function ownerViolationsGate(status: CdcStatusDocument | null, direction: string, since: number): GateResult {
  const stream = status?.streams.find((s) => s.direction === direction);
  const gate = "one writer";
  if (!stream || stream.mode !== "watch")
    return {
      gate,
      verdict: "hold",
      message: stream
        ? `the forward stream ${direction} is ${stream.mode ?? "applying"}, not watching the legacy tables yet`
        : `no CDC stream ${direction} reports its status`,
      figures: { mode: stream?.mode ?? null },
    };
  const violations = stream.violations ?? 0;
  const last = stream.lastViolationAt ?? null;
  if (last !== null && last >= since)
    return {
      gate,
      verdict: "fail",
      message: `${violations} legacy write(s) reached the service's tables after the service took them over (the last at ${new Date(last).toISOString()}); they were kept in the dead-letter store, not applied`,
      figures: { violations, lastViolationAt: new Date(last).toISOString() },
    };
  return {
    gate,
    verdict: "pass",
    message: `no legacy write reached the service's tables since ${new Date(since).toISOString()}`,
    figures: { violations: 0 },
  };
}
