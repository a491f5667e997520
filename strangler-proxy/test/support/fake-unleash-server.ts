import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeFeature {
  name: string;
  enabled: boolean;
  /** flexibleRollout percentage; omitted = the default strategy (on for everyone). */
  rollout?: number;
}

/** A stand-in for the Unleash client API (/api/client/features, register, metrics), for fast flag-source tests. */
export interface FakeUnleashServer {
  url: string;
  token: string;
  setFeatures(features: FakeFeature[]): void;
  featureRequests(): number;
  close(): Promise<void>;
}

export async function startFakeUnleashServer(token = "default:development.fake-token"): Promise<FakeUnleashServer> {
  let features: FakeFeature[] = [];
  let fetches = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.headers.authorization !== token) {
      res.writeHead(401).end();
      return;
    }
    if (req.method === "GET" && req.url?.startsWith("/api/client/features")) {
      fetches += 1;
      const body = {
        version: 2,
        features: features.map((f) => ({
          name: f.name,
          enabled: f.enabled,
          project: "default",
          strategies:
            f.rollout === undefined
              ? [{ name: "default", parameters: {} }]
              : [
                  {
                    name: "flexibleRollout",
                    parameters: { rollout: String(f.rollout), stickiness: "default", groupId: f.name },
                  },
                ],
        })),
      };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    res.writeHead(202).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    setFeatures: (next) => (features = next),
    featureRequests: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes; returns how long it took. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}
