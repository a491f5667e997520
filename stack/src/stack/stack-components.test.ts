import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadStackConfig } from "../config/stack-config";
import type { ProgressEvent } from "./progress";
import { createStackComponents } from "./stack-components";

describe("createStackComponents", () => {
  it("starts Kafka and Connect after PostgreSQL and before everything that may use them", () => {
    expect(createStackComponents(loadStackConfig({})).map((component) => component.name)).toEqual([
      "postgres",
      "kafka",
      "connect",
      "unleash",
      "monolith",
      "users-service",
      "catalog-service",
      "proxy",
      "cdc",
    ]);
  });

  it("skips Kafka and Connect, with a note, while cdc.transport is embedded", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "stack-components-"));
    try {
      const components = createStackComponents(
        loadStackConfig({ STRANGLER_HOME: home, STRANGLER_CDC_TRANSPORT: "embedded" }),
      );
      const events: ProgressEvent[] = [];
      for (const name of ["kafka", "connect"]) {
        const component = components.find((candidate) => candidate.name === name);
        expect(await component?.start((event) => events.push(event))).toBe("skipped");
        expect(await component?.status()).toMatchObject({
          state: "stopped",
          pid: null,
          detail: "not used: cdc.transport is embedded",
        });
        expect(await component?.stop()).toBe("not running");
      }
      expect(events).toEqual([
        { kind: "note", label: "kafka", message: expect.stringContaining("up --transport debezium") },
        { kind: "note", label: "connect", message: expect.stringContaining("up --transport debezium") },
      ]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
