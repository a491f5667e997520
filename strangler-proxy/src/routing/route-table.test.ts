import { compileRoutes, parseMigrationConfig } from "@strangler/migration-config";
import { createRouteTable } from "./route-table";
import { parseRequestTarget } from "./request-target";

const config = parseMigrationConfig(
  `
version: 1
legacy: { url: "http://127.0.0.1:1" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: users-service
    url: http://127.0.0.1:3
    routes:
      reads:
        - { id: users-list, methods: [GET, HEAD], path: /api/users }
        - { id: users-get, methods: [GET], path: /api/users/:id }
        - { id: users-me, methods: [GET], path: /api/users/me }
      writes:
        - { id: users-create, methods: [POST], path: /api/users }
        - { id: users-update, methods: [PATCH], path: /api/users/:id }
`,
  "route-table.test.yaml",
  {},
);
const table = createRouteTable(compileRoutes(config));

function routeOf(method: string, target: string): string | undefined {
  const parsed = parseRequestTarget(target, method, 8192);
  if (!parsed.ok || !parsed.segments) throw new Error(`unexpected target ${target}`);
  return table.match(method, parsed.segments)?.id;
}

describe("route table", () => {
  it.each([
    ["GET", "/api/users", "users-list"],
    ["HEAD", "/api/users", "users-list"],
    ["POST", "/api/users", "users-create"],
    ["GET", "/api/users/42", "users-get"],
    ["PATCH", "/api/users/42", "users-update"],
    ["GET", "/api/users/me", "users-me"],
    ["GET", "/api/users/", "users-list"],
    ["GET", "/api/%75sers", "users-list"],
    ["GET", "/API/Users", "users-list"],
    ["GET", "/api/users/ME", "users-me"],
  ])("%s %s → %s", (method, target, id) => {
    expect(routeOf(method, target)).toBe(id);
  });

  it.each([
    ["GET", "/api/usersX"],
    ["GET", "/api/user"],
    ["GET", "/api"],
    ["GET", "/api/users/1/orders"],
    ["GET", "/xapi/users"],
    ["DELETE", "/api/users/42"],
    ["PUT", "/api/users"],
    ["HEAD", "/api/users/42"],
    ["OPTIONS", "/api/users"],
  ])("%s %s matches no route (monolith)", (method, target) => {
    expect(routeOf(method, target)).toBeUndefined();
  });

  it("tries the more specific route first", () => {
    expect(table.routes.map((r) => r.id).indexOf("users-me")).toBeLessThan(
      table.routes.map((r) => r.id).indexOf("users-get"),
    );
  });

  it("matches a pattern written with capitals whatever the case of the request, and only its own literals", () => {
    const mixed = createRouteTable(
      compileRoutes(
        parseMigrationConfig(
          `
version: 1
legacy: { url: "http://127.0.0.1:1" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: orders-service
    url: http://127.0.0.1:3
    routes:
      reads:
        - { id: orders-list, methods: [GET], path: /API/Orders }
`,
          "route-table-case.test.yaml",
          {},
        ),
      ),
    );
    expect(mixed.match("GET", ["api", "orders"])?.id).toBe("orders-list");
    expect(mixed.match("GET", ["Api", "ORDERS"])?.id).toBe("orders-list");
    expect(mixed.match("GET", ["api", "users"])).toBeUndefined();
    expect(mixed.match("GET", ["api"])).toBeUndefined();
  });
});
