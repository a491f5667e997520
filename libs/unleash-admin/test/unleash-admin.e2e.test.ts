import path from "node:path";
import { compileRoutes, loadMigrationConfig } from "@strangler/migration-config";
import { freeLoopbackPort, startTestUnleash, type TestUnleash } from "@strangler/stack";
import { createUnleashAdmin, type UnleashAdmin, UnleashAdminError } from "../src";

// Against a real unleash-server: the example config's routes, provisioned twice.
const configFile = path.join(__dirname, "..", "..", "..", "migration-plan", "strangler.config.yaml");
const routes = compileRoutes(loadMigrationConfig(configFile, {}));

interface RawStrategy {
  name: string;
  parameters: Record<string, string>;
}

describe("createUnleashAdmin against a real Unleash (e2e)", () => {
  let unleash: TestUnleash;
  let admin: UnleashAdmin;

  beforeAll(async () => {
    unleash = await startTestUnleash();
    admin = createUnleashAdmin({
      url: unleash.url,
      token: unleash.adminToken,
      project: "default",
      environment: "development",
    });
  }, 120_000);

  afterAll(async () => {
    await unleash?.stop();
  });

  async function strategies(flag: string): Promise<RawStrategy[]> {
    const response = await fetch(
      `${unleash.url}/api/admin/projects/default/features/${flag}/environments/development/strategies`,
      {
        headers: { Authorization: unleash.adminToken },
      },
    );
    expect(response.status).toBe(200);
    return (await response.json()) as RawStrategy[];
  }

  it("creates a serve and a shadow flag per route, and a second run changes nothing", async () => {
    const first = await admin.ensureRouteFlags(routes);
    expect(first.created).toBe(routes.length * 2);
    const second = await admin.ensureRouteFlags(routes);
    expect(second.created).toBe(0);
    expect(new Set(second.flags.map((flag) => flag.outcome))).toEqual(new Set(["unchanged"]));
    for (const route of routes) {
      for (const flag of [route.serveFlag, route.shadowFlag]) {
        expect({ flag, strategies: await strategies(flag) }).toEqual({
          flag,
          strategies: [
            expect.objectContaining({
              name: "flexibleRollout",
              parameters: { rollout: "0", stickiness: "default", groupId: flag },
            }),
          ],
        });
      }
    }
    const states = await admin.listRouteFlags(routes);
    expect(
      states.map((state) => [state.id, state.exists, state.serve.enabled, state.serve.rollout, state.shadow.rollout]),
    ).toEqual(routes.map((route) => [route.id, true, true, 0, 0]));
  });

  it("changes the rollout of the one strategy and enables the flag", async () => {
    await fetch(
      `${unleash.url}/api/admin/projects/default/features/strangler.users-list.serve/environments/development/off`,
      {
        method: "POST",
        headers: { Authorization: unleash.adminToken },
      },
    );
    const change = await admin.setServeRollout("users-list", 50);
    expect(change.before).toMatchObject({ enabled: false, rollout: 0 });
    expect(change.after).toMatchObject({ enabled: true, rollout: 50, strategies: 1 });
    expect(await strategies("strangler.users-list.serve")).toEqual([
      expect.objectContaining({
        parameters: { rollout: "50", stickiness: "default", groupId: "strangler.users-list.serve" },
      }),
    ]);
    await admin.setShadowRollout("users-list", 10);
    const [state] = await admin.listRouteFlags(routes.filter((route) => route.id === "users-list"));
    expect([state?.serve.rollout, state?.shadow.rollout]).toEqual([50, 10]);
  });

  it("serves the new rollout to unleash clients", async () => {
    const response = await fetch(`${unleash.url}/api/client/features/strangler.users-list.serve`, {
      headers: { Authorization: unleash.clientToken },
    });
    const feature = (await response.json()) as { enabled: boolean; strategies: RawStrategy[] };
    expect(feature.enabled).toBe(true);
    expect(feature.strategies.map((strategy) => strategy.parameters.rollout)).toEqual(["50"]);
  });

  it("says the admin token was rejected when it is wrong", async () => {
    const wrong = createUnleashAdmin({
      url: unleash.url,
      token: "*:*.wrong",
      project: "default",
      environment: "development",
    });
    const error = await wrong.listRouteFlags(routes).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnleashAdminError);
    expect(error).toMatchObject({ code: "UNLEASH_AUTH_REJECTED", status: 401 });
  });

  it("says Unleash is not reachable on a closed port", async () => {
    const url = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const closed = createUnleashAdmin({
      url,
      token: unleash.adminToken,
      project: "default",
      environment: "development",
    });
    await expect(closed.listRouteFlags(routes)).rejects.toMatchObject({
      code: "UNLEASH_UNREACHABLE",
      message: `Unleash is not reachable at ${url} (ECONNREFUSED)`,
    });
  });
});
