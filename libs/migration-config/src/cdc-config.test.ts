import path from "node:path";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

const withCdc = (cdc: string) => `version: 1
legacy: { url: "http://127.0.0.1:4101" }
unleash: { url: "http://127.0.0.1:4242" }
services:
  - { name: users-service, url: "http://127.0.0.1:4102", routes: {} }
${cdc}`;

describe("the cdc section of the migration config", () => {
  it("defaults to the embedded transport when the section is absent", () => {
    const config = parseMigrationConfig(withCdc(""), "strangler.config.yaml", {});
    expect(config.cdc).toEqual({
      listen: { host: "127.0.0.1", port: 4300 },
      transport: "embedded",
      kafka: {
        brokers: ["127.0.0.1:49092"],
        connectUrl: "http://127.0.0.1:48083",
        topicPrefix: "strangler",
        groupId: "strangler-cdc",
      },
    });
  });

  it("takes the transport and the brokers from the environment in the example config", () => {
    const file = path.join(__dirname, "..", "..", "..", DEFAULT_CONFIG_PATH);
    const config = loadMigrationConfig(file, {
      STRANGLER_CDC_TRANSPORT: "debezium",
      STRANGLER_KAFKA_BROKERS: "kafka:9092, kafka2:9092",
    });
    expect(config.cdc.transport).toBe("debezium");
    expect(config.cdc.kafka.brokers).toEqual(["kafka:9092", "kafka2:9092"]);
    expect(loadMigrationConfig(file, {}).cdc.transport).toBe("embedded");
  });

  it("says where the CDC process listens: the example follows STRANGLER_CDC_PORT", () => {
    const file = path.join(__dirname, "..", "..", "..", DEFAULT_CONFIG_PATH);
    expect(loadMigrationConfig(file, {}).cdc.listen).toEqual({ host: "127.0.0.1", port: 4300 });
    expect(loadMigrationConfig(file, { STRANGLER_CDC_PORT: "5300" }).cdc.listen).toEqual({
      host: "127.0.0.1",
      port: 5300,
    });
    expect(
      parseMigrationConfig(withCdc("cdc: { listen: { host: 0.0.0.0, port: 4400 } }"), "c.yaml", {}).cdc.listen,
    ).toEqual({ host: "0.0.0.0", port: 4400 });
  });

  it("names the bad transport and where it is", () => {
    expect(problems(withCdc("cdc: { transport: kafka }"))).toMatch(
      /cdc\.transport.*must be one of embedded, debezium/s,
    );
  });

  it("rejects a broker without a port", () => {
    expect(problems(withCdc('cdc: { kafka: { brokers: "127.0.0.1" } }'))).toMatch(/cdc\.kafka\.brokers.*host:port/s);
  });
});
