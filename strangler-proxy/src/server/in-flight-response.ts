import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * The response in progress on a client connection, if any. Node's HTTP server keeps it as
 * `socket._httpMessage`, and reads it there itself (its default clientError answer and
 * closeIdleConnections do); there is no public accessor.
 */
export function inFlightResponse(socket: Socket): ServerResponse | undefined {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}
