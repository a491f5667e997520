import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** People both fixture sides know, by id (the legacy side answers them as name, the candidate as displayName). */
export const FIXTURE_PEOPLE: ReadonlyArray<{ id: string; name: string; email: string }> = Array.from(
  { length: 20 },
  (_, i) => ({
    id: `person-${i + 1}`,
    name: `Person ${String.fromCharCode(65 + i)}. Example`,
    email: `person-${i + 1}@example.test`,
  }),
);

/** A neutral app for shadow tests, on a loopback port, counting what it was asked. */
export interface ShadowFixtureApp {
  url: string;
  /** Requests received, as "METHOD /path" (query left out). */
  requests: string[];
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * One side of the shadow fixtures.
 * - `GET /api/reports/:id`: `{id, total, generatedAt, nonce}`, the last two new on every call (noise).
 * - `POST /api/reports`: 201, a write (the side counts it; a service without dryRun must never see one).
 * - legacy: `GET /api/users/:id` → `{id, name, email}`; service: `GET /v2/profiles/:id` → `{id, displayName, email}`.
 */
export async function startShadowFixtureApp(side: "legacy" | "service"): Promise<ShadowFixtureApp> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    requests.push(`${req.method} ${path}`);
    req.resume();
    req.on("end", () => {
      const report = /^\/api\/reports\/([^/]+)$/.exec(path);
      if (req.method === "GET" && report)
        return sendJson(res, 200, {
          id: report[1],
          total: 42,
          generatedAt: new Date().toISOString(),
          nonce: randomUUID(),
        });
      if (req.method === "POST" && path === "/api/reports") return sendJson(res, 201, { id: randomUUID(), total: 0 });
      const person = side === "legacy" ? /^\/api\/users\/([^/]+)$/.exec(path) : /^\/v2\/profiles\/([^/]+)$/.exec(path);
      const found = person ? FIXTURE_PEOPLE.find((p) => p.id === person[1]) : undefined;
      if (req.method === "GET" && found)
        return sendJson(
          res,
          200,
          side === "legacy" ? found : { id: found.id, displayName: found.name, email: found.email },
        );
      return sendJson(res, 404, { error: { code: "NOT_FOUND", message: `no ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
