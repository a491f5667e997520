import { loadStackMigrationConfig, migrationConfigEnv } from "./migration-config-env";
import { loadStackConfig } from "./stack-config";

describe("migrationConfigEnv", () => {
  it("derives the config's URLs and ports from the stack's defaults", () => {
    expect(migrationConfigEnv(loadStackConfig({}))).toEqual({
      STRANGLER_MONOLITH_URL: "http://127.0.0.1:4101",
      STRANGLER_USERS_SERVICE_URL: "http://127.0.0.1:4102",
      STRANGLER_MONOLITH_DATABASE_URL: "postgresql://postgres@127.0.0.1:54329/monolith",
      STRANGLER_USERS_SERVICE_DATABASE_URL: "postgresql://postgres@127.0.0.1:54329/users_service",
      STRANGLER_UNLEASH_URL: "http://127.0.0.1:4242",
      STRANGLER_PROXY_PORT: "4100",
      STRANGLER_PROXY_ADMIN_PORT: "4199",
      STRANGLER_KAFKA_BROKERS: "127.0.0.1:49092",
      STRANGLER_CONNECT_URL: "http://127.0.0.1:48083",
    });
  });

  it("points cdc.kafka at the stack's broker and Connect worker, and follows STRANGLER_CDC_TRANSPORT", () => {
    const config = loadStackConfig({ STRANGLER_KAFKA_PORT: "59092", STRANGLER_CONNECT_PORT: "58083", STRANGLER_CDC_TRANSPORT: "debezium" });
    const migration = loadStackMigrationConfig(config);
    expect(migration.cdc.transport).toBe("debezium");
    expect(migration.cdc.kafka).toMatchObject({ brokers: ["127.0.0.1:59092"], connectUrl: "http://127.0.0.1:58083", topicPrefix: "strangler" });
    expect(loadStackMigrationConfig(loadStackConfig({})).cdc.transport).toBe("embedded");
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

  it("points the config's databases at the stack's PostgreSQL (STRANGLER_PG_PORT, STRANGLER_PG_URL)", () => {
    const managed = loadStackMigrationConfig(loadStackConfig({ STRANGLER_PG_PORT: "55432" }));
    expect(managed.legacy.database).toBe("postgresql://postgres@127.0.0.1:55432/monolith");
    expect(managed.services[0]?.data?.database).toBe("postgresql://postgres@127.0.0.1:55432/users_service");
    const external = loadStackMigrationConfig(loadStackConfig({ STRANGLER_PG_URL: "postgresql://admin:secret@db.example:5433/postgres?sslmode=disable" }));
    expect(external.legacy.database).toBe("postgresql://admin:secret@db.example:5433/monolith?sslmode=disable");
    expect(external.services[0]?.data?.database).toBe("postgresql://admin:secret@db.example:5433/users_service?sslmode=disable");
  });

  it("wins over the same variables in the caller's environment: the stack knows where its pieces run", () => {
    const config = loadStackConfig({ STRANGLER_UNLEASH_URL: "http://elsewhere:4242" });
    expect(loadStackMigrationConfig(config).unleash.url).toBe("http://127.0.0.1:4242");
  });
});
