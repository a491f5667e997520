import http from "node:http";

export interface BackendCount {
  /** Responses per x-strangler-backend value. */
  byBackend: Record<string, number>;
  /** Responses per status. */
  byStatus: Record<number, number>;
}

/**
 * Sends one GET per entry of `headersList` through the proxy (keep-alive, `concurrency` at a time)
 * and counts which backend answered each, by the x-strangler-backend response header.
 */
export async function countBackends(
  proxyUrl: string,
  path: string,
  headersList: ReadonlyArray<http.OutgoingHttpHeaders>,
  concurrency = 16,
): Promise<BackendCount> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const count: BackendCount = { byBackend: {}, byStatus: {} };
  let next = 0;
  const one = (headers: http.OutgoingHttpHeaders) =>
    new Promise<void>((resolve, reject) => {
      const req = http.get(`${proxyUrl}${path}`, { agent, headers, timeout: 10_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          const backend = String(res.headers["x-strangler-backend"]);
          count.byBackend[backend] = (count.byBackend[backend] ?? 0) + 1;
          count.byStatus[res.statusCode ?? 0] = (count.byStatus[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("request timed out")));
      req.on("error", reject);
    });
  const worker = async () => {
    while (next < headersList.length) await one(headersList[next++] as http.OutgoingHttpHeaders);
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return count;
}
