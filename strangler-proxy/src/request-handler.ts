import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { servicePathOf, type CompiledRoute } from "@strangler/migration-config";
import { ProxyError } from "./errors/proxy-error";
import { sendError } from "./errors/send-error";
import type { BreakerPermit } from "./fallback/circuit-breaker";
import { isRetryable } from "./fallback/idempotent";
import type { RequestIdentity } from "./flags/identity";
import { normalisePeer, requestFraming } from "./forwarding/client-request";
import { relayBody } from "./forwarding/body-relay";
import { buildClientHeaders, buildUpstreamHeaders, type UpstreamHeaderInput } from "./forwarding/forward-headers";
import { requestIdOf } from "./forwarding/request-id";
import { primaryTraceparent } from "./forwarding/trace-context";
import { UpstreamCall, type ForwardFailure, type UpstreamListener } from "./forwarding/upstream-call";
import type { Upstream } from "./forwarding/upstream";
import type { FallbackReason } from "./metrics/proxy-metrics";
import type { HandlerContext, ServiceBackend } from "./proxy-context";
import { parseRequestTarget, type AcceptedTarget } from "./routing/request-target";
import { decideRouting, type ShadowPlan } from "./routing/routing-decision";
import type { ShadowMirror } from "./shadow/shadow-mirror";
import { servedError, servedSide, type RequestDecision } from "./traffic/served-traffic";

// Each import read once. Run by tsx, a module compiles to CommonJS (esbuild), where every read of
// an imported binding is two getter calls that V8 does not inline (≈20 ns per read, measured), and
// this path reads ten per request.
const peerOf = normalisePeer;
const framingOf = requestFraming;
const retryable = isRetryable;
const upstreamHeaders = buildUpstreamHeaders;
const clientHeaders = buildClientHeaders;
const idOf = requestIdOf;
const targetOf = parseRequestTarget;
const Call = UpstreamCall;
const answerError = sendError;
const RefusedRequest = ProxyError;
const relayTo = relayBody;
const traceOf = primaryTraceparent;
const decide = decideRouting;
const servicePath = servicePathOf;
const sideOf = servedSide;
const errorOf = servedError;

/** How the backend was chosen, for the request log and the served traffic. */
type Decision = RequestDecision;
type Mirroring = Extract<ShadowPlan, { kind: "mirror" }>;

/** Logged instead of a status when the client closed the connection before the answer (nginx's convention). */
const CLIENT_CLOSED = 499;
const FAILURE_REASON: Record<ForwardFailure, FallbackReason> = {
  connect: "connect_error",
  reset: "reset",
  timeout: "timeout",
};
const FAILURE_TEXT: Record<ForwardFailure, string> = {
  connect: "could not connect",
  reset: "the connection broke before a response",
  timeout: "no response in time",
};
const NOT_REPLAYED =
  "not sent to the monolith instead: writes, and requests with a body, are never replayed on the other side";

const EXCHANGE = Symbol("strangler.exchange");
type TaggedResponse = ServerResponse & { [EXCHANGE]: Exchange };
type TaggedUpstreamResponse = IncomingMessage & { [EXCHANGE]: Exchange };

// Module-level listeners that find their exchange on the emitter: no closure per request.
function onClientClose(this: TaggedResponse): void {
  this[EXCHANGE].clientClosed();
}
function onUpstreamBodyError(this: TaggedUpstreamResponse): void {
  this[EXCHANGE].upstreamBroke();
}

/** The proxy's request path: validate and normalise the target, match the route, evaluate its flag, forward, fall back. */
export function createRequestHandler(ctx: HandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const exchange = new Exchange(ctx, req, res);
    try {
      exchange.start();
    } catch (error) {
      exchange.crashed(error);
    }
  };
}

/**
 * One request through the proxy, from the client's request to the end of the answer. A class with
 * callbacks, not async functions and closures: this is the hot path, and it must stay lean.
 */
class Exchange implements UpstreamListener {
  private readonly startedAt = performance.now();
  private readonly method: string;
  private readonly requestId: string;
  private readonly peer: string;
  private path: string;
  private target: AcceptedTarget | undefined;
  private framing: UpstreamHeaderInput["framing"] = "none";
  private hasBody = false;
  private retryable = false;
  private route: CompiledRoute | undefined;
  private backend = "-";
  private decision: Decision = "rejected";
  private fallback: FallbackReason | undefined;
  /** The service call in flight, and its breaker permit. */
  private service: ServiceBackend | undefined;
  private permit: BreakerPermit | undefined;
  private upstream: Upstream | undefined;
  private call: UpstreamCall | undefined;
  private status = 0;
  private staleRetried = false;
  private detail: Record<string, unknown> | undefined;
  private done = false;
  /** W3C traceparent of the primary call (the client's when valid). */
  private traceparent = "";
  /** The mirrored request (shadow traffic) of this one, when its shadow flag is on. */
  private shadow: ShadowMirror | undefined;

  constructor(
    private readonly ctx: HandlerContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.method = req.method ?? "GET";
    this.requestId = idOf(req.headers["x-request-id"]);
    this.peer = peerOf(req.socket.remoteAddress);
    this.path = req.url ?? "";
    (res as TaggedResponse)[EXCHANGE] = this;
    res.on("close", onClientClose);
  }

  start(): void {
    const { ctx, req, method } = this;
    const target = targetOf(req.url ?? "", method, ctx.proxy.maxUrlLength);
    if (!target.ok) return this.fail(new ProxyError(target.code, target.reason, { path: this.path.slice(0, 256) }));
    this.target = target;
    this.path = target.path;
    const framing = framingOf(req, method);
    if (framing instanceof RefusedRequest) return this.fail(framing, true);
    this.framing = framing;
    this.hasBody = framing === "chunked" || (typeof framing === "object" && framing.contentLength !== "0");
    this.retryable = retryable(method, this.hasBody);
    this.traceparent = traceOf(req.headers.traceparent);

    const route = target.segments ? ctx.routes.match(method, target.segments) : undefined;
    this.route = route;
    // What decideRouting says for no route, without evaluating anything.
    if (!route) {
      this.decision = "no-route";
      return this.send(ctx.monolith);
    }
    const identity = ctx.identity(req.headers) as RequestIdentity & { remoteAddress?: string };
    identity.remoteAddress = this.peer;
    const { flags, proxy } = ctx;
    const serveOn = flags.isEnabled(route.serveFlag, identity);
    const service = ctx.services.get(route.service) as ServiceBackend;
    const permit = serveOn ? service.breaker.acquire() : null;
    const shadowOn = flags.isEnabled(route.shadowFlag, identity);
    const decision = decide({
      route: route.kind,
      serveOn,
      servicePermit: permit,
      shadowOn,
      retryable: this.retryable,
      safeMethod: method === "GET" || method === "HEAD" || method === "OPTIONS",
      contentLength: typeof framing === "object" ? Number(framing.contentLength) : null,
      serviceDryRun: service.dryRun,
      maxRequestBodyBytes: proxy.shadow.maxRequestBodyBytes,
      noiseSample: proxy.shadow.noiseSample,
      noiseDraw: shadowOn ? Math.random() : 1,
    });
    this.decision = decision.why;
    const plan = decision.shadow;
    if (plan.kind === "skipped") ctx.shadow.skipped(route, plan.reason);
    if (decision.why === "breaker-open") {
      this.backend = service.upstream.name;
      if (decision.primary === "unavailable") {
        return this.fail(
          new ProxyError(
            "STRANGLER_SERVICE_UNAVAILABLE",
            `${service.upstream.name} is unavailable (circuit breaker open); this ${method} was ${NOT_REPLAYED}`,
            { route: route.id, backend: service.upstream.name },
            true,
          ),
        );
      }
      return this.fallBack("breaker_open");
    }
    if (decision.why === "flag-off") {
      this.send(ctx.monolith);
    } else {
      this.service = service;
      this.permit = permit as BreakerPermit;
      this.send(service.upstream);
    }
    // The one shadow hook, after the primary call so building the mirror never delays it. A write's
    // mirror is sent in the same tick (the candidate sees the state before the primary's write
    // reaches it by CDC); a read's once the primary answered (shadow-mirror.ts).
    if (plan.kind === "mirror") this.mirror(plan, decision.primary === "service" ? "service" : "legacy");
  }

  private mirror(plan: Mirroring, primary: "legacy" | "service"): void {
    const { ctx, req, res } = this;
    const route = this.route as CompiledRoute;
    const target = this.target as AcceptedTarget;
    this.shadow = ctx.shadow.start({
      req,
      res,
      route,
      routeId: route.id,
      service: route.service,
      primary,
      candidate: plan.candidate,
      primaryAgain: plan.primaryAgain,
      method: this.method,
      path: `${target.path}${target.query}`,
      requestId: this.requestId,
      traceparent: this.traceparent,
      dryRun: plan.dryRun,
      hasBody: this.hasBody,
      framing: this.framing,
      peer: this.peer,
      trustedPeer: ctx.isTrustedPeer(this.peer),
    });
  }

  /** A bug in the proxy (or a header Node refuses to send): answer 500 rather than leave the client hanging. */
  crashed(error: unknown): void {
    this.ctx.logger.error({ err: error, requestId: this.requestId }, "request handling failed");
    if (this.call) this.call.abort();
    this.dropShadow();
    if (this.permit !== undefined) {
      (this.service as ServiceBackend).breaker.release(this.permit);
      this.permit = undefined;
    }
    if (!this.res.headersSent) this.fail(new ProxyError("STRANGLER_INTERNAL", "internal proxy error"));
    else this.res.destroy();
  }

  private send(upstream: Upstream): void {
    const { ctx, req, target } = this;
    this.upstream = upstream;
    this.backend = upstream.name;
    const headers = upstreamHeaders({
      rawHeaders: req.rawHeaders,
      connection: req.headers.connection,
      peer: this.peer,
      trustedPeer: ctx.isTrustedPeer(this.peer),
      upstreamHost: upstream.host,
      requestId: this.requestId,
      framing: this.framing,
      traceparent: this.traceparent,
    });
    const { path: legacyPath, query } = target as AcceptedTarget;
    const route = this.route;
    const toService = upstream !== ctx.monolith && route?.servicePath !== undefined;
    const path = `${upstream.basePath}${toService ? servicePath(route as CompiledRoute, legacyPath) : legacyPath}${query}`;
    this.call = new Call(
      {
        upstream,
        method: this.method,
        path,
        headers,
        body: this.hasBody ? req : null,
        fresh: this.staleRetried,
        deadlines: ctx.responseDeadlines,
      },
      this,
    );
  }

  /** The mirror is dropped unrecorded: the answer the client gets is no longer the primary's it was planned against. */
  private dropShadow(): void {
    if (this.shadow) this.shadow.cancel();
    this.shadow = undefined;
  }

  private fallBack(reason: FallbackReason): void {
    this.dropShadow();
    this.decision = "fallback";
    this.fallback = reason;
    this.ctx.metrics.countFallback((this.route as CompiledRoute).id, reason);
    this.send(this.ctx.monolith);
  }

  onUpstreamResponse(response: IncomingMessage): void {
    try {
      this.takeResponse(response);
    } catch (error) {
      this.crashed(error);
    }
  }

  onUpstreamFailure(failure: ForwardFailure, error: Error, reusedSocket: boolean): void {
    try {
      this.takeFailure(failure, error, reusedSocket);
    } catch (crash) {
      this.crashed(crash);
    }
  }

  private takeResponse(response: IncomingMessage): void {
    const status = response.statusCode ?? 502;
    if (this.permit !== undefined) {
      const { breaker } = this.service as ServiceBackend;
      const permit = this.permit;
      this.permit = undefined;
      if (status < 500) {
        breaker.success(permit);
      } else {
        breaker.failure(permit, `HTTP ${status}`);
        if (this.retryable) {
          (this.detail ??= {}).serviceStatus = status;
          response.resume();
          return this.fallBack("status_5xx");
        }
      }
    }
    this.relay(response);
  }

  private takeFailure(failure: ForwardFailure, error: Error, reusedSocket: boolean): void {
    const upstream = this.upstream as Upstream;
    if (this.permit !== undefined) {
      const { breaker } = this.service as ServiceBackend;
      breaker.failure(this.permit, `${failure}: ${error.message}`);
      this.permit = undefined;
      if (this.retryable) {
        (this.detail ??= {}).serviceError = error.message;
        return this.fallBack(FAILURE_REASON[failure]);
      }
      const message = `${upstream.name}: ${FAILURE_TEXT[failure]} (${error.message}); this ${this.method} was ${NOT_REPLAYED}`;
      return this.fail(gatewayError(failure, message, this.route?.id ?? null, upstream.name));
    }
    // A pooled socket the monolith closed just as it was reused: the request never reached it. The
    // retry goes on a new connection: the pool may hold more sockets closed at the same moment (an
    // idle close or a restart of the upstream), and a second stale one would answer 502.
    if (failure === "reset" && reusedSocket && this.retryable && !this.staleRetried) {
      this.staleRetried = true;
      return this.send(upstream);
    }
    this.fail(
      gatewayError(
        failure,
        `${upstream.name}: ${FAILURE_TEXT[failure]} (${error.message})`,
        this.route?.id ?? null,
        upstream.name,
      ),
    );
  }

  private relay(response: IncomingMessage): void {
    const { res } = this;
    this.status = response.statusCode ?? 502;
    const headers = clientHeaders(response.rawHeaders);
    headers.push("x-request-id", this.requestId);
    if (this.ctx.proxy.backendHeaders) {
      headers.push("x-strangler-route", this.route?.id ?? "-", "x-strangler-backend", this.backend);
      if (this.fallback) headers.push("x-strangler-fallback", "1");
    }
    (response as TaggedUpstreamResponse)[EXCHANGE] = this;
    response.on("error", onUpstreamBodyError);
    res.writeHead(this.status, response.statusMessage, headers);
    relayTo(response, res);
    if (this.shadow) this.shadow.capturePrimary(response);
  }

  private fail(error: ProxyError, close = false): void {
    this.status = error.status;
    const extra: Record<string, string> = this.ctx.proxy.backendHeaders
      ? { "x-strangler-route": this.route?.id ?? "-", "x-strangler-backend": this.backend }
      : {};
    // A body still arriving (an upstream gave up on a slow upload) is not read to its end on a kept connection.
    answerError(this.res, error, this.requestId, extra, close || (this.hasBody && !this.req.complete));
  }

  /** The upstream broke mid-body: cut the client's connection so a truncated body is never taken as complete. */
  upstreamBroke(): void {
    (this.detail ??= {}).err = "upstream response aborted";
    this.res.destroy();
  }

  /** The client connection's response closed: finished normally, or the client (or the proxy) cut it. */
  clientClosed(): void {
    if (this.res.writableFinished) return this.finish(this.status);
    if (this.permit !== undefined) {
      (this.service as ServiceBackend).breaker.release(this.permit);
      this.permit = undefined;
    }
    if (this.call) this.call.abort();
    this.finish(this.status && this.detail?.err ? this.status : CLIENT_CLOSED);
  }

  private finish(status: number): void {
    if (this.done) return;
    this.done = true;
    const seconds = (performance.now() - this.startedAt) / 1000;
    const { ctx } = this;
    ctx.metrics.observeRequest(this.route?.id ?? "-", this.backend, status, seconds);
    const route = this.route;
    if (route !== undefined) {
      const side = sideOf(this.decision, this.fallback);
      if (side !== undefined)
        ctx.traffic.record(route, side, errorOf(status, this.fallback, this.detail?.err !== undefined), seconds * 1000);
    }
    const level = status >= 500 ? "warn" : "info";
    if (!ctx.logger.isLevelEnabled(level)) return;
    ctx.logger[level](
      {
        requestId: this.requestId,
        method: this.method,
        path: this.path.slice(0, 256),
        route: this.route?.id ?? "-",
        backend: this.backend,
        decision: this.decision,
        ...(this.fallback ? { fallback: this.fallback } : {}),
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        ...this.detail,
      },
      "request",
    );
  }
}

function gatewayError(failure: ForwardFailure, message: string, route: string | null, backend: string): ProxyError {
  return new ProxyError(
    failure === "timeout" ? "STRANGLER_GATEWAY_TIMEOUT" : "STRANGLER_BAD_GATEWAY",
    message,
    { route, backend, reason: failure },
    failure === "connect",
  );
}
