import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import pino from "pino";
import { httpLogger } from "./logger";

describe("httpLogger", () => {
  const lines: Array<Record<string, unknown>> = [];
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = express();
    app.use(httpLogger(pino({ level: "info" }, sink)));
    app.get("/things", (_req, res) => void res.json({ ok: true }));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}/things`, { headers }).then((res) => res.text());

  it("logs shadow: true on the request line of a mirrored request, and nothing on real traffic", async () => {
    await get({ "x-request-id": "real-1" });
    await get({ "x-request-id": "mirror-1", "x-strangler-shadow": "1", "x-strangler-dry-run": "1" });
    const byId = (id: string) => lines.find((line) => (line.req as { id?: string } | undefined)?.id === id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(byId("mirror-1")).toMatchObject({ shadow: true, dryRun: true });
    expect(byId("real-1")).toBeDefined();
    expect(byId("real-1")).not.toHaveProperty("shadow");
  });
});
