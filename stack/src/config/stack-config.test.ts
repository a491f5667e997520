import path from "node:path";
import { StackError } from "../errors/stack-error";
import { loadStackConfig, loadTestDatabaseUrl, loadTestStackConfig } from "./stack-config";

function configError(env: Record<string, string>): StackError {
  try {
    loadStackConfig(env, "/work");
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error("expected loadStackConfig to throw");
}

describe("loadStackConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    const config = loadStackConfig({});
    expect(config.home).toBe(path.join(config.repoRoot, ".strangler"));
    expect(config.host).toBe("127.0.0.1");
    expect(config.postgres).toEqual({ kind: "managed", port: 54329, binDir: undefined });
    // The apps' ports are their urls in the migration config, not stack settings (ADR 0014).
    expect(config).not.toHaveProperty("monolithPort");
    expect([config.unleashPort, config.proxyPort, config.proxyAdminPort]).toEqual([4242, 4100, 4199]);
    expect([config.kafkaPort, config.kafkaControllerPort, config.connectPort]).toEqual([49092, 49093, 48083]);
    expect(config.migrationConfigPath).toBe(path.join(config.repoRoot, "migration-plan", "strangler.config.yaml"));
    expect(config.proxyEntry).toBe(path.join(config.repoRoot, "strangler-proxy", "src", "main.ts"));
  });

  it("reads the Kafka and Connect ports", () => {
    const config = loadStackConfig({
      STRANGLER_KAFKA_PORT: "59092",
      STRANGLER_KAFKA_CONTROLLER_PORT: "59093",
      STRANGLER_CONNECT_PORT: "58083",
    });
    expect([config.kafkaPort, config.kafkaControllerPort, config.connectPort]).toEqual([59092, 59093, 58083]);
  });

  it("resolves a relative STRANGLER_CONFIG against the working directory", () => {
    expect(loadStackConfig({ STRANGLER_CONFIG: "my/strangler.yaml" }, "/work").migrationConfigPath).toBe(
      "/work/my/strangler.yaml",
    );
  });

  it("treats empty variables as unset", () => {
    expect(loadStackConfig({ STRANGLER_PG_PORT: "", STRANGLER_HOST: "" }).postgres).toMatchObject({ port: 54329 });
  });

  it("resolves relative folders against the working directory", () => {
    const config = loadStackConfig({ STRANGLER_HOME: "state", STRANGLER_PG_BIN: "pg/bin" }, "/work");
    expect(config.home).toBe("/work/state");
    expect(config.postgres).toMatchObject({ binDir: "/work/pg/bin" });
  });

  it("switches to an external server when STRANGLER_PG_URL is set", () => {
    const url = "postgresql://admin:secret@db.internal:5432/postgres";
    expect(loadStackConfig({ STRANGLER_PG_URL: url }).postgres).toEqual({ kind: "external", url });
  });

  it("names the variable, its value and what was expected for a bad port", () => {
    const error = configError({ STRANGLER_UNLEASH_PORT: "http" });
    expect(error.code).toBe("STACK_CONFIG_INVALID");
    expect(error.message).toContain('STRANGLER_UNLEASH_PORT="http": expected a TCP port, an integer from 1 to 65535');
  });

  it("rejects ports out of range", () => {
    expect(configError({ STRANGLER_PG_PORT: "70000" }).message).toContain("STRANGLER_PG_PORT");
    expect(configError({ STRANGLER_CDC_PORT: "0" }).message).toContain("STRANGLER_CDC_PORT");
    expect(configError({ STRANGLER_UNLEASH_PORT: "4242x" }).message).toContain("STRANGLER_UNLEASH_PORT");
    expect(configError({ STRANGLER_PROXY_ADMIN_PORT: "-1" }).message).toContain("STRANGLER_PROXY_ADMIN_PORT");
  });

  it("rejects a URL that is not PostgreSQL", () => {
    expect(configError({ STRANGLER_PG_URL: "mysql://root@localhost/db" }).message).toContain(
      'STRANGLER_PG_URL="mysql://root@localhost/db": expected a PostgreSQL superuser URL',
    );
  });

  it("reports every bad variable at once", () => {
    const message = configError({ STRANGLER_PG_PORT: "x", STRANGLER_HOST: "two words" }).message;
    expect(message).toContain("STRANGLER_PG_PORT");
    expect(message).toContain("STRANGLER_HOST");
  });
});

describe("loadTestStackConfig", () => {
  it("uses its own home and port whatever the developer's stack uses", () => {
    const config = loadTestStackConfig({ STRANGLER_HOME: "/elsewhere", STRANGLER_PG_PORT: "6000" });
    expect(config.home).toBe(path.join(config.repoRoot, ".strangler", "test"));
    expect(config.postgres).toMatchObject({ kind: "managed", port: 54339 });
  });

  it("moves to another port and home with STRANGLER_TEST_PG_PORT", () => {
    const config = loadTestStackConfig({ STRANGLER_TEST_PG_PORT: "54400" });
    expect(config.home).toBe(path.join(config.repoRoot, ".strangler", "test-54400"));
    expect(config.postgres).toMatchObject({ kind: "managed", port: 54400 });
  });

  it("names the variable and the bad value", () => {
    expect(() => loadTestStackConfig({ STRANGLER_TEST_PG_PORT: "80" })).toThrow(
      /STRANGLER_TEST_PG_PORT="80": expected a port number/,
    );
  });

  it("keeps an external server", () => {
    const url = "postgresql://u:p@h:5432/postgres";
    expect(loadTestStackConfig({ STRANGLER_PG_URL: url }).postgres).toEqual({ kind: "external", url });
  });
});

describe("loadTestDatabaseUrl", () => {
  it("explains where the URL comes from when it is missing", () => {
    expect(() => loadTestDatabaseUrl({})).toThrow(/STRANGLER_TEST_PG_URL is not set: run tests through jest/);
  });
});
