import { createPgShadowResultStore, type ShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { createShadowPipeline, type ShadowPipeline } from "../src/shadow/results/shadow-pipeline";
import { exchange, json, shadowTestConfig } from "../src/shadow/results/shadow-results-fixtures";

// Two proxy replicas' results pipelines, fed the exchanges the mirror hands over, writing to one
// toolkit database: every report sums both. (shadow-results-two-proxies.e2e.test.ts does the same
// through two real proxies.)

const logger = pino({ level: "silent" });
const retention = { days: 7, examplesPerSignature: 3 };
const SINCE = Date.UTC(2026, 11, 2, 10, 0, 0);
let db: TestDatabase;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  db = await createEmptyTestDatabase("shadow_pipelines");
});

afterAll(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close().catch(() => undefined)));
  await db?.drop();
});

function replica(): ShadowPipeline {
  const pipeline = createShadowPipeline({
    migration: shadowTestConfig(),
    store: createPgShadowResultStore(db.url, { retention, logger }),
    logger,
    now: () => SINCE + 30_000,
  });
  opened.push(pipeline);
  return pipeline;
}

function reader(): ShadowResultStore {
  const store = createPgShadowResultStore(db.url, { retention, logger });
  opened.push(store);
  return store;
}

describe("shadow results of two replicas in one toolkit database", () => {
  it("reports the sum of both replicas' counts, signatures, latency and examples", async () => {
    const [a, b] = [replica(), replica()];
    const send = (pipeline: ShadowPipeline, n: number, offset: number) => {
      for (let i = 0; i < n; i += 1) {
        const at = SINCE + ((i + offset) % 3) * 60_000 + 1_000;
        if (i % 5 === 0) pipeline.record(exchange({ at, candidateOutcome: json({ id: 1, name: "ONE" }, 200, 30) }));
        else if (i % 7 === 0) pipeline.record(exchange({ at, candidateOutcome: { kind: "timeout", latencyMs: 5000 } }));
        else pipeline.record(exchange({ at }));
      }
    };
    // 60 each: 12 mismatches (i % 5 = 0), 7 timeouts (i % 7 = 0 and not i % 5 = 0), 41 matches.
    send(a, 60, 0);
    send(b, 60, 1);
    a.skipped("things-create", "things-service", "write_without_dry_run");
    b.skipped("things-create", "things-service", "write_without_dry_run");
    await Promise.all([a.flush(), b.flush()]);

    const report = await reader().report({ since: SINCE, until: SINCE + 3_600_000 });
    const get = report.routes.find((route) => route.routeId === "things-get");
    expect(get).toMatchObject({
      compared: 106,
      matches: 82,
      mismatches: 24,
      candidateTimeouts: 14,
      matchRate: 82 / 106,
    });
    expect(get?.signatures).toHaveLength(1);
    expect(get?.signatures[0]).toMatchObject({ count: 24, share: 24 / 106, exampleId: expect.any(String) });
    // Both sides' latency: the legacy answered all 120; the service 106 (not the timeouts).
    expect(get?.latency.legacy.count).toBe(120);
    expect(get?.latency.service.count).toBe(106);
    expect(report.routes.find((route) => route.routeId === "things-create")?.skipped).toEqual({
      write_without_dry_run: 2,
    });
    const example = await reader().example(get?.signatures[0]?.exampleId ?? "");
    expect(example).toMatchObject({ routeId: "things-get", answers: { service: { body: '{"id":1,"name":"ONE"}' } } });
  });
});
