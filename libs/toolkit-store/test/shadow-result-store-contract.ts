import { randomUUID } from "node:crypto";
import type { ShadowResultStore } from "../src";
import { example, histogram, minuteDelta, noiseDelta } from "./shadow-result-fixtures";

/** Two writers on one backing store (two replicas on one database), and a way to count kept examples. */
export interface OpenedStores {
  a: ShadowResultStore;
  b: ShadowResultStore;
  examplesKept(routeId: string, signature: string): Promise<number>;
  close(): Promise<void>;
}

/** A store under test: the PostgreSQL one against a fresh database, or the fake. */
export interface StoreUnderTest {
  open(options: { examplesPerSignature: number }): Promise<OpenedStores>;
}

const MINUTE = Date.UTC(2026, 11, 2, 10, 0, 0);
const at = (offsetMinutes: number) => MINUTE + offsetMinutes * 60_000;
const signatureA = { signature: "value /name", fields: [{ path: "/name", kind: "value" }] };
const signatureB = {
  signature: "missing /email\nvalue /items/*/price",
  fields: [
    { path: "/email", kind: "missing" },
    { path: "/items/*/price", kind: "value" },
  ],
};

/** The behaviour every ShadowResultStore has: the same spec for the PostgreSQL store and the fake. */
export function describeShadowResultStore(subject: StoreUnderTest): void {
  const open: OpenedStores[] = [];
  const openStores = async (examplesPerSignature = 5) => {
    const stores = await subject.open({ examplesPerSignature });
    open.push(stores);
    return stores;
  };
  const openStore = async () => (await openStores()).a;
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  it("sums what two writers add to the same route and minute", async () => {
    const { a, b } = await openStores();
    const route = `sum-${randomUUID()}`;
    const delta = (n: number) =>
      minuteDelta({
        minute: at(0),
        routeId: route,
        compared: 10 * n,
        matches: 7 * n,
        mismatches: 2 * n,
        noiseOnly: n,
        candidateErrors: n,
        skipped: { dropped: n, write_without_dry_run: 2 * n },
        signatures: [{ ...signatureA, count: 2 * n }],
        latency: { legacy: histogram([3, n]), service: histogram([4, 2 * n]) },
      });
    await Promise.all([
      a.write({ minutes: [delta(1)], noise: [], examples: [] }),
      b.write({ minutes: [delta(2)], noise: [], examples: [] }),
    ]);
    await a.write({ minutes: [delta(1)], noise: [], examples: [] });
    const report = await b.report({ since: at(0), until: at(1), routeId: route });
    expect(report.routes).toHaveLength(1);
    expect(report.routes[0]).toMatchObject({
      routeId: route,
      service: "svc",
      compared: 40,
      matches: 28,
      mismatches: 8,
      noiseOnly: 4,
      candidateErrors: 4,
      skipped: { dropped: 4, write_without_dry_run: 8 },
      signatures: [{ signature: signatureA.signature, count: 8, share: 0.2 }],
    });
    expect(report.routes[0]?.latency.legacy.count).toBe(4);
    expect(report.routes[0]?.latency.service.count).toBe(8);
  });

  it("reports the match rate, signatures by count with share and an example, and the learnt noise fields", async () => {
    const store = await openStore();
    const route = `figures-${randomUUID()}`;
    await store.write({
      minutes: [
        minuteDelta({
          minute: at(0),
          routeId: route,
          compared: 60,
          matches: 40,
          mismatches: 10,
          noiseOnly: 6,
          cdcFirst: 4,
          signatures: [
            { ...signatureA, count: 3 },
            { ...signatureB, count: 7 },
          ],
        }),
        minuteDelta({
          minute: at(1),
          routeId: route,
          compared: 40,
          matches: 30,
          mismatches: 10,
          signatures: [{ ...signatureA, count: 10 }],
        }),
        // Outside the window: not counted.
        minuteDelta({ minute: at(5), routeId: route, compared: 1000, matches: 0, mismatches: 1000 }),
      ],
      noise: [
        noiseDelta({
          routeId: route,
          path: "/generatedAt",
          noiseDiffering: 20,
          noiseCompared: 20,
          differing: 50,
          compared: 50,
        }),
        noiseDelta({
          routeId: route,
          path: "/name",
          noiseDiffering: 0,
          noiseCompared: 20,
          differing: 13,
          compared: 100,
        }),
      ],
      examples: [
        example({
          id: randomUUID(),
          routeId: route,
          signature: signatureB.signature,
          at: new Date(at(0)).toISOString(),
        }),
      ],
    });
    const [report] = (await store.report({ since: at(0) + 30_000, until: at(2) - 1, routeId: route })).routes;
    expect(report).toMatchObject({
      compared: 100,
      matches: 70,
      mismatches: 20,
      noiseOnly: 6,
      cdcFirst: 4,
      matchRate: 0.8,
    });
    expect(report?.signatures.map((s) => [s.signature, s.count, s.share])).toEqual([
      [signatureA.signature, 13, 0.13],
      [signatureB.signature, 7, 0.07],
    ]);
    expect(report?.signatures[0]?.exampleId).toBeNull();
    expect(report?.signatures[1]?.exampleId).toEqual(expect.any(String));
    expect(report?.signatures[1]?.fields).toEqual(signatureB.fields);
    expect(report?.noise).toEqual([
      { path: "/generatedAt", noiseDiffering: 20, noiseCompared: 20, differing: 50, compared: 50 },
    ]);
    const shown = await store.example(report?.signatures[1]?.exampleId ?? "");
    expect(shown).toMatchObject({
      routeId: route,
      signature: signatureB.signature,
      differences: [{ path: "/name", kind: "value" }],
    });
    expect(await store.example(randomUUID())).toBeUndefined();
  });

  it("filters by service and leaves routes without results out", async () => {
    const store = await openStore();
    const [mine, other] = [`svc-a-${randomUUID()}`, `svc-b-${randomUUID()}`];
    const service = `service-${randomUUID()}`;
    await store.write({
      minutes: [
        minuteDelta({ minute: at(0), routeId: mine, service, compared: 3, matches: 3 }),
        minuteDelta({ minute: at(0), routeId: other, compared: 5, matches: 5 }),
      ],
      noise: [],
      examples: [],
    });
    const report = await store.report({ since: at(0), until: at(1), service });
    expect(report.routes.map((r) => [r.routeId, r.compared, r.matchRate])).toEqual([[mine, 3, 1]]);
    expect((await store.report({ since: at(0), until: at(1), routeId: `none-${randomUUID()}` })).routes).toEqual([]);
  });

  it("reads p50/p95/p99 from the merged bucket counts of several writers", async () => {
    const { a, b } = await openStores();
    const route = `latency-${randomUUID()}`;
    // Buckets (ms): [0,1] [1,2] [2,5] [5,10] [10,20] … ; 50 + 40 samples in (2,5], 9 in (10,20], 1 in (200,500].
    await a.write({
      minutes: [
        minuteDelta({
          minute: at(0),
          routeId: route,
          latency: { legacy: histogram([2, 50], [4, 9]), service: histogram() },
        }),
      ],
      noise: [],
      examples: [],
    });
    await b.write({
      minutes: [
        minuteDelta({
          minute: at(1),
          routeId: route,
          latency: { legacy: histogram([2, 40], [8, 1]), service: histogram([5, 4]) },
        }),
      ],
      noise: [],
      examples: [],
    });
    const [report] = (await a.report({ since: at(0), until: at(2), routeId: route })).routes;
    // p50: rank 50 of 90 in (2,5] → 2 + 3 × 50/90; p95: rank 95, 5 of the 9 in (10,20]; p99: rank 99 in (10,20] → 20.
    expect(report?.latency.legacy).toEqual({ count: 100, p50: 3.67, p95: 15.56, p99: 20 });
    expect(report?.latency.service).toEqual({ count: 4, p50: 35, p95: 48.5, p99: 49.7 });
  });

  it("keeps at most examplesPerSignature examples per route and signature, however many writers send them", async () => {
    const { a, b, examplesKept } = await openStores(3);
    const route = `cap-${randomUUID()}`;
    const examples = (n: number, signature: string) =>
      Array.from({ length: n }, () =>
        example({ id: randomUUID(), routeId: route, signature, at: new Date(at(0)).toISOString() }),
      );
    await Promise.all([
      a.write({ minutes: [], noise: [], examples: examples(4, "value /name") }),
      b.write({ minutes: [], noise: [], examples: [...examples(4, "value /name"), ...examples(2, "type /age")] }),
    ]);
    expect(await examplesKept(route, "value /name")).toBe(3);
    expect(await examplesKept(route, "type /age")).toBe(2);
    // The report still names one of them.
    await a.write({
      minutes: [
        minuteDelta({
          minute: at(0),
          routeId: route,
          compared: 1,
          mismatches: 1,
          signatures: [{ signature: "type /age", fields: [{ path: "/age", kind: "type" }], count: 1 }],
        }),
      ],
      noise: [],
      examples: [],
    });
    const [report] = (await b.report({ since: at(0), until: at(1), routeId: route })).routes;
    expect(report?.signatures[0]?.exampleId).toEqual(expect.any(String));
  });

  it("prunes counts, examples and stale noise older than the cut, and keeps the rest", async () => {
    const store = await openStore();
    const route = `prune-${randomUUID()}`;
    const [oldExample, newExample] = [randomUUID(), randomUUID()];
    await store.write({
      minutes: [
        minuteDelta({ minute: at(0), routeId: route, compared: 5, matches: 5 }),
        minuteDelta({ minute: at(10), routeId: route, compared: 2, matches: 1, mismatches: 1 }),
      ],
      noise: [],
      examples: [
        example({ id: oldExample, routeId: route, signature: "value /name", at: new Date(at(0)).toISOString() }),
        example({ id: newExample, routeId: route, signature: "value /name", at: new Date(at(10)).toISOString() }),
      ],
    });
    await store.prune(at(5));
    const [report] = (await store.report({ since: at(0), until: at(20), routeId: route })).routes;
    expect(report?.compared).toBe(2);
    expect(await store.example(oldExample)).toBeUndefined();
    expect(await store.example(newExample)).toBeDefined();
  });

  it("sums learnt noise per route and path across writes", async () => {
    const { a, b } = await openStores();
    const route = `noise-${randomUUID()}`;
    await a.write({
      minutes: [],
      noise: [
        noiseDelta({ routeId: route, path: "/id", noiseDiffering: 2, noiseCompared: 3, differing: 1, compared: 4 }),
      ],
      examples: [],
    });
    await b.write({
      minutes: [],
      noise: [
        noiseDelta({ routeId: route, path: "/id", noiseDiffering: 1, noiseCompared: 1, differing: 2, compared: 2 }),
      ],
      examples: [],
    });
    expect(await a.noise(route)).toEqual([
      { routeId: route, path: "/id", noiseDiffering: 3, noiseCompared: 4, differing: 3, compared: 6 },
    ]);
    expect((await b.noise()).filter((row) => row.routeId === route)).toHaveLength(1);
  });

  it("stores hostile text as text: quotes and NUL in route ids and paths, huge bodies cut", async () => {
    const store = await openStore();
    const route = `hostile'"); DROP TABLE x; --\u0000${randomUUID()}`;
    const path = `/a'b/"c"/\u0000/${"x".repeat(5000)}`;
    const id = randomUUID();
    const huge = "é".repeat(2_000_000);
    await store.write({
      minutes: [
        minuteDelta({
          minute: at(0),
          routeId: route,
          compared: 1,
          mismatches: 1,
          signatures: [{ signature: `value ${path}`, fields: [{ path, kind: "value" }], count: 1 }],
        }),
      ],
      noise: [noiseDelta({ routeId: route, path, noiseDiffering: 1, noiseCompared: 1 })],
      examples: [
        example({
          id,
          routeId: route,
          signature: `value ${path}`,
          at: new Date(at(0)).toISOString(),
          path: `/items/'1'?q="\u0000"`,
          requestBody: huge,
          answers: {
            legacy: { status: 200, headers: {}, body: huge, latencyMs: 1 },
            service: { status: 200, headers: { "x-h": "\u0000" }, body: "{}", latencyMs: 1 },
          },
        }),
      ],
    });
    const reports = (await store.report({ since: at(0), until: at(1) })).routes.filter((r) =>
      r.routeId.startsWith("hostile'"),
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.routeId).toBe(route.replace("\u0000", "\uFFFD"));
    expect(reports[0]?.signatures[0]?.fields[0]?.path).toContain(`/a'b/"c"/\uFFFD/`);
    expect(reports[0]?.signatures[0]?.exampleId).toBe(id);
    const shown = await store.example(id);
    expect(shown?.path).toBe(`/items/'1'?q="\uFFFD"`);
    expect(shown?.answers.legacy.body.length).toBeLessThan(huge.length);
    expect(shown?.answers.legacy.body.startsWith("éé")).toBe(true);
    expect(shown?.requestBody?.length).toBeLessThan(huge.length);
    expect(shown?.answers.service.headers["x-h"]).toBe("\uFFFD");
  });
}
