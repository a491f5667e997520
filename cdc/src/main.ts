import pino from "pino";
import { CDC_SHUTDOWN_GRACE } from "./defaults";
import { startCdcProcess } from "./process/cdc-process";
import { loadCdcSettings } from "./process/cdc-settings";

/**
 * The CDC process: `node --import tsx cdc/src/main.ts` (startCdcProcess does the wiring). One forward
 * stream (legacy → service) per service with `data` in the migration config, plus its reverse stream
 * (service → legacy) as the plan directs (toolkit database), else as `data.reverse` says; the forward
 * stream applies or watches as the plan directs (ADR 0019). /healthz, /readyz, /metrics, /status.
 * SIGTERM/SIGINT: the streams stop cleanly (in-flight batch committed and acknowledged, slots kept).
 */
async function main(): Promise<void> {
  const settings = loadCdcSettings();
  const logger = pino({ name: "strangler-cdc", level: settings.logLevel, base: { app: "strangler-cdc" } });
  let stopping = false;
  let failedAtStart = false;
  let stop: ((signal: string, failure?: boolean) => void) | null = null;
  const cdc = await startCdcProcess(settings, {
    logger,
    onFatal: () => (stop ? stop("start failure", true) : (failedAtStart = true)),
  });
  stop = (signal, failure = false) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: stopping the streams");
    const force = setTimeout(() => process.exit(1), CDC_SHUTDOWN_GRACE);
    force.unref();
    cdc
      .stop()
      .then((failures) => {
        for (const reason of failures) logger.error({ err: reason }, "a stream did not stop cleanly");
        logger.info("stopped");
        logger.flush(() => process.exit(failures.length === 0 && !failure ? 0 : 1));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      });
  };
  process.once("SIGTERM", () => stop?.("SIGTERM"));
  process.once("SIGINT", () => stop?.("SIGINT"));
  if (failedAtStart) stop("start failure", true);
}

main().catch((error: unknown) => {
  // Before the logger exists (bad settings or config) the reason goes to stderr as plain text.
  process.stderr.write(`strangler-cdc: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
