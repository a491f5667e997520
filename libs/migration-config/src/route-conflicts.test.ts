import { compileRoutes } from "./compiled-routes";
import { parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

/** A config with two services, `users-service` (services[0]) and `orders-service` (services[1]), each given its routes YAML. */
const twoServices = (usersRoutes: string, ordersRoutes: string) => `version: 1
legacy: { url: "http://127.0.0.1:4101" }
unleash: { url: "http://127.0.0.1:4242" }
services:
  - name: users-service
    url: "http://127.0.0.1:4102"
    routes:
${usersRoutes}
  - name: orders-service
    url: "http://127.0.0.1:4103"
    routes:
${ordersRoutes}`;

const reads = (...routes: string[]) => ["      reads:", ...routes.map((r) => `        - ${r}`)].join("\n");
const writes = (...routes: string[]) => ["      writes:", ...routes.map((r) => `        - ${r}`)].join("\n");
const accepted = (text: string) => parseMigrationConfig(text, "strangler.config.yaml", {});

describe("route conflicts across services", () => {
  it("rejects a second service claiming the same method and path as the first", () => {
    const message = problems(
      twoServices(
        reads('{ id: users-get, methods: [GET], path: "/api/users/:id" }'),
        reads('{ id: orders-user, methods: [GET], path: "/api/users/:id" }'),
      ),
    );
    expect(message).toContain(
      "services[1].routes.reads[0].path (line 14): GET /api/users/:id is already claimed by services[0].routes.reads[0] (users-get) (STRANGLER_ROUTE_CONFLICT)",
    );
  });

  it("rejects the same path shape with differently named parameters in two services", () => {
    const message = problems(
      twoServices(
        reads('{ id: users-get, methods: [GET], path: "/api/users/:id/orders" }'),
        reads('{ id: orders-of-user, methods: [GET], path: "/api/users/:userId/orders" }'),
      ),
    );
    expect(message).toContain(
      "GET /api/users/:userId/orders is already claimed by services[0].routes.reads[0] (users-get) (STRANGLER_ROUTE_CONFLICT)",
    );
  });

  it("rejects only the methods two services' routes share, once each", () => {
    const message = problems(
      twoServices(
        reads('{ id: users-list, methods: [GET, HEAD], path: "/api/users" }'),
        reads('{ id: orders-users, methods: [HEAD, OPTIONS], path: "/api/users" }'),
      ),
    );
    expect(message).toContain(
      "HEAD /api/users is already claimed by services[0].routes.reads[0] (users-list) (STRANGLER_ROUTE_CONFLICT)",
    );
    expect(message).not.toMatch(/GET \/api\/users is already claimed/);
    expect(message).not.toMatch(/OPTIONS \/api\/users is already claimed/);
    expect(message.match(/STRANGLER_ROUTE_CONFLICT/g)).toHaveLength(1);
  });

  it("rejects a write of one service that another service already claims as a write", () => {
    const message = problems(
      twoServices(
        writes('{ id: users-delete, methods: [DELETE], path: "/api/users/:id" }'),
        writes('{ id: orders-purge-user, methods: [PATCH, DELETE], path: "/api/users/:uid" }'),
      ),
    );
    expect(message).toContain(
      "services[1].routes.writes[0].path (line 14): DELETE /api/users/:uid is already claimed by services[0].routes.writes[0] (users-delete) (STRANGLER_ROUTE_CONFLICT)",
    );
    expect(message).not.toContain("PATCH /api/users/:uid is already claimed");
  });

  it("rejects a method one service lists as a read and another as a write", () => {
    const message = problems(
      twoServices(
        reads('{ id: users-search, methods: [POST], path: "/api/users/search" }'),
        writes('{ id: orders-search, methods: [POST], path: "/api/users/search" }'),
      ),
    );
    expect(message).toContain(
      "POST /api/users/search is already claimed by services[0].routes.reads[0] (users-search) (STRANGLER_ROUTE_CONFLICT)",
    );
  });

  it("rejects literals that differ only in case, since the proxy matches literals case-insensitively", () => {
    const message = problems(
      twoServices(
        reads('{ id: users-get, methods: [GET], path: "/api/users/:id" }'),
        reads('{ id: orders-user, methods: [GET], path: "/API/Users/:id" }'),
      ),
    );
    expect(message).toContain(
      "GET /API/Users/:id is already claimed by services[0].routes.reads[0] (users-get) (STRANGLER_ROUTE_CONFLICT)",
    );
  });

  it("rejects a conflict between two routes of one service too", () => {
    const message = problems(
      twoServices(
        reads(
          '{ id: users-get, methods: [GET], path: "/api/users/:id" }',
          '{ id: users-by-id, methods: [GET], path: "/api/users/:key" }',
        ),
        reads('{ id: orders-list, methods: [GET], path: "/api/orders" }'),
      ),
    );
    expect(message).toContain(
      "services[0].routes.reads[1].path (line 10): GET /api/users/:key is already claimed by services[0].routes.reads[0] (users-get) (STRANGLER_ROUTE_CONFLICT)",
    );
  });

  it("accepts two services on the same path with different methods", () => {
    const config = accepted(
      twoServices(
        reads('{ id: users-list, methods: [GET, HEAD], path: "/api/users" }'),
        writes('{ id: orders-create-user, methods: [POST, PUT], path: "/api/users" }'),
      ),
    );
    expect(compileRoutes(config).map((r) => [r.id, r.service])).toEqual([
      ["users-list", "users-service"],
      ["orders-create-user", "orders-service"],
    ]);
  });

  it("accepts a literal segment in one service where another has a parameter, the literal route first", () => {
    const config = accepted(
      twoServices(
        reads('{ id: users-get, methods: [GET], path: "/api/users/:id" }'),
        reads('{ id: orders-me, methods: [GET], path: "/api/users/me" }'),
      ),
    );
    expect(compileRoutes(config).map((r) => r.id)).toEqual(["orders-me", "users-get"]);
  });

  it.each([
    ["different segment counts", "/api/users", "/api/users/:id"],
    ["a longer literal", "/api/users", "/api/usersx"],
    ["a parameter in another position", "/api/:kind/orders", "/api/users/:id"],
    ["different literals", "/api/users/:id", "/api/orders/:id"],
    ["segments that spell the other's path when run together", "/api/users", "/apiusers"],
  ])("accepts the same method on %s in two services", (_case, usersPath, ordersPath) => {
    const config = accepted(
      twoServices(
        reads(`{ id: users-route, methods: [GET], path: "${usersPath}" }`),
        reads(`{ id: orders-route, methods: [GET], path: "${ordersPath}" }`),
      ),
    );
    expect(compileRoutes(config)).toHaveLength(2);
  });
});
