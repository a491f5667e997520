import { EventEmitter } from "node:events";
import type { Admin, Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import pino from "pino";
import type { EventSink } from "../sink/event-sink";
import { KAFKA_QUEUE_HIGH_WATER } from "./defaults";
import { createKafkaSource } from "./kafka-source";

// The source's own reactions to what kafkajs reports (a crash for good, a group join, a failed
// start), with a fake client; consuming from a real broker is in debezium-transport.e2e.test.ts.
const logger = pino({ level: "silent" });
const TOPIC = "strangler.monolith.public.users";

interface FakeConsumer {
  emitter: EventEmitter;
  steps: string[];
  eachBatch?: ConsumerRunConfig["eachBatch"];
}

function fakeKafka(options: { createTopicsFails?: number } = {}) {
  const consumers: FakeConsumer[] = [];
  const admins = { connected: 0, disconnected: 0 };
  let createFailures = options.createTopicsFails ?? 0;
  const kafka: Pick<Kafka, "consumer" | "admin"> = {
    consumer: () => {
      const fake: FakeConsumer = { emitter: new EventEmitter(), steps: [] };
      consumers.push(fake);
      const consumer = {
        events: { CRASH: "consumer.crash", GROUP_JOIN: "consumer.group_join" },
        on: (event: string, listener: (e: unknown) => void) => fake.emitter.on(event, listener),
        connect: async () => void fake.steps.push("connect"),
        subscribe: async () => void fake.steps.push("subscribe"),
        run: async (config: ConsumerRunConfig) => {
          fake.eachBatch = config.eachBatch;
          fake.steps.push("run");
        },
        pause: () => void fake.steps.push("pause"),
        resume: () => void fake.steps.push("resume"),
        disconnect: async () => void fake.steps.push("disconnect"),
      };
      return consumer as unknown as Consumer;
    },
    admin: () =>
      ({
        connect: async () => void (admins.connected += 1),
        createTopics: async () => {
          if (createFailures > 0) {
            createFailures -= 1;
            throw Object.assign(new Error("Connection error: connect ECONNREFUSED"), {
              name: "KafkaJSConnectionError",
            });
          }
          return true;
        },
        fetchOffsets: async () => [],
        fetchTopicOffsets: async () => [],
        disconnect: async () => void (admins.disconnected += 1),
      }) as unknown as Admin,
  };
  return { kafka, consumers, admins };
}

const idleSink: EventSink = {
  applyBatch: async (batch) => ({ applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null }),
  close: async () => undefined,
};
const options = {
  brokers: ["127.0.0.1:9"],
  clientId: "test",
  groupId: "g",
  topics: [TOPIC],
  reconnectRetry: { initialMs: 10, maxMs: 10 },
};
const crash = (fake: FakeConsumer, restart: boolean) =>
  fake.emitter.emit("consumer.crash", {
    payload: { error: new Error("The coordinator is not aware of this member"), groupId: "g", restart },
  });
const join = (fake: FakeConsumer) =>
  fake.emitter.emit("consumer.group_join", { payload: { memberAssignment: { [TOPIC]: [1, 0] } } });

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe("the Kafka source", () => {
  it("starts a consumer that crashed for good again with a backoff, not ready and with the error meanwhile", async () => {
    const { kafka, consumers } = fakeKafka();
    const source = createKafkaSource(options, { sink: idleSink, logger, kafka });
    await source.start();
    expect(source.status().phase).toBe("streaming");

    // kafkajs restarts this one itself: nothing to do.
    crash(consumers[0] as FakeConsumer, true);
    expect(source.status().phase).toBe("streaming");
    // This one stays down: a new consumer is started after the backoff.
    crash(consumers[0] as FakeConsumer, false);
    expect(source.status()).toMatchObject({
      phase: "reconnecting",
      lastError: "The coordinator is not aware of this member",
    });
    await until("a new consumer", () => consumers.length === 2 && source.status().phase === "streaming");
    expect(consumers[0]?.steps.at(-1)).toBe("disconnect");
    expect(consumers[1]?.steps).toEqual(["connect", "subscribe", "run"]);
    expect(source.status().lastError).toBeUndefined();
    await source.stop();
    expect(source.status().phase).toBe("stopped");
  });

  it("keeps retrying a reconnect that fails, and a stop ends the retries", async () => {
    const { kafka, consumers, admins } = fakeKafka();
    const source = createKafkaSource(options, { sink: idleSink, logger, kafka });
    await source.start();
    const failing = fakeKafka({ createTopicsFails: 1_000 });
    // From now on every start fails (the broker is gone).
    Object.assign(kafka, { admin: failing.kafka.admin });
    crash(consumers[0] as FakeConsumer, false);
    await until("two failed reconnects", () => failing.admins.connected >= 2);
    expect(source.status().phase).toBe("reconnecting");
    await source.stop();
    const attempts = failing.admins.connected;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(failing.admins.connected).toBe(attempts);
    expect(failing.admins.disconnected).toBe(failing.admins.connected);
    expect(admins.disconnected).toBe(admins.connected);
  });

  it("disconnects its admin client when a start fails, so retried starts leak no connections", async () => {
    const { kafka, admins } = fakeKafka({ createTopicsFails: 3 });
    const source = createKafkaSource(options, { sink: idleSink, logger, kafka });
    for (let i = 0; i < 3; i += 1) await expect(source.start()).rejects.toThrow("ECONNREFUSED");
    expect(admins).toEqual({ connected: 3, disconnected: 3 });
    await source.start();
    await source.stop();
    expect(admins).toEqual({ connected: 4, disconnected: 4 });
  });

  it("pauses the partitions again after a group join while the sink is still behind, and reports the assignment", async () => {
    const { kafka, consumers } = fakeKafka();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stuck: EventSink = {
      applyBatch: async (batch) => (
        await gate,
        { applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null }
      ),
      close: async () => undefined,
    };
    const source = createKafkaSource(options, { sink: stuck, logger, kafka });
    await source.start();
    const fake = consumers[0] as FakeConsumer;
    const messages = Array.from(
      { length: KAFKA_QUEUE_HIGH_WATER + 1 },
      (_, i) =>
        ({
          offset: String(i),
          value: Buffer.from("{}"),
          key: null,
          timestamp: "0",
          attributes: 0,
          headers: {},
        }) as unknown as KafkaMessage,
    );
    const value = (i: number) =>
      Buffer.from(
        JSON.stringify({
          before: null,
          after: { id: String(i) },
          source: { ts_ms: 1, db: "d", schema: "public", table: "users", txId: 1, lsn: i + 1, snapshot: "false" },
          op: "c",
          ts_ms: 1,
        }),
      );
    messages.forEach((message, i) => Object.assign(message, { value: value(i) }));
    const batch = {
      topic: TOPIC,
      partition: 0,
      highWatermark: String(messages.length),
      messages,
      isEmpty: () => false,
      firstOffset: () => "0",
      lastOffset: () => String(messages.length - 1),
      offsetLag: () => "0",
      offsetLagLow: () => "0",
    };
    void fake.eachBatch?.({
      batch,
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      pause: () => () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
    await until("paused", () => fake.steps.includes("pause"));
    // kafkajs restarted the consumer (or the group rebalanced): its fetches start unpaused.
    join(fake);
    expect(fake.steps.filter((step) => step === "pause")).toHaveLength(2);
    expect(source.status()).toMatchObject({ assignment: { [TOPIC]: [0, 1] }, groupJoins: 1 });
    release();
    await source.stop();
  });
});
