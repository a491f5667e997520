import http from "node:http";
import https from "node:https";
import {
  compileRoutes,
  servicePathOf,
  type CompareRulesConfig,
  type MigrationConfig,
} from "@strangler/migration-config";
import type { HttpParityAnswer, HttpParityCase } from "@strangler/ops-contract";
import {
  classifyDifferences,
  compareResponses,
  compileCompareRules,
  compileRouteComparePlans,
  type CompareRules,
} from "@strangler/response-compare";
import {
  DRY_RUN_HEADER,
  PARITY_HTTP_CONCURRENCY,
  PARITY_HTTP_MAX_RESPONSE_BYTES,
  PARITY_HTTP_REQUEST_TIMEOUT,
  SHADOW_HEADER,
} from "../../defaults";
import { type CorpusCase, isWriteCase } from "./corpus-case";
import { routeOfCase } from "./case-route";
import { type LearntNoise, NO_LEARNT_NOISE } from "./learnt-noise";
import { joinUrl, type SideOutcome, type SideRequest, sendSideRequest } from "./side-request";

/** Headers a case may not set: the connection's own, and the markers parity sets itself. */
const NOT_FORWARDED = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  SHADOW_HEADER,
  DRY_RUN_HEADER,
]);

export interface HttpParityOptions {
  concurrency?: number;
  timeoutMs?: number;
  maxResponseBytes?: number;
  noise?: LearntNoise;
  /** Called as each case finishes (progress on a terminal). */
  onCase?: (result: HttpParityCase, done: number, total: number) => void;
}

/** Everything one case needs, resolved from the config before anything is sent. */
interface PlannedCase {
  corpusCase: CorpusCase;
  routeId: string;
  service: string;
  serviceUrl: string;
  servicePath: string;
  rules: CompareRules;
  noiseRoutes: readonly string[];
  thresholds: CompareRules["noise"];
  write: boolean;
  skip: string | undefined;
}

function requestOf(planned: PlannedCase, base: string, path: string): SideRequest {
  const c = planned.corpusCase;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.headers)) if (!NOT_FORWARDED.has(name)) headers[name] = value;
  let body: Buffer | undefined;
  if (typeof c.body === "string") {
    body = Buffer.from(c.body, "utf8");
    headers["content-type"] ??= "text/plain; charset=utf-8";
  } else if (c.body !== undefined) {
    body = Buffer.from(JSON.stringify(c.body), "utf8");
    headers["content-type"] ??= "application/json";
  }
  // A write goes out marked as Strangler's own traffic and as a dry run, as shadow mode mirrors one.
  if (planned.write) Object.assign(headers, { [SHADOW_HEADER]: "1", [DRY_RUN_HEADER]: "1" });
  return { method: c.method, url: joinUrl(base, path), headers, body };
}

/** Resolves every case against the config (route, rules, dry-run): a bad case fails the run before any request. */
function planCases(migration: MigrationConfig, corpus: readonly CorpusCase[]): PlannedCase[] {
  const routes = compileRoutes(migration);
  const plans = compileRouteComparePlans(migration);
  const configs = new Map(
    migration.services.flatMap((service) =>
      [...service.routes.reads, ...service.routes.writes].map((route) => [route.id, { service, route }] as const),
    ),
  );
  return corpus.map((corpusCase) => {
    const route = routeOfCase(routes, corpusCase);
    const plan = plans.get(route.id);
    const config = configs.get(route.id);
    if (plan === undefined || config === undefined) throw new Error(`route ${route.id} has no compare plan`);
    let rules = plan.rules;
    if (corpusCase.ignore.length > 0) {
      const own: CompareRulesConfig = config.route.compare ?? { ignore: [], normalise: [], arrays: [], map: {} };
      rules = compileCompareRules(config.service.compare, { ...own, ignore: [...own.ignore, ...corpusCase.ignore] });
    }
    const write = isWriteCase(corpusCase);
    const without = [
      ...(migration.legacy.dryRun ? [] : ["legacy.dryRun"]),
      ...(config.service.dryRun ? [] : [`the ${config.service.name} service's dryRun`]),
    ];
    const skip =
      write && without.length > 0
        ? `a write (${corpusCase.method}${corpusCase.body === undefined ? "" : " with a body"}) is sent only as a dry run, and ${without.join(" and ")} is not true in the migration config`
        : undefined;
    return {
      corpusCase,
      routeId: route.id,
      service: route.service,
      serviceUrl: route.serviceUrl,
      servicePath: servicePathOf(route, corpusCase.path),
      rules,
      noiseRoutes: plan.noiseRoutes,
      thresholds: plan.thresholds,
      write,
      skip,
    };
  });
}

function answerOf(request: SideRequest, outcome: SideOutcome, write: boolean): HttpParityAnswer | null {
  if (outcome.kind === "failed") return null;
  return {
    url: request.url,
    status: outcome.response.status,
    latencyMs: outcome.latencyMs,
    ...(write ? { dryRunConfirmed: outcome.response.headers[DRY_RUN_HEADER] === "1" } : {}),
  };
}

async function runCase(
  planned: PlannedCase,
  legacyUrl: string,
  send: (request: SideRequest) => Promise<SideOutcome>,
  noise: LearntNoise,
): Promise<HttpParityCase> {
  const c = planned.corpusCase;
  const started = performance.now();
  const base = {
    name: c.name,
    file: c.file,
    routeId: planned.routeId,
    service: planned.service,
    method: c.method,
    path: c.path,
    dryRun: planned.write,
  };
  if (planned.skip !== undefined)
    return {
      ...base,
      outcome: "skipped",
      reason: planned.skip,
      answers: { legacy: null, service: null },
      differences: [],
      noise: [],
      problems: [],
      durationMs: 0,
    };
  const legacyRequest = requestOf(planned, legacyUrl, c.path);
  const serviceRequest = requestOf(planned, planned.serviceUrl, planned.servicePath);
  const [legacy, service] = await Promise.all([send(legacyRequest), send(serviceRequest)]);
  const durationMs = Math.round(performance.now() - started);
  const answers = {
    legacy: answerOf(legacyRequest, legacy, planned.write),
    service: answerOf(serviceRequest, service, planned.write),
  };
  const problems: string[] = [];
  for (const [side, outcome, request] of [
    ["legacy", legacy, legacyRequest],
    [planned.service, service, serviceRequest],
  ] as const)
    if (outcome.kind === "failed") problems.push(`${side}: ${request.method} ${request.url} failed: ${outcome.reason}`);
  if (legacy.kind === "failed" || service.kind === "failed")
    return { ...base, outcome: "error", answers, differences: [], noise: [], problems, durationMs };

  if (c.expectStatus !== undefined)
    for (const [side, outcome] of [
      ["legacy", legacy],
      [planned.service, service],
    ] as const)
      if (outcome.response.status !== c.expectStatus)
        problems.push(`${side} answered ${outcome.response.status}, the case expects ${c.expectStatus}`);
  const comparison = compareResponses(legacy.response, service.response, planned.rules);
  const classified = classifyDifferences(comparison.differences, (path) =>
    noise.isNoise(planned.noiseRoutes, path, planned.thresholds),
  );
  const failed = classified.regressions.length > 0 || problems.length > 0;
  return {
    ...base,
    outcome: failed ? "failed" : "passed",
    answers,
    differences: classified.regressions,
    noise: classified.noise,
    problems,
    durationMs,
  };
}

/** Runs `work` over `items` with at most `limit` at a time; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

/**
 * Replays a corpus: each case to the legacy app and to the service that owns its route (both at the
 * same time, writes only as dry runs), compared with the route's rules (the same compiled rules as
 * shadow mode), the case's ignores and learnt noise. Throws STRANGLER_BAD_CORPUS before sending
 * anything when a case matches no route; every other problem is a case result.
 */
export async function runHttpParity(
  migration: MigrationConfig,
  corpus: readonly CorpusCase[],
  options: HttpParityOptions = {},
): Promise<HttpParityCase[]> {
  const planned = planCases(migration, corpus);
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const sideOptions = {
    timeoutMs: options.timeoutMs ?? PARITY_HTTP_REQUEST_TIMEOUT,
    maxResponseBytes: options.maxResponseBytes ?? PARITY_HTTP_MAX_RESPONSE_BYTES,
    agents,
  };
  const send = (request: SideRequest) => sendSideRequest(request, sideOptions);
  let done = 0;
  try {
    return await mapLimit(planned, options.concurrency ?? PARITY_HTTP_CONCURRENCY, async (p) => {
      const result = await runCase(p, migration.legacy.url, send, options.noise ?? NO_LEARNT_NOISE);
      done += 1;
      options.onCase?.(result, done, planned.length);
      return result;
    });
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
}
