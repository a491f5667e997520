import type { EmbeddedSource } from "./embedded-source";
import type { EmbeddedSourceLogger } from "./embedded-source-logger";

/** Where shutdown signals come from: `process` in a real run, an EventEmitter in a test. */
export interface SignalEmitter {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];

/**
 * Starts the source and, on SIGTERM or SIGINT, stops it cleanly: the in-flight batch reaches the
 * sink, its position is acknowledged, the replication connection closes and the slot stays for the
 * next start. Resolves with the signal; the caller closes the sink and exits.
 */
export async function runUntilSignal(
  source: EmbeddedSource,
  deps: { logger: EmbeddedSourceLogger; signals?: SignalEmitter },
): Promise<NodeJS.Signals> {
  const signals = deps.signals ?? process;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  // Listen before start(): a SIGTERM during the snapshot must also end in a clean stop.
  const listeners = SHUTDOWN_SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, listener] of listeners) signals.once(signal, listener);
  try {
    await Promise.race([source.start(), received]);
    const signal = await received;
    deps.logger.info({ signal }, "embedded source: shutting down");
    await source.stop();
    return signal;
  } finally {
    for (const [signal, listener] of listeners) signals.removeListener(signal, listener);
  }
}
