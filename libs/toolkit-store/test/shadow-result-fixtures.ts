import type { DiffExample } from "@strangler/ops-contract";
import { emptyHistogram, emptyShadowCounts, type NoiseDelta, type ShadowMinuteDelta } from "../src";

/** A minute delta with every counter at zero unless given. */
export function minuteDelta(
  fields: Partial<ShadowMinuteDelta> & Pick<ShadowMinuteDelta, "minute" | "routeId">,
): ShadowMinuteDelta {
  return {
    service: "svc",
    ...emptyShadowCounts(),
    ...fields,
  };
}

/** A histogram with `count` samples in bucket `bucket`. */
export function histogram(...entries: Array<[bucket: number, count: number]>): number[] {
  const counts = emptyHistogram();
  for (const [bucket, count] of entries) counts[bucket] = count;
  return counts;
}

export function noiseDelta(fields: Partial<NoiseDelta> & Pick<NoiseDelta, "routeId" | "path">): NoiseDelta {
  return { noiseDiffering: 0, noiseCompared: 0, differing: 0, compared: 0, ...fields };
}

/** A sampled mismatch example of a route and signature. */
export function example(
  fields: Partial<DiffExample> & Pick<DiffExample, "id" | "routeId" | "signature" | "at">,
): DiffExample {
  return {
    service: "svc",
    primary: "legacy",
    method: "GET",
    path: "/items/1",
    requestHeaders: { accept: "application/json" },
    requestBody: null,
    requestId: "req-1",
    traceId: "0af7651916cd43dd8448eb211c80319c",
    answers: {
      legacy: { status: 200, headers: { "content-type": "application/json" }, body: '{"name":"a"}', latencyMs: 3 },
      service: { status: 200, headers: { "content-type": "application/json" }, body: '{"name":"A"}', latencyMs: 4 },
    },
    differences: [{ path: "/name", kind: "value", legacy: '"a"', service: '"A"' }],
    ...fields,
  };
}
