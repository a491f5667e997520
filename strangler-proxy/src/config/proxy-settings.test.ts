import path from "node:path";
import { loadProxySettings } from "./proxy-settings";

const EXAMPLE_CONFIG = path.resolve(__dirname, "../../../migration-plan/strangler.config.yaml");
const valid = { STRANGLER_PROXY_ADMIN_TOKEN: "a".repeat(16), STRANGLER_UNLEASH_CLIENT_TOKEN: "default:development.x" };

describe("proxy settings", () => {
  it("loads the example config by default and applies the defaults", () => {
    const settings = loadProxySettings({ ...valid });
    expect(settings.configPath).toBe(EXAMPLE_CONFIG);
    expect(settings.migration.services.map((s) => s.name)).toEqual(["users-service", "catalog-service"]);
    expect(settings.logLevel).toBe("info");
    expect(settings.backupDir).toMatch(/strangler-proxy$/);
  });

  it("takes STRANGLER_CONFIG, STRANGLER_PROXY_BACKUP_DIR and LOG_LEVEL", () => {
    const settings = loadProxySettings({
      ...valid,
      STRANGLER_CONFIG: EXAMPLE_CONFIG,
      STRANGLER_PROXY_BACKUP_DIR: "/tmp/backup-here",
      LOG_LEVEL: "warn",
      STRANGLER_USERS_SERVICE_URL: "http://10.1.2.3:9",
    });
    expect(settings).toMatchObject({ backupDir: "/tmp/backup-here", logLevel: "warn" });
    expect(settings.migration.services.map((s) => s.url)).toEqual(["http://10.1.2.3:9", "http://127.0.0.1:4103"]);
  });

  it.each([
    [
      "a missing admin token",
      { STRANGLER_UNLEASH_CLIENT_TOKEN: "t" },
      /STRANGLER_PROXY_ADMIN_TOKEN is required and must be at least 16/,
    ],
    ["a short admin token", { ...valid, STRANGLER_PROXY_ADMIN_TOKEN: "short" }, /STRANGLER_PROXY_ADMIN_TOKEN/],
    [
      "a missing client token",
      { STRANGLER_PROXY_ADMIN_TOKEN: "a".repeat(16) },
      /STRANGLER_UNLEASH_CLIENT_TOKEN is required/,
    ],
    ["a bad log level", { ...valid, LOG_LEVEL: "loud" }, /LOG_LEVEL must be one of/],
    [
      "a missing config file",
      { ...valid, STRANGLER_CONFIG: "/nowhere/strangler.yaml" },
      /\/nowhere\/strangler.yaml: invalid migration config:[\s\S]*file not found/,
    ],
  ])("fails with an error naming the variable or file for %s", (_case, env, message) => {
    expect(() => loadProxySettings(env)).toThrow(message);
  });
});
