import http from "node:http";

/** What a load saw: every request ends as a 2xx, another status, or an error (refused, reset, cut short). */
export interface LoadTally {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Error codes (ECONNREFUSED, ECONNRESET, …) and non-2xx statuses, with counts. */
  failures: Record<string, number>;
}

export interface ReadLoad {
  tally(): LoadTally;
  /** Stops sending, waits for the requests in flight, and returns the tally. */
  stop(): Promise<LoadTally>;
}

/**
 * A closed-loop read load on keep-alive connections, as a browser or a service client would put
 * on the proxy: each connection sends its next GET as soon as the previous answer is complete. It
 * stops by itself after maxMs.
 */
export function startReadLoad(
  baseUrl: string,
  options: {
    connections: number;
    maxMs: number;
    path: (n: number) => string;
    headers?: (n: number) => http.OutgoingHttpHeaders;
  },
): ReadLoad {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const tally: LoadTally = { requests: 0, ok: 0, non2xx: 0, errors: 0, failures: {} };
  const fail = (key: string) => (tally.failures[key] = (tally.failures[key] ?? 0) + 1);
  let stopped = false;
  const limit = setTimeout(() => (stopped = true), options.maxMs);
  let n = 0;

  const loop = (connection: number) =>
    new Promise<void>((resolve) => {
      const next = () => {
        if (stopped) return resolve();
        const i = n++;
        tally.requests += 1;
        let settled = false;
        const settle = (outcome: "ok" | "non2xx" | "errors", key?: string) => {
          if (settled) return;
          settled = true;
          tally[outcome] += 1;
          if (key) fail(key);
          setImmediate(next);
        };
        const req = http.get(
          `${baseUrl}${options.path(i)}`,
          {
            agent,
            headers: { "x-user-id": `load-user-${connection}-${i % 50}`, ...options.headers?.(i) },
            timeout: 10_000,
          },
          (res) => {
            const status = res.statusCode ?? 0;
            res.resume();
            res.on("end", () => (status >= 200 && status < 300 ? settle("ok") : settle("non2xx", `HTTP ${status}`)));
            res.on("error", (error: NodeJS.ErrnoException) => settle("errors", error.code ?? error.message));
            res.on("close", () => settle("errors", "response cut short"));
          },
        );
        req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "TIMEOUT" })));
        req.on("error", (error: NodeJS.ErrnoException) => settle("errors", error.code ?? error.message));
      };
      next();
    });

  const loops = Array.from({ length: options.connections }, (_, i) => loop(i));
  return {
    tally: () => ({ ...tally, failures: { ...tally.failures } }),
    async stop() {
      stopped = true;
      clearTimeout(limit);
      await Promise.all(loops);
      agent.destroy();
      return { ...tally, failures: { ...tally.failures } };
    },
  };
}
