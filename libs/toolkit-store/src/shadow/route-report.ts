import type { DiffExample, RouteDiffReport } from "@strangler/ops-contract";
import {
  EXAMPLE_MAX_BODY_CHARS,
  EXAMPLE_MAX_TEXT_CHARS,
  REPORT_MAX_NOISE_FIELDS,
  REPORT_MAX_SIGNATURES,
} from "../defaults";
import { summariseHistogram } from "../latency/latency-histogram";
import type { ShadowCounts } from "./shadow-counts";
import type { NoiseDelta } from "./shadow-result-store";

/** One route's results summed over the report's window and every replica: what both stores read before reporting. */
export interface RouteTotals extends Omit<ShadowCounts, "signatures"> {
  routeId: string;
  service: string;
  signatures: Array<{
    signature: string;
    fields: Array<{ path: string; kind: string }>;
    count: number;
    exampleId: string | null;
  }>;
  noise: NoiseDelta[];
}

type Kind = RouteDiffReport["signatures"][number]["fields"][number]["kind"];

/**
 * Builds a route's report from its totals, the same way for the PostgreSQL store and the fake: the
 * match rate counts noise-only and CDC-first outcomes as matches; signatures by count with their share;
 * noise fields are the paths that differed between two answers of the same side.
 */
export function buildRouteReport(totals: RouteTotals): RouteDiffReport {
  const { compared } = totals;
  const signatures = [...totals.signatures]
    .sort((a, b) => b.count - a.count || (a.signature < b.signature ? -1 : 1))
    .slice(0, REPORT_MAX_SIGNATURES)
    .map((entry) => ({
      signature: entry.signature,
      fields: entry.fields.map((field) => ({ path: field.path, kind: field.kind as Kind })),
      count: entry.count,
      share: compared === 0 ? 0 : entry.count / compared,
      exampleId: entry.exampleId,
    }));
  const noise = totals.noise
    .filter((row) => row.noiseDiffering > 0)
    .sort((a, b) => b.noiseDiffering - a.noiseDiffering || (a.path < b.path ? -1 : 1))
    .slice(0, REPORT_MAX_NOISE_FIELDS)
    .map(({ path, noiseDiffering, noiseCompared, differing, compared: pathCompared }) => ({
      path,
      noiseDiffering,
      noiseCompared,
      differing,
      compared: pathCompared,
    }));
  return {
    routeId: totals.routeId,
    service: totals.service,
    compared,
    matches: totals.matches,
    mismatches: totals.mismatches,
    noiseOnly: totals.noiseOnly,
    cdcFirst: totals.cdcFirst,
    candidateErrors: totals.candidateErrors,
    candidateTimeouts: totals.candidateTimeouts,
    skipped: totals.skipped,
    matchRate: compared === 0 ? null : (totals.matches + totals.noiseOnly + totals.cdcFirst) / compared,
    latency: { legacy: summariseHistogram(totals.latency.legacy), service: summariseHistogram(totals.latency.service) },
    signatures,
    noise,
  };
}

/** Text PostgreSQL can store (no NUL character) and no longer than `max` characters. */
export function storableText(text: string, max: number = EXAMPLE_MAX_TEXT_CHARS): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  return cut.includes("\u0000") ? cut.replaceAll("\u0000", "\uFFFD") : cut;
}

function storableRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [storableText(key), storableText(value)]));
}

/** An example as it is stored: bodies cut to EXAMPLE_MAX_BODY_CHARS, other text bounded, NUL characters replaced. */
export function storableExample(example: DiffExample): DiffExample {
  const answer = (side: DiffExample["answers"]["legacy"]) => ({
    ...side,
    headers: storableRecord(side.headers),
    body: storableText(side.body, EXAMPLE_MAX_BODY_CHARS),
  });
  return {
    ...example,
    routeId: storableText(example.routeId),
    service: storableText(example.service),
    method: storableText(example.method),
    path: storableText(example.path),
    requestHeaders: storableRecord(example.requestHeaders),
    requestBody: example.requestBody === null ? null : storableText(example.requestBody, EXAMPLE_MAX_BODY_CHARS),
    requestId: storableText(example.requestId),
    traceId: storableText(example.traceId),
    signature: storableText(example.signature, Number.MAX_SAFE_INTEGER),
    answers: { legacy: answer(example.answers.legacy), service: answer(example.answers.service) },
    differences: example.differences.map((difference) => ({
      ...difference,
      path: storableText(difference.path),
      ...(difference.legacy === undefined ? {} : { legacy: storableText(difference.legacy) }),
      ...(difference.service === undefined ? {} : { service: storableText(difference.service) }),
    })),
  };
}

/** The epoch ms of the start of the minute holding `ms`. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}
