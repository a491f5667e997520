import http from "node:http";
import net from "node:net";

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses of many shapes
}

export interface SimpleRequest {
  method?: string;
  /** Sent exactly as given (no URL normalisation, unlike fetch). */
  path: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string;
  timeoutMs?: number;
}

/** One HTTP request on a fresh connection, the path sent verbatim. */
export function httpRequest(baseUrl: string, request: SimpleRequest): Promise<SimpleResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: request.method ?? "GET",
        path: request.path,
        headers: request.headers,
        agent: false,
        timeout: request.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`request timed out: ${request.method ?? "GET"} ${request.path}`)));
    req.on("error", reject);
    req.end(request.body);
  });
}

/** Writes raw bytes to a server and returns everything it answers until it closes (or timeoutMs). */
export function sendRaw(baseUrl: string, raw: string | Buffer, timeoutMs = 2_000): Promise<string> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), base.hostname, () => socket.write(raw));
    let out = "";
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (data: Buffer) => (out += data.toString("latin1")));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      if (out) resolve(out);
      else reject(error);
    });
  });
}
