import fs from "node:fs";
import os from "node:os";
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

  it("listens where the config's cdc.listen says; STRANGLER_CDC_HOST / STRANGLER_CDC_PORT override it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-settings-"));
    try {
      const file = path.join(dir, "strangler.config.yaml");
      fs.writeFileSync(
        file,
        [
          "version: 1",
          'legacy: { url: "http://127.0.0.1:1" }',
          'unleash: { url: "http://127.0.0.1:2" }',
          'services: [{ name: svc, url: "http://127.0.0.1:3", routes: {} }]',
          "cdc: { listen: { host: 0.0.0.0, port: 4444 } }",
        ].join("\n"),
      );
      expect(loadCdcSettings({ STRANGLER_CONFIG: file })).toMatchObject({ host: "0.0.0.0", port: 4444 });
      expect(
        loadCdcSettings({ STRANGLER_CONFIG: file, STRANGLER_CDC_HOST: "127.0.0.1", STRANGLER_CDC_PORT: "5555" }),
      ).toMatchObject({ host: "127.0.0.1", port: 5555 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the variable that is wrong", () => {
    expect(() => loadCdcSettings({ STRANGLER_CDC_PORT: "70000" })).toThrow(/STRANGLER_CDC_PORT="70000"/);
    expect(() => loadCdcSettings({ STRANGLER_CDC_PORT: "abc" })).toThrow(/STRANGLER_CDC_PORT/);
    expect(() => loadCdcSettings({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});
