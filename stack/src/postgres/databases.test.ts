import { parseMigrationConfig } from "@strangler/migration-config";
import { configuredDatabases, isOnServer, stackDatabases, templateDatabases } from "./databases";

const SERVER = "postgresql://postgres@127.0.0.1:54329/postgres";

/** A config whose shop app is managed with a migrate command, its orders service on another server. */
const migration = parseMigrationConfig(
  [
    "version: 1",
    "legacy:",
    "  name: shop",
    "  url: http://127.0.0.1:5000",
    "  database: postgresql://postgres@localhost:54329/shop_db",
    "  run: { command: [node, app.js], cwd: /srv/shop, migrate: [npx, knex, migrate:latest], env: { A: b } }",
    "unleash: { url: http://127.0.0.1:4242 }",
    "services:",
    "  - name: orders",
    "    url: http://127.0.0.1:5001",
    "    routes: {}",
    "    data: { database: 'postgresql://u:pw@db.example:5432/orders', tables: [{ source: orders, target: orders, key: { id: id }, columns: { total: total } }] }",
    "  - name: stock",
    "    url: http://127.0.0.1:5002",
    "    run: { command: [node, stock.js], cwd: /srv/stock }",
    "    routes: {}",
    "    data: { database: 'postgresql://postgres@127.0.0.1:54329/stock', tables: [{ source: stock, target: stock, key: { id: id }, columns: { n: n } }] }",
    "toolkit: { database: 'postgresql://postgres@127.0.0.1:54329/strangler' }",
  ].join("\n"),
  "/srv/strangler.config.yaml",
  {},
);

describe("the databases of the migration config", () => {
  it("creates what points at the stack's PostgreSQL and takes any other URL as it is", () => {
    expect(configuredDatabases(migration, SERVER)).toEqual([
      {
        app: "shop",
        url: "postgresql://postgres@localhost:54329/shop_db",
        kind: "created",
        name: "shop_db",
        migrate: { app: "shop", command: ["npx", "knex", "migrate:latest"], cwd: "/srv/shop", env: { A: "b" } },
      },
      { app: "orders", url: "postgresql://u:pw@db.example:5432/orders", kind: "external", name: "orders" },
      { app: "stock", url: "postgresql://postgres@127.0.0.1:54329/stock", kind: "created", name: "stock" },
      { app: "toolkit", url: "postgresql://postgres@127.0.0.1:54329/strangler", kind: "created", name: "strangler" },
    ]);
  });

  it("takes a toolkit database elsewhere as external, and none when the config has none", () => {
    const elsewhere = parseMigrationConfig(
      "version: 1\nlegacy: { name: a, url: http://127.0.0.1:1 }\nunleash: { url: http://127.0.0.1:2 }\n" +
        "services: [{ name: b, url: http://127.0.0.1:3, routes: {} }]\ntoolkit: { database: postgresql://u@db.example/strangler }\n",
      "x.yaml",
      {},
    );
    expect(configuredDatabases(elsewhere, SERVER)).toEqual([
      { app: "toolkit", url: "postgresql://u@db.example/strangler", kind: "external", name: "strangler" },
    ]);
    expect(stackDatabases(elsewhere, SERVER).map((database) => database.name)).toEqual(["unleash"]);
    const none = parseMigrationConfig(
      "version: 1\nlegacy: { name: a, url: http://127.0.0.1:1 }\nunleash: { url: http://127.0.0.1:2 }\n" +
        "services: [{ name: b, url: http://127.0.0.1:3, routes: {} }]\n",
      "x.yaml",
      {},
    );
    expect(configuredDatabases(none, SERVER)).toEqual([]);
  });

  it("prepares the created ones and the stack's own unleash database on `up`", () => {
    expect(
      stackDatabases(migration, SERVER).map((database) => [database.name, database.migrate?.command.join(" ") ?? null]),
    ).toEqual([
      ["shop_db", "npx knex migrate:latest"],
      ["stock", null],
      ["strangler", null],
      ["unleash", null],
    ]);
  });

  it("offers as test templates every database with a migrate command, wherever the config puts it", () => {
    expect(templateDatabases(migration).map((database) => database.name)).toEqual(["shop_db", "unleash"]);
  });

  it("takes nothing from another server as its own", () => {
    expect(
      stackDatabases(migration, "postgresql://admin@db.example:5432/postgres").map((database) => database.name),
    ).toEqual(["orders", "unleash"]);
  });
});

describe("isOnServer", () => {
  it.each([
    ["postgresql://a@127.0.0.1:54329/x", SERVER, true],
    ["postgresql://a@localhost:54329/x", SERVER, true],
    ["postgresql://a@[::1]:54329/x", SERVER, true],
    ["postgresql://a@127.0.0.1:54330/x", SERVER, false],
    ["postgresql://a@db.example:54329/x", SERVER, false],
    ["postgresql://a@db.example/x", "postgresql://b@db.example:5432/postgres", true],
  ])("%s on %s: %p", (url, server, expected) => {
    expect(isOnServer(url, server)).toBe(expected);
  });
});
