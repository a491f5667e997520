import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fixture upstream received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  /** rawHeaders as received: names as sent, duplicates kept. */
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EchoUpstream {
  name: string;
  url: string;
  received: ReceivedRequest[];
  /** Stops accepting and drops open connections (a killed upstream). */
  close(): Promise<void>;
}

/**
 * A fixture upstream that answers every request with JSON describing what it received, so a test
 * can assert exactly what the proxy forwarded. Query parameters steer it (only the upstream named
 * by `_only`, when given): `_status=503` answers
 * that status, `_delay=ms` waits first, `_hang=1` never answers, `_abort=1` sends headers and part
 * of a body and then cuts the connection. It adds `x-strangler-route: spoofed` and
 * `x-request-id: upstream-id` to its answers (the proxy must replace them), and, with `_connection=1`,
 * `Connection: x-upstream-secret` plus that header (the proxy must strip it).
 */
export async function startEchoUpstream(name: string): Promise<EchoUpstream> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(entry);
      const query = new URL(req.url ?? "/", "http://x").searchParams;
      const only = query.get("_only");
      if (only && only !== name) for (const key of ["_status", "_delay", "_hang", "_abort"]) query.delete(key);
      if (query.get("_hang")) return;
      const answer = () => {
        const body = JSON.stringify({ upstream: name, ...entry });
        const headers: Record<string, string> = { "content-type": "application/json", "x-strangler-route": "spoofed", "x-request-id": "upstream-id", "x-upstream": name };
        if (query.get("_connection")) Object.assign(headers, { connection: "x-upstream-secret", "x-upstream-secret": "do-not-leak" });
        if (query.get("_abort")) {
          res.writeHead(200, { ...headers, "content-length": String(body.length * 2) });
          res.write(body);
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        }
        res.writeHead(Number(query.get("_status") ?? 200), headers);
        res.end(req.method === "HEAD" ? undefined : body);
      };
      const delay = Number(query.get("_delay") ?? 0);
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
