import type { Side } from "@strangler/response-compare";
import type { BreakerPermit } from "../fallback/circuit-breaker";
import type { ShadowSkipReason } from "../shadow/shadow-sink";

/** Why the primary side was chosen, for the request log. */
export type PrimaryWhy = "no-route" | "flag-off" | "flag-on" | "breaker-open";

/** What to do with shadow traffic for one request. */
export type ShadowPlan =
  | { kind: "none" }
  | {
      kind: "mirror";
      /** The side that gets the mirrored request: the one that does not answer the client. */
      candidate: Side;
      /** A write, mirrored with x-strangler-dry-run: 1. */
      dryRun: boolean;
      /** Noise sample: the read also goes a second time to the primary's side. */
      primaryAgain: boolean;
    }
  | { kind: "skipped"; reason: ShadowSkipReason };

/** Where a request goes: `unavailable` = the service's breaker is open and the request cannot go to the monolith instead. */
export interface RoutingDecision {
  primary: Side | "unavailable";
  why: PrimaryWhy;
  shadow: ShadowPlan;
}

/** The facts the decision is made from; the caller evaluates the flags and acquires the serve breaker's permit. */
export interface RoutingFacts {
  /** The matched route's kind, or null when no route matched. */
  route: "read" | "write" | null;
  /** The serve flag is on for this request's identity. */
  serveOn: boolean;
  /** The service breaker's permit, acquired only when serve is on (null otherwise). */
  servicePermit: BreakerPermit | null;
  /** The shadow flag is on for this request's identity. */
  shadowOn: boolean;
  /** GET, HEAD or OPTIONS without a body: may be sent to the monolith after the service failed. */
  retryable: boolean;
  /** The method changes nothing (GET, HEAD, OPTIONS). */
  safeMethod: boolean;
  /** The request's Content-Length, or null when it has none (chunked or no body). */
  contentLength: number | null;
  /** The route's service honours x-strangler-dry-run. */
  serviceDryRun: boolean;
  /** proxy.shadow.maxRequestBodyBytes. */
  maxRequestBodyBytes: number;
  /** proxy.shadow.noiseSample (0–1). */
  noiseSample: number;
  /** A uniform draw in [0, 1): the read is a noise sample when below noiseSample. */
  noiseDraw: number;
}

// Plans without per-request data are shared, so most requests allocate no plan.
const NO_SHADOW: ShadowPlan = { kind: "none" };
const skipped = (reason: ShadowSkipReason): ShadowPlan => ({ kind: "skipped", reason });
const SKIPPED: Record<ShadowSkipReason, ShadowPlan> = {
  write_without_dry_run: skipped("write_without_dry_run"),
  request_body_too_large: skipped("request_body_too_large"),
  concurrency_limit: skipped("concurrency_limit"),
  breaker_open: skipped("breaker_open"),
  client_aborted: skipped("client_aborted"),
};

/**
 * The routing decision of one request, pure: the primary side (serve flag, then the service's
 * breaker) and the shadow plan. Shadow runs in both directions: with serve off the service is the
 * candidate, with serve on the monolith is. A write is mirrored only to a candidate that honours
 * dry-run, which only a service can declare (the monolith never does). What is only known while
 * the request runs (concurrency, the shadow breaker, a chunked body's size) is the mirror's to check.
 */
export function decideRouting(facts: RoutingFacts): RoutingDecision {
  if (facts.route === null) return { primary: "legacy", why: "no-route", shadow: NO_SHADOW };
  let primary: Side | "unavailable";
  let why: PrimaryWhy;
  if (!facts.serveOn) {
    primary = "legacy";
    why = "flag-off";
  } else if (facts.servicePermit === "reject") {
    primary = facts.retryable ? "legacy" : "unavailable";
    why = "breaker-open";
  } else {
    primary = "service";
    why = "flag-on";
  }
  return { primary, why, shadow: facts.shadowOn ? shadowPlan(facts, why) : NO_SHADOW };
}

function shadowPlan(facts: RoutingFacts, why: PrimaryWhy): ShadowPlan {
  // The service is down as far as its breaker knows: the monolith answers (or nobody does), and
  // there is no other side to mirror to.
  if (why === "breaker-open") return SKIPPED.breaker_open;
  const candidate: Side = why === "flag-on" ? "legacy" : "service";
  const write = facts.route === "write" || !facts.safeMethod;
  if (write && !(candidate === "service" && facts.serviceDryRun)) return SKIPPED.write_without_dry_run;
  if (facts.contentLength !== null && facts.contentLength > facts.maxRequestBodyBytes)
    return SKIPPED.request_body_too_large;
  return { kind: "mirror", candidate, dryRun: write, primaryAgain: !write && facts.noiseDraw < facts.noiseSample };
}
