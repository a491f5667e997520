import path from "node:path";
import { loadStackConfig } from "../config/stack-config";
import { cdcEnv } from "./cdc-component";

describe("cdcEnv", () => {
  it("hands the CDC process its config and its port on loopback, and no database URL: the config names those", () => {
    const config = loadStackConfig({ STRANGLER_PG_PORT: "55432", STRANGLER_CDC_PORT: "5300", STRANGLER_HOST: "0.0.0.0" });
    const env = cdcEnv(config);
    expect(env).toMatchObject({
      STRANGLER_CONFIG: path.join(config.repoRoot, "migration-plan", "strangler.config.yaml"),
      STRANGLER_CDC_HOST: "127.0.0.1",
      STRANGLER_CDC_PORT: "5300",
      LOG_LEVEL: "info",
    });
    expect(Object.keys(env).filter((name) => name.includes("DATABASE_URL"))).toEqual([]);
  });
});
