import http from "node:http";
import https from "node:https";
import type { ComparedResponse } from "@strangler/response-compare";

/** One request as sent to one side. */
export interface SideRequest {
  method: string;
  /** The side's base URL joined with the path. */
  url: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** What became of a request to one side. */
export type SideOutcome =
  | { kind: "answered"; response: ComparedResponse; latencyMs: number }
  | { kind: "failed"; reason: string; latencyMs: number };

/** Bounds and connection pools of a run's requests. */
export interface SideRequestOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  agents: { http: http.Agent; https: https.Agent };
}

/** `base` (which may carry a path prefix) joined with a path that starts with /. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

function headersOf(message: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

/**
 * Sends one request on node:http (every header as given, the body as bytes; the answer's body kept
 * encoded: the comparator undoes content-encoding itself). Never throws: a connection error, a
 * timeout (from the start to the end of the answer) or an aborted answer is a `failed` outcome.
 */
export function sendSideRequest(request: SideRequest, options: SideRequestOptions): Promise<SideOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ kind: "failed", reason: `not a URL: ${request.url}`, latencyMs: 0 });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SideOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const secure = url.protocol === "https:";
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = String(request.body.length);
    let req: http.ClientRequest;
    try {
      req = (secure ? https : http).request(url, {
        method: request.method,
        headers,
        agent: secure ? options.agents.https : options.agents.http,
      });
    } catch (error) {
      // node:http refuses some requests outright (a header value it cannot send).
      settled = true;
      resolve({ kind: "failed", reason: (error as Error).message, latencyMs: elapsed() });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      finish({ kind: "failed", reason: `no complete answer within ${options.timeoutMs} ms`, latencyMs: elapsed() });
    }, options.timeoutMs);
    req.on("error", (error) =>
      finish({ kind: "failed", reason: error.message || String(error), latencyMs: elapsed() }),
    );
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        if (size >= options.maxResponseBytes) return;
        const room = options.maxResponseBytes - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(chunk.length, room);
      });
      res.on("error", (error) => finish({ kind: "failed", reason: error.message, latencyMs: elapsed() }));
      res.on("aborted", () => finish({ kind: "failed", reason: "the answer was cut off", latencyMs: elapsed() }));
      res.on("end", () =>
        finish({
          kind: "answered",
          response: { status: res.statusCode ?? 0, headers: headersOf(res), body: Buffer.concat(chunks) },
          latencyMs: elapsed(),
        }),
      );
    });
    req.end(request.body);
  });
}
