import fs from "node:fs";
import path from "node:path";
import { DEFAULT_CONFIG_PATH, parseMigrationConfig } from "../load-migration-config";
import { keepOneService } from "./keep-one-service";

const EXAMPLE = fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", DEFAULT_CONFIG_PATH), "utf8");

describe("keepOneService", () => {
  it.each(["users-service", "catalog-service"])(
    "keeps only %s of the example, with everything around the list",
    (name) => {
      const config = parseMigrationConfig(keepOneService(EXAMPLE, name), "kept.yaml", {});
      const full = parseMigrationConfig(EXAMPLE, "example.yaml", {});
      expect(config.services.map((s) => s.name)).toEqual([name]);
      expect(config.services[0]).toEqual(full.services.find((s) => s.name === name));
      expect({ ...config, services: [] }).toEqual({ ...full, services: [] });
    },
  );

  it("fails naming the source when the service is not in the list", () => {
    expect(() => keepOneService(EXAMPLE, "nope-service", "the example")).toThrow(
      'the example changed: no services entry "  - name: nope-service"',
    );
    expect(() => keepOneService("version: 1\n", "users-service")).toThrow('the config changed: no "services:" line');
  });
});
