import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig } from "@strangler/migration-config";
import { connectorFiles, runConnectorsCommand, staleConnectorFiles } from "./connectors-command";

const ROOT = path.join(__dirname, "..", "..", "..", "..");

const captured = () => {
  const io = {
    stdout: "",
    stderr: "",
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
  };
  return io;
};

describe("strangler connectors", () => {
  it("the committed cdc/connectors files are what the example config gives (regenerate: npx strangler connectors --out cdc/connectors)", () => {
    const files = connectorFiles(loadMigrationConfig(path.join(ROOT, DEFAULT_CONFIG_PATH), {}));
    expect(files.size).toBeGreaterThan(0);
    expect(staleConnectorFiles(path.join(ROOT, "cdc", "connectors"), files)).toEqual([]);
  });

  it("writes one file per connector, and --check reports a changed, a missing and a foreign file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-connectors-"));
    try {
      const config = path.join(dir, "blog.yaml");
      fs.writeFileSync(
        config,
        `version: 1
legacy: { name: blog, url: "http://127.0.0.1:1", database: "postgresql://u@db/blog" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: blog-service
    url: "http://127.0.0.1:3"
    routes: {}
    data: { database: "postgresql://u@db/blog_service", tables: [{ source: _PostToTag, target: _PostToTag, key: { A: A, B: B } }] }
`,
      );
      const environment = { cwd: dir, defaultConfigPath: config, interpolation: {} };
      const io = captured();
      expect(runConnectorsCommand(["--out", "out"], environment, io)).toBe(0);
      expect(fs.readdirSync(path.join(dir, "out")).sort()).toEqual(["blog-service-reverse.json", "blog-service.json"]);
      expect(
        JSON.parse(fs.readFileSync(path.join(dir, "out", "blog-service.json"), "utf8")).config["message.key.columns"],
      ).toBe("public\\._PostToTag:A,B");
      expect(runConnectorsCommand(["--out", "out", "--check"], environment, captured())).toBe(0);

      fs.appendFileSync(path.join(dir, "out", "blog-service.json"), " ");
      fs.rmSync(path.join(dir, "out", "blog-service-reverse.json"));
      fs.writeFileSync(path.join(dir, "out", "old.json"), "{}");
      const check = captured();
      expect(runConnectorsCommand(["--out", "out", "--check"], environment, check)).toBe(1);
      expect(check.stderr).toContain(
        "  - blog-service.json\n  - blog-service-reverse.json\n  - old.json (not from the config: remove it)",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("requires --out", () => {
    expect(() => runConnectorsCommand([], { cwd: "/", defaultConfigPath: "x", interpolation: {} }, captured())).toThrow(
      "connectors: --out <dir> is required",
    );
  });
});
