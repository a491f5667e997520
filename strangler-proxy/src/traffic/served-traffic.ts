import type { TrafficSide } from "@strangler/toolkit-store";
import type { FallbackReason } from "../metrics/proxy-metrics";

/** How the request handler chose the backend (its request log's `decision`). */
export type RequestDecision = "rejected" | "no-route" | "flag-off" | "flag-on" | "breaker-open" | "fallback";

/**
 * The side a request counts on in the served traffic, or undefined when it is not counted (no route,
 * or refused before routing). The side is the one the flags chose and that was called, so a canary
 * sees its own cohort:
 * - flag off → legacy; flag on → service;
 * - breaker open, a read sent to the monolith without calling the service → legacy;
 * - breaker open, a write the proxy refused (503) → service (the service's cohort got the error);
 * - a read the service failed (5xx, connect error, reset, timeout) that the monolith then answered →
 *   service, once, as an error (servedError): the fallback hides the failure from the client, not
 *   from the canary gate; the monolith's answer is not counted on the legacy side as well.
 */
export function servedSide(decision: RequestDecision, fallback: FallbackReason | undefined): TrafficSide | undefined {
  switch (decision) {
    case "flag-off":
      return "legacy";
    case "flag-on":
    case "breaker-open":
      return "service";
    case "fallback":
      return fallback === "breaker_open" ? "legacy" : "service";
    default:
      return undefined;
  }
}

/**
 * A counted request is an error when the client got a 5xx (the upstream's, or the proxy's own for a
 * connect error or timeout), when the upstream broke off its answer mid-body, or when the service
 * failed and the monolith answered instead. A client that hung up (499) is not an error.
 */
export function servedError(status: number, fallback: FallbackReason | undefined, brokenAnswer: boolean): boolean {
  return status >= 500 || brokenAnswer || (fallback !== undefined && fallback !== "breaker_open");
}
