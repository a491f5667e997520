import path from "node:path";
import { loadCdcSettings } from "./cdc-settings";

const EXAMPLE = path.resolve(__dirname, "..", "..", "..", "migration-plan", "strangler.config.yaml");

describe("loadCdcSettings", () => {
  it("defaults to 127.0.0.1:4300, LOG_LEVEL info and the example migration config", () => {
    const settings = loadCdcSettings({});
    expect(settings).toMatchObject({ host: "127.0.0.1", port: 4300, logLevel: "info", configPath: EXAMPLE });
    expect(settings.migration.legacy.database).toBe("postgresql://postgres@127.0.0.1:54329/monolith");
  });

  it("takes the port, host, log level and the database URLs from the environment", () => {
    const settings = loadCdcSettings({
      STRANGLER_CONFIG: EXAMPLE,
      STRANGLER_CDC_PORT: "5300",
      STRANGLER_CDC_HOST: "0.0.0.0",
      LOG_LEVEL: "warn",
      STRANGLER_MONOLITH_DATABASE_URL: "postgresql://postgres@127.0.0.1:55432/monolith",
      STRANGLER_USERS_SERVICE_DATABASE_URL: "postgresql://postgres@127.0.0.1:55432/users_service",
    });
    expect(settings).toMatchObject({ host: "0.0.0.0", port: 5300, logLevel: "warn" });
    expect(settings.migration.legacy.database).toBe("postgresql://postgres@127.0.0.1:55432/monolith");
    expect(settings.migration.services[0]?.data?.database).toBe("postgresql://postgres@127.0.0.1:55432/users_service");
  });

  it("names the variable that is wrong", () => {
    expect(() => loadCdcSettings({ STRANGLER_CDC_PORT: "70000" })).toThrow(/STRANGLER_CDC_PORT="70000"/);
    expect(() => loadCdcSettings({ STRANGLER_CDC_PORT: "abc" })).toThrow(/STRANGLER_CDC_PORT/);
    expect(() => loadCdcSettings({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
