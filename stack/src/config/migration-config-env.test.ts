import { loadStackMigrationConfig, migrationConfigEnv } from "./migration-config-env";
import { loadStackConfig } from "./stack-config";

describe("migrationConfigEnv", () => {
  it("derives only the stack's own addresses (Unleash, proxy ports, Kafka, Connect) from its settings", () => {
    expect(migrationConfigEnv(loadStackConfig({}))).toEqual({
      STRANGLER_UNLEASH_URL: "http://127.0.0.1:4242",
      STRANGLER_PROXY_PORT: "4100",
      STRANGLER_PROXY_ADMIN_PORT: "4199",
      STRANGLER_KAFKA_BROKERS: "127.0.0.1:49092",
      STRANGLER_CONNECT_URL: "http://127.0.0.1:48083",
    });
  });

  it("exports no variable about the apps or their databases: the config alone says where they are", () => {
    const names = Object.keys(migrationConfigEnv(loadStackConfig({ STRANGLER_PG_PORT: "55432" })));
    expect(names.filter((name) => /MONOLITH|USERS_SERVICE|DATABASE_URL/.test(name))).toEqual([]);
  });

  it("points cdc.kafka at the stack's broker and Connect worker, and follows STRANGLER_CDC_TRANSPORT", () => {
    const config = loadStackConfig({
      STRANGLER_KAFKA_PORT: "59092",
      STRANGLER_CONNECT_PORT: "58083",
      STRANGLER_CDC_TRANSPORT: "debezium",
    });
    const migration = loadStackMigrationConfig(config);
    expect(migration.cdc.transport).toBe("debezium");
    expect(migration.cdc.kafka).toMatchObject({
      brokers: ["127.0.0.1:59092"],
      connectUrl: "http://127.0.0.1:58083",
      topicPrefix: "strangler",
    });
    expect(loadStackMigrationConfig(loadStackConfig({})).cdc.transport).toBe("embedded");
  });

  it("lets a port changed for the stack flow into the migration config", () => {
    const config = loadStackConfig({
      STRANGLER_UNLEASH_PORT: "5242",
      STRANGLER_PROXY_PORT: "5100",
      STRANGLER_PROXY_ADMIN_PORT: "5199",
    });
    const migration = loadStackMigrationConfig(config);
    expect(migration.unleash.url).toBe("http://127.0.0.1:5242");
    expect([migration.proxy.listen.port, migration.proxy.admin.port]).toEqual([5100, 5199]);
  });

  it("takes the apps' urls and databases from the config, with the variables the user sets (the example's STRANGLER_PG_PORT, …)", () => {
    const defaults = loadStackMigrationConfig(loadStackConfig({}));
    expect(defaults.legacy.url).toBe("http://127.0.0.1:4101");
    expect(defaults.legacy.database).toBe("postgresql://postgres@127.0.0.1:54329/monolith");
    const moved = loadStackMigrationConfig(
      loadStackConfig({
        STRANGLER_PG_PORT: "55432",
        STRANGLER_MONOLITH_PORT: "5101",
        STRANGLER_USERS_SERVICE_PORT: "5102",
      }),
    );
    expect(moved.legacy.url).toBe("http://127.0.0.1:5101");
    expect(moved.services[0]?.url).toBe("http://127.0.0.1:5102");
    expect(moved.legacy.database).toBe("postgresql://postgres@127.0.0.1:55432/monolith");
    expect(moved.services[0]?.data?.database).toBe("postgresql://postgres@127.0.0.1:55432/users_service");
  });

  it("wins over the same variables in the caller's environment: the stack knows where its pieces run", () => {
    const config = loadStackConfig({ STRANGLER_UNLEASH_URL: "http://elsewhere:4242" });
    expect(loadStackMigrationConfig(config).unleash.url).toBe("http://127.0.0.1:4242");
  });
});
