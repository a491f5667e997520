import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "../config/repo-root";
import { connectorFilePath, loadConnectorFile } from "./connector-files";

// The files `npx strangler connectors --out cdc/connectors` writes for the example config.
const FORWARD_CONNECTOR_FILE = "users-service.json";
const REVERSE_CONNECTOR_FILE = "users-service-reverse.json";

const repoRoot = findRepoRoot();

describe("the connector files in cdc/connectors", () => {
  it.each([
    // Reverse: no snapshot, the forward stream already made both sides equal (ADR 0007).
    [
      FORWARD_CONNECTOR_FILE,
      "monolith",
      "public\\.users",
      "strangler.monolith",
      "strangler_dbz_users_service",
      "initial",
    ],
    [
      REVERSE_CONNECTOR_FILE,
      "users_service",
      "public\\.user_profiles",
      "strangler.users_service",
      "strangler_dbz_users_service_reverse",
      "no_data",
    ],
  ])(
    "%s reads %s.%s through pgoutput with its own slot and publication",
    (file, database, table, topicPrefix, slot, snapshotMode) => {
      const { config } = loadConnectorFile(connectorFilePath(repoRoot, file));
      expect(config).toMatchObject({
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "database.dbname": database,
        "table.include.list": table,
        "topic.prefix": topicPrefix,
        "plugin.name": "pgoutput",
        "slot.name": slot,
        "publication.name": slot,
        "publication.autocreate.mode": "filtered",
        "snapshot.mode": snapshotMode,
        // Debezium skips truncates by default ("t"); the sink applies them.
        "skipped.operations": "none",
        "decimal.handling.mode": "string",
        "tombstones.on.delete": "true",
        "key.converter.schemas.enable": "false",
        "value.converter.schemas.enable": "false",
      });
      // Both the native worker and docker-compose fill the connection in from their environment.
      expect([
        config["database.hostname"],
        config["database.port"],
        config["database.user"],
        config["database.password"],
      ]).toEqual([
        "${env:STRANGLER_CONNECT_PG_HOST}",
        "${env:STRANGLER_CONNECT_PG_PORT}",
        "${env:STRANGLER_CONNECT_PG_USER}",
        "${env:STRANGLER_CONNECT_PG_PASSWORD}",
      ]);
    },
  );

  it("applies overrides; the key name renames the connector", () => {
    const connector = loadConnectorFile(connectorFilePath(repoRoot, FORWARD_CONNECTOR_FILE), {
      name: "users-t1",
      "database.dbname": "test_db",
      "slot.name": "dbz_t1",
    });
    expect(connector.name).toBe("users-t1");
    expect(connector.config).toMatchObject({
      "database.dbname": "test_db",
      "slot.name": "dbz_t1",
      "table.include.list": "public\\.users",
    });
    expect(connector.config).not.toHaveProperty("name");
  });

  it("names the file and the expected shape when a definition is malformed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "connector-files-"));
    try {
      const file = path.join(dir, "bad.json");
      fs.writeFileSync(file, JSON.stringify({ name: "x", config: { "tasks.max": 1 } }));
      expect(() => loadConnectorFile(file)).toThrow(/bad\.json: config\.tasks\.max must be a string/);
      fs.writeFileSync(file, JSON.stringify({ config: {} }));
      expect(() => loadConnectorFile(file)).toThrow(/expected \{"name"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("resolves bare names against cdc/connectors and keeps absolute paths", () => {
    expect(connectorFilePath(repoRoot, "users-service.json")).toBe(
      path.join(repoRoot, "cdc", "connectors", "users-service.json"),
    );
    expect(connectorFilePath(repoRoot, "/tmp/x.json")).toBe("/tmp/x.json");
  });
});
