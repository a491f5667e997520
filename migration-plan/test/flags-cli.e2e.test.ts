import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileRoutes, loadMigrationConfig } from "@strangler/migration-config";
import { freeLoopbackPort, startTestUnleash, stackSecretsFile, type TestUnleash } from "@strangler/stack";
import { createUnleashAdmin, type UnleashAdmin } from "@strangler/unleash-admin";
import type { FlagsListing } from "../src/cli/flags/flags-list";
import { type FakeProxyAdmin, startFakeProxyAdmin } from "./fake-proxy-admin";

// The real `strangler` CLI (bin/strangler.cjs, as `npx strangler` runs it) against a real Unleash.
// The proxy is a stand-in serving the admin API contract from the real Unleash state; the test
// against the real proxy lives with the proxy's e2e tests.
const bin = path.join(__dirname, "..", "bin", "strangler.cjs");
const configFile = path.join(__dirname, "..", "strangler.config.yaml");
const CLI_TIMEOUT = 30_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("strangler flags (e2e, real Unleash)", () => {
  let unleash: TestUnleash;
  let admin: UnleashAdmin;
  let proxy: FakeProxyAdmin;
  let home: string;
  const proxyToken = randomBytes(16).toString("hex");
  let env: NodeJS.ProcessEnv;

  function strangler(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { env: { ...env, ...extraEnv }, timeout: CLI_TIMEOUT },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    unleash = await startTestUnleash();
    admin = createUnleashAdmin({
      url: unleash.url,
      token: unleash.adminToken,
      project: "default",
      environment: "development",
    });
    const routes = compileRoutes(loadMigrationConfig(configFile, { STRANGLER_UNLEASH_URL: unleash.url }));
    await admin.ensureRouteFlags(routes);
    proxy = await startFakeProxyAdmin({ token: proxyToken, admin, routes });
    // A state folder holding this installation's tokens, as `npm run stack -- up` leaves it.
    home = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-cli-"));
    const secrets = {
      version: 1,
      unleashAdminToken: unleash.adminToken,
      unleashClientToken: unleash.clientToken,
      proxyAdminToken: proxyToken,
    };
    fs.mkdirSync(path.dirname(stackSecretsFile(home)), { recursive: true, mode: 0o700 });
    fs.writeFileSync(stackSecretsFile(home), JSON.stringify(secrets), { mode: 0o600 });
    env = {
      PATH: process.env.PATH,
      STRANGLER_HOME: home,
      STRANGLER_UNLEASH_URL: unleash.url,
      STRANGLER_PROXY_ADMIN_PORT: String(proxy.port),
    };
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await unleash?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it("lists every route with its flags in Unleash and what the proxy reports (--json)", async () => {
    const result = await strangler(["flags", "list", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as FlagsListing;
    expect(listing.unleash).toEqual({ url: unleash.url, project: "default", environment: "development" });
    expect(listing.proxy).toMatchObject({
      adminUrl: proxy.url,
      reachable: true,
      error: null,
      flags: { source: "unleash" },
    });
    expect(listing.routes.map((route) => [route.id, route.service])).toEqual([
      ["users-list", "users-service"],
      ["users-get", "users-service"],
      ["users-create", "users-service"],
      ["users-update", "users-service"],
      ["users-delete", "users-service"],
      ["products-list", "catalog-service"],
      ["products-get", "catalog-service"],
    ]);
    expect(listing.routes[0]).toMatchObject({
      service: "users-service",
      kind: "read",
      methods: ["GET", "HEAD"],
      path: "/api/users",
      serve: { flag: "strangler.users-list.serve", exists: true, enabled: true, rollout: 0 },
      shadow: { flag: "strangler.users-list.shadow", exists: true, enabled: true, rollout: 0 },
      proxy: { serve: { enabled: true, rollout: 0 }, breaker: { state: "closed" } },
    });
    expect(listing.routes[2]).toMatchObject({ id: "users-create", kind: "write", methods: ["POST"] });
  });

  it("prints a table for people", async () => {
    const result = await strangler(["flags", "list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^route\s+service\s+kind\s+methods\s+path\s+serve\s+shadow\s+proxy serve\s+proxy shadow\s+breaker\n/,
    );
    expect(result.stdout).toMatch(
      /users-get\s+users-service\s+read\s+GET,HEAD\s+\/api\/users\/:id\s+0%\s+0%\s+0%\s+0%\s+closed/,
    );
    expect(result.stdout).toMatch(
      /products-get\s+catalog-service\s+read\s+GET,HEAD\s+\/api\/products\/:id\s+0%\s+0%\s+0%\s+0%\s+closed/,
    );
    expect(result.stdout).toContain(`unleash  ${unleash.url} (project default, environment development)`);
  });

  it("sets the serve rollout in Unleash and waits until the proxy confirms it", async () => {
    const result = await strangler(["flags", "set", "users-list", "--serve", "50"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^users-list: serve 0% → 50% \(proxy confirmed in \d+\.\d s\)\n$/);
    expect(result.code).toBe(0);
    const [state] = await admin.listRouteFlags([
      { id: "users-list", serveFlag: "strangler.users-list.serve", shadowFlag: "strangler.users-list.shadow" },
    ]);
    expect(state?.serve).toMatchObject({ enabled: true, rollout: 50, strategies: 1 });
  });

  it("sets serve and shadow together", async () => {
    const result = await strangler(["flags", "set", "users-get", "--serve", "25", "--shadow", "100"]);
    expect(result.stdout).toMatch(/^users-get: serve 0% → 25%, shadow 0% → 100% \(proxy confirmed in \d+\.\d s\)\n$/);
    expect(result.code).toBe(0);
  });

  it("sets several routes at once and confirms each on the proxy", async () => {
    const result = await strangler(["flags", "set", "users-update", "users-delete", "--serve", "20"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /^users-update: serve 0% → 20% \(proxy confirmed in \d+\.\d s\)\nusers-delete: serve 0% → 20% \(proxy confirmed in \d+\.\d s\)\n$/,
    );
    expect(result.code).toBe(0);
  });

  it("sets a service's writes with --service --writes, leaving its reads alone", async () => {
    const result = await strangler(["flags", "set", "--service", "users-service", "--writes", "--shadow", "10"]);
    expect(result.stderr).toBe("");
    expect(
      result.stdout
        .trimEnd()
        .split("\n")
        .map((line) => line.split(":")[0]),
    ).toEqual(["users-create", "users-update", "users-delete"]);
    expect(result.code).toBe(0);
    const states = await admin.listRouteFlags(
      compileRoutes(loadMigrationConfig(configFile, { STRANGLER_UNLEASH_URL: unleash.url })),
    );
    expect(Object.fromEntries(states.map((state) => [state.id, state.shadow.rollout]))).toEqual({
      "users-list": 0,
      "users-get": 100,
      "users-create": 10,
      "users-update": 10,
      "users-delete": 10,
      "products-list": 0,
      "products-get": 0,
    });
  });

  it("says what the proxy still reports when it does not pick the change up in time", async () => {
    proxy.freeze();
    try {
      const result = await strangler(["flags", "set", "users-list", "--serve", "100", "--timeout", "1"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("users-list: serve 50% → 100% (in Unleash)\n");
      expect(result.stderr).toMatch(
        /users-list: the proxy did not confirm within 1 s: the proxy still reports serve 50% after \d\.\d s/,
      );
    } finally {
      proxy.resume();
    }
    // Unleash stays the source of truth: the change is there, and the proxy catches up.
    expect((await strangler(["flags", "set", "users-list", "--serve", "100"])).stdout).toMatch(
      /serve 100% → 100% \(proxy confirmed/,
    );
  });

  it("says the proxy is not reachable when nothing listens on its admin port", async () => {
    const closedPort = String(await freeLoopbackPort());
    const result = await strangler(["flags", "set", "users-delete", "--serve", "0", "--timeout", "0.5"], {
      STRANGLER_PROXY_ADMIN_PORT: closedPort,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the proxy is not reachable at http://127.0.0.1:${closedPort} (ECONNREFUSED)`);
  });

  it("stops waiting at once when the proxy rejects the admin token", async () => {
    const result = await strangler(["flags", "set", "users-list", "--serve", "100"], {
      STRANGLER_PROXY_ADMIN_TOKEN: "not-the-token",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the proxy at ${proxy.url} rejected the admin token (HTTP 401)`);
  });

  it("says Unleash rejected the admin token when it is wrong", async () => {
    const result = await strangler(["flags", "list"], { STRANGLER_UNLEASH_ADMIN_TOKEN: "*:*.wrong" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^strangler: Unleash rejected the admin token \(HTTP 401/);
  });

  it("rejects an unknown route, naming the known ones", async () => {
    const result = await strangler(["flags", "set", "users-lst", "--serve", "50"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `strangler: unknown route "users-lst"; ${configFile} has: users-list, users-get, users-create, users-update, users-delete, products-list, products-get\n`,
    );
  });

  it("rejects a percentage that is not an integer from 0 to 100", async () => {
    const percents = ["150", "-5", "12.5", "half"];
    const results = await Promise.all(
      percents.map((percent) => strangler(["flags", "set", "users-list", `--serve=${percent}`])),
    );
    results.forEach((result, index) => {
      expect({ percent: percents[index], code: result.code }).toEqual({ percent: percents[index], code: 2 });
      expect(result.stderr).toContain(`--serve ${percents[index]}: expected an integer percentage from 0 to 100`);
    });
  });

  it("explains usage with --help everywhere and exits 2 on a wrong call", async () => {
    const helps = [["--help"], ["flags", "--help"], ["flags", "list", "--help"], ["flags", "set", "--help"]];
    const [missing, bogus, unknown, ...helped] = await Promise.all(
      [["flags", "set", "users-list"], ["flags", "list", "--bogus"], ["nope"], ...helps].map((args) => strangler(args)),
    );
    helped.forEach((result, index) => {
      expect({ args: helps[index], code: result.code }).toEqual({ args: helps[index], code: 0 });
      expect(result.stdout).toMatch(/^Usage: strangler/);
    });
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toContain("--serve <percent> and/or --shadow <percent>");
    expect(bogus?.code).toBe(2);
    expect(bogus?.stderr).toContain("Unknown option '--bogus'");
    expect(unknown?.code).toBe(2);
  });
});
