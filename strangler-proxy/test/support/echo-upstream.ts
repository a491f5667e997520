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
 * `Connection: x-upstream-secret` plus that header (the proxy must strip it). `_size=N` answers N
 * bytes (`0123456789` repeated) instead, streamed in 64 KiB writes that wait for the socket to drain.
 */
/** `size` bytes of "0123456789…", written 64 KiB at a time as fast as the connection takes them. */
function streamBytes(res: http.ServerResponse, size: number): void {
  const chunk = Buffer.from("0123456789".repeat(6554).slice(0, 65_536));
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
  let sent = 0;
  const write = () => {
    while (sent < size) {
      const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
      sent += part.length;
      if (!res.write(part)) return void res.once("drain", write);
    }
    res.end();
  };
  write();
}

export async function startEchoUpstream(name: string): Promise<EchoUpstream> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry: ReceivedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        rawHeaders: req.rawHeaders,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      const query = new URL(req.url ?? "/", "http://x").searchParams;
      const only = query.get("_only");
      if (only && only !== name) for (const key of ["_status", "_delay", "_hang", "_abort"]) query.delete(key);
      if (query.get("_hang")) return;
      const answer = () => {
        const body = JSON.stringify({ upstream: name, ...entry });
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "x-strangler-route": "spoofed",
          "x-request-id": "upstream-id",
          "x-upstream": name,
        };
        if (query.get("_connection"))
          Object.assign(headers, { connection: "x-upstream-secret", "x-upstream-secret": "do-not-leak" });
        if (query.get("_abort")) {
          res.writeHead(200, { ...headers, "content-length": String(body.length * 2) });
          res.write(body);
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        }
        res.writeHead(Number(query.get("_status") ?? 200), headers);
        res.end(req.method === "HEAD" ? undefined : body);
      };
      const size = Number(query.get("_size") ?? 0);
      if (size > 0) return void streamBytes(res, size);
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
