import { createFakeShadowResultStore, type FakeShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE, SHADOW_NOISE_MIN_SAMPLE } from "../../defaults";
import { createShadowPipeline, type ShadowPipeline, type ShadowPipelineDeps } from "./shadow-pipeline";
import { exchange, json, shadowTestConfig } from "./shadow-results-fixtures";

const logger = pino({ level: "silent" });
const SINCE = Date.UTC(2026, 11, 2, 10, 0, 0);
const UNTIL = SINCE + 3_600_000;
let store: FakeShadowResultStore;
let pipeline: ShadowPipeline | undefined;

function start(overrides: Partial<ShadowPipelineDeps> = {}): ShadowPipeline {
  pipeline = createShadowPipeline({
    migration: shadowTestConfig(),
    store,
    logger,
    now: () => SINCE + 30_000,
    ...overrides,
  });
  return pipeline;
}

/** Waits for a condition the pipeline's timers bring about (bounded; the assertion after it says what failed). */
async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function routeReport(routeId: string) {
  const report = await store.report({ since: SINCE, until: UNTIL, routeId });
  return report.routes[0];
}

beforeEach(() => {
  store = createFakeShadowResultStore({ now: () => SINCE });
});

afterEach(async () => {
  store.failing = false;
  await pipeline?.close();
  pipeline = undefined;
});

describe("the shadow results pipeline", () => {
  it("counts matches, mismatches, candidate errors and timeouts, and too-large answers as skipped", async () => {
    const sink = start();
    sink.record(exchange());
    sink.record(exchange());
    sink.record(exchange({ candidateOutcome: json({ id: 1, name: "ONE" }) }));
    // The service answered the client: its answer is the primary, the legacy one the candidate.
    sink.record(exchange({ primary: "service", primaryOutcome: json({ id: 1, name: "ONE" }) }));
    sink.record(exchange({ candidateOutcome: { kind: "error", message: "ECONNREFUSED", latencyMs: 1 } }));
    sink.record(exchange({ candidateOutcome: { kind: "timeout", latencyMs: 5000 } }));
    sink.record(exchange({ candidateOutcome: { kind: "too_large", latencyMs: 4 } }));
    sink.record(exchange({ primaryOutcome: { kind: "too_large", latencyMs: 4 } }));
    sink.skipped("things-create", "things-service", "write_without_dry_run");
    await sink.flush();
    expect(await routeReport("things-get")).toMatchObject({
      compared: 4,
      matches: 2,
      mismatches: 2,
      candidateErrors: 1,
      candidateTimeouts: 1,
      skipped: { response_too_large: 2 },
      matchRate: 0.5,
    });
    expect((await routeReport("things-create"))?.skipped).toEqual({ write_without_dry_run: 1 });
  });

  it("groups mismatches by signature with an example holding both answers, legacy and service each on its side", async () => {
    const sink = start();
    sink.record(exchange({ candidateOutcome: json({ id: 1, name: "ONE" }), requestId: "req-9" }));
    await sink.flush();
    const report = await routeReport("things-get");
    expect(report?.signatures).toHaveLength(1);
    expect(report?.signatures[0]).toMatchObject({ count: 1, share: 1, exampleId: expect.any(String) });
    const shown = await store.example(report?.signatures[0]?.exampleId ?? "");
    expect(shown).toMatchObject({
      routeId: "things-get",
      primary: "legacy",
      method: "GET",
      path: "/things/1",
      requestId: "req-9",
      signature: report?.signatures[0]?.signature,
      answers: { legacy: { body: '{"id":1,"name":"one"}' }, service: { body: '{"id":1,"name":"ONE"}' } },
    });
    expect(shown?.differences.length).toBeGreaterThan(0);
  });

  it(`keeps at most ${SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE} examples per route, signature and minute`, async () => {
    const sink = start();
    for (let i = 0; i < 6; i += 1) sink.record(exchange({ candidateOutcome: json({ id: 1, name: "ONE" }) }));
    await sink.flush();
    const report = await routeReport("things-get");
    expect(report?.mismatches).toBe(6);
    expect(store.examplesKept("things-get", report?.signatures[0]?.signature ?? "")).toBe(
      SHADOW_EXAMPLES_PER_SIGNATURE_MINUTE,
    );
  });

  it("counts a mirrored write that only says CDC got there first (409 on a create, 404 on an update or delete) as cdcFirst", async () => {
    const sink = start();
    const write = { routeId: "things-create", method: "POST", path: "/things", dryRun: true };
    sink.record(
      exchange({ ...write, primaryOutcome: json({ id: 7 }, 201), candidateOutcome: json({ error: "exists" }, 409) }),
    );
    sink.record(
      exchange({
        ...write,
        routeId: "things-update",
        method: "DELETE",
        path: "/things/7",
        primaryOutcome: json({}, 204),
        candidateOutcome: json({ error: "gone" }, 404),
      }),
    );
    sink.record(
      exchange({
        ...write,
        routeId: "things-update",
        method: "PATCH",
        path: "/things/7",
        primaryOutcome: json({ id: 7 }, 200),
        candidateOutcome: json({ error: "gone" }, 404),
      }),
    );
    // The primary failed too: a real difference, not CDC.
    sink.record(
      exchange({
        ...write,
        primaryOutcome: json({ error: "bad" }, 400),
        candidateOutcome: json({ error: "exists" }, 409),
      }),
    );
    // Not a dry-run mirror: no excuse.
    sink.record(
      exchange({
        ...write,
        dryRun: false,
        primaryOutcome: json({ id: 8 }, 201),
        candidateOutcome: json({ error: "exists" }, 409),
      }),
    );
    await sink.flush();
    expect(await routeReport("things-create")).toMatchObject({
      compared: 3,
      cdcFirst: 1,
      mismatches: 2,
      matchRate: 1 / 3,
    });
    expect(await routeReport("things-update")).toMatchObject({ compared: 2, cdcFirst: 2, mismatches: 0, matchRate: 1 });
  });

  it("learns from second calls to the primary that a changing field is noise: such differences count as noise-only, listed as noise fields", async () => {
    const sink = start();
    const answer = (n: number) =>
      json({ id: 1, name: "one", generatedAt: `2026-12-02T10:00:${String(n).padStart(2, "0")}Z` });
    // Below the minimum sample a difference is a mismatch…
    sink.record(exchange({ primaryOutcome: answer(0), candidateOutcome: answer(1) }));
    for (let i = 0; i < SHADOW_NOISE_MIN_SAMPLE; i += 1)
      sink.record(exchange({ primaryOutcome: answer(2), primaryAgain: answer(3), candidateOutcome: answer(2) }));
    // …after it, only noise.
    sink.record(exchange({ primaryOutcome: answer(4), candidateOutcome: answer(5) }));
    sink.record(exchange({ primaryOutcome: answer(6), candidateOutcome: answer(7) }));
    await sink.flush();
    const report = await routeReport("things-get");
    expect(report).toMatchObject({ compared: 23, matches: SHADOW_NOISE_MIN_SAMPLE, mismatches: 1, noiseOnly: 2 });
    expect(report?.matchRate).toBeCloseTo(22 / 23);
    expect(report?.noise.length).toBeGreaterThan(0);
    expect(report?.noise[0]).toMatchObject({
      noiseDiffering: SHADOW_NOISE_MIN_SAMPLE,
      noiseCompared: SHADOW_NOISE_MIN_SAMPLE,
    });
  });

  it("judges a mirrored write's differences with the noise learnt on the reads of the same resource", async () => {
    const sink = start();
    const answer = (n: number, status = 200) =>
      json({ id: 1, updatedAt: `2026-12-02T10:00:${String(n).padStart(2, "0")}Z` }, status);
    for (let i = 0; i < SHADOW_NOISE_MIN_SAMPLE; i += 1)
      sink.record(exchange({ primaryOutcome: answer(1), primaryAgain: answer(2), candidateOutcome: answer(1) }));
    sink.record(
      exchange({
        routeId: "things-update",
        method: "PATCH",
        dryRun: true,
        primaryOutcome: answer(3),
        candidateOutcome: answer(4),
      }),
    );
    // A create's answer is the item it made: its noise comes from the item read, /things/:id.
    sink.record(
      exchange({
        routeId: "things-create",
        method: "POST",
        path: "/things",
        dryRun: true,
        primaryOutcome: answer(5, 201),
        candidateOutcome: answer(6, 201),
      }),
    );
    await sink.flush();
    expect(await routeReport("things-update")).toMatchObject({ compared: 1, noiseOnly: 1, mismatches: 0 });
    expect(await routeReport("things-create")).toMatchObject({ compared: 1, noiseOnly: 1, mismatches: 0 });
  });

  it("starts from the noise the store holds (what other replicas learnt)", async () => {
    const seeded = start();
    const answer = (n: number) => json({ id: 1, token: `t-${n}` });
    for (let i = 0; i < SHADOW_NOISE_MIN_SAMPLE; i += 1)
      seeded.record(exchange({ primaryOutcome: answer(1), primaryAgain: answer(2), candidateOutcome: answer(1) }));
    await seeded.close();
    const other = start();
    await new Promise((resolve) => setImmediate(resolve));
    other.record(exchange({ primaryOutcome: answer(3), candidateOutcome: answer(4) }));
    await other.flush();
    expect(await routeReport("things-get")).toMatchObject({ noiseOnly: 1, mismatches: 0 });
  });

  it("writes on its own timer, learns what another replica learnt on the next refresh, and prunes past the retention", async () => {
    const prunedBefore: number[] = [];
    const prune = store.prune.bind(store);
    store.prune = async (olderThan) => {
      prunedBefore.push(olderThan);
      await prune(olderThan);
    };
    const fast = { flushIntervalMs: 5, noiseRefreshIntervalMs: 5, pruneIntervalMs: 5 };
    const other = createShadowPipeline({
      migration: shadowTestConfig(),
      store,
      logger,
      now: () => SINCE + 30_000,
      limits: fast,
    });
    const sink = start({ limits: fast });
    const answer = (n: number) => json({ id: 1, nonce: `n-${n}` });
    for (let i = 0; i < SHADOW_NOISE_MIN_SAMPLE; i += 1)
      other.record(exchange({ primaryOutcome: answer(1), primaryAgain: answer(2), candidateOutcome: answer(1) }));
    // No flush(): the timer writes, the other pipeline's refresh reads it back.
    await until(async () => (await store.noise("things-get")).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    sink.record(exchange({ primaryOutcome: answer(3), candidateOutcome: answer(4) }));
    await until(async () => ((await routeReport("things-get"))?.noiseOnly ?? 0) > 0);
    expect(await routeReport("things-get")).toMatchObject({ noiseOnly: 1, mismatches: 0 });
    expect(prunedBefore.length).toBeGreaterThan(0);
    expect(prunedBefore[0]).toBe(SINCE + 30_000 - 7 * 86_400_000);
    await other.close();
  });

  it("drops exchanges past the queue bound without blocking or throwing, and counts them as skipped `dropped`", async () => {
    const sink = start({ limits: { queueMax: 3 } });
    for (let i = 0; i < 10; i += 1) expect(() => sink.record(exchange())).not.toThrow();
    expect(sink.stats()).toMatchObject({ queued: 3, dropped: 7 });
    await sink.flush();
    expect(await routeReport("things-get")).toMatchObject({ compared: 3, matches: 3, skipped: { dropped: 7 } });
  });

  it("compares off the calling turn: record() returns before anything is judged", async () => {
    const sink = start();
    sink.record(exchange());
    expect(sink.stats()).toMatchObject({ queued: 1, judged: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.stats()).toMatchObject({ queued: 0, judged: 1 });
  });

  it("keeps a bounded backlog while the store fails, counts what it dropped, and writes the rest once the store is back", async () => {
    const sink = start({ limits: { backlogMax: 2 } });
    store.failing = true;
    for (let minute = 0; minute < 5; minute += 1) {
      sink.record(exchange({ at: SINCE + minute * 60_000 }));
      await sink.flush();
    }
    expect(sink.stats()).toMatchObject({ backlog: 2, droppedBatches: 3 });
    expect(sink.stats().writeFailures).toBeGreaterThanOrEqual(5);
    store.failing = false;
    await sink.flush();
    expect(sink.stats()).toMatchObject({ backlog: 0 });
    // The two newest minutes arrived; the three oldest were dropped.
    expect((await routeReport("things-get"))?.compared).toBe(2);
    expect(store.batches.flatMap((b) => b.minutes.map((m) => m.minute))).toEqual([
      SINCE + 3 * 60_000,
      SINCE + 4 * 60_000,
    ]);
  });

  it("writes what it judged when closed, and ignores what comes after", async () => {
    const sink = start();
    sink.record(exchange());
    sink.record(exchange({ candidateOutcome: json({ id: 1, name: "ONE" }) }));
    await sink.close();
    sink.record(exchange());
    sink.skipped("things-get", "things-service", "breaker_open");
    expect(await routeReport("things-get")).toMatchObject({ compared: 2, matches: 1, mismatches: 1, skipped: {} });
  });

  it("records both sides' latency in the shared histogram buckets", async () => {
    const sink = start();
    sink.record(exchange({ primaryOutcome: json({ a: 1 }, 200, 3), candidateOutcome: json({ a: 1 }, 200, 40) }));
    sink.record(
      exchange({
        primary: "service",
        primaryOutcome: json({ a: 1 }, 200, 40),
        candidateOutcome: json({ a: 1 }, 200, 3),
      }),
    );
    await sink.flush();
    const report = await routeReport("things-get");
    expect(report?.latency.legacy).toMatchObject({ count: 2 });
    expect(report?.latency.service).toMatchObject({ count: 2 });
    expect(report?.latency.legacy.p99).toBeLessThanOrEqual(5);
    expect(report?.latency.service.p50).toBeGreaterThan(20);
  });

  it("exposes strangler_proxy_shadow_compare_* counters by route and verdict", async () => {
    const sink = start({ limits: { queueMax: 1 } });
    sink.record(exchange());
    sink.record(exchange());
    await sink.flush();
    const [compared, dropped] = await Promise.all(sink.metrics().map((metric) => metric.get()));
    expect(compared?.name).toBe("strangler_proxy_shadow_compare_total");
    expect(compared?.values).toEqual([{ labels: { route: "things-get", verdict: "match" }, value: 1 }]);
    expect(dropped?.values).toEqual([{ labels: { route: "things-get" }, value: 1 }]);
  });
});
