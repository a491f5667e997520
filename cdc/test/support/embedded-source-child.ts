/**
 * A CDC process for fault tests: runs the embedded source into a sink that appends each committed
 * batch to a JSON-lines file (fsynced before applyBatch resolves, like a database commit).
 * Usage: tsx embedded-source-child.ts <sourceUrl> <slotName> <publicationName> <outFile>
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import pino from "pino";
import { createEmbeddedSource } from "../../src/embedded-source/embedded-source";
import { runUntilSignal } from "../../src/embedded-source/run-until-signal";
import type { EventSink } from "../../src/sink/event-sink";

const [sourceUrl, slotName, publicationName, outFile] = process.argv.slice(2);
if (!sourceUrl || !slotName || !publicationName || !outFile)
  throw new Error("usage: embedded-source-child <sourceUrl> <slotName> <publicationName> <outFile>");

const fd = openSync(outFile, "a");
const sink: EventSink = {
  async applyBatch(batch) {
    writeSync(fd, batch.map(({ event }) => `${JSON.stringify(event)}\n`).join(""));
    fsyncSync(fd);
    return { applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null };
  },
  async close() {
    closeSync(fd);
  },
};
const logger = pino({ level: "warn" }, pino.destination(2));
const source = createEmbeddedSource(
  { sourceUrl, tables: ["users"], slotName, publicationName, batchSize: 25, heartbeatMs: 500 },
  { sink, logger },
);

runUntilSignal(source, { logger })
  .then(() => sink.close())
  .then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "embedded source child failed");
      process.exit(1);
    },
  );
