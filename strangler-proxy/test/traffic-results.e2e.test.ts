import { createPgTrafficStore, type TrafficReport } from "@strangler/toolkit-store";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { createProxy } from "../src/create-proxy";
import { createFakeFlagSource } from "../src/flags/fake-flag-source";
import { SHADOW_HEADER } from "../src/forwarding/forward-headers";
import { startEchoUpstream, type EchoUpstream } from "./support/echo-upstream";
import { httpRequest } from "./support/http-request";
import { TEST_ADMIN_TOKEN, testMigrationConfig } from "./support/test-config";

// A real proxy with its own served-traffic recorder (toolkit.database set), a fake monolith and
// service, users-get served 50 % by the service and shadowed: the traffic the proxy wrote to the
// toolkit database on shutdown has exactly the requests and errors each side served, mirrored calls left out.

const logger = pino({ level: "silent" });
const REQUESTS = 80;
let db: TestDatabase;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  db = await createEmptyTestDatabase("proxy_traffic");
});

afterAll(async () => {
  for (const close of cleanup.reverse()) await close().catch(() => undefined);
  await db?.drop();
});

/** The query that makes one upstream answer 500 (the echo upstream's `_status` and `_only`). */
function pathOf(n: number): string {
  if (n % 5 === 0) return `/api/users/${n}?_status=500&_only=users-service`;
  if (n % 7 === 0) return `/api/users/${n}?_status=500&_only=monolith`;
  return `/api/users/${n}`;
}

const primaryCalls = (upstream: EchoUpstream) =>
  upstream.received.filter((request) => request.headers[SHADOW_HEADER] === undefined).length;

describe("served traffic in the toolkit database", () => {
  it("counts each side's requests and errors, a service failure hidden by fallback as a service error", async () => {
    const [monolith, service] = [await startEchoUpstream("monolith"), await startEchoUpstream("users-service")];
    cleanup.push(
      () => monolith.close(),
      () => service.close(),
    );
    const migration = testMigrationConfig({
      monolithUrl: monolith.url,
      usersServiceUrl: service.url,
      toolkitDatabase: db.url,
      // The breaker would send reads round the service after a few 500s: not under test here.
      proxyExtra: ["breaker: { failureThreshold: 1000, openMs: 1000 }"],
    });
    const flags = createFakeFlagSource({
      "strangler.users-get.serve": { enabled: true, rollout: 50 },
      "strangler.users-get.shadow": { enabled: true, rollout: 100 },
    });
    const proxy = createProxy({ migration, adminToken: TEST_ADMIN_TOKEN }, { flags, logger });
    cleanup.push(() => proxy.close(0));
    const { proxyUrl } = await proxy.listen();
    const since = new Date();

    const expected = {
      legacy: { requests: 0, errors: 0 },
      service: { requests: 0, errors: 0 },
    };
    let fallbacks = 0;
    for (let n = 1; n <= REQUESTS; n += 1) {
      const answer = await httpRequest(proxyUrl, { path: pathOf(n), headers: { "x-user-id": `user-${n}` } });
      const fellBack = answer.headers["x-strangler-fallback"] === "1";
      const side = fellBack || answer.headers["x-strangler-backend"] === "users-service" ? "service" : "legacy";
      expected[side].requests += 1;
      if (fellBack || answer.status >= 500) expected[side].errors += 1;
      if (fellBack) {
        fallbacks += 1;
        // The client never saw the service's failure.
        expect(answer.status).toBe(200);
      }
    }
    // Both sides served, both had errors, and some of the service's were hidden by a fallback.
    for (const side of ["legacy", "service"] as const) {
      expect(expected[side].requests).toBeGreaterThan(10);
      expect(expected[side].errors).toBeGreaterThan(0);
    }
    expect(fallbacks).toBeGreaterThan(0);
    // Every request the service was sent (its failures included) counts on its side, once.
    expect(primaryCalls(service)).toBe(expected.service.requests);
    // The route is shadowed: mirrored calls reached both sides too.
    for (const upstream of [monolith, service])
      expect(upstream.received.length).toBeGreaterThan(primaryCalls(upstream));

    // A graceful shutdown writes what is still counted in memory.
    await proxy.close(0);

    const store = createPgTrafficStore(db.url, { logger });
    cleanup.push(() => store.close());
    const report: TrafficReport = await store.report({ since, routeIds: ["users-get"] });
    expect(report.routes.map((route) => [route.routeId, route.service])).toEqual([["users-get", "users-service"]]);
    const sides = report.routes[0]?.sides;
    for (const side of ["legacy", "service"] as const) {
      expect(sides?.[side]).toMatchObject(expected[side]);
      // Mirrored calls are not in it: the histogram holds exactly the requests served.
      expect(sides?.[side].latency.count).toBe(expected[side].requests);
      expect(sides?.[side].histogram.reduce((a, b) => a + b, 0)).toBe(expected[side].requests);
      expect(sides?.[side].latency.p50).toBeGreaterThan(0);
      expect(sides?.[side].minutes.reduce((sum, m) => sum + m.requests, 0)).toBe(expected[side].requests);
    }
    expect((sides?.legacy.requests ?? 0) + (sides?.service.requests ?? 0)).toBe(REQUESTS);
  });
});
