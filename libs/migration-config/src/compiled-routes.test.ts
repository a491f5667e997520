import { compileRoutes, servicePathOf, type CompiledRoute } from "./compiled-routes";
import { parseMigrationConfig } from "./load-migration-config";

const configWith = (route: string) =>
  parseMigrationConfig(
    `version: 1
legacy: { url: "http://127.0.0.1:4101" }
unleash: { url: "http://127.0.0.1:4242" }
services:
  - name: things-service
    url: "http://127.0.0.1:4102"
    routes:
      reads:
        - ${route}`,
    "strangler.config.yaml",
    {},
  );

const only = (route: string): CompiledRoute => compileRoutes(configWith(route))[0] as CompiledRoute;

describe("servicePathOf", () => {
  it("substitutes the legacy path's parameters into servicePath and keeps the query", () => {
    const route = only('{ id: things-get, methods: [GET], path: "/api/things/:id", servicePath: "/v2/items/:id" }');
    expect(servicePathOf(route, "/api/things/42?x=1&y=2")).toBe("/v2/items/42?x=1&y=2");
    expect(servicePathOf(route, "/api/things/42")).toBe("/v2/items/42");
  });

  it("moves parameters to where the service path names them", () => {
    const route = only(
      '{ id: things-part, methods: [GET], path: "/api/things/:id/parts/:part", servicePath: "/parts/:part/of/:id" }',
    );
    expect(servicePathOf(route, "/api/things/7/parts/wheel")).toBe("/parts/wheel/of/7");
  });

  it("returns the path unchanged for a route without servicePath", () => {
    const route = only('{ id: things-get, methods: [GET], path: "/api/things/:id" }');
    expect(route.servicePath).toBeUndefined();
    expect(servicePathOf(route, "/api/things/42?q")).toBe("/api/things/42?q");
  });

  it("maps to the root path", () => {
    const route = only('{ id: things-list, methods: [GET], path: "/api/things", servicePath: "/" }');
    expect(servicePathOf(route, "/api/things?page=2")).toBe("/?page=2");
  });

  it("refuses a servicePath whose parameters differ from the path's", () => {
    expect(() =>
      only('{ id: things-get, methods: [GET], path: "/api/things/:id", servicePath: "/v2/:other" }'),
    ).toThrow("route things-get: servicePath /v2/:other names :other, which /api/things/:id does not have");
    expect(() =>
      only('{ id: things-get, methods: [GET], path: "/api/things/:id", servicePath: "/v2/things" }'),
    ).toThrow("must use every parameter of /api/things/:id (missing :id)");
  });
});
