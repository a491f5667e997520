import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { STATUS_CODES } from "node:http";
import { errorBody, ProxyError } from "./proxy-error";

/**
 * The one place the proxy turns an error into an HTTP response. `close` asks the client to drop the
 * connection: used when the request's framing is in doubt, so nothing left on the socket is read as
 * another request.
 */
export function sendError(
  res: ServerResponse,
  error: ProxyError,
  requestId: string,
  extraHeaders: Record<string, string> = {},
  close = false,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(
    errorBody(new ProxyError(error.code, error.message, { ...error.details, requestId }, error.retriable)),
  );
  res.writeHead(error.status, {
    ...extraHeaders,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-request-id": requestId,
    ...(close ? { connection: "close" } : {}),
  });
  res.end(body);
}

/** Answers a request Node's HTTP parser rejected (bad framing, CRLF in a header, headers too large) and closes the socket. */
export function sendClientError(socket: Socket, error: ProxyError, requestId: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(new ProxyError(error.code, error.message, { ...error.details, requestId })));
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? "Error"}\r\n` +
      "content-type: application/json; charset=utf-8\r\n" +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      "connection: close\r\n\r\n" +
      body,
  );
}
