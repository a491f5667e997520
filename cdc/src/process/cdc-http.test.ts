import type { AddressInfo } from "node:net";
import { cdcStatusSchema, parseOpsDocument } from "@strangler/ops-contract";
import { Registry } from "prom-client";
import { createSinkMetrics } from "../sink/sink-metrics";
import type { CdcStream, CdcStreamStatus } from "../stream/cdc-stream";
import { createCdcHttpServer, type CdcHttpServer } from "./cdc-http";

function fakeStream(status: CdcStreamStatus): CdcStream & { current: CdcStreamStatus } {
  const stream = {
    direction: status.direction,
    current: status,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    setMode: () => Promise.resolve(),
    status: () => stream.current,
  };
  return stream;
}

describe("the CDC process's HTTP endpoints", () => {
  const stream = fakeStream({
    transport: "embedded",
    direction: "monolith-to-users-service",
    phase: "snapshot",
    confirmedLsn: null,
    lastEventAt: null,
    lagSeconds: null,
    applied: 0,
    deadLettered: 0,
    queued: 0,
  });
  const registry = new Registry();
  createSinkMetrics(registry).applied.inc({ direction: "monolith-to-users-service", table: "users" }, 3);
  let server: CdcHttpServer;
  let base: string;

  beforeAll(async () => {
    server = createCdcHttpServer(
      () => [stream],
      registry,
      () => ["the reverse slot still holds WAL"],
      () => [
        {
          service: "users-service",
          version: 7,
          sync: { forward: "watch", reverse: true },
          appliedAt: 1_700_000_000_500,
        },
      ],
    );
    await server.listen(0, "127.0.0.1");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it("is healthy at once and ready only once every stream streams", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const waiting = await fetch(`${base}/readyz`);
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toEqual({ status: "not ready", waiting: ["monolith-to-users-service"] });
    stream.current = {
      ...stream.current,
      phase: "streaming",
      confirmedLsn: "0/16B3748",
      lastEventAt: 1_700_000_000_000,
      lagSeconds: 0.042,
      applied: 3,
      deadLettered: 1,
    };
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("reports each stream on /status and the sinks' series on /metrics", async () => {
    const status: unknown = await (await fetch(`${base}/status`)).json();
    expect(status).toEqual({
      streams: [
        {
          transport: "embedded",
          direction: "monolith-to-users-service",
          phase: "streaming",
          confirmedLsn: "0/16B3748",
          lastEventAt: 1_700_000_000_000,
          lagSeconds: 0.042,
          applied: 3,
          deadLettered: 1,
          queued: 0,
        },
      ],
      warnings: ["the reverse slot still holds WAL"],
      plan: [
        {
          service: "users-service",
          version: 7,
          sync: { forward: "watch", reverse: true },
          appliedAt: 1_700_000_000_500,
        },
      ],
    });
    expect(() =>
      parseOpsDocument(cdcStatusSchema, status, { document: "the CDC status", source: "GET /status" }),
    ).not.toThrow();
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain(
      'strangler_cdc_applied_events_total{direction="monolith-to-users-service",table="users"} 3',
    );
  });

  it("answers 404 elsewhere and 405 for other methods", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/status`, { method: "POST" })).status).toBe(405);
  });
});
