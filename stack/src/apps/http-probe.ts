import http from "node:http";
import { HTTP_PROBE_TIMEOUT } from "../defaults";

/** Base URL of an app; a wildcard listen address is probed on loopback. */
export function httpBaseUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

/** Status code of GET url, or null when nothing answered in time. No keep-alive: the CLI must exit promptly. */
export function httpStatus(url: string, timeoutMs: number = HTTP_PROBE_TIMEOUT): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode ?? null);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(null));
  });
}
