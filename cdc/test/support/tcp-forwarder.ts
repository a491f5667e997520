import net from "node:net";

/**
 * A TCP forwarder on 127.0.0.1:`port` to the real PostgreSQL at `target`: a test can make the
 * database unreachable (stop: refuse new connections and cut the open ones) and reachable again
 * (start), without touching the server the other tests share.
 */
export interface TcpForwarder {
  start(): Promise<void>;
  /** Stops listening and destroys every forwarded connection. */
  stop(): Promise<void>;
}

export function createTcpForwarder(port: number, target: { host: string; port: number }): TcpForwarder {
  let server: net.Server | null = null;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  return {
    start() {
      return new Promise((resolve, reject) => {
        const current = net.createServer((client) => {
          const upstream = net.connect(target.port, target.host);
          track(client);
          track(upstream);
          client.on("error", () => upstream.destroy());
          upstream.on("error", () => client.destroy());
          client.once("close", () => upstream.destroy());
          upstream.once("close", () => client.destroy());
          client.pipe(upstream);
          upstream.pipe(client);
        });
        current.once("error", reject);
        current.listen(port, "127.0.0.1", () => {
          current.off("error", reject);
          server = current;
          resolve();
        });
      });
    },
    async stop() {
      const current = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
}
