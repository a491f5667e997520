import { compileRoutes, parseMigrationConfig } from "@strangler/migration-config";
import { selectRoutes } from "./route-selection";

const config = parseMigrationConfig(
  `version: 1
legacy: { url: "http://127.0.0.1:1" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: accounts
    url: "http://127.0.0.1:3"
    routes:
      reads: [{ id: accounts-list, methods: [GET], path: /accounts }, { id: accounts-get, methods: [GET], path: /accounts/:id }]
      writes: [{ id: accounts-create, methods: [POST], path: /accounts }]
  - name: audit
    url: "http://127.0.0.1:4"
    routes: { reads: [{ id: audit-list, methods: [GET], path: /audit }] }
`,
  "c.yaml",
  {},
);
const routes = compileRoutes(config);
const ids = (list: ReadonlyArray<{ id: string }>) => list.map((route) => route.id);

describe("selectRoutes", () => {
  it("takes route ids in the order given, each once", () => {
    expect(ids(selectRoutes(routes, { routeIds: ["audit-list", "accounts-get", "audit-list"] }, "c.yaml"))).toEqual([
      "audit-list",
      "accounts-get",
    ]);
  });

  it("takes a service's reads, writes or both", () => {
    expect(ids(selectRoutes(routes, { service: "accounts", kinds: ["read"] }, "c.yaml")).sort()).toEqual([
      "accounts-get",
      "accounts-list",
    ]);
    expect(ids(selectRoutes(routes, { service: "accounts", kinds: ["write"] }, "c.yaml"))).toEqual(["accounts-create"]);
    expect(ids(selectRoutes(routes, { service: "accounts", kinds: ["read", "write"] }, "c.yaml")).sort()).toEqual([
      "accounts-create",
      "accounts-get",
      "accounts-list",
    ]);
  });

  it("names the unknown routes and the known ones", () => {
    expect(() => selectRoutes(routes, { routeIds: ["accounts-list", "acounts-get", "nope"] }, "c.yaml")).toThrow(
      expect.objectContaining({
        code: "STRANGLER_UNKNOWN_ROUTE",
        exitCode: 2,
        message: expect.stringMatching(/^unknown routes "acounts-get", "nope"; c\.yaml has: accounts-list, /),
      }),
    );
  });

  it("names an unknown service and a service without routes of that kind", () => {
    expect(() => selectRoutes(routes, { service: "acounts", kinds: ["read"] }, "c.yaml")).toThrow(
      expect.objectContaining({
        code: "STRANGLER_UNKNOWN_SERVICE",
        exitCode: 2,
        message: 'unknown service "acounts"; c.yaml has: accounts, audit',
      }),
    );
    expect(() => selectRoutes(routes, { service: "audit", kinds: ["write"] }, "c.yaml")).toThrow(
      'service "audit" has no write routes in c.yaml',
    );
  });
});
