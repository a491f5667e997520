import http from "node:http";
import type { AddressInfo } from "node:net";
import { shadowFlagName } from "@strangler/migration-config";
import { createPgShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { createProxy, type Proxy } from "../src/create-proxy";
import { createFakeFlagSource } from "../src/flags/fake-flag-source";
import { createShadowPipeline, type ShadowPipeline } from "../src/shadow/results/shadow-pipeline";
import { shadowTestConfig } from "../src/shadow/results/shadow-results-fixtures";
import { httpRequest } from "./support/http-request";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

// Two proxy instances, each with its own results pipeline, writing to one toolkit database: shadowed
// requests through both are compared, and the report's counts are the sum of both proxies'.

const logger = pino({ level: "silent" });
const retention = { days: 7, examplesPerSignature: 3 };
const PER_PROXY = 20;
const WAIT_FOR_MIRRORS_MS = 20_000;
let db: TestDatabase;
const cleanup: Array<() => Promise<unknown>> = [];

/** A neutral fixture upstream: GET /things/:id answers the same JSON item on either side. */
async function startThingsApp(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const id = /^\/things\/(\d+)$/.exec(req.url ?? "")?.[1];
    res.writeHead(id ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(id ? { id: Number(id), name: `thing ${id}` } : { error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

beforeAll(async () => {
  db = await createEmptyTestDatabase("shadow_proxies");
});

afterAll(async () => {
  for (const close of cleanup.reverse()) await close().catch(() => undefined);
  await db?.drop();
});

describe("two proxies shadowing into one toolkit database", () => {
  it("compares the requests mirrored by both proxies and reports the sum of both", async () => {
    const [legacy, service] = [await startThingsApp(), await startThingsApp()];
    cleanup.push(
      () => legacy.close(),
      () => service.close(),
    );
    const migration = shadowTestConfig({ legacyUrl: legacy.url, serviceUrl: service.url });
    const started: Array<{ proxy: Proxy; proxyUrl: string; results: ShadowPipeline }> = [];
    for (let i = 0; i < 2; i += 1) {
      const results = createShadowPipeline({
        migration,
        store: createPgShadowResultStore(db.url, { retention, logger }),
        logger,
      });
      cleanup.push(() => results.close());
      const flags = createFakeFlagSource({ [shadowFlagName("things-get")]: { enabled: true, rollout: 100 } });
      const proxy = createProxy({ migration, adminToken: TEST_ADMIN_TOKEN }, { flags, logger, shadowSink: results });
      cleanup.push(() => proxy.close(0));
      const { proxyUrl } = await proxy.listen();
      started.push({ proxy, proxyUrl, results });
    }

    for (const { proxyUrl } of started)
      for (let n = 1; n <= PER_PROXY; n += 1) {
        const answer = await httpRequest(proxyUrl, { path: `/things/${n}` });
        expect(answer.status).toBe(200);
      }
    // The mirrored calls settle after the clients were answered.
    await until(() => started.every(({ results }) => results.stats().judged >= PER_PROXY), WAIT_FOR_MIRRORS_MS);
    await Promise.all(started.map(({ results }) => results.flush()));

    const store = createPgShadowResultStore(db.url, { retention, logger });
    cleanup.push(() => store.close());
    const report = await store.report({ since: Date.now() - 3_600_000, routeId: "things-get" });
    expect(report.routes).toHaveLength(1);
    expect(report.routes[0]).toMatchObject({ compared: 2 * PER_PROXY, matches: 2 * PER_PROXY, matchRate: 1 });
    expect(report.routes[0]?.latency.legacy.count).toBe(2 * PER_PROXY);
    expect(report.routes[0]?.latency.service.count).toBe(2 * PER_PROXY);
  });
});
