import { createFakeUnleash } from "./fake-unleash-fetch";
import { createUnleashAdmin } from "./unleash-admin";
import { UnleashAdminError } from "./unleash-admin-error";

const route = {
  id: "users-list",
  service: "users-service",
  serveFlag: "strangler.users-list.serve",
  shadowFlag: "strangler.users-list.shadow",
};

function setup() {
  const fake = createFakeUnleash();
  const admin = createUnleashAdmin({
    url: "http://unleash.test",
    token: "*:*.secret",
    project: "default",
    environment: "development",
    fetch: fake.fetch,
  });
  return { fake, admin };
}

async function thrown(promise: Promise<unknown>): Promise<UnleashAdminError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnleashAdminError) return error;
    throw error;
  }
  throw new Error("expected an UnleashAdminError");
}

describe("createUnleashAdmin", () => {
  it("creates a serve and a shadow flag with one 0 % flexibleRollout each, enabled", async () => {
    const { fake, admin } = setup();
    const report = await admin.ensureRouteFlags([route]);
    expect(report.created).toBe(2);
    const env = fake.flags.get(route.serveFlag)?.environments.development;
    expect(env?.enabled).toBe(true);
    expect(env?.strategies).toEqual([
      expect.objectContaining({
        name: "flexibleRollout",
        parameters: { rollout: "0", stickiness: "default", groupId: route.serveFlag },
      }),
    ]);
    expect(fake.flags.get(route.shadowFlag)?.environments.development?.strategies).toHaveLength(1);
  });

  it("adds the strategy before enabling, so Unleash never adds its 100 % default strategy", async () => {
    const { fake, admin } = setup();
    await admin.ensureRouteFlags([route]);
    const serveCalls = fake.calls.filter((call) => call.includes("users-list.serve/environments"));
    expect(serveCalls).toEqual([
      "POST /api/admin/projects/default/features/strangler.users-list.serve/environments/development/strategies",
      "POST /api/admin/projects/default/features/strangler.users-list.serve/environments/development/on",
    ]);
  });

  it("is idempotent: a second run changes nothing and keeps a rollout and a kill switch", async () => {
    const { fake, admin } = setup();
    await admin.ensureRouteFlags([route]);
    await admin.setServeRollout("users-list", 30);
    const env = fake.flags.get(route.serveFlag)?.environments.development;
    if (env) env.enabled = false;
    const report = await admin.ensureRouteFlags([route]);
    expect(report).toEqual({
      created: 0,
      flags: [
        { flag: route.serveFlag, outcome: "unchanged" },
        { flag: route.shadowFlag, outcome: "unchanged" },
      ],
    });
    expect(env?.strategies).toHaveLength(1);
    expect(env?.enabled).toBe(false);
    const [state] = await admin.listRouteFlags([route]);
    expect(state?.serve).toEqual({ flag: route.serveFlag, exists: true, enabled: false, rollout: 30, strategies: 1 });
  });

  it("updates the existing strategy instead of adding one, and enables the flag", async () => {
    const { fake, admin } = setup();
    await admin.ensureRouteFlags([route]);
    const env = fake.flags.get(route.serveFlag)?.environments.development;
    if (env) env.enabled = false;
    const change = await admin.setServeRollout("users-list", 50);
    expect(change.before).toMatchObject({ enabled: false, rollout: 0 });
    expect(change.after).toMatchObject({ enabled: true, rollout: 50, strategies: 1 });
    expect(env?.strategies[0]?.parameters).toEqual({ rollout: "50", stickiness: "default", groupId: route.serveFlag });
  });

  it("sets the shadow flag independently of the serve flag", async () => {
    const { admin } = setup();
    await admin.ensureRouteFlags([route]);
    await admin.setShadowRollout("users-list", 100);
    const [state] = await admin.listRouteFlags([route]);
    expect([state?.serve.rollout, state?.shadow.rollout]).toEqual([0, 100]);
  });

  it("revives an archived flag at 0 %", async () => {
    const { fake, admin } = setup();
    await admin.ensureRouteFlags([route]);
    await admin.setServeRollout("users-list", 70);
    const flag = fake.flags.get(route.serveFlag);
    if (flag) flag.archived = true;
    const report = await admin.ensureRouteFlags([route]);
    expect(report.flags[0]).toEqual({ flag: route.serveFlag, outcome: "revived" });
    expect((await admin.listRouteFlags([route]))[0]?.serve).toMatchObject({ enabled: true, rollout: 0 });
  });

  it("reports missing flags instead of failing", async () => {
    const { admin } = setup();
    const [state] = await admin.listRouteFlags([route]);
    expect(state).toEqual({
      id: "users-list",
      exists: false,
      serve: { flag: route.serveFlag, exists: false, enabled: false, rollout: null, strategies: 0 },
      shadow: { flag: route.shadowFlag, exists: false, enabled: false, rollout: null, strategies: 0 },
    });
  });

  it.each([-1, 101, 12.5, Number.NaN])("rejects the rollout %p", async (percent) => {
    const { admin } = setup();
    expect((await thrown(admin.setServeRollout("users-list", percent))).code).toBe("UNLEASH_INVALID_ROLLOUT");
  });

  it("names the environment when the project does not have it", async () => {
    const fake = createFakeUnleash();
    const admin = createUnleashAdmin({
      url: "http://unleash.test",
      token: "*:*.secret",
      project: "default",
      environment: "staging",
      fetch: fake.fetch,
    });
    const error = await thrown(admin.ensureRouteFlags([route]));
    expect(error.code).toBe("UNLEASH_ENVIRONMENT_MISSING");
    expect(error.message).toContain('no environment "staging"');
  });

  it("says the admin token was rejected on 401", async () => {
    const fake = createFakeUnleash("*:*.right");
    const admin = createUnleashAdmin({
      url: "http://unleash.test",
      token: "*:*.wrong",
      project: "default",
      environment: "development",
      fetch: fake.fetch,
    });
    const error = await thrown(admin.listRouteFlags([route]));
    expect(error.code).toBe("UNLEASH_AUTH_REJECTED");
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/^Unleash rejected the admin token/);
  });

  it("says Unleash is not reachable when the connection is refused", async () => {
    const refused = async (): Promise<Response> => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      });
    };
    const admin = createUnleashAdmin({
      url: "http://127.0.0.1:1",
      token: "t",
      project: "default",
      environment: "development",
      fetch: refused,
    });
    const error = await thrown(admin.listRouteFlags([route]));
    expect(error).toMatchObject({ code: "UNLEASH_UNREACHABLE", retriable: true });
    expect(error.message).toBe("Unleash is not reachable at http://127.0.0.1:1 (ECONNREFUSED)");
  });

  it("passes Unleash's own message on for other failures", async () => {
    const failing = async () =>
      new Response(JSON.stringify({ details: [{ message: '"name" must be URL friendly' }] }), { status: 400 });
    const admin = createUnleashAdmin({
      url: "http://u",
      token: "t",
      project: "default",
      environment: "development",
      fetch: failing,
    });
    const error = await thrown(admin.listRouteFlags([route]));
    expect(error).toMatchObject({ code: "UNLEASH_REQUEST_FAILED", status: 400, retriable: false });
    expect(error.message).toContain('"name" must be URL friendly');
  });
});
