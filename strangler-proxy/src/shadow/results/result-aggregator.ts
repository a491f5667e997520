import type { DiffExample } from "@strangler/ops-contract";
import { generalisePath } from "@strangler/response-compare";
import { emptyShadowCounts, latencyBucket, type ShadowMinuteDelta } from "@strangler/toolkit-store";
import { SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE, SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE } from "../../defaults";
import type { ShadowExchange } from "../shadow-sink";
import type { Verdict } from "./exchange-verdict";

const MINUTE_MS = 60_000;
/** Where mismatches go once a route's minute has SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE signatures (memory stays bounded). */
export const OTHER_SIGNATURE = "(other signatures)";

/** The distinct (generalised path, kind) pairs of a signature, in signature order. */
function signatureFields(
  differences: ReadonlyArray<{ path: string; kind: string }>,
): Array<{ path: string; kind: string }> {
  const fields = new Map<string, { path: string; kind: string }>();
  for (const d of differences) {
    const path = generalisePath(d.path);
    fields.set(`${d.kind} ${path}`, { path, kind: d.kind });
  }
  return [...fields.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, field]) => field);
}

/** Counts per route and minute, built up between two writes; take() hands them over and starts afresh. */
export interface ResultAggregator {
  /** Counts a judged exchange (and its latency); returns true when an example of its signature should be kept. */
  add(exchange: ShadowExchange, verdict: Verdict): boolean;
  skip(at: number, routeId: string, service: string, reason: string): void;
  addExample(example: DiffExample): void;
  take(): { minutes: ShadowMinuteDelta[]; examples: DiffExample[] };
}

export function createResultAggregator(): ResultAggregator {
  let minutes = new Map<string, ShadowMinuteDelta>();
  let examples: DiffExample[] = [];
  // Examples taken per minute, route and signature; survives take() until its minute is over.
  let sampled = new Map<string, number>();
  let sampledMinute = 0;

  const deltaOf = (at: number, routeId: string, service: string): ShadowMinuteDelta => {
    const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const key = `${minute}\n${routeId}`;
    let delta = minutes.get(key);
    if (delta === undefined) {
      delta = {
        minute,
        routeId,
        service,
        ...emptyShadowCounts(),
      };
      minutes.set(key, delta);
    }
    return delta;
  };
  const countSkip = (delta: ShadowMinuteDelta, reason: string) => {
    delta.skipped[reason] = (delta.skipped[reason] ?? 0) + 1;
  };

  return {
    add(exchange, verdict) {
      const delta = deltaOf(exchange.at, exchange.routeId, exchange.service);
      const candidate = exchange.primary === "legacy" ? "service" : "legacy";
      for (const [side, outcome] of [
        [exchange.primary, exchange.primaryOutcome],
        [candidate, exchange.candidateOutcome],
      ] as const) {
        if (outcome.kind !== "answered") continue;
        const bucket = latencyBucket(outcome.answer.latencyMs);
        delta.latency[side][bucket] = (delta.latency[side][bucket] ?? 0) + 1;
      }
      switch (verdict.kind) {
        case "skipped":
          countSkip(delta, verdict.reason);
          return false;
        case "candidateError":
          delta.candidateErrors += 1;
          return false;
        case "candidateTimeout":
          delta.candidateTimeouts += 1;
          return false;
        case "match":
          delta.compared += 1;
          delta.matches += 1;
          return false;
        case "noiseOnly":
          delta.compared += 1;
          delta.noiseOnly += 1;
          return false;
        case "cdcFirst":
          delta.compared += 1;
          delta.cdcFirst += 1;
          return false;
        case "mismatch": {
          delta.compared += 1;
          delta.mismatches += 1;
          const full = delta.signatures.length >= SHADOW_MAX_SIGNATURES_PER_ROUTE_MINUTE;
          const signature =
            full && !delta.signatures.some((e) => e.signature === verdict.signature)
              ? OTHER_SIGNATURE
              : verdict.signature;
          const known = delta.signatures.find((entry) => entry.signature === signature);
          if (known) known.count += 1;
          else
            delta.signatures.push({
              signature,
              fields: signature === OTHER_SIGNATURE ? [] : signatureFields(verdict.differences),
              count: 1,
            });
          if (signature === OTHER_SIGNATURE) return false;
          if (delta.minute !== sampledMinute) {
            sampled = new Map();
            sampledMinute = delta.minute;
          }
          const key = `${exchange.routeId}\n${verdict.signature}`;
          const taken = sampled.get(key) ?? 0;
          if (taken >= SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE) return false;
          sampled.set(key, taken + 1);
          return true;
        }
      }
    },
    skip(at, routeId, service, reason) {
      countSkip(deltaOf(at, routeId, service), reason);
    },
    addExample(example) {
      examples.push(example);
    },
    take() {
      const batch = { minutes: [...minutes.values()], examples };
      minutes = new Map();
      examples = [];
      return batch;
    },
  };
}
