import { randomUUID } from "node:crypto";
import { trafficReportSchema } from "@strangler/ops-contract";
import { ToolkitStoreError, TRAFFIC_LATENCY_BUCKETS_MS, TRAFFIC_SLICE_MS, type TrafficStore } from "../src";
import { latencies, trafficDelta } from "./traffic-fixtures";

/** A store under test: the PostgreSQL one against a test database, or the fake. */
export interface TrafficStoreUnderTest {
  /** A store (a second call in the same test: another replica on the same backing store). */
  open(options: { now?: () => number }): Promise<TrafficStore>;
}

const MINUTE = Date.UTC(2026, 11, 2, 10, 0, 0);
const at = (offsetMinutes: number) => MINUTE + offsetMinutes * 60_000;
const iso = (offsetMinutes: number) => new Date(at(offsetMinutes)).toISOString();
const window = (from: number, to: number) => ({ since: new Date(at(from)), until: new Date(at(to)) });
const uniqueRoute = (name: string) => `${name}-${randomUUID()}`;

/** The behaviour every TrafficStore has: the same spec for the PostgreSQL store and the fake. */
export function describeTrafficStore(subject: TrafficStoreUnderTest): void {
  const opened: TrafficStore[] = [];
  const openStore = async (now?: () => number) => {
    const store = await subject.open({ now });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it("sums what two writers add to the same route, side and minute, histograms bucket by bucket", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const route = uniqueRoute("sum");
    const delta = (n: number) =>
      trafficDelta({
        minute: at(0),
        routeId: route,
        side: "service",
        requests: 10 * n,
        errors: n,
        latency: latencies([3, 10 * n]),
      });
    await Promise.all([a.write([delta(1)]), b.write([delta(2)]), a.write([delta(3)])]);
    await b.write([
      delta(1),
      trafficDelta({ minute: at(0), routeId: route, requests: 4, latency: latencies([40, 4]) }),
    ]);

    const report = await a.report({ ...window(0, 1), routeIds: [route] });
    expect(report.routes).toHaveLength(1);
    const { legacy, service } = report.routes[0]?.sides ?? {};
    expect(service).toMatchObject({ requests: 70, errors: 7, errorRate: 0.1, latency: { count: 70 } });
    expect(service?.histogram).toEqual(latencies([3, 70]));
    expect(service?.minutes).toEqual([
      { minute: iso(0), requests: 70, errors: 7, p50: expect.any(Number), p95: expect.any(Number) },
    ]);
    expect(legacy).toMatchObject({ requests: 4, errors: 0, errorRate: 0 });
    expect(legacy?.histogram).toEqual(latencies([40, 4]));
  });

  it("reports per route and side the totals, percentiles and the per-minute series in order", async () => {
    const store = await openStore();
    const route = uniqueRoute("series");
    await store.write([
      // Out of order on purpose: the series comes back by minute.
      trafficDelta({
        minute: at(2),
        routeId: route,
        side: "service",
        requests: 10,
        errors: 5,
        latency: latencies([90, 10]),
      }),
      trafficDelta({
        minute: at(0),
        routeId: route,
        side: "service",
        requests: 100,
        errors: 1,
        latency: latencies([9, 90], [90, 10]),
      }),
      trafficDelta({
        minute: at(0),
        routeId: route,
        side: "legacy",
        requests: 20,
        errors: 0,
        latency: latencies([2, 20]),
      }),
      trafficDelta({ minute: at(1), routeId: route, side: "legacy", requests: 0, errors: 0 }),
    ]);
    const report = await store.report({ ...window(0, 3), routeIds: [route] });
    expect(trafficReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      since: iso(0),
      until: iso(3),
      latencyBucketsMs: [...TRAFFIC_LATENCY_BUCKETS_MS],
    });
    const { legacy, service } = report.routes[0]?.sides ?? {};
    expect(report.routes[0]).toMatchObject({ routeId: route, service: "svc" });
    expect(service).toMatchObject({ requests: 110, errors: 6, errorRate: 6 / 110 });
    // 90 of 110 at 9 ms (bucket 8–10 ms), 20 at 90 ms (80–100 ms): the median in the first, p95 in the second.
    expect(service?.latency.count).toBe(110);
    expect(service?.latency.p50).toBeGreaterThan(8);
    expect(service?.latency.p50).toBeLessThanOrEqual(10);
    expect(service?.latency.p95).toBeGreaterThan(80);
    expect(service?.latency.p95).toBeLessThanOrEqual(100);
    expect(service?.minutes.map((m) => [m.minute, m.requests, m.errors])).toEqual([
      [iso(0), 100, 1],
      [iso(2), 10, 5],
    ]);
    expect(service?.minutes[1]?.p50).toBeGreaterThan(80);
    // A minute without requests is left out of the series.
    expect(legacy?.minutes.map((m) => m.minute)).toEqual([iso(0)]);
    expect(legacy?.latency).toMatchObject({ count: 20, p50: expect.any(Number) });
  });

  it("gives both sides of a route, the one without traffic empty", async () => {
    const store = await openStore();
    const route = uniqueRoute("one-side");
    await store.write([
      trafficDelta({ minute: at(0), routeId: route, requests: 3, errors: 1, latency: latencies([5, 3]) }),
    ]);
    const report = await store.report({ ...window(0, 1), routeIds: [route] });
    expect(report.routes[0]?.sides.service).toEqual({
      requests: 0,
      errors: 0,
      errorRate: null,
      latency: { count: 0, p50: null, p95: null, p99: null },
      histogram: latencies(),
      minutes: [],
    });
  });

  it("covers the window from the start of since's slice up to until, and filters by service and routes", async () => {
    const store = await openStore();
    const [r1, r2, r3] = [uniqueRoute("w1"), uniqueRoute("w2"), uniqueRoute("w3")];
    const one = (minute: number, routeId: string, service = "svc") =>
      trafficDelta({ minute, routeId, service, requests: 1, latency: latencies([1, 1]) });
    await store.write([
      one(at(-1), r1),
      one(at(0), r1),
      one(at(5), r1),
      one(at(6), r1),
      one(at(0), r2),
      one(at(0), r3, "other"),
    ]);

    const from = await store.report({
      since: new Date(at(0) + TRAFFIC_SLICE_MS - 1),
      until: new Date(at(5)),
      routeIds: [r1, r2, r3],
    });
    expect(from.since).toBe(iso(0));
    expect(from.routes.map((r) => [r.routeId, r.sides.legacy.requests])).toEqual(
      [
        [r1, 2],
        [r2, 1],
        [r3, 1],
      ].sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );
    const svc = await store.report({ ...window(0, 1), service: "svc", routeIds: [r1, r2, r3] });
    expect(svc.routes.map((r) => r.routeId).sort()).toEqual([r1, r2].sort());
    const only = await store.report({ ...window(-5, 10), routeIds: [r3, "unknown"] });
    expect(only.routes.map((r) => [r.routeId, r.service])).toEqual([[r3, "other"]]);
    expect(await store.report({ ...window(0, 1), routeIds: [] })).toMatchObject({ routes: [] });
  });

  it("reads until now when no until is given", async () => {
    const store = await openStore(() => at(3) + 30_000);
    const route = uniqueRoute("now");
    const one = (minute: number) => trafficDelta({ minute, routeId: route, requests: 1, latency: latencies([1, 1]) });
    await store.write([one(at(3)), one(at(4))]);
    const report = await store.report({ since: new Date(at(0)), routeIds: [route] });
    expect(report.until).toBe(new Date(at(3) + 30_000).toISOString());
    expect(report.routes[0]?.sides.legacy.requests).toBe(1);
  });

  it("names the service of the route's newest minute", async () => {
    const store = await openStore();
    const route = uniqueRoute("moved");
    await store.write([
      trafficDelta({ minute: at(1), routeId: route, service: "new-svc", requests: 1, latency: latencies([1, 1]) }),
      trafficDelta({ minute: at(0), routeId: route, service: "old-svc", requests: 1, latency: latencies([1, 1]) }),
    ]);
    expect((await store.report({ ...window(0, 2), routeIds: [route] })).routes[0]?.service).toBe("new-svc");
  });

  it("rejects a batch with a bad delta, without retry and without writing any of it", async () => {
    const store = await openStore();
    const route = uniqueRoute("bad");
    const good = trafficDelta({ minute: at(0), routeId: route, requests: 1, latency: latencies([1, 1]) });
    const rejected = { code: "TOOLKIT_STORE_QUERY_FAILED", retriable: false };
    for (const bad of [
      { ...good, latency: [1] },
      { ...good, latency: latencies([1, 1]).map((n) => n - 1) },
      { ...good, errors: 2 },
      { ...good, requests: 1.5 },
      { ...good, minute: at(0) + 1 },
      { ...good, side: "other" as "legacy" },
    ]) {
      const failure = await store.write([good, bad]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ToolkitStoreError);
      expect(failure).toMatchObject(rejected);
    }
    expect((await store.report({ ...window(0, 1), routeIds: [route] })).routes).toEqual([]);
    await store.write([]);
  });

  it("prunes the minutes before the given time", async () => {
    const store = await openStore();
    const route = uniqueRoute("prune");
    const one = (minute: number) => trafficDelta({ minute, routeId: route, requests: 1, latency: latencies([1, 1]) });
    await store.write([one(at(0)), one(at(1)), one(at(2))]);
    await store.prune(new Date(at(1)));
    const report = await store.report({ ...window(0, 3), routeIds: [route] });
    expect(report.routes[0]?.sides.legacy.minutes.map((m) => m.minute)).toEqual([iso(1), iso(2)]);
  });

  it("stores hostile route and service names as text: quotes, braces, commas and NUL", async () => {
    const store = await openStore();
    const route = `"r",{x}'; DROP TABLE y; --\u0000${randomUUID()}`;
    const service = `s,{"}\u0000`;
    await store.write([
      trafficDelta({ minute: at(0), routeId: route, service, requests: 2, latency: latencies([3, 2]) }),
    ]);
    const stored = route.replaceAll("\u0000", "\uFFFD");
    const report = await store.report({ ...window(0, 1), routeIds: [stored] });
    expect(report.routes.map((r) => [r.routeId, r.service, r.sides.legacy.requests])).toEqual([
      [stored, `s,{"}\uFFFD`, 2],
    ]);
  });

  it("fails after close() with a final error", async () => {
    const store = await subject.open({});
    await store.close();
    await expect(store.report({ since: new Date(0) })).rejects.toMatchObject({
      code: "TOOLKIT_STORE_CLOSED",
      retriable: false,
    });
  });
}
