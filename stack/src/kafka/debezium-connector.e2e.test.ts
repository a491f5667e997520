import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { findRepoRoot } from "../config/repo-root";
import { loadTestDatabaseUrl } from "../config/stack-config";
import { withPgClient } from "../postgres/pg-client";
import { type TestDatabase, createTestDatabase } from "../testing/test-database";
import { type TestKafka, dropReplicationSlots, startTestKafka } from "../testing/test-kafka";
import { waitForConnectorRunning } from "./connect-client";
import type { ProgressEvent } from "../stack/progress";
import { reconcileConnectors } from "./connect-component";
import { connectorFilePath, loadConnectorFile } from "./connector-files";
import { dropConnectorSlot } from "./connector-slot";
import { ensureKafkaJars } from "./kafka-jars";
import { startBroker } from "./kafka-runtime";

const USERS = [
  { email: "ada@example.com", name: "Ada Lovelace" },
  { email: "grace@example.com", name: "Grace Hopper" },
  { email: "edsger@example.com", name: "Edsger Dijkstra" },
];
const EVENT_WAIT = 45_000;

type Envelope = {
  op: string;
  before: { id: string; email: string; name: string } | null;
  after: { id: string; email: string; name: string } | null;
  source: { db: string; table: string };
};

/** Processes whose command line mentions the test Kafka's temp folder (the JVMs and their guardians). */
function processesUsing(dir: string): string[] {
  return execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(dir));
}

function insertUser(url: string, user: { email: string; name: string }): Promise<unknown> {
  return withPgClient(url, (client) =>
    client.query("INSERT INTO users (id, email, name, updated_at) VALUES (gen_random_uuid(), $1, $2, now())", [
      user.email,
      user.name,
    ]),
  );
}

/** Debezium's first record creates the topic; subscribing before its partition has a leader fails. */
async function waitForTopic(client: Kafka, topic: string): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt += 1) {
      const topics = await admin.listTopics();
      if (topics.includes(topic)) {
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => null);
        if (metadata?.topics[0]?.partitions.every((partition) => partition.leader >= 0)) return;
      }
      if (attempt >= 120) throw new Error(`topic ${topic} did not appear; topics: ${topics.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Reads the topic from the beginning until `done` says enough; returns keys and values (JSON). */
async function readTopic(
  brokers: string[],
  topic: string,
  done: (values: Envelope[]) => boolean,
): Promise<{ keys: Array<{ id: string }>; values: Envelope[] }> {
  const client = new Kafka({ clientId: "debezium-connector-test", brokers, logLevel: logLevel.NOTHING });
  await waitForTopic(client, topic);
  const consumer = client.consumer({ groupId: `test-${randomBytes(4).toString("hex")}` });
  const keys: Array<{ id: string }> = [];
  const values: Envelope[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `gave up after ${values.length} events: ${JSON.stringify(values.map((value) => [value.op, value.after?.email]))}`,
            ),
          ),
        EVENT_WAIT,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            keys.push(JSON.parse(message.key?.toString() ?? "null") as { id: string });
            values.push(JSON.parse(message.value?.toString() ?? "null") as Envelope);
            if (done(values)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return { keys, values };
}

describe("Debezium on the test Kafka Connect worker", () => {
  const unique = `t${process.pid}_${randomBytes(3).toString("hex")}`;
  const connector = `users-${unique}`;
  const topic = `strangler-${unique}.public.users`;
  const retired = `retired-${unique}`;
  let database: TestDatabase;
  let kafka: TestKafka | null = null;

  beforeAll(async () => {
    database = await createTestDatabase("monolith");
    for (const user of USERS) await insertUser(database.url, user);
    kafka = await startTestKafka();
  }, 180_000);

  afterAll(async () => {
    // Also when a test failed before deleting it: the connector's task holds the slot until it
    // stops, and a slot in use can be neither dropped nor left behind (DROP DATABASE refuses).
    try {
      for (const [name, slot] of [
        [connector, `dbz_${unique}`],
        [retired, `dbz2_${unique}`],
      ] as const) {
        if (kafka) await kafka.deleteConnector(name);
        await dropConnectorSlot(loadTestDatabaseUrl(), { database: database.name, slot, publication: slot });
      }
    } finally {
      await kafka?.stop();
      await dropReplicationSlots(database.name);
      await database.drop();
    }
  }, 90_000);

  it("publishes the snapshot of public.users as Debezium JSON envelopes without schemas", async () => {
    if (!kafka) throw new Error("test Kafka did not start");
    await kafka.registerConnector("users-service.json", {
      name: connector,
      "database.dbname": database.name,
      "topic.prefix": `strangler-${unique}`,
      "slot.name": `dbz_${unique}`,
      "publication.name": `dbz_${unique}`,
    });

    const { keys, values } = await readTopic(kafka.brokers, topic, (seen) => seen.length >= USERS.length);

    // Schemas off: the value is the envelope itself, not {schema, payload}.
    for (const value of values)
      expect(Object.keys(value)).toEqual(expect.arrayContaining(["before", "after", "op", "source", "ts_ms"]));
    expect(values.map((value) => value.op)).toEqual(["r", "r", "r"]);
    const rows = values.map((value) => ({ email: value.after?.email, name: value.after?.name }));
    expect(rows.sort((a, b) => String(a.email).localeCompare(String(b.email)))).toEqual(
      [...USERS].sort((a, b) => a.email.localeCompare(b.email)),
    );
    expect(keys.map((key) => key.id)).toEqual(values.map((value) => value.after?.id));
    expect(values.map((value) => value.source.db)).toEqual(USERS.map(() => database.name));
  });

  it("streams changes made while the worker was down once it is restarted", async () => {
    if (!kafka) throw new Error("test Kafka did not start");
    await kafka.killConnect();
    const late = { email: "barbara@example.com", name: "Barbara Liskov" };
    await insertUser(database.url, late);
    await kafka.restartConnect();
    await waitForConnectorRunning(kafka.connectUrl, connector, 60_000);

    const { values } = await readTopic(kafka.brokers, topic, (seen) =>
      seen.some((value) => value.after?.email === late.email),
    );
    // "c" when the worker had committed the end of the snapshot before it died; "r" when the kill came
    // within the offset flush interval and Debezium redid the unfinished snapshot (at-least-once).
    const ops = values.filter((value) => value.after?.email === late.email).map((value) => value.op);
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((op) => op === "c" || op === "r")).toBe(true);

    // replica.identity.autoset.values made the table REPLICA IDENTITY FULL: updates carry the whole before image.
    await withPgClient(database.url, (client) =>
      client.query("UPDATE users SET name = 'Barbara H. Liskov' WHERE email = $1", [late.email]),
    );
    const updated = await readTopic(kafka.brokers, topic, (seen) => seen.some((value) => value.op === "u"));
    expect(
      updated.values.filter((value) => value.op === "u").map((value) => [value.before?.name, value.after?.name]),
    ).toEqual([[late.name, "Barbara H. Liskov"]]);
  });

  it('publishes a TRUNCATE as op "t" without key, before or after (skipped.operations: none)', async () => {
    if (!kafka) throw new Error("test Kafka did not start");
    await withPgClient(database.url, (client) => client.query("TRUNCATE users CASCADE"));
    const { keys, values } = await readTopic(kafka.brokers, topic, (seen) => seen.some((value) => value?.op === "t"));
    const index = values.findIndex((value) => value?.op === "t");
    const truncate = values[index] as unknown as Record<string, unknown> & { source: Record<string, unknown> };
    expect(keys[index]).toBeNull();
    expect(Object.keys(truncate).sort()).toEqual(
      ["after", "before", "op", "source", "transaction", "ts_ms", "ts_ns", "ts_us"]
        .filter((key) => key in truncate)
        .sort(),
    );
    expect(truncate).toMatchObject({
      op: "t",
      source: { db: database.name, schema: "public", table: "users", snapshot: "false" },
    });
    expect(truncate.before ?? null).toBeNull();
    expect(truncate.after ?? null).toBeNull();
    expect(typeof truncate.source.lsn).toBe("number");

    await kafka.deleteConnector(connector);
  });

  it("when no longer wanted, is retired (offsets reset) and its slot dropped; registered anew, it streams from a new slot (no_data, as the reverse one)", async () => {
    if (!kafka) throw new Error("test Kafka did not start");
    const slot = { database: database.name, slot: `dbz2_${unique}`, publication: `dbz2_${unique}` };
    const overrides = {
      name: retired,
      "database.dbname": database.name,
      "topic.prefix": `strangler2-${unique}`,
      "slot.name": slot.slot,
      "publication.name": slot.publication,
      "snapshot.mode": "no_data",
    };
    const retiredTopic = `strangler2-${unique}.public.users`;
    const [first, whileOff, second] = ["first", "off", "second"].map((tag) => ({
      email: `${tag}-${unique}@example.com`,
      name: tag,
    }));
    await kafka.registerConnector("users-service.json", overrides);
    await insertUser(database.url, first as { email: string; name: string });
    await readTopic(kafka.brokers, retiredTopic, (seen) => seen.some((value) => value?.after?.email === first?.email));

    // What `up` does once the connector is no longer wanted (data.reverse turned off).
    const progress: ProgressEvent[] = [];
    const definition = loadConnectorFile(connectorFilePath(findRepoRoot(), "users-service.json"), overrides);
    await reconcileConnectors(
      kafka.connectUrl,
      { wanted: [], unwanted: [retired], retired: [definition] },
      loadTestDatabaseUrl(),
      (event) => progress.push(event),
    );
    expect(progress.map((event) => (event.kind === "note" ? event.message : `${event.kind} ${event.label}`))).toEqual([
      `begin connector ${retired}`,
      `end connector ${retired}`,
      `dropped replication slot ${slot.slot} and publication ${slot.publication} in ${database.name} (the connector is no longer wanted; they would retain WAL)`,
    ]);
    expect(await dropConnectorSlot(loadTestDatabaseUrl(), slot)).toEqual({ slot: false, publication: false });
    await insertUser(database.url, whileOff as { email: string; name: string });

    // Offsets reset: registered again, the connector runs and streams from its new slot.
    await kafka.registerConnector("users-service.json", overrides);
    await insertUser(database.url, second as { email: string; name: string });
    const { values } = await readTopic(kafka.brokers, retiredTopic, (seen) =>
      seen.some((value) => value?.after?.email === second?.email),
    );
    expect(values.map((value) => [value?.op, value?.after?.email])).toEqual([
      ["c", first?.email],
      ["c", second?.email],
    ]);

    // A plain DELETE (older stacks, docker-compose) keeps the offsets: after the slot is dropped, Debezium
    // refuses the stored LSN, and `up` resets the offsets and starts it again.
    await kafka.deleteConnector(retired);
    await dropConnectorSlot(loadTestDatabaseUrl(), slot);
    await expect(kafka.registerConnector("users-service.json", overrides)).rejects.toThrow(
      /is no longer available on the server/,
    );
    const notes: ProgressEvent[] = [];
    await reconcileConnectors(
      kafka.connectUrl,
      { wanted: [definition], unwanted: [], retired: [] },
      loadTestDatabaseUrl(),
      (event) => notes.push(event),
    );
    expect(notes).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "end", result: "running (offsets reset)" })]),
    );
    const third = { email: `third-${unique}@example.com`, name: "third" };
    await insertUser(database.url, third);
    const after = await readTopic(kafka.brokers, retiredTopic, (seen) =>
      seen.some((value) => value?.after?.email === third.email),
    );
    expect(after.values.filter((value) => value?.after?.email === third.email).map((value) => value?.op)).toEqual([
      "c",
    ]);
  });

  it("does not take another broker on its port for its own: the start fails instead of reporting ready", async () => {
    if (!kafka) throw new Error("test Kafka did not start");
    const taken = Number(kafka.brokers[0]?.split(":")[1]);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-kafka-foreign-"));
    try {
      const start = startBroker({
        repoRoot: findRepoRoot(),
        libDir: (await ensureKafkaJars(findRepoRoot())).libDir,
        stateDir,
        logFile: path.join(stateDir, "broker.log"),
        env: process.env,
        guardian: true,
        brokerPort: taken,
        controllerPort: taken + 1,
      });
      // Either the JVM fails to bind, or (the race this guards against) the probe meets the other broker first.
      await expect(start).rejects.toThrow(/BindException|Address already in use|served by another Kafka broker/);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("leaves no process running after stop(), also after the worker was killed", async () => {
    if (!kafka) throw new Error("test Kafka did not start");
    const dir = kafka.dir;
    expect(processesUsing(dir).length).toBeGreaterThan(0);
    await kafka.killConnect();
    await kafka.stop();
    kafka = null;
    expect(processesUsing(dir)).toEqual([]);
  });
});
