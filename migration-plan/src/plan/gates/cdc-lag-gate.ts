import type { CdcStatusDocument, GateResult } from "@strangler/ops-contract";

/**
 * A CDC stream's gate: it must be streaming with its last batch's lag within bounds. Unknown (no
 * CDC process, no such stream, not streaming yet): hold; lagging: fail, by how much.
 */
export function cdcLagGate(status: CdcStatusDocument | null, direction: string, maxLagSeconds: number): GateResult {
  const stream = status?.streams.find((s) => s.direction === direction);
  if (!stream || stream.phase !== "streaming")
    return {
      gate: `cdc ${direction}`,
      verdict: "hold",
      message: stream
        ? `CDC stream ${direction} is ${stream.phase}${stream.lastError ? ` (${stream.lastError})` : ""}, not streaming`
        : `no CDC stream ${direction} reports its status`,
      figures: { phase: stream?.phase ?? null },
    };
  const lag = stream.lagSeconds ?? 0;
  const figures = { lagSeconds: lag, maxLagSeconds, deadLettered: stream.deadLettered };
  if (lag > maxLagSeconds)
    return {
      gate: `cdc ${direction}`,
      verdict: "fail",
      message: `CDC stream ${direction} lags ${lag} s, ${(lag - maxLagSeconds).toFixed(1)} s over ${maxLagSeconds} s`,
      figures,
    };
  return {
    gate: `cdc ${direction}`,
    verdict: "pass",
    message: `CDC stream ${direction} streaming, lag ${lag} s (≤ ${maxLagSeconds} s)`,
    figures,
  };
}
