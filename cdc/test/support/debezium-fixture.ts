import { randomUUID } from "node:crypto";
import path from "node:path";
import { loadMigrationConfig, type MigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import type { TestDatabase } from "../../../stack/src/testing/test-database";
import type { TestKafka } from "../../../stack/src/testing/test-kafka";
import { uniqueName } from "./embedded-source-fixture";

const EXAMPLE_CONFIG = path.join(__dirname, "..", "..", "..", "migration-plan", "strangler.config.yaml");

/** The example migration config on the Debezium transport, pointed at test databases and the test broker. */
export function debeziumTestConfig(
  monolith: TestDatabase,
  service: TestDatabase,
  kafka: TestKafka,
  reverse = false,
): MigrationConfig {
  const config = loadMigrationConfig(EXAMPLE_CONFIG, {
    STRANGLER_MONOLITH_DATABASE_URL: monolith.url,
    STRANGLER_USERS_SERVICE_DATABASE_URL: service.url,
    STRANGLER_CDC_TRANSPORT: "debezium",
    STRANGLER_KAFKA_BROKERS: kafka.brokers.join(","),
    STRANGLER_CONNECT_URL: kafka.connectUrl,
  });
  return { ...config, services: config.services.map((s) => (s.data ? { ...s, data: { ...s.data, reverse } } : s)) };
}

/** Names of one connector in one test: its own slot, publication and topic prefix (connector names are per worker). */
export interface ConnectorNames {
  name: string;
  slot: string;
  topicPrefix: string;
}

export function connectorNames(tag: string): ConnectorNames {
  const unique = uniqueName(tag);
  return { name: unique.replace(/_/g, "-"), slot: unique, topicPrefix: `strangler-test.${unique}` };
}

/** Registers a connector file of cdc/connectors for a test database under the test's names, waiting until RUNNING. */
export async function registerTestConnector(
  kafka: TestKafka,
  file: "users-service.json" | "users-service-reverse.json",
  database: TestDatabase,
  names: ConnectorNames,
): Promise<void> {
  await kafka.registerConnector(file, {
    name: names.name,
    "database.dbname": database.name,
    "topic.prefix": names.topicPrefix,
    "slot.name": names.slot,
    "publication.name": names.slot,
    // The default 500 ms idle poll adds up to half a second of lag per quiet period; tests want it short.
    "poll.interval.ms": "50",
  });
}

/** A steady writer on the monolith's users (about 50/s: inserts, and every `updateEvery`-th write an update), until stop(). */
export function startUsersWriter(
  client: Client,
  tag: string,
  updateEvery = 3,
): { writes(): number; stop(): Promise<void> } {
  let writing = true;
  let writes = 0;
  const ids: string[] = [];
  const loop = (async () => {
    while (writing) {
      if (ids.length > 0 && writes % updateEvery === updateEvery - 1) {
        await client.query("UPDATE users SET name = $2, updated_at = now() WHERE id = $1", [
          ids[writes % ids.length],
          `${tag} ${writes}`,
        ]);
      } else {
        const id = randomUUID();
        await client.query("INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, $3, now())", [
          id,
          `${tag.toLowerCase()}-${id}@example.test`,
          `${tag} ${writes}`,
        ]);
        ids.push(id);
      }
      writes += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    writes: () => writes,
    async stop() {
      writing = false;
      await loop;
    },
  };
}
