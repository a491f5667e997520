import { loadStackMigrationConfig, migrationConfigEnv } from "./migration-config-env";
import { loadStackConfig } from "./stack-config";

describe("migrationConfigEnv", () => {
  it("derives the config's URLs and ports from the stack's defaults", () => {
    expect(migrationConfigEnv(loadStackConfig({}))).toEqual({
      STRANGLER_MONOLITH_URL: "http://127.0.0.1:4101",
      STRANGLER_USERS_SERVICE_URL: "http://127.0.0.1:4102",
      STRANGLER_UNLEASH_URL: "http://127.0.0.1:4242",
      STRANGLER_PROXY_PORT: "4100",
      STRANGLER_PROXY_ADMIN_PORT: "4199",
    });
  });

  it("lets a port changed for the stack flow into the migration config", () => {
    const config = loadStackConfig({
      STRANGLER_UNLEASH_PORT: "5242",
      STRANGLER_MONOLITH_PORT: "5101",
      STRANGLER_USERS_SERVICE_PORT: "5102",
      STRANGLER_PROXY_PORT: "5100",
      STRANGLER_PROXY_ADMIN_PORT: "5199",
    });
    const migration = loadStackMigrationConfig(config);
    expect(migration.unleash.url).toBe("http://127.0.0.1:5242");
    expect(migration.legacy.url).toBe("http://127.0.0.1:5101");
    expect(migration.services[0]?.url).toBe("http://127.0.0.1:5102");
    expect([migration.proxy.listen.port, migration.proxy.admin.port]).toEqual([5100, 5199]);
  });

  it("wins over the same variables in the caller's environment: the stack knows where its pieces run", () => {
    const config = loadStackConfig({ STRANGLER_UNLEASH_URL: "http://elsewhere:4242" });
    expect(loadStackMigrationConfig(config).unleash.url).toBe("http://127.0.0.1:4242");
  });
});
