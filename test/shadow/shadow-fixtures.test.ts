import type { RouteDiffReport } from "@strangler/ops-contract";
import { FIXTURE_PEOPLE, startShadowFixtureApp, type ShadowFixtureApp } from "./support/shadow-fixture-app";
import { send, shadowConfigYaml, startShadowHarness, type ShadowHarness } from "./support/shadow-harness";

// Issue 11's must-show tests on neutral fixture apps: noise learnt from two answers of the same side,
// no mirrored write to a service without dryRun, and the old→new path and field mapping.
const REQUESTS = 60;
/** Reads sent first so the route's noise sample is large enough to learn from (above the proxy's minimum of 20). */
const WARM_UP = 30;

const route = (report: { routes: RouteDiffReport[] }, id: string) => report.routes.find((r) => r.routeId === id);
const shadowOn = (...routes: string[]) =>
  Object.fromEntries(
    routes.flatMap((id) => [
      [`strangler.${id}.shadow`, { enabled: true, rollout: 100 }],
      [`strangler.${id}.serve`, { enabled: false, rollout: 0 }],
    ]),
  );

describe("shadow mode on fixture apps", () => {
  let legacy: ShadowFixtureApp;
  let service: ShadowFixtureApp;
  let h: ShadowHarness | undefined;

  beforeAll(async () => {
    legacy = await startShadowFixtureApp("legacy");
    service = await startShadowFixtureApp("service");
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  afterAll(async () => {
    await Promise.all([legacy?.close(), service?.close()]);
  });

  const reportsService = (extra: string[] = []) => [
    "  - name: reports",
    `    url: ${service.url}`,
    "    routes:",
    "      reads: [{ id: reports-get, methods: [GET], path: /api/reports/:id }]",
    "      writes: [{ id: reports-create, methods: [POST], path: /api/reports }]",
    ...extra,
  ];

  it("classifies a generation time and a random id that change on every call as noise, not mismatches", async () => {
    h = await startShadowHarness(
      (toolkitDatabase) =>
        shadowConfigYaml({
          legacyUrl: legacy.url,
          toolkitDatabase,
          services: reportsService(),
          shadow: ["noiseSample: 1"],
        }),
      shadowOn("reports-get"),
    );
    const noisy = ["/generatedAt", "/nonce"];
    const get = (report: { routes: RouteDiffReport[] }) => route(report, "reports-get") as RouteDiffReport;
    const sendReads = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++)
        expect((await send(h!.proxyUrl, "GET", `/api/reports/r${i % 7}`, { userId: `u${i}` })).status).toBe(200);
    };
    // Noise is learnt from the first noise samples of the route (Diffy: a minimum sample before a
    // field counts as noise); until then a difference in those fields is still a mismatch.
    await sendReads(0, WARM_UP);
    const learnt = get(await h.waitForReport((r) => (route(r, "reports-get")?.compared ?? 0) >= WARM_UP));
    await sendReads(WARM_UP, REQUESTS);
    const after = get(await h.waitForReport((r) => (route(r, "reports-get")?.compared ?? 0) >= WARM_UP + REQUESTS));
    expect(after.compared).toBe(WARM_UP + REQUESTS);
    // Once learnt: every further difference in them is noise-only, none a mismatch.
    expect(after.mismatches).toBe(learnt.mismatches);
    expect(after.noiseOnly - learnt.noiseOnly).toBe(REQUESTS);
    // Shown as noise, with their counts: never dropped silently.
    expect(after.noise.map((n) => n.path)).toEqual(expect.arrayContaining(noisy));
    for (const field of after.noise.filter((n) => noisy.includes(n.path)))
      expect(field.noiseDiffering).toBeGreaterThan(0);
  });

  it("never mirrors a write to a service without dryRun, and counts it as skipped", async () => {
    h = await startShadowHarness(
      (toolkitDatabase) => shadowConfigYaml({ legacyUrl: legacy.url, toolkitDatabase, services: reportsService() }),
      shadowOn("reports-create"),
    );
    const before = service.requests.length;
    for (let i = 0; i < 20; i++)
      expect((await send(h.proxyUrl, "POST", "/api/reports", { body: { n: i }, userId: `u${i}` })).status).toBe(201);
    const report = await h.waitForReport((r) => (route(r, "reports-create")?.skipped.write_without_dry_run ?? 0) >= 20);
    expect(route(report, "reports-create")).toMatchObject({ compared: 0, skipped: { write_without_dry_run: 20 } });
    expect(service.requests.slice(before)).toEqual([]);
  });

  const peopleService = (compare: string[]) => [
    "  - name: profiles",
    `    url: ${service.url}`,
    "    routes:",
    "      reads:",
    "        - id: people-get",
    "          methods: [GET]",
    "          path: /api/users/:id",
    "          servicePath: /v2/profiles/:id",
    ...compare.map((line) => `          ${line}`),
  ];

  it("matches 100 % with servicePath and compare.map /name → /displayName", async () => {
    h = await startShadowHarness(
      (toolkitDatabase) =>
        shadowConfigYaml({
          legacyUrl: legacy.url,
          toolkitDatabase,
          services: peopleService(["compare: { map: { /name: /displayName } }"]),
        }),
      shadowOn("people-get"),
    );
    for (const person of FIXTURE_PEOPLE)
      expect((await send(h.proxyUrl, "GET", `/api/users/${person.id}`, { userId: person.id })).status).toBe(200);
    const report = await h.waitForReport((r) => (route(r, "people-get")?.compared ?? 0) >= FIXTURE_PEOPLE.length);
    // The candidate was asked at its own path.
    expect(service.requests).toEqual(expect.arrayContaining([`GET /v2/profiles/${FIXTURE_PEOPLE[0]?.id}`]));
    expect(route(report, "people-get")).toMatchObject({
      compared: FIXTURE_PEOPLE.length,
      mismatches: 0,
      matchRate: 1,
      signatures: [],
    });
  });

  it("reports the renamed field without the map", async () => {
    h = await startShadowHarness(
      (toolkitDatabase) => shadowConfigYaml({ legacyUrl: legacy.url, toolkitDatabase, services: peopleService([]) }),
      shadowOn("people-get"),
    );
    for (const person of FIXTURE_PEOPLE)
      await send(h.proxyUrl, "GET", `/api/users/${person.id}`, { userId: person.id });
    const report = await h.waitForReport((r) => (route(r, "people-get")?.compared ?? 0) >= FIXTURE_PEOPLE.length);
    const get = route(report, "people-get") as RouteDiffReport;
    expect(get.mismatches).toBe(FIXTURE_PEOPLE.length);
    expect(get.signatures).toHaveLength(1);
    // The legacy /name has no counterpart in the service's answer, which has /displayName instead.
    expect(get.signatures[0]?.fields.map((f) => f.path).sort()).toEqual(["/displayName", "/name"]);
    expect(get.signatures[0]?.exampleId).toEqual(expect.any(String));
  });
});
