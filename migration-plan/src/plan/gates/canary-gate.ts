import type { PlanConfig } from "@strangler/migration-config";
import type { GateResult } from "@strangler/ops-contract";
import { summariseHistogram } from "@strangler/toolkit-store";
import { mannWhitneyHistograms } from "./mann-whitney";
import { twoProportionsExcess } from "./two-proportions";

/** One side's traffic over the canary's window: requests, failed ones, and a latency histogram. */
export interface SideTraffic {
  requests: number;
  errors: number;
  /** Counts per bucket of the input's bucketBoundsMs, plus the overflow bucket (length bounds + 1). */
  latency: readonly number[];
}

/** What the canary gate judges: both sides' traffic at the current share. */
export interface CanaryGateInput {
  legacy: SideTraffic;
  service: SideTraffic;
  /** Upper bounds (ms) of the latency buckets, ascending (e.g. SHADOW_LATENCY_BUCKETS_MS). */
  bucketBoundsMs: readonly number[];
  /** The share of traffic on the service, in percent (as plan.canary.reads writes it). */
  share: number;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(2)} %`;
const formatP = (p: number): string => (p < 0.0001 ? "p < 0.0001" : `p = ${p.toFixed(4)}`);
const ms = (value: number | null): string => (value === null ? "–" : `${value} ms`);

function latencyCount(side: SideTraffic, name: string, bounds: readonly number[]): number {
  if (side.latency.length !== bounds.length + 1)
    throw new Error(
      `the ${name} latency histogram has ${side.latency.length} buckets, the bounds ask for ${bounds.length + 1} (one per bound and the overflow)`,
    );
  return side.latency.reduce((total, count) => total + count, 0);
}

/**
 * The canary gate at one share (Kayenta-like): fewer than minSample requests on either side hold
 * (it never passes without evidence). The service fails when its error rate is above the legacy
 * side's by more than maxErrorRateIncrease at the confidence (one-sided z-test), or when it is
 * significantly slower (one-sided Mann-Whitney U on the histograms) AND its median is more than
 * maxLatencyRatio times the legacy median: with much traffic a tiny difference is "significant",
 * and the effect size decides whether it matters. Otherwise it passes, with the figures.
 */
export function canaryGate(input: CanaryGateInput, thresholds: PlanConfig["gates"]["canary"]): GateResult {
  const { legacy, service, bucketBoundsMs: bounds, share } = input;
  const prefix = `canary at ${share} %`;
  const sample = {
    service: Math.min(service.requests, latencyCount(service, "service", bounds)),
    legacy: Math.min(legacy.requests, latencyCount(legacy, "legacy", bounds)),
  };
  const base = { share, minSample: thresholds.minSample, confidence: thresholds.confidence };
  if (sample.service < thresholds.minSample || sample.legacy < thresholds.minSample) {
    const short = (["service", "legacy"] as const)
      .filter((side) => sample[side] < thresholds.minSample)
      .map(
        (side) =>
          `${sample[side]} of ${thresholds.minSample} requests on ${side === "service" ? "the service" : "legacy"}`,
      )
      .join(" and ");
    return {
      gate: "canary",
      verdict: "hold",
      message: `${prefix}: ${short} so far: hold`,
      figures: { ...base, serviceRequests: sample.service, legacyRequests: sample.legacy },
    };
  }

  const alpha = 1 - thresholds.confidence;
  const errors = twoProportionsExcess(
    { trials: service.requests, events: service.errors },
    { trials: legacy.requests, events: legacy.errors },
    thresholds.maxErrorRateIncrease,
  );
  const latency = mannWhitneyHistograms(service.latency, legacy.latency);
  const serviceLatency = summariseHistogram(service.latency, bounds);
  const legacyLatency = summariseHistogram(legacy.latency, bounds);
  const ratio =
    serviceLatency.p50 === null || legacyLatency.p50 === null
      ? null
      : legacyLatency.p50 === 0
        ? serviceLatency.p50 === 0
          ? 1
          : Number.POSITIVE_INFINITY
        : serviceLatency.p50 / legacyLatency.p50;
  const figures = {
    ...base,
    serviceRequests: service.requests,
    legacyRequests: legacy.requests,
    serviceErrorRate: errors.rate1,
    legacyErrorRate: errors.rate2,
    maxErrorRateIncrease: thresholds.maxErrorRateIncrease,
    errorPValue: errors.pValue,
    serviceP50: serviceLatency.p50,
    legacyP50: legacyLatency.p50,
    serviceP95: serviceLatency.p95,
    legacyP95: legacyLatency.p95,
    latencyRatio: ratio === null || !Number.isFinite(ratio) ? null : Math.round(ratio * 1000) / 1000,
    maxLatencyRatio: thresholds.maxLatencyRatio,
    latencyPValue: latency.pValue,
  };
  const ratioText = ratio === null ? "–" : `${ratio.toFixed(2)}×`;

  const failures: string[] = [];
  if (errors.pValue < alpha)
    failures.push(
      `service error rate ${percent(errors.rate1)} against legacy ${percent(errors.rate2)}, ${((errors.rate1 - errors.rate2) * 100).toFixed(2)} points above where ${(thresholds.maxErrorRateIncrease * 100).toFixed(2)} are allowed (${formatP(errors.pValue)} < ${alpha.toFixed(2)})`,
    );
  if (latency.pValue < alpha && ratio !== null && ratio > thresholds.maxLatencyRatio)
    failures.push(
      `service slower: median ${ms(serviceLatency.p50)} against legacy ${ms(legacyLatency.p50)} (${ratioText}, over ${thresholds.maxLatencyRatio}×), p95 ${ms(serviceLatency.p95)} against ${ms(legacyLatency.p95)} (Mann-Whitney ${formatP(latency.pValue)} < ${alpha.toFixed(2)})`,
    );
  if (failures.length > 0)
    return { gate: "canary", verdict: "fail", message: `${prefix}: ${failures.join("; ")}: fail`, figures };
  return {
    gate: "canary",
    verdict: "pass",
    message: `${prefix}: ${service.requests} requests on the service, ${legacy.requests} on legacy; error rate ${percent(errors.rate1)} against ${percent(errors.rate2)} (${formatP(errors.pValue)}); median ${ms(serviceLatency.p50)} against ${ms(legacyLatency.p50)} (${ratioText}), p95 ${ms(serviceLatency.p95)} against ${ms(legacyLatency.p95)} (${formatP(latency.pValue)}): pass`,
    figures,
  };
}
