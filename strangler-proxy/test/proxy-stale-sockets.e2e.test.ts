import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createProxy, type Proxy } from "../src/create-proxy";
import { createFakeFlagSource } from "../src/flags/fake-flag-source";
import { httpRequest } from "./support/http-request";
import { TEST_ADMIN_TOKEN, testMigrationConfig } from "./support/test-config";

/** Keep-alive connections the proxy holds to the monolith when the monolith starts closing them. */
const POOLED = 3;

/**
 * A monolith that closes its idle keep-alive connections exactly when the proxy reuses them: once
 * `closeReused` is set, a request arriving on a connection that already served one is cut without an
 * answer (what the proxy sees when the upstream's idle close crosses its request on the wire).
 * Until `POOLED` requests are in, it holds its answers, so the proxy opens that many connections.
 */
interface ClosingUpstream {
  url: string;
  closeReused: boolean;
  /** Requests answered, and requests cut on a reused connection, by method and path. */
  answered: string[];
  cut: string[];
  connections: number;
  close(): Promise<void>;
}

async function startClosingUpstream(): Promise<ClosingUpstream> {
  const served = new WeakMap<Socket, number>();
  const held: Array<() => void> = [];
  const state: ClosingUpstream = {
    url: "",
    closeReused: false,
    answered: [],
    cut: [],
    connections: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    if (state.closeReused && (served.get(req.socket) ?? 0) > 0) {
      state.cut.push(line);
      req.socket.destroy();
      return;
    }
    served.set(req.socket, (served.get(req.socket) ?? 0) + 1);
    const answer = () => {
      state.answered.push(line);
      res.writeHead(200, { "content-type": "text/plain" }).end(line);
    };
    req.resume();
    req.on("end", () => {
      if (state.closeReused) return answer();
      held.push(answer);
      if (held.length === POOLED) for (const release of held.splice(0)) release();
    });
  });
  server.on("connection", () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

describe("strangler proxy: keep-alive sockets the upstream closed (flags off, monolith only)", () => {
  let monolith: ClosingUpstream;
  let service: ClosingUpstream;
  let proxy: Proxy | undefined;
  let proxyUrl: string;

  beforeEach(async () => {
    monolith = await startClosingUpstream();
    service = await startClosingUpstream();
    proxy = createProxy(
      {
        migration: testMigrationConfig({ monolithUrl: monolith.url, usersServiceUrl: service.url }),
        adminToken: TEST_ADMIN_TOKEN,
      },
      { flags: createFakeFlagSource({}) },
    );
    ({ proxyUrl } = await proxy.listen());
    // Fill the proxy's pool to the monolith with POOLED keep-alive connections, then make them all stale.
    const fills = await Promise.all(
      Array.from({ length: POOLED }, (_, i) => httpRequest(proxyUrl, { path: `/fill/${i}` })),
    );
    expect(fills.map((r) => r.status)).toEqual(Array(POOLED).fill(200));
    expect(monolith.connections).toBe(POOLED);
    monolith.closeReused = true;
  });
  afterEach(async () => {
    await proxy?.close(0);
    proxy = undefined;
    await Promise.all([monolith?.close(), service?.close()]);
  });

  it("answers every GET from the monolith while several pooled sockets are stale at once", async () => {
    const statuses: number[] = [];
    // Sequential: each GET meets stale sockets first, the last one only stale ones.
    for (let i = 0; i < POOLED; i++) statuses.push((await httpRequest(proxyUrl, { path: `/api/users?n=${i}` })).status);
    expect(statuses).toEqual(Array(POOLED).fill(200));
    const gets = Array.from({ length: POOLED }, (_, i) => `GET /api/users?n=${i}`);
    expect(monolith.answered.slice(POOLED)).toEqual(gets);
    // Each GET met one stale socket, and its retry a new connection (never a second pooled one).
    expect(monolith.cut).toEqual(gets);
    expect(monolith.connections).toBe(2 * POOLED);
  });

  it("never replays a write whose pooled socket was closed under it", async () => {
    const body = JSON.stringify({ name: "n" });
    const res = await httpRequest(proxyUrl, {
      method: "POST",
      path: "/api/users",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      body,
    });
    expect(res.status).toBe(502);
    expect(monolith.cut).toEqual(["POST /api/users"]);
    expect(monolith.answered.slice(POOLED)).toEqual([]);
  });
});
