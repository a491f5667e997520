import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadStackConfig } from "../config/stack-config";
import { cdcEnv, cdcListen } from "./cdc-component";

describe("cdcEnv", () => {
  it("hands the CDC process its config and its port on loopback, and no database URL: the config names those", () => {
    const config = loadStackConfig({
      STRANGLER_PG_PORT: "55432",
      STRANGLER_CDC_PORT: "5300",
      STRANGLER_HOST: "0.0.0.0",
    });
    const env = cdcEnv(config);
    expect(env).toMatchObject({
      STRANGLER_CONFIG: path.join(config.repoRoot, "migration-plan", "strangler.config.yaml"),
      STRANGLER_CDC_HOST: "127.0.0.1",
      STRANGLER_CDC_PORT: "5300",
      LOG_LEVEL: "info",
    });
    expect(Object.keys(env).filter((name) => name.includes("DATABASE_URL"))).toEqual([]);
  });

  it("starts the CDC process where the migration config's cdc.listen says", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-component-"));
    try {
      const file = path.join(dir, "strangler.config.yaml");
      const lines = [
        "version: 1",
        'legacy: { url: "http://127.0.0.1:1" }',
        'unleash: { url: "http://127.0.0.1:2" }',
        'services: [{ name: svc, url: "http://127.0.0.1:3", routes: {} }]',
      ];
      fs.writeFileSync(file, [...lines, "cdc: { listen: { host: 127.0.0.1, port: 4400 } }"].join("\n"));
      const config = loadStackConfig({ STRANGLER_CONFIG: file, STRANGLER_CDC_PORT: "5300" });
      expect(cdcListen(config)).toEqual({ host: "127.0.0.1", port: 4400 });
      expect(cdcEnv(config)).toMatchObject({ STRANGLER_CDC_HOST: "127.0.0.1", STRANGLER_CDC_PORT: "4400" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
