import type { ClientRequest, IncomingMessage } from "node:http";
import type { Deadline, DeadlineQueue } from "./deadline-queue";
import { CONNECT_TIMEOUT_CODE, type Upstream } from "./upstream";

/** connect: no connection was made (the upstream never saw the request); reset: the connection broke before a response; timeout: no response headers in time. */
export type ForwardFailure = "connect" | "reset" | "timeout";

/** What an upstream call reports, once: the response headers arrived, or the call failed. */
export interface UpstreamListener {
  onUpstreamResponse(response: IncomingMessage): void;
  onUpstreamFailure(failure: ForwardFailure, error: Error, reusedSocket: boolean): void;
}

export interface UpstreamCallParams {
  upstream: Upstream;
  method: string;
  /** Path and query as sent upstream. */
  path: string;
  headers: string[];
  /** The client's request to stream upstream, or null when it has no body. */
  body: IncomingMessage | null;
  /** Send on a new connection instead of the keep-alive pool (the retry after a stale pooled socket). */
  fresh: boolean;
  /** The response-header timeout: the call is queued here until its response or failure. */
  deadlines: DeadlineQueue;
}

const CONNECT_ERRORS = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EADDRNOTAVAIL",
  CONNECT_TIMEOUT_CODE,
]);
const CALL = Symbol("strangler.upstreamCall");

type TaggedRequest = ClientRequest & { [CALL]: UpstreamCall };

// Listeners are module functions that find their call on the emitter: no closure is allocated per
// request on the hot path. They stay attached after the call settled, so a late error (client gone,
// body broken) never becomes an unhandled 'error' event.
function onResponse(this: TaggedRequest, response: IncomingMessage): void {
  this[CALL].settle(response, undefined);
}
function onError(this: TaggedRequest, error: NodeJS.ErrnoException): void {
  this[CALL].settle(undefined, error);
}
/** One request to an upstream on its keep-alive pool, with a response-header timeout. */
export class UpstreamCall implements Deadline {
  readonly request: ClientRequest;
  private readonly listener: UpstreamListener;
  private readonly deadlines: DeadlineQueue;
  private settled = false;
  deadlineAt = 0;
  prevDeadline: Deadline | null = null;
  nextDeadline: Deadline | null = null;

  constructor(params: UpstreamCallParams, listener: UpstreamListener) {
    this.listener = listener;
    this.deadlines = params.deadlines;
    const { upstream } = params;
    const request = upstream.request({
      hostname: upstream.hostname,
      port: upstream.port,
      method: params.method,
      path: params.path,
      headers: params.headers,
      agent: params.fresh ? upstream.freshAgent : upstream.agent,
    });
    (request as TaggedRequest)[CALL] = this;
    this.request = request;
    params.deadlines.add(this);
    request.on("response", onResponse);
    request.on("error", onError);
    if (params.body) params.body.pipe(request);
    else request.end();
  }

  /** Cancels the call (the client went away, or the proxy gave up on it); no callback follows. */
  abort(): void {
    this.settled = true;
    this.deadlines.remove(this);
    if (!this.request.destroyed) this.request.destroy();
  }

  settle(response: IncomingMessage | undefined, error: NodeJS.ErrnoException | undefined): void {
    if (this.settled) {
      if (response) response.destroy();
      return;
    }
    this.settled = true;
    this.deadlines.remove(this);
    if (response) this.listener.onUpstreamResponse(response);
    else
      this.listener.onUpstreamFailure(
        CONNECT_ERRORS.has(error?.code ?? "") ? "connect" : "reset",
        error as Error,
        this.request.reusedSocket,
      );
  }

  /** No response headers in time (called by the DeadlineQueue). */
  expire(): void {
    if (this.settled) return;
    this.settled = true;
    const error = new Error(`no response headers within ${this.deadlines.ms} ms`);
    this.request.destroy(error);
    this.listener.onUpstreamFailure("timeout", error, this.request.reusedSocket);
  }
}
