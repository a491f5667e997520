import { parseLsn } from "@strangler/cdc";
import type { CdcStatusDocument } from "@strangler/ops-contract";

/**
 * How a wait for a CDC stream ended: it applied past the position (`passed`), it did not but
 * nothing is queued for it (`idle`: a Debezium source without changes does not move its position),
 * it is still behind at the deadline (`behind`), or its position is not known (`unavailable`: no CDC
 * process answered, or it runs no stream in that direction).
 */
export type CdcWait = "passed" | "idle" | "behind" | "unavailable";

/** Reads the CDC process's status (GET /status, the operations contract's document). */
export type ReadCdcStatus = () => Promise<CdcStatusDocument>;

export interface CdcPositions {
  /** Whether the stream `direction` reports a position at all (a first read of the status). */
  available(direction: string): Promise<boolean>;
  /** Waits until the stream `direction` has applied past `lsn` (a source WAL position), at most timeoutMs. */
  waitPast(direction: string, lsn: string, timeoutMs: number): Promise<CdcWait>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Positions from the CDC process's status document, polled every pollMs; `read` null: no CDC process. */
export function createCdcPositions(read: ReadCdcStatus | null, pollMs: number): CdcPositions {
  const streamOf = async (direction: string) => {
    if (!read) return undefined;
    try {
      return (await read()).streams.find((stream) => stream.direction === direction) ?? null;
    } catch {
      return undefined;
    }
  };
  return {
    async available(direction) {
      return Boolean(await streamOf(direction));
    },
    async waitPast(direction, lsn, timeoutMs) {
      const wanted = parseLsn(lsn);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stream = await streamOf(direction);
        if (!stream) return "unavailable";
        if (stream.confirmedLsn !== null && parseLsn(stream.confirmedLsn) >= wanted) return "passed";
        if (Date.now() >= deadline) {
          // Debezium: with every message committed and the stream running, nothing is on its way.
          const drained =
            stream.transport === "debezium" &&
            stream.phase === "streaming" &&
            stream.position.length > 0 &&
            stream.position.every((p) => p.lag === 0);
          return drained ? "idle" : "behind";
        }
        await sleep(pollMs);
      }
    },
  };
}
