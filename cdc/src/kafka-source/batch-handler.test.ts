import type { Batch, EachBatchPayload, KafkaMessage } from "kafkajs";
import pino from "pino";
import type { BatchResult, EventSink, SourcedEvent } from "../sink/event-sink";
import { compileWireDecoder } from "../mapping/debezium-wire-values";
import { createBatchHandler, type HandlerCounts } from "./batch-handler";
import { createSeamPositions } from "./seam-positions";
import { createSinkQueue } from "./sink-queue";

// Unit test with a fake kafkajs batch and a fake sink; the real broker, connector and sink are in
// debezium-transport.e2e.test.ts.
const logger = pino({ level: "silent" });

const change = (lsn: number, id: string, origin?: string, snapshot = "false", extra: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      before: null,
      after: { id, name: `n${lsn}`, ...extra },
      source: {
        ts_ms: 1,
        db: "monolith",
        schema: "public",
        table: "users",
        txId: lsn,
        lsn,
        snapshot,
        ...(origin ? { origin } : {}),
      },
      op: "c",
      ts_ms: 2,
    }),
  );

function fakeBatch(values: Array<Buffer | null>, firstOffset = 10): Batch {
  const messages = values.map(
    (value, i) =>
      ({
        offset: String(firstOffset + i),
        value,
        key: null,
        timestamp: "0",
        attributes: 0,
        headers: {},
      }) as unknown as KafkaMessage,
  );
  return {
    topic: "strangler.monolith.public.users",
    partition: 0,
    highWatermark: String(firstOffset + values.length),
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset: () => messages[messages.length - 1]?.offset ?? "-1",
    offsetLag: () => "0",
    offsetLagLow: () => "0",
  };
}

interface Log {
  steps: string[];
  applied: SourcedEvent[][];
}

function fakeSink(log: Log, failures = 0): EventSink {
  let left = failures;
  return {
    async applyBatch(batch) {
      if (left > 0) {
        left -= 1;
        log.steps.push("sink failed");
        throw Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
      }
      log.applied.push([...batch]);
      log.steps.push(`sink committed ${batch.length}`);
      return {
        applied: batch.length,
        skipped: 0,
        deadLettered: 0,
        conflicts: 0,
        highestLsn: null,
      } satisfies BatchResult;
    },
    close: async () => undefined,
  };
}

function payload(
  batch: Batch,
  log: Log,
  options: { stale?: () => boolean; heartbeat?: () => Promise<void> } = {},
): EachBatchPayload {
  return {
    batch,
    resolveOffset: (offset) => log.steps.push(`resolve ${offset}`),
    heartbeat: options.heartbeat ?? (async () => undefined),
    pause: () => () => undefined,
    commitOffsetsIfNecessary: async (offsets) => {
      const partition = offsets?.topics[0]?.partitions[0] as { offset: string; metadata?: string } | undefined;
      log.steps.push(`commit ${partition?.offset}${partition?.metadata ? ` ${partition.metadata}` : ""}`);
    },
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => true,
    isStale: options.stale ?? (() => false),
  };
}

function setup(failures = 0, chunkSize = 2) {
  const log: Log = { steps: [], applied: [] };
  const counts: HandlerCounts = { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 };
  const queue = createSinkQueue(
    fakeSink(log, failures),
    logger,
    { batchSize: 500, highWater: 1000, lowWater: 100, retry: { initialMs: 5, maxMs: 5 } },
    () => undefined,
  );
  const committed: string[] = [];
  const handler = createBatchHandler({
    queue,
    logger,
    chunkSize,
    reader: { echoOrigins: new Set(["strangler_sink_users_service_to_monolith"]) },
    seam: createSeamPositions(),
    counts,
    onCommitted: (_topic, _partition, offset) => committed.push(offset),
  });
  return { log, counts, queue, committed, handler };
}

describe("the Debezium batch handler", () => {
  it("commits each chunk's next offset only after the sink committed it", async () => {
    const { log, handler, committed } = setup();
    await handler(payload(fakeBatch([change(1, "a"), change(2, "b"), change(3, "c")]), log));
    // The second chunk may be applied while the first one's offset is committed, never committed before it is applied.
    expect(log.steps.filter((step) => step.startsWith("commit"))).toEqual(["commit 12", "commit 13"]);
    expect(log.steps.indexOf("sink committed 2")).toBeLessThan(log.steps.indexOf("resolve 11"));
    expect(log.steps.indexOf("sink committed 1")).toBeLessThan(log.steps.indexOf("resolve 12"));
    expect(committed).toEqual(["12", "13"]);
  });

  it("retries a failed sink batch and commits nothing before it succeeds", async () => {
    const { log, handler } = setup(2, 10);
    await handler(payload(fakeBatch([change(1, "a"), change(2, "b")]), log));
    expect(log.steps).toEqual(["sink failed", "sink failed", "sink committed 2", "resolve 11", "commit 12"]);
  });

  it("skips tombstones and echoes of the other direction's sink, and still acknowledges them", async () => {
    const { log, handler, counts } = setup(0, 10);
    await handler(
      payload(fakeBatch([change(1, "a"), null, change(2, "a", "strangler_sink_users_service_to_monolith")]), log),
    );
    expect(log.applied.map((b) => b.map((e) => e.event?.after?.name))).toEqual([["n1"]]);
    expect(counts).toEqual({ tombstones: 1, echoes: 1, invalid: 0, uncommitted: 0 });
    expect(log.steps.slice(-2)).toEqual(["resolve 12", "commit 13"]);
  });

  it("hands an unreadable message to the sink as undecodable, with its bytes and where it was read, in the chunk the offset commit waits for", async () => {
    const { log, handler, counts } = setup(0, 10);
    const garbage = Buffer.from([0x7b, 0x6e, 0x6f, 0xff, 0x00, 0x21]);
    await handler(payload(fakeBatch([change(1, "a"), garbage, change(2, "b")]), log));
    expect(log.applied).toHaveLength(1);
    const [first, unreadable, last] = log.applied[0] ?? [];
    expect([first?.event?.after?.name, last?.event?.after?.name]).toEqual(["n1", "n2"]);
    expect(unreadable).toMatchObject({
      event: null,
      undecodable: {
        reason: expect.any(String),
        kafka: { topic: "strangler.monolith.public.users", partition: 0, offset: "11" },
      },
    });
    expect(unreadable?.undecodable?.bytes?.equals(garbage)).toBe(true);
    expect(counts.invalid).toBe(1);
    // Kept by the sink's commit first, acknowledged after.
    expect(log.steps).toEqual(["sink committed 3", "resolve 12", "commit 13"]);
  });

  it("commits no offset past an unreadable message until the sink kept it", async () => {
    const { log, handler } = setup(2, 10);
    await handler(payload(fakeBatch([Buffer.from("nope")]), log));
    expect(log.steps).toEqual(["sink failed", "sink failed", "sink committed 1", "resolve 10", "commit 11"]);
  });

  it("commits nothing for a partition that went stale (revoked or seeked) while the sink worked", async () => {
    const { log, handler } = setup(0, 10);
    // The partition is revoked (or seeked) while the sink applies the chunk.
    await handler(payload(fakeBatch([change(1, "a")]), log, { stale: () => log.steps.length > 0 }));
    expect(log.steps).toEqual(["sink committed 1"]);
  });

  it("acknowledges nothing of what the queue had not committed when it stops", async () => {
    const log: Log = { steps: [], applied: [] };
    const never: EventSink = {
      applyBatch: () => Promise.reject(Object.assign(new Error("down"), { code: "08006" })),
      close: async () => undefined,
    };
    const queue = createSinkQueue(
      never,
      logger,
      { batchSize: 500, highWater: 1000, lowWater: 100, retry: { initialMs: 5, maxMs: 5 } },
      () => undefined,
    );
    const handler = createBatchHandler({
      queue,
      logger,
      chunkSize: 10,
      reader: {},
      seam: createSeamPositions(),
      counts: { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 },
      onCommitted: () => undefined,
    });
    const running = handler(payload(fakeBatch([change(1, "a")]), log));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await queue.stop();
    await running;
    expect(log.steps).toEqual([]);
  });
});

describe("the Debezium batch handler's failure paths", () => {
  it("counts a message whose values cannot be converted as invalid and goes on with the stream", async () => {
    const log: Log = { steps: [], applied: [] };
    const counts: HandlerCounts = { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 };
    const throwing = Object.assign(
      (image: Record<string, unknown>) => {
        if (image.name === "n2") throw new RangeError("Invalid time value");
        return image;
      },
      { columns: new Set(["id", "name"]) },
    );
    const queue = createSinkQueue(
      fakeSink(log),
      logger,
      { batchSize: 500, highWater: 1000, lowWater: 100 },
      () => undefined,
    );
    const converting = createBatchHandler({
      queue,
      logger,
      chunkSize: 10,
      reader: { decoders: new Map([["users", throwing]]) },
      seam: createSeamPositions(),
      counts,
      onCommitted: () => undefined,
    });
    await converting(payload(fakeBatch([change(1, "a"), change(2, "b"), change(3, "c")]), log));
    expect(log.applied.map((b) => b.map((e) => e.event?.after?.id ?? e.undecodable?.reason))).toEqual([
      ["a", "value conversion failed: Invalid time value", "c"],
    ]);
    expect(counts.invalid).toBe(1);
    expect(log.steps.slice(-1)).toEqual(["commit 13"]);
  });

  it("reloads the column types once when an event carries a column the decoder does not know, then converts it", async () => {
    const log: Log = { steps: [], applied: [] };
    const queue = createSinkQueue(
      fakeSink(log),
      logger,
      { batchSize: 500, highWater: 1000, lowWater: 100 },
      () => undefined,
    );
    const decoders = new Map([
      [
        "users",
        compileWireDecoder([
          { column: "id", udtName: "text", datetimePrecision: null, numericScale: null },
          { column: "name", udtName: "text", datetimePrecision: null, numericScale: null },
        ]),
      ],
    ]);
    const reloads: string[][] = [];
    const handler = createBatchHandler({
      queue,
      logger,
      chunkSize: 10,
      reader: { decoders },
      seam: createSeamPositions(),
      counts: { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 },
      onCommitted: () => undefined,
      async reloadColumnTypes(table, columns) {
        reloads.push([table, ...columns]);
        decoders.set(
          "users",
          compileWireDecoder([
            ...["id", "name"].map((column) => ({
              column,
              udtName: "text",
              datetimePrecision: null,
              numericScale: null,
            })),
            { column: "seen_on", udtName: "date", datetimePrecision: null, numericScale: null },
          ]),
        );
      },
    });
    await handler(
      payload(
        fakeBatch([
          change(1, "a", undefined, "false", { seen_on: 1 }),
          change(2, "b", undefined, "false", { seen_on: 2 }),
        ]),
        log,
      ),
    );
    expect(reloads).toEqual([["users", "seen_on"]]);
    expect(log.applied.flat().map((e) => e.event?.after?.seen_on)).toEqual(["1970-01-02", "1970-01-03"]);
  });

  it("commits the snapshot seam with each offset and restores it once per generation before a partition's first batch", async () => {
    const log: Log = { steps: [], applied: [] };
    const queue = createSinkQueue(
      fakeSink(log),
      logger,
      { batchSize: 500, highWater: 1000, lowWater: 100 },
      () => undefined,
    );
    const loads: string[] = [];
    let generation = 1;
    const context = {
      queue,
      logger,
      chunkSize: 1,
      reader: {},
      counts: { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 },
      onCommitted: () => undefined,
      generation: () => generation,
    };
    const first = createBatchHandler({
      ...context,
      seam: createSeamPositions(),
      loadSeam: async () => (loads.push("first"), null),
    });
    await first(payload(fakeBatch([change(1000, "a", undefined, "last"), change(990, "b")]), log));
    expect(log.steps.filter((step) => step.startsWith("commit"))).toEqual([
      "commit 11 seam:v1:1000:0",
      "commit 12 seam:v1:1000:1",
    ]);
    const liftedBefore = log.applied.flat()[1]?.event?.source.lsn;

    // A restart: a new handler (consumer) reads the seam committed with offset 11 and replays from there.
    const second = createBatchHandler({
      ...context,
      seam: createSeamPositions(),
      loadSeam: async () => (loads.push("second"), "seam:v1:1000:0"),
    });
    await second(payload(fakeBatch([change(990, "b")], 11), log));
    await second(payload(fakeBatch([change(1001, "c")], 12), log));
    expect(log.applied.flat()[2]?.event?.source.lsn).toBe(liftedBefore);
    expect(liftedBefore).toBeGreaterThan(999);
    // Once per partition and generation: a group join reads it again.
    generation = 2;
    await second(payload(fakeBatch([change(1002, "d")], 13), log));
    expect(loads).toEqual(["first", "second", "second"]);
  });

  it("throws a rebalance a heartbeat reported once the sink committed, without committing the offset, so kafkajs rejoins", async () => {
    const log: Log = { steps: [], applied: [] };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: EventSink = {
      async applyBatch(batch) {
        await gate;
        log.steps.push("sink committed");
        return { applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null };
      },
      close: async () => undefined,
    };
    const queue = createSinkQueue(slow, logger, { batchSize: 500, highWater: 1000, lowWater: 100 }, () => undefined);
    const counts: HandlerCounts = { tombstones: 0, echoes: 0, invalid: 0, uncommitted: 0 };
    const handler = createBatchHandler({
      queue,
      logger,
      chunkSize: 10,
      reader: {},
      seam: createSeamPositions(),
      counts,
      onCommitted: () => undefined,
      heartbeatMs: 5,
    });
    const rebalancing = Object.assign(new Error("The group is rebalancing, so a rejoin is needed"), {
      type: "REBALANCE_IN_PROGRESS",
    });
    const running = handler(
      payload(fakeBatch([change(1, "a")]), log, { heartbeat: () => Promise.reject(rebalancing) }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    await expect(running).rejects.toBe(rebalancing);
    expect(log.steps).toEqual(["sink committed"]);
    expect(counts.uncommitted).toBe(1);
  });
});

describe("the sink queue", () => {
  it("reports each failed sink transaction's error, then null once one commits, so /status can say why it is behind", async () => {
    const log: Log = { steps: [], applied: [] };
    const reported: Array<string | null> = [];
    const queue = createSinkQueue(
      fakeSink(log, 2),
      logger,
      {
        batchSize: 10,
        highWater: 100,
        lowWater: 10,
        retry: { initialMs: 1, maxMs: 1 },
        onSinkError: (error) => reported.push(error === null ? null : (error as Error).message),
      },
      () => undefined,
    );
    await queue.enqueue([{ event: null, raw: 1 }]);
    expect(reported).toEqual(["Connection terminated unexpectedly", "Connection terminated unexpectedly", null]);
  });

  it("merges chunks of several partitions into one sink transaction and signals backpressure above the high-water mark", async () => {
    const log: Log = { steps: [], applied: [] };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: EventSink = {
      async applyBatch(batch) {
        await gate;
        log.applied.push([...batch]);
        return { applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null };
      },
      close: async () => undefined,
    };
    const signals: boolean[] = [];
    const queue = createSinkQueue(
      slow,
      logger,
      { batchSize: 10, highWater: 3, lowWater: 1, onBackpressure: (behind) => signals.push(behind) },
      () => undefined,
    );
    const event = (lsn: number): SourcedEvent => ({ event: null, raw: lsn });
    const done = [queue.enqueue([event(1), event(2)]), queue.enqueue([event(3), event(4)]), queue.enqueue([event(5)])];
    expect(signals).toEqual([true]);
    release();
    await Promise.all(done);
    expect(log.applied.map((b) => b.length)).toEqual([2, 3]);
    expect(signals).toEqual([true, false]);
  });
});
