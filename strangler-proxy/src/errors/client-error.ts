import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import type { RateLimitedLog } from "../logging/rate-limited-log";
import { inFlightResponse } from "../server/in-flight-response";
import { ProxyError } from "./proxy-error";
import { sendClientError } from "./send-error";

/** What Node's HTTP server reports on its `clientError` event: a parser error or its request timers. */
export type ClientError = NodeJS.ErrnoException & { reason?: string };

/** The limits a client error message names. */
export interface ClientLimits {
  maxHeaderBytes: number;
  clientHeadersMs: number;
  clientRequestMs: number;
}

/**
 * The proxy's answer to a request Node's server refused before it reached the proxy: headers too
 * large (431), headers or the whole request not received in time (408), bad framing or bytes (400).
 * `headersReceived`: the request's headers had arrived (so its body was late, not its headers).
 */
export function clientErrorOf(error: ClientError, limits: ClientLimits, headersReceived: boolean): ProxyError {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return new ProxyError(
        "STRANGLER_HEADERS_TOO_LARGE",
        `request headers are larger than ${limits.maxHeaderBytes} bytes`,
      );
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return headersReceived
        ? new ProxyError(
            "STRANGLER_REQUEST_TIMEOUT",
            `the whole request was not received within ${limits.clientRequestMs} ms`,
            { timeoutMs: limits.clientRequestMs },
          )
        : new ProxyError(
            "STRANGLER_REQUEST_TIMEOUT",
            `the request headers were not received within ${limits.clientHeadersMs} ms`,
            { timeoutMs: limits.clientHeadersMs },
          );
    default:
      return new ProxyError("STRANGLER_BAD_REQUEST", `malformed HTTP request: ${error.reason ?? error.message}`, {
        parserCode: error.code,
      });
  }
}

/** The proxy server's `clientError` listener: answers with the error JSON and closes the connection. */
export function createClientErrorListener(
  limits: ClientLimits,
  limited: RateLimitedLog,
): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // No second response may be written into one that has started (as Node's own default answer checks).
    const response = inFlightResponse(socket);
    if (error.code === "ECONNRESET" || !socket.writable || response?.headersSent) return void socket.destroy();
    const requestId = randomUUID();
    const proxyError = clientErrorOf(error, limits, response !== undefined);
    limited(
      "warn",
      `client-error:${error.code}`,
      { requestId, code: error.code, peer: socket.remoteAddress },
      proxyError.status === 408 ? "slow request cut" : "malformed request rejected",
    );
    sendClientError(socket, proxyError, requestId);
  };
}
