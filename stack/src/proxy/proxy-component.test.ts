import path from "node:path";
import { loadStackConfig } from "../config/stack-config";
import { proxyEnv } from "./proxy-component";

describe("proxyEnv", () => {
  it("hands the proxy its config, tokens, backup folder and the stack's own URLs, none of the apps'", () => {
    const config = loadStackConfig({
      STRANGLER_HOME: "/srv/strangler",
      STRANGLER_UNLEASH_PORT: "5242",
      STRANGLER_PROXY_ADMIN_PORT: "5199",
    });
    const env = proxyEnv(config, {
      unleashAdminToken: "*:*.a",
      unleashClientToken: "default:development.c",
      proxyAdminToken: "p".repeat(32),
    });
    expect(env).toEqual({
      STRANGLER_CONFIG: path.join(config.repoRoot, "migration-plan", "strangler.config.yaml"),
      STRANGLER_UNLEASH_CLIENT_TOKEN: "default:development.c",
      STRANGLER_PROXY_ADMIN_TOKEN: "p".repeat(32),
      STRANGLER_PROXY_BACKUP_DIR: "/srv/strangler/proxy",
      LOG_LEVEL: "info",
      STRANGLER_UNLEASH_URL: "http://127.0.0.1:5242",
      STRANGLER_PROXY_PORT: "4100",
      STRANGLER_PROXY_ADMIN_PORT: "5199",
      STRANGLER_KAFKA_BROKERS: "127.0.0.1:49092",
      STRANGLER_CONNECT_URL: "http://127.0.0.1:48083",
    });
    expect(env).not.toHaveProperty("STRANGLER_UNLEASH_ADMIN_TOKEN");
  });
});
