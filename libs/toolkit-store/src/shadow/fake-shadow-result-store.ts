import type { DiffExample, DiffReport } from "@strangler/ops-contract";
import { TOOLKIT_EXAMPLES_PER_SIGNATURE_DEFAULT } from "../defaults";
import { ToolkitStoreError } from "../errors/toolkit-store-error";
import { addHistogram } from "../latency/latency-histogram";
import { emptyShadowCounts } from "./shadow-counts";
import { buildRouteReport, minuteOf, storableExample, storableText, type RouteTotals } from "./route-report";
import type { NoiseDelta, ShadowMinuteDelta, ShadowResultBatch, ShadowResultStore } from "./shadow-result-store";

/** The in-memory store for unit tests, with the PostgreSQL store's semantics, and a switch to make it fail. */
export interface FakeShadowResultStore extends ShadowResultStore {
  /** While set, every call rejects with a retriable ToolkitStoreError (the database is down). */
  failing: boolean;
  /** Batches accepted so far. */
  readonly batches: readonly ShadowResultBatch[];
  /** Examples kept for a route and signature. */
  examplesKept(routeId: string, signature: string): number;
}

/** An in-memory ShadowResultStore (same sums, caps and report as the PostgreSQL one). */
export function createFakeShadowResultStore(
  options: { examplesPerSignature?: number; now?: () => number } = {},
): FakeShadowResultStore {
  const cap = options.examplesPerSignature ?? TOOLKIT_EXAMPLES_PER_SIGNATURE_DEFAULT;
  const now = options.now ?? Date.now;
  const minutes: ShadowMinuteDelta[] = [];
  const noise = new Map<string, NoiseDelta & { updatedAt: number }>();
  const examples = new Map<string, DiffExample>();
  const batches: ShadowResultBatch[] = [];

  const store: FakeShadowResultStore = {
    failing: false,
    batches,
    async write(batch) {
      check("write");
      batches.push(structuredClone(batch));
      minutes.push(...batch.minutes.map(storableDelta));
      for (const delta of batch.noise.map((d) => ({
        ...d,
        routeId: storableText(d.routeId),
        path: storableText(d.path, Infinity),
      }))) {
        const key = `${delta.routeId}\n${delta.path}`;
        const row = noise.get(key) ?? {
          ...delta,
          noiseDiffering: 0,
          noiseCompared: 0,
          differing: 0,
          compared: 0,
          updatedAt: 0,
        };
        row.noiseDiffering += delta.noiseDiffering;
        row.noiseCompared += delta.noiseCompared;
        row.differing += delta.differing;
        row.compared += delta.compared;
        row.updatedAt = now();
        noise.set(key, row);
      }
      for (const example of batch.examples.map(storableExample)) {
        if (store.examplesKept(example.routeId, example.signature) < cap && !examples.has(example.id))
          examples.set(example.id, example);
      }
    },
    async report(query): Promise<DiffReport> {
      check("report");
      const since = minuteOf(query.since);
      const until = query.until ?? now();
      const routes = new Map<string, RouteTotals>();
      const inWindow = minutes.filter(
        (m) =>
          m.minute >= since &&
          m.minute <= until &&
          (query.routeId === undefined || m.routeId === query.routeId) &&
          (query.service === undefined || m.service === query.service),
      );
      for (const m of inWindow) {
        const route = routes.get(m.routeId) ?? emptyTotals(m.routeId, m.service);
        routes.set(m.routeId, route);
        route.compared += m.compared;
        route.matches += m.matches;
        route.mismatches += m.mismatches;
        route.noiseOnly += m.noiseOnly;
        route.cdcFirst += m.cdcFirst;
        route.candidateErrors += m.candidateErrors;
        route.candidateTimeouts += m.candidateTimeouts;
        for (const [reason, count] of Object.entries(m.skipped))
          if (count > 0) route.skipped[reason] = (route.skipped[reason] ?? 0) + count;
        for (const entry of m.signatures) {
          const known = route.signatures.find((s) => s.signature === entry.signature);
          if (known) known.count += entry.count;
          else route.signatures.push({ ...entry, exampleId: null });
        }
        addHistogram(route.latency.legacy, m.latency.legacy);
        addHistogram(route.latency.service, m.latency.service);
      }
      for (const route of routes.values()) {
        for (const entry of route.signatures) {
          const candidates = [...examples.values()]
            .filter((e) => e.routeId === route.routeId && e.signature === entry.signature)
            .map((e) => ({
              id: e.id,
              at: Date.parse(e.at),
              inWindow: Date.parse(e.at) >= since && Date.parse(e.at) <= until,
            }))
            .sort((a, b) => Number(b.inWindow) - Number(a.inWindow) || b.at - a.at);
          entry.exampleId = candidates[0]?.id ?? null;
        }
        route.noise = [...noise.values()].filter((row) => row.routeId === route.routeId).map(stripUpdatedAt);
      }
      return {
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        routes: [...routes.values()].sort((a, b) => (a.routeId < b.routeId ? -1 : 1)).map(buildRouteReport),
      };
    },
    async example(id) {
      check("example");
      const found = examples.get(id);
      return found === undefined ? undefined : structuredClone(found);
    },
    async noise(routeId) {
      check("noise");
      return [...noise.values()].filter((row) => routeId === undefined || row.routeId === routeId).map(stripUpdatedAt);
    },
    async prune(olderThan) {
      check("prune");
      const kept = minutes.filter((m) => m.minute >= olderThan);
      minutes.splice(0, minutes.length, ...kept);
      for (const [id, example] of examples) if (Date.parse(example.at) < olderThan) examples.delete(id);
      for (const [key, row] of noise) if (row.updatedAt < olderThan) noise.delete(key);
    },
    async close() {},
    examplesKept: (routeId, signature) =>
      [...examples.values()].filter((e) => e.routeId === routeId && e.signature === signature).length,
  };
  function check(doing: string): void {
    if (store.failing)
      throw new ToolkitStoreError(
        "TOOLKIT_STORE_UNAVAILABLE",
        `toolkit database: ${doing} failed: fake store is down`,
        true,
      );
  }
  return store;
}

function emptyTotals(routeId: string, service: string): RouteTotals {
  return {
    routeId,
    service,
    ...emptyShadowCounts(),
    signatures: [],
    noise: [],
  };
}

function stripUpdatedAt(row: NoiseDelta & { updatedAt: number }): NoiseDelta {
  const { routeId, path, noiseDiffering, noiseCompared, differing, compared } = row;
  return { routeId, path, noiseDiffering, noiseCompared, differing, compared };
}

/** What the PostgreSQL store makes of a delta's text (NUL replaced, field paths bounded). */
function storableDelta(delta: ShadowMinuteDelta): ShadowMinuteDelta {
  return {
    ...structuredClone(delta),
    routeId: storableText(delta.routeId),
    service: storableText(delta.service),
    skipped: Object.fromEntries(Object.entries(delta.skipped).map(([reason, n]) => [storableText(reason), n])),
    signatures: delta.signatures.map((entry) => ({
      signature: storableText(entry.signature, Infinity),
      fields: entry.fields.map((field) => ({ path: storableText(field.path), kind: field.kind })),
      count: entry.count,
    })),
  };
}
