import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCliEnvironment } from "../cli-config";
import { cdcUrlFor } from "./cdc-command";

describe("cdcUrlFor", () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-url-"));
    config = path.join(dir, "c.yaml");
    const lines = [
      "version: 1",
      'legacy: { url: "http://127.0.0.1:1" }',
      'unleash: { url: "http://127.0.0.1:2" }',
      'services: [{ name: svc, url: "http://127.0.0.1:3", routes: {} }]',
    ];
    fs.writeFileSync(config, [...lines, "cdc: { listen: { host: 0.0.0.0, port: ${CDC_PORT:-4400} } }"].join("\n"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("asks where the config's cdc.listen says (a wildcard host on loopback), interpolated with the caller's environment", () => {
    expect(cdcUrlFor(loadCliEnvironment({}, dir, dir), config)).toBe("http://127.0.0.1:4400");
    expect(cdcUrlFor(loadCliEnvironment({ CDC_PORT: "4500" }, dir, dir), config)).toBe("http://127.0.0.1:4500");
  });

  it("takes STRANGLER_CDC_URL over the config", () => {
    expect(cdcUrlFor(loadCliEnvironment({ STRANGLER_CDC_URL: "http://cdc.internal:9000/" }, dir, dir), config)).toBe(
      "http://cdc.internal:9000",
    );
  });
});
