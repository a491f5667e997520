import type { MigrationConfig } from "@strangler/migration-config";
import { loadStackMigrationConfig } from "../config/migration-config-env";
import { loadStackConfig } from "../config/stack-config";
import { stackConnectors } from "./stack-connectors";

const config = loadStackConfig({});
const example = loadStackMigrationConfig(config);

function withReverse(migration: MigrationConfig, reverse: boolean): MigrationConfig {
  return {
    ...migration,
    services: migration.services.map((service) =>
      service.data ? { ...service, data: { ...service.data, reverse } } : service,
    ),
  };
}

describe("stackConnectors", () => {
  it("registers each service's forward connector and removes the reverse ones while data.reverse is false", () => {
    const connectors = stackConnectors(config.repoRoot, withReverse(example, false));
    expect(connectors.wanted.map((connector) => connector.name)).toEqual([
      "strangler-users-service",
      "strangler-catalog-service",
    ]);
    expect(connectors.unwanted).toEqual(["strangler-users-service-reverse", "strangler-catalog-service-reverse"]);
  });

  it("adds each service's reverse connector when data.reverse is true", () => {
    const connectors = stackConnectors(config.repoRoot, withReverse(example, true));
    expect(connectors.wanted.map((connector) => [connector.name, connector.config["topic.prefix"]])).toEqual([
      ["strangler-users-service", "strangler.monolith"],
      ["strangler-users-service-reverse", "strangler.users_service"],
      ["strangler-catalog-service", "strangler.monolith"],
      ["strangler-catalog-service-reverse", "strangler.catalog_service"],
    ]);
    expect(connectors.unwanted).toEqual([]);
  });

  it("takes the topics' prefix from cdc.kafka.topicPrefix", () => {
    const migration = { ...example, cdc: { ...example.cdc, kafka: { ...example.cdc.kafka, topicPrefix: "acme" } } };
    expect(stackConnectors(config.repoRoot, migration).wanted[0]?.config["topic.prefix"]).toBe("acme.monolith");
  });
});
