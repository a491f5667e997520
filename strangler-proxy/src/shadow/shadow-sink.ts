import type { ComparedResponse, Side } from "@strangler/response-compare";

/** One side's answer to a shadowed request, as captured (bounded by proxy.shadow.maxResponseBodyBytes). */
export interface CapturedAnswer extends ComparedResponse {
  /** From sending the request to the last body byte, in milliseconds. */
  latencyMs: number;
}

/** What became of a call: an answer, or why there is none. `too_large`: the body exceeded the capture bound. */
export type CallOutcome =
  | { kind: "answered"; answer: CapturedAnswer }
  | { kind: "error"; message: string; latencyMs: number }
  | { kind: "timeout"; latencyMs: number }
  | { kind: "too_large"; latencyMs: number };

/**
 * One shadowed request: the primary answered the client, the same request went to the candidate.
 * Handed to the sink after both calls settled, off the request path.
 */
export interface ShadowExchange {
  /** Epoch milliseconds when the client's request arrived. */
  at: number;
  routeId: string;
  service: string;
  /** The side that answered the client; the candidate is the other one. */
  primary: Side;
  method: string;
  /** Path and query as the client sent them (legacy form). */
  path: string;
  /** Request headers worth keeping with an example: credentials and cookies already removed. */
  requestHeaders: Record<string, string>;
  /** The request body's first bytes (bounded), or null. */
  requestBody: Uint8Array | null;
  requestId: string;
  /** W3C trace id shared by the primary call and the mirrored one. */
  traceId: string;
  /** A write mirrored with x-strangler-dry-run: 1. */
  dryRun: boolean;
  primaryOutcome: CallOutcome;
  candidateOutcome: CallOutcome;
  /** Noise sample: the same read sent a second time to the primary's side. */
  primaryAgain?: CallOutcome;
}

/** Why a request whose shadow flag was on was not mirrored. */
export type ShadowSkipReason =
  "write_without_dry_run" | "request_body_too_large" | "concurrency_limit" | "breaker_open" | "client_aborted";

/** Where the proxy hands shadow traffic: compared and stored off the request path. Never throws, never blocks. */
export interface ShadowSink {
  record(exchange: ShadowExchange): void;
  skipped(routeId: string, service: string, reason: ShadowSkipReason): void;
}

/** A sink that drops everything: the default when nothing consumes shadow results. */
export const DISCARDING_SHADOW_SINK: ShadowSink = {
  record() {},
  skipped() {},
};
