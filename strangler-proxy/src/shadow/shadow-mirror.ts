import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Side } from "@strangler/response-compare";
import type { BreakerPermit, CircuitBreaker } from "../fallback/circuit-breaker";
import { traceIdOf } from "../forwarding/trace-context";
import { BodyTee, type TeeListener } from "./body-tee";
import { capturedHeaders, ResponseCapture } from "./response-capture";
import type { ShadowCall, ShadowCallOwner } from "./shadow-call";
import type { CallOutcome, ShadowExchange, ShadowSkipReason } from "./shadow-sink";

/** What a mirror reports to the shadow traffic it belongs to (see shadow-traffic.ts). */
export interface MirrorHost {
  /** A call settled: metrics and the per-call log line. */
  callSettled(mirror: ShadowMirror, call: ShadowCall): void;
  /** All calls settled: the exchange goes to the sink. */
  completed(mirror: ShadowMirror, exchange: ShadowExchange): void;
  /** The mirror was dropped without an exchange; counted as skipped when a reason is given. */
  cancelled(mirror: ShadowMirror, reason: ShadowSkipReason | undefined): void;
}

/** The request being mirrored, as the proxy's request handler knows it. */
export interface MirroredRequest {
  req: IncomingMessage;
  res: ServerResponse;
  routeId: string;
  service: string;
  primary: Side;
  method: string;
  /** Path and query as the client sent them (normalised). */
  path: string;
  requestId: string;
  /** The primary call's traceparent. */
  traceparent: string;
  dryRun: boolean;
  /** The request has a body to tee. */
  hasBody: boolean;
}

const MIRROR = Symbol("strangler.shadowMirror");
type TaggedEmitter = { [MIRROR]?: ShadowMirror };

// Module-level listeners and timer callback: no closure per mirrored request.
function onPrimaryData(this: IncomingMessage & TaggedEmitter, chunk: Buffer): void {
  this[MIRROR]?.takePrimaryChunk(chunk);
}
function onPrimaryEnd(this: IncomingMessage & TaggedEmitter): void {
  this[MIRROR]?.primaryEnded();
}
function onClientClose(this: ServerResponse & TaggedEmitter): void {
  this[MIRROR]?.clientClosed();
}
function expire(mirror: ShadowMirror): void {
  mirror.timedOut();
}

/**
 * One mirrored request: its calls (the candidate, maybe the primary's side again), the tee of the
 * request body into them, the capture of the primary's answer as it is relayed to the client, and
 * one timer for the whole answer. When every call settled and the primary's answer is complete the
 * exchange goes to the host; a client that goes away cancels it. Nothing here delays the client.
 */
export class ShadowMirror implements ShadowCallOwner, TeeListener {
  readonly at = Date.now();
  readonly traceId: string;
  private readonly startedAt = performance.now();
  private readonly calls: ShadowCall[] = [];
  private tee: BodyTee | undefined;
  private timer: NodeJS.Timeout | undefined;
  private primaryCapture: ResponseCapture | undefined;
  private primaryResponse: IncomingMessage | undefined;
  private primaryOutcome: CallOutcome | undefined;
  private done = false;
  /** A read's calls, made and sent once the primary answered (see start). */
  private pendingCalls: (() => ShadowCall[]) | undefined;
  private timeoutMs = 0;

  constructor(
    readonly request: MirroredRequest,
    private readonly host: MirrorHost,
    /** The candidate side's shadow breaker and its permit: the candidate's outcome is its verdict. */
    private readonly breaker: CircuitBreaker,
    private permit: BreakerPermit | undefined,
    private readonly maxResponseBytes: number,
  ) {
    this.traceId = traceIdOf(request.traceparent);
    (request.res as ServerResponse & TaggedEmitter)[MIRROR] = this;
    request.res.on("close", onClientClose);
  }

  /**
   * Starts the calls. A write (or any request with a body) is sent at once, in parallel with the
   * primary, its body from the tee: the candidate's database is fed by CDC from the primary, so a
   * later call would see the primary's write already there. A bodiless read is sent once the
   * primary has answered: nothing it reads depends on that moment, and the primary's answer is
   * never slowed by the candidate's work on the same machine or event loop.
   */
  start(makeCalls: () => ShadowCall[], timeoutMs: number, maxRequestBytes: number, prefixBytes: number): void {
    this.timeoutMs = timeoutMs;
    if (!this.request.hasBody && !this.request.dryRun) {
      this.pendingCalls = makeCalls;
      return;
    }
    this.calls.push(...makeCalls());
    this.timer = setTimeout(expire, timeoutMs, this);
    if (this.request.hasBody) this.tee = new BodyTee(this.request.req, maxRequestBytes, prefixBytes, this);
    else for (const call of this.calls) call.end();
  }

  /** Sends the calls of a read held until the primary answered. */
  private sendPending(): void {
    const makeCalls = this.pendingCalls;
    if (makeCalls === undefined) return;
    this.pendingCalls = undefined;
    this.calls.push(...makeCalls());
    this.timer = setTimeout(expire, this.timeoutMs, this);
    for (const call of this.calls) call.end();
  }

  onTeeChunk(chunk: Buffer): void {
    for (const call of this.calls) call.write(chunk);
  }

  onTeeEnd(): void {
    for (const call of this.calls) call.end();
  }

  /** A chunked body went past proxy.shadow.maxRequestBodyBytes: the mirror is dropped, the primary streams on. */
  onTeeOverflow(): void {
    this.cancel("request_body_too_large");
  }

  /** The primary's response headers arrived; its body is captured as the handler relays it. */
  capturePrimary(response: IncomingMessage): void {
    if (this.done) return;
    this.primaryResponse = response;
    this.primaryCapture = new ResponseCapture(this.maxResponseBytes);
    (response as IncomingMessage & TaggedEmitter)[MIRROR] = this;
    response.on("data", onPrimaryData);
    response.on("end", onPrimaryEnd);
  }

  takePrimaryChunk(chunk: Buffer): void {
    // Past the bound the capture keeps nothing; the client still gets every byte (body-relay.ts).
    (this.primaryCapture as ResponseCapture).add(chunk);
  }

  primaryEnded(): void {
    const response = this.primaryResponse as IncomingMessage;
    const capture = this.primaryCapture as ResponseCapture;
    const latencyMs = this.elapsedMs();
    this.settlePrimary(
      capture.tooLarge
        ? { kind: "too_large", latencyMs }
        : {
            kind: "answered",
            answer: {
              status: response.statusCode ?? 0,
              headers: capturedHeaders(response.headers),
              body: capture.body(),
              latencyMs,
            },
          },
    );
  }

  /** The client's response closed: after the proxy answered it itself (the primary failed), or the client went away. */
  clientClosed(): void {
    if (this.done || this.primaryOutcome !== undefined) return;
    const { res } = this.request;
    if (this.primaryResponse === undefined && res.writableFinished) {
      return this.settlePrimary({
        kind: "error",
        message: `the proxy answered ${res.statusCode} itself`,
        latencyMs: this.elapsedMs(),
      });
    }
    this.cancel("client_aborted");
  }

  onCallSettled(call: ShadowCall): void {
    if (this.done) return;
    if (call.role === "candidate" && this.permit !== undefined) {
      const outcome = call.outcome as CallOutcome;
      if (outcome.kind === "error" || outcome.kind === "timeout")
        this.breaker.failure(this.permit, outcome.kind === "error" ? outcome.message : "timeout");
      else this.breaker.success(this.permit);
      this.permit = undefined;
    }
    this.host.callSettled(this, call);
    this.completeIfSettled();
  }

  /** proxy.shadow.timeoutMs passed: calls without a whole answer are timeouts. */
  timedOut(): void {
    this.timer = undefined;
    for (const call of this.calls) call.timeOut();
  }

  /** Drops the mirror: its calls are destroyed, no exchange is recorded (counted as skipped when a reason is given). */
  cancel(reason?: ShadowSkipReason): void {
    if (this.done) return;
    this.done = true;
    this.cleanUp();
    if (this.permit !== undefined) {
      this.breaker.release(this.permit);
      this.permit = undefined;
    }
    this.pendingCalls = undefined;
    for (const call of this.calls) call.cancel();
    this.host.cancelled(this, reason);
  }

  private settlePrimary(outcome: CallOutcome): void {
    this.primaryOutcome = outcome;
    this.sendPending();
    this.completeIfSettled();
  }

  private completeIfSettled(): void {
    if (this.done || this.primaryOutcome === undefined) return;
    for (const call of this.calls) if (call.outcome === undefined) return;
    this.done = true;
    this.cleanUp();
    const { request } = this;
    const candidate = this.calls.find((call) => call.role === "candidate") as ShadowCall;
    const again = this.calls.find((call) => call.role === "again");
    this.host.completed(this, {
      at: this.at,
      routeId: request.routeId,
      service: request.service,
      primary: request.primary,
      method: request.method,
      path: request.path,
      requestHeaders: {},
      requestBody: this.tee?.prefix() ?? null,
      requestId: request.requestId,
      traceId: this.traceId,
      dryRun: request.dryRun,
      primaryOutcome: this.primaryOutcome,
      candidateOutcome: candidate.outcome as CallOutcome,
      ...(again ? { primaryAgain: again.outcome as CallOutcome } : {}),
    });
  }

  private cleanUp(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.tee?.detach();
    const res = this.request.res as ServerResponse & TaggedEmitter;
    res.removeListener("close", onClientClose);
    res[MIRROR] = undefined;
    const response = this.primaryResponse as (IncomingMessage & TaggedEmitter) | undefined;
    if (response) {
      response.removeListener("data", onPrimaryData);
      response.removeListener("end", onPrimaryEnd);
      response[MIRROR] = undefined;
    }
  }

  private elapsedMs(): number {
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }
}
