import { servicePathOf, type CompiledRoute, type ShadowSettings } from "@strangler/migration-config";
import type { Side } from "@strangler/response-compare";
import type { Logger } from "pino";
import {
  SHADOW_EXAMPLE_BODY_BYTES,
  SHADOW_MAX_FREE_SOCKETS,
  UPSTREAM_FREE_SOCKET_TIMEOUT,
  UPSTREAM_IDLE_SWEEP_INTERVAL,
} from "../defaults";
import { createCircuitBreaker, type CircuitBreaker } from "../fallback/circuit-breaker";
import type { IdentityConfig } from "../flags/identity";
import { buildUpstreamHeaders, type UpstreamHeaderInput } from "../forwarding/forward-headers";
import { childTraceparent } from "../forwarding/trace-context";
import { createIdleSocketSweeper } from "../forwarding/idle-socket-sweeper";
import { createUpstream, type Upstream } from "../forwarding/upstream";
import type { ProxyMetrics } from "../metrics/proxy-metrics";
import { exampleHeaders, secretHeaderNames } from "./example-headers";
import { ShadowCall } from "./shadow-call";
import { createShadowLimiter } from "./shadow-limiter";
import { ShadowMirror, type MirroredRequest, type MirrorHost } from "./shadow-mirror";
import type { ShadowExchange, ShadowSink, ShadowSkipReason } from "./shadow-sink";

/** A mirrored request as the request handler hands it over. */
export interface MirrorStart extends MirroredRequest {
  route: CompiledRoute;
  candidate: Side;
  primaryAgain: boolean;
  framing: UpstreamHeaderInput["framing"];
  peer: string;
  trustedPeer: boolean;
}

/** Shadow traffic of one proxy process: mirrors requests, counts what it skipped, hands exchanges to the sink. */
export interface ShadowTraffic {
  /** Starts mirroring (writes at once, reads once the primary answered); undefined when it is skipped (counted). */
  start(request: MirrorStart): ShadowMirror | undefined;
  /** Counts a request the routing decision did not mirror. */
  skipped(route: CompiledRoute, reason: ShadowSkipReason): void;
  inFlight(): number;
  /** Cancels the mirrors in flight and closes the shadow pools. */
  close(): void;
}

export interface ShadowTrafficConfig {
  settings: ShadowSettings;
  legacy: { name: string; url: string };
  services: ReadonlyArray<{ name: string; url: string }>;
  connectMs: number;
  identity: IdentityConfig;
}

export interface ShadowTrafficDeps {
  sink: ShadowSink;
  metrics: ProxyMetrics;
  logger: Logger;
  now?: () => number;
}

/** One side's shadow pool and breaker: apart from the real traffic's, so shadow load never takes their sockets or trips their breaker. */
interface ShadowTarget {
  upstream: Upstream;
  breaker: CircuitBreaker;
}

/** Creates the shadow traffic of a proxy process: its pools (own agents, own idle sweeper), breakers, concurrency cap. */
export function createShadowTraffic(config: ShadowTrafficConfig, deps: ShadowTrafficDeps): ShadowTraffic {
  const { settings } = config;
  const { sink, metrics, logger } = deps;
  const sweeper = createIdleSocketSweeper(UPSTREAM_FREE_SOCKET_TIMEOUT, UPSTREAM_IDLE_SWEEP_INTERVAL);
  const target = (name: string, url: string): ShadowTarget => {
    const upstream = createUpstream(name, url, config.connectMs, sweeper);
    upstream.agent.maxFreeSockets = SHADOW_MAX_FREE_SOCKETS;
    const breaker = createCircuitBreaker({
      ...settings.breaker,
      now: deps.now,
      onTransition: (from, to) =>
        logger.warn({ shadow: "mirror", target: name, from, to }, `shadow breaker of ${name}: ${from} → ${to}`),
    });
    return { upstream, breaker };
  };
  const legacy = target(config.legacy.name, config.legacy.url);
  const services = new Map(config.services.map((s) => [s.name, target(s.name, s.url)]));
  const limiter = createShadowLimiter(settings.concurrency);
  const secret = secretHeaderNames(config.identity);
  const mirrors = new Set<ShadowMirror>();

  const countSkipped = (routeId: string, service: string, reason: ShadowSkipReason) => {
    metrics.countShadowSkipped(routeId, reason);
    try {
      sink.skipped(routeId, service, reason);
    } catch (error) {
      logger.error({ err: error, shadow: "mirror" }, "the shadow sink threw");
    }
  };

  const host: MirrorHost = {
    callSettled(mirror, call) {
      const outcome = call.outcome as NonNullable<ShadowCall["outcome"]>;
      const { request } = mirror;
      metrics.observeShadow(
        request.routeId,
        call.side,
        outcome.kind,
        outcome.kind === "answered" ? outcome.answer.latencyMs / 1000 : outcome.latencyMs / 1000,
      );
      if (logger.isLevelEnabled("debug"))
        logger.debug(
          {
            shadow: "mirror",
            requestId: request.requestId,
            traceId: mirror.traceId,
            route: request.routeId,
            side: call.side,
            role: call.role,
            method: request.method,
            path: request.path.slice(0, 256),
            dryRun: request.dryRun,
            outcome: outcome.kind,
            ...(outcome.kind === "answered" ? { status: outcome.answer.status } : {}),
            ...(outcome.kind === "error" ? { err: outcome.message } : {}),
            durationMs: call.elapsedMs(),
          },
          "shadow request",
        );
    },
    completed(mirror, exchange: ShadowExchange) {
      mirrors.delete(mirror);
      limiter.release();
      exchange.requestHeaders = exampleHeaders(mirror.request.req.headers, secret);
      try {
        sink.record(exchange);
      } catch (error) {
        logger.error({ err: error, shadow: "mirror" }, "the shadow sink threw");
      }
    },
    cancelled(mirror, reason) {
      mirrors.delete(mirror);
      limiter.release();
      if (reason) countSkipped(mirror.request.routeId, mirror.request.service, reason);
    },
  };

  const sideOf = (side: Side, service: string) =>
    side === "legacy" ? legacy : (services.get(service) as ShadowTarget);

  const call = (owner: ShadowMirror, request: MirrorStart, role: "candidate" | "again", side: Side): ShadowCall => {
    const { upstream } = sideOf(side, request.service);
    const path = side === "legacy" ? request.path : servicePathOf(request.route, request.path);
    const headers = buildUpstreamHeaders({
      rawHeaders: request.req.rawHeaders,
      connection: request.req.headers.connection,
      peer: request.peer,
      trustedPeer: request.trustedPeer,
      upstreamHost: upstream.host,
      requestId: request.requestId,
      framing: request.framing,
      traceparent: childTraceparent(request.traceparent),
      shadow: request.dryRun ? "dry-run" : "read",
    });
    return new ShadowCall(
      {
        role,
        side,
        upstream,
        method: request.method,
        path: `${upstream.basePath}${path}`,
        headers,
        maxResponseBytes: settings.maxResponseBodyBytes,
      },
      owner,
    );
  };

  return {
    start(request) {
      if (!limiter.tryAcquire()) {
        countSkipped(request.routeId, request.service, "concurrency_limit");
        return undefined;
      }
      const { breaker } = sideOf(request.candidate, request.service);
      const permit = breaker.acquire();
      if (permit === "reject") {
        limiter.release();
        countSkipped(request.routeId, request.service, "breaker_open");
        return undefined;
      }
      const mirror = new ShadowMirror(request, host, breaker, permit, settings.maxResponseBodyBytes);
      const makeCalls = () => {
        const calls = [call(mirror, request, "candidate", request.candidate)];
        if (request.primaryAgain) calls.push(call(mirror, request, "again", request.primary));
        return calls;
      };
      mirrors.add(mirror);
      mirror.start(makeCalls, settings.timeoutMs, settings.maxRequestBodyBytes, SHADOW_EXAMPLE_BODY_BYTES);
      return mirror;
    },
    skipped: (route, reason) => countSkipped(route.id, route.service, reason),
    inFlight: () => limiter.inFlight(),
    close() {
      for (const m of [...mirrors]) m.cancel();
      sweeper.stop();
      legacy.upstream.agent.destroy();
      for (const { upstream } of services.values()) upstream.agent.destroy();
    },
  };
}
