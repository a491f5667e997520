import net from "node:net";
import { createPgShadowResultStore } from "@strangler/toolkit-store";
import pino from "pino";
import { createTcpForwarder, type TcpForwarder } from "../../cdc/test/support/tcp-forwarder";
import { createEmptyTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { createShadowPipeline, type ShadowPipeline } from "../src/shadow/results/shadow-pipeline";
import { exchange, json, shadowTestConfig } from "../src/shadow/results/shadow-results-fixtures";

// The toolkit database goes away under a running pipeline and comes back: nothing throws, the results
// wait in the backlog, and once the database answers again every count arrives.

const logger = pino({ level: "silent" });
const retention = { days: 7, examplesPerSignature: 3 };
const SINCE = Date.UTC(2026, 11, 2, 10, 0, 0);
let db: TestDatabase;
let forwarder: TcpForwarder | undefined;
let pipeline: ShadowPipeline | undefined;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  db = await createEmptyTestDatabase("shadow_db_down");
});

afterAll(async () => {
  await forwarder?.start().catch(() => undefined);
  await pipeline?.close().catch(() => undefined);
  await forwarder?.stop();
  await db?.drop();
});

describe("shadow results while the toolkit database is down", () => {
  it("keeps judging, holds the results in its backlog, and writes them once the database is back", async () => {
    const target = new URL(db.url);
    const port = await freePort();
    forwarder = createTcpForwarder(port, { host: target.hostname, port: Number(target.port) });
    await forwarder.start();
    const url = new URL(db.url);
    url.port = String(port);
    pipeline = createShadowPipeline({
      migration: shadowTestConfig(),
      store: createPgShadowResultStore(url.toString(), { retention, logger }),
      logger,
      now: () => SINCE + 30_000,
      limits: { flushIntervalMs: 20 },
    });
    const send = (minute: number) => {
      for (let i = 0; i < 5; i += 1) {
        const at = SINCE + minute * 60_000;
        pipeline?.record(i === 0 ? exchange({ at, candidateOutcome: json({ id: 1, name: "ONE" }) }) : exchange({ at }));
      }
    };
    send(0);
    await pipeline.flush();
    expect(pipeline.stats()).toMatchObject({ backlog: 0, writeFailures: 0 });

    await forwarder.stop();
    send(1);
    send(2);
    await until(() => (pipeline?.stats().writeFailures ?? 0) >= 2);
    expect(pipeline.stats().judged).toBe(15);
    expect(pipeline.stats().backlog).toBeGreaterThan(0);
    expect(pipeline.stats().droppedBatches).toBe(0);

    await forwarder.start();
    await until(() => pipeline?.stats().backlog === 0);
    const reader = createPgShadowResultStore(db.url, { retention, logger });
    try {
      const [route] = (await reader.report({ since: SINCE, until: SINCE + 3_600_000, routeId: "things-get" })).routes;
      expect(route).toMatchObject({ compared: 15, matches: 12, mismatches: 3 });
      expect(route?.signatures[0]).toMatchObject({ count: 3, exampleId: expect.any(String) });
    } finally {
      await reader.close();
    }
  });
});
