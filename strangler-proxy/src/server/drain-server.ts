import type http from "node:http";
import net from "node:net";
import { inFlightResponse } from "./in-flight-response";

export type RequestListener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface DrainOptions {
  /** In-flight requests get this long to finish; then every connection is cut. */
  graceMs: number;
  /** Keep-alive connections still idle this long after the drain began are closed. */
  idleCloseMs: number;
}

/** A server whose open connections are known, so a drain can reach the responses in flight on them. */
export interface DrainableServer {
  server: http.Server;
  listener: RequestListener;
  connections: ReadonlySet<net.Socket>;
}

/** Keeps the set of a server's open client connections (one add and one delete per connection, nothing per request). */
export function trackConnections(server: http.Server): ReadonlySet<net.Socket> {
  const connections = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  return connections;
}

/**
 * Stops a server gracefully without failing a client: it stops accepting; every response not yet
 * started, and every one to come, says `Connection: close` and closes its connection; keep-alive
 * connections that stay idle are closed after idleCloseMs. Closing an idle connection at once (what
 * Node's server.close() does) races with a client that is sending its next request on it at that
 * moment: that client sees a reset. A client that reuses its connection within idleCloseMs gets an
 * answer instead, with `Connection: close`. Resolves once every connection is closed (at the latest
 * after graceMs, when the rest are cut).
 */
export function drainServer({ server, listener, connections }: DrainableServer, options: DrainOptions): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.removeListener("request", listener);
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.shouldKeepAlive = false;
    listener(req, res);
  });
  for (const socket of connections) {
    const response = inFlightResponse(socket);
    if (response && !response.headersSent) response.shouldKeepAlive = false;
  }
  // A keep-alive response already under way goes idle later: its idle timer is this one.
  server.keepAliveTimeout = Math.min(server.keepAliveTimeout, options.idleCloseMs);
  return new Promise((resolve) => {
    const idle = setTimeout(() => server.closeIdleConnections(), options.idleCloseMs);
    const force = setTimeout(() => server.closeAllConnections(), options.graceMs);
    // net.Server's close stops accepting and waits for the connections, without http.Server's
    // closeIdleConnections(); Node's header and request timers keep running meanwhile.
    net.Server.prototype.close.call(server, () => {
      clearTimeout(idle);
      clearTimeout(force);
      // http.Server's close now only stops its connection-checking timer.
      server.close();
      resolve();
    });
  });
}
