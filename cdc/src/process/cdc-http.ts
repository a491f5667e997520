import http from "node:http";
import type { AddressInfo } from "node:net";
import type { CdcPlanApplied, CdcStatusDocument } from "@strangler/ops-contract";
import type { Registry } from "prom-client";
import type { CdcStream } from "../stream/cdc-stream";

export interface CdcHttpServer {
  listen(port: number, host: string): Promise<void>;
  /** Where it listens once listen() resolved (port 0 picks a free one). */
  address(): AddressInfo | string | null;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

/**
 * The CDC process's HTTP endpoints: /healthz (the process runs), /readyz (every stream streams),
 * /metrics (the sinks' registry, Prometheus text) and /status (the operations contract's CDC status:
 * per stream its position, lag and counters, plus the process's warnings, e.g. a retired stream's
 * slot that still holds WAL, and the directions in force per service). `streams` may be a function:
 * the streams running now (a reverse stream the plan turned on or off).
 */
export function createCdcHttpServer(
  streamsNow: readonly CdcStream[] | (() => readonly CdcStream[]),
  registry: Registry,
  warnings: () => readonly string[] = () => [],
  plan?: () => readonly CdcPlanApplied[],
): CdcHttpServer {
  const server = http.createServer((req, res) => {
    const streams = typeof streamsNow === "function" ? streamsNow() : streamsNow;
    const url = new URL(req.url ?? "/", "http://cdc");
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "method not allowed\n");
    switch (url.pathname) {
      case "/healthz":
        return send(res, 200, "application/json", `${JSON.stringify({ status: "ok" })}\n`);
      case "/readyz": {
        const waiting = streams
          .filter((stream) => stream.status().phase !== "streaming")
          .map((stream) => stream.direction);
        const ready = waiting.length === 0;
        return send(
          res,
          ready ? 200 : 503,
          "application/json",
          `${JSON.stringify(ready ? { status: "ready" } : { status: "not ready", waiting })}\n`,
        );
      }
      case "/status": {
        // The operations contract's document (libs/ops-contract), which `strangler cdc status` parses.
        const status: CdcStatusDocument = {
          streams: streams.map((stream) => stream.status()),
          warnings: [...warnings()],
          ...(plan ? { plan: [...plan()] } : {}),
        };
        return send(res, 200, "application/json", `${JSON.stringify(status)}\n`);
      }
      case "/metrics":
        registry
          .metrics()
          .then((text) => send(res, 200, registry.contentType, text))
          .catch((error: unknown) =>
            send(res, 500, "text/plain", `${error instanceof Error ? error.message : String(error)}\n`),
          );
        return;
      default:
        return send(res, 404, "text/plain", "not found\n");
    }
  });
  return {
    address: () => server.address(),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
