import { shadowFlagName, type MigrationConfig } from "@strangler/migration-config";
import type { RouteDiffReport } from "@strangler/ops-contract";
import { createPgShadowResultStore, type ShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { createProxy, type Proxy } from "../src/create-proxy";
import { createFakeFlagSource } from "../src/flags/fake-flag-source";
import { createShadowPipeline, type ShadowPipeline } from "../src/shadow/results/shadow-pipeline";
import { shadowTestConfig } from "../src/shadow/results/shadow-results-fixtures";
import { waitFor } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { startShadowFixtureApp, type ShadowFixtureApp } from "./support/shadow-fixture-app";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

// A candidate that is down and a candidate that answers after 10 s, through the real results
// pipeline into the toolkit database: every client got the primary's 200, and the REPORT (not a
// recording sink) counts the candidate's errors and timeouts.

const ROUTE = "things-get";
const logger = pino({ level: "silent" });
const retention = { days: 7, examplesPerSignature: 3 };
/** A mirrored call without a whole answer in this time is a candidate timeout. */
const SHADOW_TIMEOUT_MS = 300;
/** The slow candidate's delay: far beyond the shadow timeout. */
const CANDIDATE_DELAY_MS = 10_000;
const WAIT_FOR_RESULTS_MS = 20_000;

/** A proxy shadowing things-get at 100 %, with its own results pipeline writing to `databaseUrl`. */
interface FaultProxy {
  proxyUrl: string;
  results: ShadowPipeline;
  store: ShadowResultStore;
  close(): Promise<void>;
}

async function startFaultProxy(legacyUrl: string, serviceUrl: string, databaseUrl: string): Promise<FaultProxy> {
  const base = shadowTestConfig({ legacyUrl, serviceUrl });
  // A breaker that never opens here: every request is mirrored, so every fault is counted as such.
  const migration: MigrationConfig = {
    ...base,
    proxy: {
      ...base.proxy,
      shadow: {
        ...base.proxy.shadow,
        timeoutMs: SHADOW_TIMEOUT_MS,
        breaker: { failureThreshold: 1_000, openMs: 1_000 },
      },
    },
  };
  const results = createShadowPipeline({
    migration,
    store: createPgShadowResultStore(databaseUrl, { retention, logger }),
    logger,
  });
  const flags = createFakeFlagSource({ [shadowFlagName(ROUTE)]: { enabled: true, rollout: 100 } });
  const proxy: Proxy = createProxy({ migration, adminToken: TEST_ADMIN_TOKEN }, { flags, logger, shadowSink: results });
  const store = createPgShadowResultStore(databaseUrl, { retention, logger });
  try {
    const { proxyUrl } = await proxy.listen();
    return {
      proxyUrl,
      results,
      store,
      close: async () => {
        await proxy.close(0);
        await results.close();
        await store.close();
      },
    };
  } catch (error) {
    await Promise.allSettled([proxy.close(0), results.close(), store.close()]);
    throw error;
  }
}

/** The route's line of the report read from the toolkit database, once `done` holds for it. */
async function reportedWhen(
  store: ShadowResultStore,
  done: (route: RouteDiffReport) => boolean,
  what: string,
): Promise<RouteDiffReport> {
  let line: RouteDiffReport | undefined;
  await waitFor(
    async () => {
      const report = await store.report({ since: Date.now() - 3_600_000, routeId: ROUTE });
      line = report.routes.find((r) => r.routeId === ROUTE);
      return line !== undefined && done(line);
    },
    WAIT_FOR_RESULTS_MS,
    what,
  );
  return line as RouteDiffReport;
}

describe("a candidate that is down, in the report", () => {
  const SENT = 12;
  let db: TestDatabase | undefined;
  let legacy: ShadowFixtureApp | undefined;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    db = await createEmptyTestDatabase("shadow_candidate_down");
    legacy = await startShadowFixtureApp("legacy-things");
    // A closed port: started and closed again, so nothing listens there.
    const gone = await startShadowFixtureApp("service-things");
    await gone.close();
    proxy = await startFaultProxy(legacy.url, gone.url, db.url);
  });

  afterAll(async () => {
    await proxy?.close();
    await legacy?.close();
    await db?.drop();
  });

  it("answers every client from the primary and reports each mirrored call as a candidate error", async () => {
    const p = proxy as FaultProxy;
    for (let n = 1; n <= SENT; n += 1) {
      const answer = await httpRequest(p.proxyUrl, { path: `/things/${n}` });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ app: "legacy-things", url: `/things/${n}` });
    }
    const line = await reportedWhen(
      p.store,
      (r) => r.candidateErrors >= SENT,
      `${SENT} candidate errors in the report`,
    );
    expect(line).toMatchObject({
      service: "things-service",
      candidateErrors: SENT,
      candidateTimeouts: 0,
      compared: 0,
      mismatches: 0,
    });
  });
});

describe("a candidate that answers after 10 s, in the report", () => {
  const SENT = 5;
  let db: TestDatabase | undefined;
  let legacy: ShadowFixtureApp | undefined;
  let service: ShadowFixtureApp | undefined;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    db = await createEmptyTestDatabase("shadow_candidate_slow");
    legacy = await startShadowFixtureApp("legacy-things");
    service = await startShadowFixtureApp("service-things");
    service.delayMs = CANDIDATE_DELAY_MS;
    proxy = await startFaultProxy(legacy.url, service.url, db.url);
  });

  afterAll(async () => {
    await proxy?.close();
    // Closing the fixture clears its pending 10 s answers: nothing is left running.
    await Promise.all([legacy?.close(), service?.close()]);
    await db?.drop();
  });

  it("answers every client from the primary before the candidate, and reports the timeouts", async () => {
    const p = proxy as FaultProxy;
    const candidate = service as ShadowFixtureApp;
    for (let n = 1; n <= SENT; n += 1) {
      const answer = await httpRequest(p.proxyUrl, { path: `/things/${n}` });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ app: "legacy-things", url: `/things/${n}` });
      // At the client's answer the candidate had not answered any: the client never waits for it.
      // (A read is mirrored once the primary answered; the candidate then gets it.)
      expect(candidate.answered).toBe(0);
      await waitFor(
        () => candidate.received.some((r) => r.url === `/things/${n}`),
        5_000,
        `the mirrored /things/${n} at the candidate`,
      );
    }
    const line = await reportedWhen(
      p.store,
      (r) => r.candidateTimeouts >= SENT,
      `${SENT} candidate timeouts in the report`,
    );
    expect(line).toMatchObject({
      service: "things-service",
      candidateTimeouts: SENT,
      candidateErrors: 0,
      compared: 0,
      mismatches: 0,
    });
    // The timeouts were reported while the candidate still had not answered any request.
    expect(candidate.answered).toBe(0);
  });
});
