import type { AddressInfo } from "node:net";
import { parseMigrationConfig } from "@strangler/migration-config";
import { cdcStatusSchema, parseOpsDocument, type CdcStatusDocument } from "@strangler/ops-contract";
import { createFakePlanStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createFakeCdcStream, type FakeCdcStream } from "../stream/testing/fake-cdc-stream";
import { type CdcProcess, startCdcProcess } from "./cdc-process";
import type { CdcSettings } from "./cdc-settings";

const YAML = `
version: 1
legacy: { name: legacy, url: "http://127.0.0.1:9", database: "postgresql://u@127.0.0.1:9/legacy" }
unleash: { url: "http://127.0.0.1:9" }
services:
  - name: stock
    url: http://127.0.0.1:9
    routes: { reads: [{ id: items-list, methods: [GET], path: /api/items }] }
    data:
      database: "postgresql://u@127.0.0.1:9/stock"
      reverse: false
      tables: [{ source: items, target: stock_items, key: { id: item_id } }]
`;

function settings(): CdcSettings {
  return {
    configPath: "cdc-process-test.yaml",
    migration: parseMigrationConfig(YAML, "cdc-process-test.yaml", {}),
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
  };
}

async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not met within 2 s");
}

describe("startCdcProcess", () => {
  let cdc: CdcProcess | undefined;
  afterEach(async () => {
    await cdc?.stop();
    cdc = undefined;
  });

  async function start(planStore: ReturnType<typeof createFakePlanStore> | null) {
    const log: string[] = [];
    const made: FakeCdcStream[] = [];
    cdc = await startCdcProcess(settings(), {
      logger: pino({ level: "silent" }),
      planStore,
      streams: {
        forward: (service) => createFakeCdcStream(`legacy-to-${service}`, log),
        reverse: (service) => {
          const stream = createFakeCdcStream(`${service}-to-legacy`, log);
          made.push(stream);
          return stream;
        },
        retireReverse: async (service) => void log.push(`retire ${service}`),
      },
      findUnusedSlots: async () => ({ unused: [], unreachable: [] }),
    });
    const base = `http://127.0.0.1:${(cdc.address() as AddressInfo).port}`;
    const status = async (): Promise<CdcStatusDocument> =>
      parseOpsDocument(cdcStatusSchema, await (await fetch(`${base}/status`)).json(), {
        document: "the CDC status",
        source: "GET /status",
      });
    return { log, made, status };
  }

  it("starts the forward stream in the plan's mode before it applies anything, and reports the version in force", async () => {
    const store = createFakePlanStore({ now: () => 0 });
    await store.transition(
      "stock",
      0,
      {
        step: "switch-writes",
        stage: 0,
        status: "in_progress",
        owners: { items: "service" },
        enteredAt: null,
        sync: { forward: "watch", reverse: true },
        pending: null,
      },
      { actor: "t", action: "flip", message: "flip", gates: [] },
    );
    const { log, status } = await start(store);
    await eventually(async () => ((await status()).plan ?? []).length === 1);
    expect(log).toEqual(["legacy-to-stock mode watch", "legacy-to-stock start", "stock-to-legacy start"]);
    const document = await status();
    expect(document.plan).toEqual([
      { service: "stock", version: 1, sync: { forward: "watch", reverse: true }, appliedAt: expect.any(Number) },
    ]);
    expect(document.streams.map((s) => [s.direction, s.mode, s.violations])).toEqual([
      ["legacy-to-stock", "watch", 0],
      ["stock-to-legacy", "apply", 0],
    ]);
  });

  it("follows the plan's next state, and the config without a plan store", async () => {
    const store = createFakePlanStore();
    const { log, status } = await start(store);
    await eventually(async () => (await status()).plan?.[0]?.version === null);
    expect(log).toEqual(["legacy-to-stock mode apply", "legacy-to-stock start"]);
    await store.transition(
      "stock",
      0,
      {
        step: "switch-writes",
        stage: 0,
        status: "idle",
        owners: {},
        enteredAt: null,
        sync: { forward: "apply", reverse: true },
        pending: null,
      },
      { actor: "t", action: "flip", message: "flip", gates: [] },
    );
    await eventually(async () => (await status()).plan?.[0]?.version === 1);
    expect((await status()).streams.map((s) => s.direction)).toEqual(["legacy-to-stock", "stock-to-legacy"]);
    await cdc?.stop();

    const without = await start(null);
    await eventually(async () => (await without.status()).plan?.[0]?.version === null);
    expect((await without.status()).plan?.[0]?.sync).toEqual({ forward: "apply", reverse: false });
  });
});
