import type { ClientRequest, IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { Side } from "@strangler/response-compare";
import type { Upstream } from "../forwarding/upstream";
import { capturedHeaders, ResponseCapture } from "./response-capture";
import type { CallOutcome } from "./shadow-sink";

/** Hears once that a call settled (its `outcome` is set). */
export interface ShadowCallOwner {
  onCallSettled(call: ShadowCall): void;
}

/** A mirrored call's request, as sent. */
export interface ShadowCallParams {
  /** The mirror's role for this call: the candidate, or the noise sample sent again to the primary's side. */
  role: "candidate" | "again";
  side: Side;
  upstream: Upstream;
  method: string;
  /** Path and query as sent (base path included). */
  path: string;
  headers: string[];
  maxResponseBytes: number;
}

const CALL = Symbol("strangler.shadowCall");
type TaggedRequest = ClientRequest & { [CALL]: ShadowCall };
type TaggedResponse = IncomingMessage & { [CALL]: ShadowCall };

// Module-level listeners that find their call on the emitter: no closure per call. The error
// listeners stay attached after the call settled, so a late error never goes unhandled.
function onResponse(this: TaggedRequest, response: IncomingMessage): void {
  this[CALL].takeResponse(response);
}
function onRequestError(this: TaggedRequest, error: Error): void {
  this[CALL].fail(error.message);
}
function onData(this: TaggedResponse, chunk: Buffer): void {
  this[CALL].takeChunk(chunk);
}
function onEnd(this: TaggedResponse): void {
  this[CALL].answered();
}
function onResponseClose(this: TaggedResponse): void {
  // After 'end' this is a no-op (settled); before it, the upstream cut the body.
  this[CALL].fail("the connection broke before the end of the response");
}
function ignore(): void {}

/**
 * One mirrored request on a shadow pool: sends at once, takes the body as the mirror tees it,
 * captures the answer up to a bound, and settles once with an outcome. Never reaches the client.
 */
export class ShadowCall {
  readonly role: ShadowCallParams["role"];
  readonly side: Side;
  outcome: CallOutcome | undefined;
  private readonly request: ClientRequest;
  private readonly startedAt = performance.now();
  private response: IncomingMessage | undefined;
  private capture: ResponseCapture | undefined;
  private readonly maxResponseBytes: number;

  constructor(
    params: ShadowCallParams,
    private readonly owner: ShadowCallOwner,
  ) {
    this.role = params.role;
    this.side = params.side;
    this.maxResponseBytes = params.maxResponseBytes;
    const { upstream } = params;
    const request = upstream.request({
      hostname: upstream.hostname,
      port: upstream.port,
      method: params.method,
      path: params.path,
      headers: params.headers,
      agent: upstream.agent,
    });
    (request as TaggedRequest)[CALL] = this;
    request.on("response", onResponse);
    request.on("error", onRequestError);
    this.request = request;
  }

  /** A chunk of the teed request body. Buffered by the request when the candidate reads slowly: the tee bound caps it. */
  write(chunk: Buffer): void {
    if (this.outcome === undefined) this.request.write(chunk);
  }

  /** The request body is complete (or there is none). */
  end(): void {
    if (this.outcome === undefined) this.request.end();
  }

  /** Milliseconds since the call was sent. */
  elapsedMs(): number {
    return Math.round((performance.now() - this.startedAt) * 1000) / 1000;
  }

  takeResponse(response: IncomingMessage): void {
    if (this.outcome !== undefined) return void response.destroy();
    this.response = response;
    this.capture = new ResponseCapture(this.maxResponseBytes);
    (response as TaggedResponse)[CALL] = this;
    response.on("data", onData);
    response.on("end", onEnd);
    response.on("close", onResponseClose);
    response.on("error", ignore);
  }

  takeChunk(chunk: Buffer): void {
    const capture = this.capture as ResponseCapture;
    if (capture.add(chunk)) return;
    // Not compared: stop downloading it (the socket is dropped rather than drained).
    this.settle({ kind: "too_large", latencyMs: this.elapsedMs() });
    this.destroy();
  }

  answered(): void {
    const response = this.response as IncomingMessage;
    this.settle({
      kind: "answered",
      answer: {
        status: response.statusCode ?? 0,
        headers: capturedHeaders(response.headers),
        body: (this.capture as ResponseCapture).body(),
        latencyMs: this.elapsedMs(),
      },
    });
  }

  fail(message: string): void {
    if (this.outcome !== undefined) return;
    this.settle({ kind: "error", message, latencyMs: this.elapsedMs() });
    this.destroy();
  }

  /** No whole answer within proxy.shadow.timeoutMs. */
  timeOut(): void {
    if (this.outcome !== undefined) return;
    this.settle({ kind: "timeout", latencyMs: this.elapsedMs() });
    this.destroy();
  }

  /** Drops the call without an outcome (the mirror was cancelled). */
  cancel(): void {
    if (this.outcome === undefined) this.outcome = { kind: "error", message: "cancelled", latencyMs: this.elapsedMs() };
    this.destroy();
  }

  private settle(outcome: CallOutcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.owner.onCallSettled(this);
  }

  private destroy(): void {
    if (this.response && !this.response.destroyed) this.response.destroy();
    if (!this.request.destroyed) this.request.destroy();
  }
}
