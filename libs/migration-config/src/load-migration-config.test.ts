import path from "node:path";
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
    const config = loadMigrationConfig(file, { STRANGLER_PROXY_PORT: "5100", STRANGLER_USERS_SERVICE_URL: "http://users:4102" });
    expect(config.proxy.listen).toEqual({ host: "127.0.0.1", port: 5100 });
    expect(config.legacy.url).toBe("http://127.0.0.1:4101");
    expect(config.services[0]?.url).toBe("http://users:4102");
    expect(compileRoutes(config).map((r) => r.id)).toEqual(["users-list", "users-create", "users-get", "users-update", "users-delete"]);
  });

  it("names the file, the path, the line and what was expected", () => {
    const message = problems(minimal(`  - name: users-service
    url: "not a url"
    routes:
      reads:
        - { id: Users, methods: [FETCH], path: /api//users, color: red }`));
    expect(message).toContain("strangler.config.yaml: invalid migration config");
    expect(message).toContain("services[0].url (line 6): must be an http:// or https:// URL");
    expect(message).toContain("services[0].routes.reads[0].id (line 9): must be lower-case letters");
    expect(message).toContain("services[0].routes.reads[0].methods[0] (line 9): must be one of GET");
    expect(message).toContain("services[0].routes.reads[0].path (line 9): path pattern must not contain an empty segment");
    expect(message).toContain("services[0].routes.reads[0] (line 9): unknown field: color");
  });

  it("defaults the proxy's client timeouts and worker count", () => {
    const config = parseMigrationConfig(minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: { reads: [] } }`), "x.yaml", {});
    expect(config.proxy.timeouts).toEqual({ connectMs: 1000, responseMs: 10_000, clientHeadersMs: 10_000, clientRequestMs: 30_000, clientIdleMs: 5000 });
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
    expect(message).toContain("proxy.timeouts.clientHeadersMs (line 4): must not be longer than clientRequestMs (30000)");
    expect(message).toContain('proxy.workers (line 5): must be "auto" (one per CPU core) or a whole number from 1 to 64');
    expect(problems(minimal(`  - { name: users-service, url: "http://127.0.0.1:4102", routes: { reads: [] } }`).replace("unleash:", "proxy: { timeouts: { responseMs: 1.5 } }\nunleash:"))).toContain(
      "proxy.timeouts.responseMs (line 3): must be a whole number of milliseconds",
    );
  });

  it("rejects two routes claiming the same method and path shape, and duplicate ids", () => {
    const message = problems(minimal(`  - name: users-service
    url: "http://127.0.0.1:4102"
    routes:
      reads:
        - { id: users-get, methods: [GET], path: "/api/users/:id" }
        - { id: users-get, methods: [GET], path: "/api/users/:userId" }`));
    expect(message).toContain('route id "users-get" is already used at services[0].routes.reads[0]');
    expect(message).toContain("GET /api/users/:userId is already claimed by services[0].routes.reads[0] (users-get) (STRANGLER_ROUTE_CONFLICT)");
  });

  it("reports a variable without a default that is not set", () => {
    expect(problems("version: 1\nlegacy: { url: ${MONOLITH_URL} }\n")).toContain("environment variable MONOLITH_URL is not set");
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problems("version: 1\nlegacy: [\n")).toMatch(/\(line \d+\): YAML syntax/);
  });

  it("says when the file does not exist", () => {
    expect(() => loadMigrationConfig("/nonexistent/strangler.config.yaml")).toThrow("/nonexistent/strangler.config.yaml: invalid migration config:\n  - (top level): cannot read the migration config: file not found");
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
