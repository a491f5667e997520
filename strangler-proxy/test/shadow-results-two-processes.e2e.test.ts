import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseOpsDocument, diffReportSchema, type RouteDiffReport } from "@strangler/ops-contract";
import { shadowFlagName } from "@strangler/migration-config";
import { createPgShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { startFakeUnleashServer, waitFor, type FakeUnleashServer } from "./support/fake-unleash-server";
import { httpRequest } from "./support/http-request";
import { startProxyProcess, type ProxyProcess } from "./support/proxy-process";
import { startShadowFixtureApp, type ShadowFixtureApp } from "./support/shadow-fixture-app";
import { TEST_ADMIN_TOKEN } from "./support/test-config";

// Two proxy processes as the stack runs them (supervisor and two workers each, real main.ts), each
// with its own results pipeline, writing to one toolkit database: the report — read from the store
// and from either proxy's admin API — counts the sum of both processes' shadowed requests.

const ROUTE = "users-list";
/** Different counts per process, so a report holding only one process's results cannot pass. */
const SENT = [30, 17] as const;
const TOTAL = SENT[0] + SENT[1];
const WAIT_FOR_RESULTS_MS = 60_000;
const authorized = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const logger = pino({ level: "silent" });

describe("two proxy processes shadowing into one toolkit database", () => {
  const dirs = [0, 1].map((i) => fs.mkdtempSync(path.join(os.tmpdir(), `strangler-shadow-proc-${i}-`)));
  let db: TestDatabase | undefined;
  let legacy: ShadowFixtureApp | undefined;
  let service: ShadowFixtureApp | undefined;
  let unleash: FakeUnleashServer | undefined;
  const proxies: ProxyProcess[] = [];

  /** The route's shadow flag as the proxy's stalest worker sees it (GET /admin/routes). */
  const shadowEnabled = async (proxy: ProxyProcess): Promise<boolean> => {
    const res = await httpRequest(proxy.adminUrl, { path: "/admin/routes", headers: authorized });
    const route = (res.json.routes as Array<{ id: string; shadow?: { enabled: boolean } }>).find((r) => r.id === ROUTE);
    return route?.shadow?.enabled === true;
  };

  /** The route's line of GET /admin/diff/report of a proxy, checked against the contract. */
  const adminReport = async (proxy: ProxyProcess): Promise<RouteDiffReport | undefined> => {
    const res = await httpRequest(proxy.adminUrl, { path: `/admin/diff/report?route=${ROUTE}`, headers: authorized });
    expect(res.status).toBe(200);
    const report = parseOpsDocument(diffReportSchema, res.json, {
      document: "the diff report",
      source: "GET /admin/diff/report",
    });
    return report.routes.find((r) => r.routeId === ROUTE);
  };

  beforeAll(async () => {
    db = await createEmptyTestDatabase("shadow_processes");
    // Both sides answer the same JSON (an app named alike): every comparison is a match.
    legacy = await startShadowFixtureApp("users");
    service = await startShadowFixtureApp("users");
    unleash = await startFakeUnleashServer();
    unleash.setFeatures([{ name: shadowFlagName(ROUTE), enabled: true, rollout: 100 }]);
    for (const dir of dirs) {
      proxies.push(
        await startProxyProcess(dir, {
          monolithUrl: legacy.url,
          usersServiceUrl: service.url,
          unleashUrl: unleash.url,
          unleashToken: unleash.token,
          proxyExtra: ["workers: 2"],
          toolkitDatabase: db.url,
        }),
      );
    }
  }, 180_000);

  afterAll(async () => {
    for (const proxy of proxies) proxy.kill();
    await Promise.all(proxies.map((proxy) => proxy.exited));
    await Promise.all([legacy?.close(), service?.close(), unleash?.close()]);
    await db?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("reports compared and matches as the sum of both processes', in the store and on both admin APIs", async () => {
    // Every worker of both processes has the shadow flag before anything is sent (the stalest worker's view).
    for (const proxy of proxies) await waitFor(() => shadowEnabled(proxy), 20_000, "the shadow flag on every worker");

    // Each process with its own count: [process, requests sent through it].
    const plan = proxies.map((proxy, index) => [proxy, SENT[index] ?? 0] as const);
    for (const [index, [proxy, sent]] of plan.entries()) {
      for (let n = 0; n < sent; n += 1) {
        const answer = await httpRequest(proxy.proxyUrl, {
          path: "/api/users",
          headers: { "x-user-id": `p${index}-u${n}`, "x-request-id": `two-procs-${index}-${n}` },
        });
        expect(answer.status).toBe(200);
        expect(answer.headers["x-strangler-backend"]).toBe("monolith");
      }
    }
    // Both workers of each process served (and so wrote) some of them: the sum is over four writers.
    for (const [index, [proxy, sent]] of plan.entries()) {
      const served = () => proxy.lines().filter((line) => String(line.requestId).startsWith(`two-procs-${index}-`));
      await waitFor(() => served().length === sent, 5_000, "the request log lines");
      expect(new Set(served().map((line) => line.worker)).size).toBe(2);
    }

    // The workers write their results once a second, off the request path: wait for all of them.
    const store = createPgShadowResultStore((db as TestDatabase).url, {
      retention: { days: 7, examplesPerSignature: 3 },
      logger,
    });
    try {
      let stored: RouteDiffReport | undefined;
      await waitFor(
        async () => {
          const report = await store.report({ since: Date.now() - 3_600_000, routeId: ROUTE });
          stored = report.routes.find((r) => r.routeId === ROUTE);
          return (stored?.compared ?? 0) >= TOTAL;
        },
        WAIT_FOR_RESULTS_MS,
        `${TOTAL} comparisons in the toolkit database`,
      );
      expect(stored).toMatchObject({
        service: "users-service",
        compared: TOTAL,
        matches: TOTAL,
        mismatches: 0,
        candidateErrors: 0,
        candidateTimeouts: 0,
        matchRate: 1,
      });
      expect(stored?.latency.legacy.count).toBe(TOTAL);
      expect(stored?.latency.service.count).toBe(TOTAL);
    } finally {
      await store.close();
    }

    // Either proxy's admin API reads the same database: both report the sum, not their own share.
    for (const proxy of proxies) {
      expect(await adminReport(proxy)).toMatchObject({ compared: TOTAL, matches: TOTAL, mismatches: 0, matchRate: 1 });
    }
  }, 120_000);
});
