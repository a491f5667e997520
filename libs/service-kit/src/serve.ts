import type { Server } from "node:http";
import type { Express } from "express";
import type { Logger } from "pino";

/** How long in-flight requests get to finish after SIGTERM before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 5000;

export interface ServeOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Releases what the app holds (database pools) once the server stopped accepting requests. */
  onShutdown: () => Promise<void>;
}

/** Listens, and shuts down cleanly on SIGTERM/SIGINT: stop accepting, drain, release, exit. */
export function serve(app: Express, options: ServeOptions): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host);
    server.once("error", reject);
    server.once("listening", () => {
      options.logger.info({ host: options.host, port: options.port }, "listening");
      resolve(server);
    });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      options.logger.info({ signal }, "shutting down");
      const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        options
          .onShutdown()
          .catch((error: unknown) => options.logger.error({ err: error }, "shutdown failed"))
          .finally(() => process.exit(0));
      });
      server.closeIdleConnections();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
