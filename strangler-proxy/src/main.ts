import { startProxyProcess } from "./proxy-process";

/**
 * `node --import tsx strangler-proxy/src/main.ts`: the supervisor and its workers (ADR 0010).
 * SIGTERM/SIGINT drain and stop; SIGHUP restarts the workers one at a time.
 */
startProxyProcess().catch((error: unknown) => {
  // Bad settings or config, or a port in use: the reason goes to stderr as plain text.
  process.stderr.write(`strangler-proxy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
