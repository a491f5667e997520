import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MigrationConfigError } from "./config-error";
import { compileRoutes } from "./compiled-routes";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

const minimal = (services: string) => `version: 1
legacy: { url: "http://127.0.0.1:4101" }
unleash: { url: "http://127.0.0.1:4242" }
services:
${services}`;

describe("the migration config", () => {
  it("loads the example config with its defaults and environment overrides", () => {
    const file = path.join(__dirname, "..", "..", "..", DEFAULT_CONFIG_PATH);
    const config = loadMigrationConfig(file, {
      STRANGLER_PROXY_PORT: "5100",
      STRANGLER_USERS_SERVICE_URL: "http://users:4102",
    });
    expect(config.proxy.listen).toEqual({ host: "127.0.0.1", port: 5100 });
    expect(config.legacy.url).toBe("http://127.0.0.1:4101");
    expect(config.services.map((s) => [s.name, s.url])).toEqual([
      ["users-service", "http://users:4102"],
      ["catalog-service", "http://127.0.0.1:4103"],
    ]);
    expect(compileRoutes(config).map((r) => r.id)).toEqual([
      "users-list",
      "users-create",
      "products-list",
      "users-get",
      "users-update",
      "users-delete",
      "products-get",
    ]);
  });

  it("names the file, the path, the line and what was expected", () => {
    const message = problems(
      minimal(`  - name: users-service
    url: "not a url"
    routes:
      reads:
        - { id: Users, methods: [FETCH], path: /api//users, color: red }`),
    );
    expect(message).toContain("strangler.config.yaml: invalid migration config");
    expect(message).toContain("services[0].url (line 6): must be an http:// or https:// URL");
    expect(message).toContain("services[0].routes.reads[0].id (line 9): must be lower-case letters");
    expect(message).toContain("services[0].routes.reads[0].methods[0] (line 9): must be one of GET");
    expect(message).toContain(
      "services[0].routes.reads[0].path (line 9): path pattern must not contain an empty segment",
    );
    expect(message).toContain("services[0].routes.reads[0] (line 9): unknown field: color");
  });

  it("defaults the proxy's client timeouts and worker count", () => {
    const config = parseMigrationConfig(
      minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: { reads: [] } }`),
      "x.yaml",
      {},
    );
    expect(config.proxy.timeouts).toEqual({
      connectMs: 1000,
      responseMs: 10_000,
      clientHeadersMs: 10_000,
      clientRequestMs: 30_000,
      clientIdleMs: 5000,
    });
    expect(config.proxy.workers).toBe("auto");
  });

  it("names the proxy timeout or worker count that is wrong", () => {
    const message = problems(`version: 1
legacy: { url: "http://127.0.0.1:4101" }
proxy:
  timeouts: { clientHeadersMs: 40000, clientIdleMs: 0 }
  workers: many
unleash: { url: "http://127.0.0.1:4242" }
services:
  - { name: users-service, url: "http://127.0.0.1:4102", routes: { reads: [] } }`);
    expect(message).toContain("proxy.timeouts.clientIdleMs (line 4): must be at least 1 ms");
    expect(message).toContain(
      "proxy.timeouts.clientHeadersMs (line 4): must not be longer than clientRequestMs (30000)",
    );
    expect(message).toContain(
      'proxy.workers (line 5): must be "auto" (one per CPU core) or a whole number from 1 to 64',
    );
    expect(
      problems(
        minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: { reads: [] } }`).replace(
          "unleash:",
          "proxy: { timeouts: { responseMs: 1.5 } }\nunleash:",
        ),
      ),
    ).toContain("proxy.timeouts.responseMs (line 3): must be a whole number of milliseconds");
  });

  it("rejects two routes claiming the same method and path shape, and duplicate ids", () => {
    const message = problems(
      minimal(`  - name: users-service
    url: "http://127.0.0.1:4102"
    routes:
      reads:
        - { id: users-get, methods: [GET], path: "/api/users/:id" }
        - { id: users-get, methods: [GET], path: "/api/users/:userId" }`),
    );
    expect(message).toContain('route id "users-get" is already used at services[0].routes.reads[0]');
    expect(message).toContain(
      "GET /api/users/:userId is already claimed by services[0].routes.reads[0] (users-get) (STRANGLER_ROUTE_CONFLICT)",
    );
  });

  it("reports a variable without a default that is not set", () => {
    expect(problems("version: 1\nlegacy: { url: ${MONOLITH_URL} }\n")).toContain(
      "environment variable MONOLITH_URL is not set",
    );
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problems("version: 1\nlegacy: [\n")).toMatch(/\(line \d+\): YAML syntax/);
  });

  it("says when the file does not exist", () => {
    expect(() => loadMigrationConfig("/nonexistent/strangler.config.yaml")).toThrow(
      "/nonexistent/strangler.config.yaml: invalid migration config:\n  - (top level): cannot read the migration config: file not found",
    );
  });

  it("orders compiled routes most specific first", () => {
    const config = parseMigrationConfig(
      minimal(`  - name: users-service
    url: "http://127.0.0.1:4102"
    routes:
      reads:
        - { id: users-get, methods: [GET], path: "/api/users/:id" }
        - { id: users-me, methods: [GET], path: "/api/users/me" }`),
      "x.yaml",
      {},
    );
    expect(compileRoutes(config).map((r) => r.id)).toEqual(["users-me", "users-get"]);
  });
});

describe("loading the migration config", () => {
  const valid = minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: {} }`);

  it("reads the process environment when given none", () => {
    process.env.STRANGLER_TEST_ONLY_LEGACY_URL = "http://legacy.test:1";
    try {
      const text = valid.replace('"http://127.0.0.1:4101"', "${STRANGLER_TEST_ONLY_LEGACY_URL}");
      expect(parseMigrationConfig(text, "x.yaml").legacy.url).toBe("http://legacy.test:1");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-config-"));
      try {
        fs.writeFileSync(path.join(dir, "strangler.config.yaml"), text);
        expect(loadMigrationConfig(path.join(dir, "strangler.config.yaml")).legacy.url).toBe("http://legacy.test:1");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      delete process.env.STRANGLER_TEST_ONLY_LEGACY_URL;
    }
  });

  it("throws a MigrationConfigError that carries the file and each problem", () => {
    let caught: unknown;
    try {
      parseMigrationConfig("version: 1\nlegacy: { url: ${A} }\nunleash: { url: ${B:-} }\n", "my.yaml", {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MigrationConfigError);
    expect(caught).toMatchObject({
      code: "STRANGLER_CONFIG_INVALID",
      name: "MigrationConfigError",
      file: "my.yaml",
      problems: [{ path: "", message: "environment variable A is not set and has no default (${A:-default})" }],
      message:
        "my.yaml: invalid migration config:\n  - (top level): environment variable A is not set and has no default (${A:-default})",
    });
  });

  it("names the line of a YAML syntax error", () => {
    expect(problems("version: 1\nlegacy: [\n")).toBe(
      "strangler.config.yaml: invalid migration config:\n  - (top level) (line 3): YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]",
    );
  });

  it("names a missing field at the line of the section that lacks it", () => {
    expect(
      problems(
        minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: {} }`).replace(
          'legacy: { url: "http://127.0.0.1:4101" }',
          "legacy: {}",
        ),
      ),
    ).toContain("legacy.url (line 2): ");
  });

  it("lists several unknown fields in one problem", () => {
    expect(
      problems(minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: {}, x: 1, y: 2 }`)),
    ).toContain("services[0] (line 5): unknown fields: x, y");
  });

  it("rejects two services with one name", () => {
    const message = problems(
      minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: {} }
  - { name: users-service, url: "http://127.0.0.1:4103", routes: {} }`),
    );
    expect(message).toBe(
      "strangler.config.yaml: invalid migration config:\n  - services[1].name (line 6): duplicates the name of services[0]",
    );
  });

  it("rejects a route id used by another service", () => {
    const message = problems(
      minimal(`  - name: users-service
    url: "http://127.0.0.1:4102"
    routes: { reads: [{ id: list, methods: [GET], path: /api/users }] }
  - name: orders-service
    url: "http://127.0.0.1:4103"
    routes: { writes: [{ id: list, methods: [POST], path: /api/orders }] }`),
    );
    expect(message).toBe(
      'strangler.config.yaml: invalid migration config:\n  - services[1].routes.writes[0].id (line 10): route id "list" is already used at services[0].routes.reads[0]',
    );
  });

  it("says why a file it cannot read was not read", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-config-"));
    try {
      expect(() => loadMigrationConfig(dir)).toThrow(
        `${dir}: invalid migration config:\n  - (top level): cannot read the migration config: EISDIR: illegal operation on a directory, read`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("places a problem of the whole file on its first line", () => {
    expect(problems(`${valid}\ncolour: red`)).toBe(
      "strangler.config.yaml: invalid migration config:\n  - (top level) (line 1): unknown field: colour",
    );
  });
});
