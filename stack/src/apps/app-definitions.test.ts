import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseMigrationConfig } from "@strangler/migration-config";
import { loadStackConfig } from "../config/stack-config";
import { silentProgress } from "../stack/progress";
import { appComponents, createExternalAppComponent, managedAppDefinition } from "./app-definitions";
import { configuredApps } from "./configured-apps";

const config = (legacy: string, service = "{ name: api, url: 'http://127.0.0.1:5001', routes: {} }") =>
  parseMigrationConfig(
    ["version: 1", `legacy: ${legacy}`, "unleash: { url: http://127.0.0.1:4242 }", "services:", `  - ${service}`].join(
      "\n",
    ),
    "/srv/shop/strangler.config.yaml",
    {},
  );

describe("the apps of the migration config", () => {
  it("runs a managed app's command in its folder with PORT from its url and DATABASE_URL from its database", () => {
    const migration = config(
      "{ name: shop, url: 'http://localhost:5000', database: 'postgresql://u@127.0.0.1:54329/shop', run: { command: [npx, tsx, main.ts], cwd: app, env: { LOG_LEVEL: warn }, health: /up } }",
    );
    const [legacy] = configuredApps(migration);
    const definition = managedAppDefinition(legacy!, "/srv/shop/strangler.config.yaml");
    expect(definition).toMatchObject({
      name: "shop",
      appDir: "/srv/shop/app",
      command: ["npx", "tsx", "main.ts"],
      entry: "main.ts",
      host: "localhost",
      port: 5000,
      readyUrl: "http://localhost:5000/up",
      env: { LOG_LEVEL: "warn", DATABASE_URL: "postgresql://u@127.0.0.1:54329/shop" },
    });
    expect(definition.portVariable).toBe("the port of legacy.url in /srv/shop/strangler.config.yaml");
  });

  it("gives a service its data.database as DATABASE_URL, and none without data", () => {
    const migration = config(
      "{ url: 'http://127.0.0.1:5000', database: 'postgresql://u@h/legacy' }",
      "{ name: api, url: 'http://127.0.0.1:5001', routes: {}, run: { command: [node, api.js] }, data: { database: 'postgresql://u@h/api', tables: [{ source: a, target: a, key: { id: id }, columns: { x: x } }] } }",
    );
    expect(managedAppDefinition(configuredApps(migration)[1]!, "f").env).toEqual({
      DATABASE_URL: "postgresql://u@h/api",
    });
    expect(
      managedAppDefinition(configuredApps(config("{ url: 'http://127.0.0.1:5000', run: { command: [x] } }"))[0]!, "f")
        .env,
    ).toEqual({});
  });

  it("refuses to run an app whose url is not on this machine", () => {
    const [legacy] = configuredApps(config("{ url: 'http://monolith:4101', run: { command: [node, main.js] } }"));
    expect(() => managedAppDefinition(legacy!, "strangler.config.yaml")).toThrow(
      /legacy\.url \(http:\/\/monolith:4101\/?\) must be on this machine/,
    );
  });

  it("refuses on `up` to start a managed app whose url is not on this machine, and only probes it", async () => {
    const [component] = appComponents(
      loadStackConfig({}),
      config("{ name: shop, url: 'http://127.0.0.1.invalid:5000', run: { command: [x] } }"),
    );
    await expect(component!.start(silentProgress)).rejects.toMatchObject({ code: "STACK_CONFIG_INVALID" });
    expect(await component!.stop()).toBe("not managed");
  });

  it("refuses an app named like a stack component", () => {
    expect(() => appComponents(loadStackConfig({}), config("{ name: proxy, url: 'http://127.0.0.1:5000' }"))).toThrow(
      /legacy\.name "proxy" is the name of a stack component/,
    );
  });

  it("refuses an app name that cannot be a file name", () => {
    expect(() =>
      appComponents(loadStackConfig({}), config("{ name: '../shop', url: 'http://127.0.0.1:5000' }")),
    ).toThrow(/legacy\.name "\.\.\/shop" must be letters, digits/);
  });

  it("starts managed apps and probes external ones, in config order", () => {
    const components = appComponents(
      loadStackConfig({}),
      config("{ name: shop, url: 'http://127.0.0.1:5000', run: { command: [x] } }"),
    );
    expect(components.map((component) => component.name)).toEqual(["shop", "api"]);
  });
});

describe("an external app", () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("is reachable when anything answers at its url, and never stopped", async () => {
    const component = createExternalAppComponent({ name: "shop", url, configPath: "legacy" });
    expect(await component.start(silentProgress)).toBe("reachable");
    expect(await component.status()).toEqual({
      url,
      pid: null,
      healthy: true,
      log: null,
      state: "external",
      detail: "external",
    });
    expect(await component.stop()).toBe("not managed");
  });

  it("says so when nothing answers, and is not started", async () => {
    const notes: string[] = [];
    const closed = `http://127.0.0.1:1`;
    const component = createExternalAppComponent({ name: "shop", url: closed, configPath: "legacy" });
    expect(await component.start((event) => event.kind === "note" && notes.push(event.message))).toBe("skipped");
    expect(notes).toEqual([`external (no legacy.run): nothing answers at ${closed}; start it yourself`]);
    expect(await component.status()).toMatchObject({ healthy: false, state: "unreachable" });
  });
});
