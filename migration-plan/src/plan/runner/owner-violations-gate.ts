import type { CdcStatusDocument, CdcStreamStatusDocument, GateResult } from "@strangler/ops-contract";

/**
 * Legacy writes the forward stream counted as violations since `since` (ms): the stream reports a
 * count since its process started and the time of the last one, so any since then means all of
 * them may be recent; 0 when the last one is older or there is none.
 */
export function violationsSince(stream: CdcStreamStatusDocument | undefined, since: number): number {
  const last = stream?.lastViolationAt ?? null;
  return last !== null && last >= since ? (stream?.violations ?? 0) : 0;
}

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
  const violations = violationsSince(stream, since);
  const last = stream.lastViolationAt ?? null;
  if (violations > 0 && last !== null)
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
