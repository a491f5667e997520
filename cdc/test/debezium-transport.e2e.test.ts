import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MigrationConfig } from "@strangler/migration-config";
import { Kafka, logLevel } from "kafkajs";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { type TestKafka, dropReplicationSlots, startTestKafka } from "../../stack/src/testing/test-kafka";
import { waitForConnectorRunning } from "../../stack/src/kafka/connect-client";
import { compileWireDecoder } from "../src/mapping/debezium-wire-values";
import { toPgText } from "../src/mapping/pg-text";
import { loadSourceColumnTypes } from "../src/kafka-source/source-columns";
import { readDebeziumMessage } from "../src/kafka-source/debezium-message";
import {
  createDebeziumCdcStream,
  createReverseDebeziumCdcStream,
  type DebeziumCdcStreamStatus,
} from "../src/kafka-source/debezium-cdc-stream";
import { createKafkaSource } from "../src/kafka-source/kafka-source";
import type { EventSink, SourcedEvent } from "../src/sink/event-sink";
import type { CdcStream } from "../src/stream/cdc-stream";
import {
  type ConnectorNames,
  connectorNames,
  debeziumTestConfig,
  registerTestConnector,
  startUsersWriter,
} from "./support/debezium-fixture";
import {
  connect,
  dropReplicationOrigin,
  eventually,
  insertUsers,
  silentLogger,
  uniqueName,
} from "./support/embedded-source-fixture";
import { mappedDifferences } from "./support/mapped-compare";
import { startCdcProcess, uniqueServiceName, writeMigrationConfig } from "./support/cdc-process";

// The Debezium transport end to end: a real KRaft broker and Kafka Connect worker with the Debezium
// PostgreSQL connector (stack/src/testing/test-kafka.ts), the connector files of cdc/connectors, the
// kafkajs consumer of cdc/src/kafka-source and the real sink, on per-test databases.
const SYNC_WAIT = 60_000;

let kafka: TestKafka;

interface Fixture {
  monolith: TestDatabase;
  service: TestDatabase;
  monolithClient: Client;
  serviceClient: Client;
  config: MigrationConfig;
  connectors: Array<{ names: ConnectorNames; database: TestDatabase }>;
  streams: CdcStream[];
  origins: string[];
}
const fixtures: Fixture[] = [];

async function fixture(reverse = false): Promise<Fixture> {
  const [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  const [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
  const created: Fixture = {
    monolith,
    service,
    monolithClient,
    serviceClient,
    config: debeziumTestConfig(monolith, service, kafka, reverse),
    connectors: [],
    streams: [],
    origins: [],
  };
  fixtures.push(created);
  return created;
}

async function dispose(f: Fixture): Promise<void> {
  for (const stream of f.streams) await stream.stop().catch(() => undefined);
  for (const { names } of f.connectors) await kafka?.deleteConnector(names.name).catch(() => undefined);
  for (const origin of f.origins) await dropReplicationOrigin(f.serviceClient, origin).catch(() => undefined);
  for (const db of [f.monolith, f.service]) {
    // The connector's walsender lets go of its slot a moment after the connector is deleted.
    await eventually(
      `slots of ${db.name} dropped`,
      async () => {
        await dropReplicationSlots(db.name);
        const left = await f.monolithClient.query("SELECT 1 FROM pg_replication_slots WHERE database = $1", [db.name]);
        return left.rowCount === 0;
      },
      30_000,
    ).catch(() => undefined);
    await db.drop();
  }
  await Promise.all([f.monolithClient.end(), f.serviceClient.end()]);
}

function forwardStream(f: Fixture, names: ConnectorNames): CdcStream {
  const origin = uniqueName("strangler_sink_dbz_fwd");
  f.origins.push(origin);
  const stream = createDebeziumCdcStream(
    f.config,
    "users-service",
    { logger: silentLogger },
    { topicPrefix: names.topicPrefix, groupId: `${names.name}-cdc`, replicationOrigin: origin },
  );
  f.streams.push(stream);
  return stream;
}

const status = (stream: CdcStream) => stream.status() as DebeziumCdcStreamStatus;
const inSync = (f: Fixture) => async () =>
  (await mappedDifferences(f.config.services[0]?.data?.tables[0] as never, f.monolithClient, f.serviceClient))
    .length === 0;
const differences = (f: Fixture) =>
  mappedDifferences(f.config.services[0]?.data?.tables[0] as never, f.monolithClient, f.serviceClient);

beforeAll(async () => {
  kafka = await startTestKafka();
}, 180_000);

// Per test, also when it failed: connectors, consumers and slots of one test must not load the
// Connect worker's JVM (and the 2 CI cores) while the next one runs.
afterEach(async () => {
  for (const f of fixtures.splice(0)) await dispose(f);
}, 120_000);

afterAll(async () => {
  await kafka?.stop();
}, 120_000);

it("copies the snapshot, then streams inserts, updates and deletes, key by key equal after mapping", async () => {
  const f = await fixture();
  const seeded = await insertUsers(f.monolithClient, 5, "snap");
  const names = connectorNames("dbz_e2e");
  await registerTestConnector(kafka, "users-service.json", f.monolith, names);
  f.connectors.push({ names, database: f.monolith });
  // Right after the slot exists: this change is often the very first WAL record after its consistent
  // point, so Debezium gives it the snapshot rows' LSN (seam-positions.ts); it must not be lost.
  await f.monolithClient.query("UPDATE users SET name = 'Seam Change', updated_at = now() WHERE id = $1", [seeded[4]]);
  const stream = forwardStream(f, names);
  await stream.start();
  await eventually("snapshot copied", inSync(f), SYNC_WAIT);

  const added = await insertUsers(f.monolithClient, 3, "live");
  await f.monolithClient.query(
    "UPDATE users SET name = 'Grace Brewster Hopper', phone = '+1 555 0100', updated_at = now() WHERE id = $1",
    [seeded[0]],
  );
  await f.monolithClient.query("UPDATE users SET name = 'Cher', updated_at = now() WHERE id = $1", [added[0]]);
  await f.monolithClient.query("DELETE FROM users WHERE id = ANY($1::uuid[])", [[seeded[1], added[1]]]);
  await eventually("changes streamed", inSync(f), SYNC_WAIT);
  expect(await differences(f)).toEqual([]);
  const profiles = await f.serviceClient.query<{ first_name: string; last_name: string; phone_number: string | null }>(
    "SELECT first_name, last_name, phone_number FROM user_profiles WHERE user_id = $1",
    [seeded[0]],
  );
  expect(profiles.rows).toEqual([{ first_name: "Grace", last_name: "Brewster Hopper", phone_number: "+1 555 0100" }]);
  const dead = await f.serviceClient.query("SELECT reason FROM strangler_cdc.dead_letters");
  expect(dead.rows).toEqual([]);

  // /status: the consumer group's committed offsets reach the end of the topic.
  await eventually(
    "offsets committed to the end",
    async () => status(stream).position.some((p) => p.lag === 0 && p.committedOffset !== null),
    SYNC_WAIT,
  );
  expect(status(stream)).toMatchObject({ transport: "debezium", phase: "streaming", deadLettered: 0, invalid: 0 });
  expect(status(stream).applied).toBeGreaterThanOrEqual(5 + 3 + 2 + 2);

  // A TRUNCATE (as the seed does) reaches the sink as op "t" (skipped.operations: none): the mapped
  // table is emptied, then re-inserted rows apply.
  await f.monolithClient.query("TRUNCATE users CASCADE");
  await insertUsers(f.monolithClient, 2, "after truncate");
  await eventually("truncate and re-inserts streamed", inSync(f), SYNC_WAIT);
  expect(await differences(f)).toEqual([]);
  const count = await f.serviceClient.query<{ n: number }>("SELECT count(*)::int AS n FROM user_profiles");
  expect(count.rows[0]?.n).toBe(2);
  expect((await f.serviceClient.query("SELECT reason FROM strangler_cdc.dead_letters")).rows).toEqual([]);
}, 180_000);

it("loses nothing when the Connect worker is killed with SIGKILL mid-load and the consumer restarts too", async () => {
  const f = await fixture();
  await insertUsers(f.monolithClient, 20, "pre");
  const names = connectorNames("dbz_kill");
  await registerTestConnector(kafka, "users-service.json", f.monolith, names);
  f.connectors.push({ names, database: f.monolith });
  let stream = forwardStream(f, names);
  await stream.start();

  const writer = startUsersWriter(f.monolithClient, "Load");
  const writes = () => writer.writes();
  try {
    await eventually("load flowing", async () => writes() > 40, SYNC_WAIT);
    await kafka.killConnect();
    const atKill = writes();
    await eventually("writes while Connect is down", async () => writes() > atKill + 40, SYNC_WAIT);
    // The consumer restarts too: a clean stop, then a new consumer in the same group.
    await stream.stop();
    await kafka.restartConnect();
    await waitForConnectorRunning(kafka.connectUrl, names.name, SYNC_WAIT);
    stream = forwardStream(f, names);
    await stream.start();
    await eventually("writes after the restart", async () => writes() > atKill + 120, SYNC_WAIT);
  } finally {
    await writer.stop();
  }
  await eventually("caught up after the crash", inSync(f), SYNC_WAIT);
  expect(await differences(f)).toEqual([]);
}, 240_000);

it("syncs both ways with both connectors, and after a single write nothing is applied back for 10 s", async () => {
  const f = await fixture(true);
  const [seed] = await insertUsers(f.monolithClient, 1, "two");
  const forwardNames = connectorNames("dbz_fwd");
  const reverseNames = connectorNames("dbz_rev");
  await registerTestConnector(kafka, "users-service.json", f.monolith, forwardNames);
  f.connectors.push({ names: forwardNames, database: f.monolith });
  const forwardOrigin = uniqueName("strangler_sink_dbz_fwd");
  const reverseOrigin = uniqueName("strangler_sink_dbz_rev");
  f.origins.push(forwardOrigin, reverseOrigin);
  const forward = createDebeziumCdcStream(
    f.config,
    "users-service",
    { logger: silentLogger },
    {
      topicPrefix: forwardNames.topicPrefix,
      groupId: `${forwardNames.name}-cdc`,
      replicationOrigin: forwardOrigin,
      echoOrigins: [reverseOrigin],
    },
  );
  f.streams.push(forward);
  await forward.start();
  await eventually("forward snapshot", inSync(f), SYNC_WAIT);
  await registerTestConnector(kafka, "users-service-reverse.json", f.service, reverseNames);
  f.connectors.push({ names: reverseNames, database: f.service });
  const reverse = createReverseDebeziumCdcStream(
    f.config,
    "users-service",
    { logger: silentLogger },
    {
      topicPrefix: reverseNames.topicPrefix,
      groupId: `${reverseNames.name}-cdc`,
      replicationOrigin: reverseOrigin,
      echoOrigins: [forwardOrigin],
    },
  );
  f.streams.push(reverse);
  await reverse.start();
  // The reverse connector takes no snapshot (snapshot.mode no_data, ADR 0007): the forward stream already made both sides equal.

  // A write on the service side arrives in the monolith.
  await f.serviceClient.query(
    "UPDATE user_profiles SET first_name = 'Edsger', last_name = 'Wybe Dijkstra', updated_at = now() WHERE user_id = $1",
    [seed],
  );
  await eventually(
    "service write in the monolith",
    async () => {
      const row = await f.monolithClient.query<{ name: string }>("SELECT name FROM users WHERE id = $1", [seed]);
      return row.rows[0]?.name === "Edsger Wybe Dijkstra";
    },
    SYNC_WAIT,
  );
  await eventually("in sync after the reverse write", inSync(f), SYNC_WAIT);

  // A single write on the monolith: applied once forward, its echo dropped on the way back.
  await eventually(
    "quiet",
    async () =>
      status(forward).position.every((p) => p.lag === 0) && status(reverse).position.every((p) => p.lag === 0),
    SYNC_WAIT,
  );
  const before = { forward: status(forward).applied, reverse: status(reverse).applied, echoes: status(reverse).echoes };
  await f.monolithClient.query("UPDATE users SET phone = '+44 20 7946 0000', updated_at = now() WHERE id = $1", [seed]);
  await eventually(
    "monolith write in the service",
    async () => {
      const row = await f.serviceClient.query<{ phone_number: string | null }>(
        "SELECT phone_number FROM user_profiles WHERE user_id = $1",
        [seed],
      );
      return row.rows[0]?.phone_number === "+44 20 7946 0000";
    },
    SYNC_WAIT,
  );
  await eventually("echo seen and dropped", async () => status(reverse).echoes > before.echoes, SYNC_WAIT);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  expect({
    forward: status(forward).applied - before.forward,
    reverse: status(reverse).applied - before.reverse,
  }).toEqual({ forward: 1, reverse: 0 });
  expect(await differences(f)).toEqual([]);
}, 240_000);

it("runs in the CDC process when the config says cdc.transport: debezium", async () => {
  const f = await fixture();
  await insertUsers(f.monolithClient, 3, "proc");
  const serviceName = uniqueServiceName("dbz");
  const configFile = path.join(os.tmpdir(), `strangler-${serviceName}.yaml`);
  writeMigrationConfig(configFile, serviceName, false);
  f.origins.push(`strangler_sink_monolith_to_${serviceName.replace(/[^A-Za-z0-9_]/g, "_")}`);
  // The process's default forward topic prefix: <cdc.kafka.topicPrefix>.<legacy.name>.
  const names = { ...connectorNames("dbz_proc"), topicPrefix: "strangler.monolith" };
  await registerTestConnector(kafka, "users-service.json", f.monolith, names);
  f.connectors.push({ names, database: f.monolith });
  const saved = { transport: process.env.STRANGLER_CDC_TRANSPORT, brokers: process.env.STRANGLER_KAFKA_BROKERS };
  process.env.STRANGLER_CDC_TRANSPORT = "debezium";
  process.env.STRANGLER_KAFKA_BROKERS = kafka.brokers.join(",");
  const cdc = await startCdcProcess({ config: configFile, monolithUrl: f.monolith.url, serviceUrl: f.service.url });
  process.env.STRANGLER_CDC_TRANSPORT = saved.transport;
  process.env.STRANGLER_KAFKA_BROKERS = saved.brokers;
  if (saved.transport === undefined) delete process.env.STRANGLER_CDC_TRANSPORT;
  if (saved.brokers === undefined) delete process.env.STRANGLER_KAFKA_BROKERS;
  try {
    await cdc.waitReady(SYNC_WAIT);
    await insertUsers(f.monolithClient, 2, "proc-live");
    await eventually("process synced", inSync(f), SYNC_WAIT);
    const reported = await cdc.status();
    expect(reported?.streams).toEqual([
      expect.objectContaining({
        direction: `monolith-to-${serviceName}`,
        transport: "debezium",
        phase: "streaming",
        deadLettered: 0,
      }),
    ]);
    expect(await cdc.terminate()).toBe(0);
  } finally {
    await cdc.kill9();
    rmSync(configFile, { force: true });
  }
}, 180_000);

it("loses nothing when partitions move between consumers of the group (one joins, then the other leaves) mid-load", async () => {
  const f = await fixture();
  await insertUsers(f.monolithClient, 10, "reb");
  const names = connectorNames("dbz_rebalance");
  // Three partitions, so the group has something to split; Debezium keeps a row's changes in one (by key).
  const admin = new Kafka({ clientId: "rebalance-test", brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: `${names.topicPrefix}.public.users`, numPartitions: 3 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  await registerTestConnector(kafka, "users-service.json", f.monolith, names);
  f.connectors.push({ names, database: f.monolith });
  const member = () => {
    const origin = uniqueName("strangler_sink_dbz_reb");
    f.origins.push(origin);
    const stream = createDebeziumCdcStream(
      f.config,
      "users-service",
      { logger: silentLogger },
      { topicPrefix: names.topicPrefix, groupId: `${names.name}-cdc`, replicationOrigin: origin },
    );
    f.streams.push(stream);
    return stream;
  };
  const topic = `${names.topicPrefix}.public.users`;
  const assigned = (stream: CdcStream) => status(stream).assignment[topic] ?? [];
  const first = member();
  await first.start();
  // The group's only member was given all three partitions (its GROUP_JOIN).
  await eventually("the first member holds every partition", async () => assigned(first).length === 3, SYNC_WAIT);
  expect(assigned(first)).toEqual([0, 1, 2]);

  const writer = startUsersWriter(f.monolithClient, "Moved", 2);
  const writes = () => writer.writes();
  const second = member();
  try {
    await eventually("load flowing", async () => writes() > 30, SYNC_WAIT);
    const joinsBefore = status(first).groupJoins;
    // The second member joins while the first one's sink is inside a transaction (held by a lock on
    // the target table): the revocation finds applied work whose offsets are not committed yet.
    const locker = await connect(f.service.url);
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE user_profiles IN EXCLUSIVE MODE");
      const waiting = async () =>
        ((
          await f.monolithClient.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
            [f.service.name],
          )
        ).rowCount ?? 0) > 0;
      await eventually("the first member's sink waits on the lock", waiting, SYNC_WAIT);
      const joining = second.start();
      const groupAdmin = new Kafka({
        clientId: "rebalance-test",
        brokers: kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).admin();
      await groupAdmin.connect();
      try {
        const state = async () => (await groupAdmin.describeGroups([`${names.name}-cdc`])).groups[0]?.state;
        await eventually(
          "the group prepares a rebalance",
          async () => (await state()) === "PreparingRebalance",
          SYNC_WAIT,
        );
      } finally {
        await groupAdmin.disconnect();
      }
      // Long enough for the first member's heartbeats (every second while its sink works) to hear of it.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await locker.query("COMMIT");
      await joining;
    } finally {
      await locker.end();
    }
    // The first member's applied chunk was not committed: its partition's next owner replays it.
    expect(status(first).uncommitted).toBeGreaterThan(0);
    // The join revoked partitions of the first member while it was applying the load, then split them.
    await eventually(
      "the partitions are split between the members",
      async () => status(first).groupJoins > joinsBefore && assigned(first).length > 0 && assigned(second).length > 0,
      SYNC_WAIT,
    );
    expect([...assigned(first), ...assigned(second)].sort()).toEqual([0, 1, 2]);
    await eventually("both members apply", async () => status(second).applied > 0 && writes() > 90, SYNC_WAIT);
    const firstApplied = status(first).applied;
    await eventually("the first member still applies", async () => status(first).applied > firstApplied, SYNC_WAIT);
    await first.stop();
    await eventually(
      "the second member took every partition over",
      async () => assigned(second).length === 3,
      SYNC_WAIT,
    );
    const atLeave = writes();
    await eventually("writes after the first consumer left", async () => writes() > atLeave + 60, SYNC_WAIT);
  } finally {
    await writer.stop();
  }
  await eventually("caught up after the rebalances", inSync(f), SYNC_WAIT);
  expect(await differences(f)).toEqual([]);
  expect(assigned(second)).toEqual([0, 1, 2]);
  expect(status(second).invalid).toBe(0);
}, 180_000);

it("reads Debezium's wire values of other column types back to the same row (timestamp, date, time, numeric, jsonb, arrays, infinity, bytea, interval, int8 > 2^53, years > 9999 and BC)", async () => {
  const f = await fixture();
  await f.monolithClient
    .query(`CREATE TABLE wire_types (id int PRIMARY KEY, ts3 timestamp(3), ts6 timestamp, tsz timestamptz, d date, t time, t3 time(3), n numeric(10,2), j jsonb, arr int[],
    flag boolean, b bytea, iv interval, big int8, far timestamp, far_d date)`);
  await f.monolithClient.query(`INSERT INTO wire_types VALUES
    (1, '2026-11-22 01:46:55.123', '2026-11-22 01:46:55.123456', '2026-11-22 01:46:55.123456+02', '2026-11-22', '01:02:03.000001', '23:59:59.999', 12345678.90, '{"a": [1, "x", null]}', '{1,2,3}', true,
      '\\x00017f80feff', '1 year 2 mons 3 days 04:05:06.789', 9007199254740993, '12345-06-07 08:09:10.5', '12345-06-07'),
    (2, '1969-12-31 23:59:59.999', '1900-01-01 00:00:00.000001', NULL, '1969-12-31', '00:00:00', NULL, -0.01, '[]', '{}', NULL,
      '', '-00:00:01', -9223372036854775808, '4713-01-01 00:00:00 BC', '9999-12-31'),
    (3, 'infinity', '-infinity', NULL, 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 9223372036854775807, 'infinity', '-infinity')`);
  // No BC date: Debezium 3.7 writes '0044-03-15 BC' as the day count of 44 AD (-703383), so nothing
  // downstream can tell them apart (ADR 0008); BC timestamps arrive right and are read back below.
  const names = connectorNames("dbz_types");
  await kafka.registerConnector("users-service.json", {
    name: names.name,
    "database.dbname": f.monolith.name,
    "topic.prefix": names.topicPrefix,
    "slot.name": names.slot,
    "publication.name": names.slot,
    "table.include.list": "public.wire_types",
    // What this transport wants of the connector files (ADR 0008): ISO-8601 intervals, exact in PostgreSQL.
    "interval.handling.mode": "string",
  });
  f.connectors.push({ names, database: f.monolith });
  const types = await loadSourceColumnTypes(f.monolith.url, [{ schema: "public", name: "wire_types" }]);
  const decoders = new Map([
    ["wire_types", compileWireDecoder(types.get("wire_types") ?? [], { decimalHandlingMode: "string" })],
  ]);
  const client = new Kafka({ clientId: "wire-types-test", brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const consumer = client.consumer({ groupId: `${names.name}-read` });
  const images: Array<Record<string, unknown>> = [];
  try {
    await consumer.connect();
    const topic = `${names.topicPrefix}.public.wire_types`;
    await eventually(
      "topic created by the connector",
      async () => {
        const admin = client.admin();
        await admin.connect();
        const topics = await admin.listTopics().finally(() => admin.disconnect());
        return topics.includes(topic);
      },
      SYNC_WAIT,
    );
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const read = readDebeziumMessage(message.value, { decoders });
        if (read.kind === "event" && read.sourced.event?.after) images.push(read.sourced.event.after);
      },
    });
    await eventually("every row read", async () => images.length >= 3, SYNC_WAIT);
  } finally {
    await consumer.disconnect();
  }
  images.sort((a, b) => Number(a.id) - Number(b.id));
  expect(images.map((image) => image.big)).toEqual(["9007199254740993", "-9223372036854775808", "9223372036854775807"]);
  // What the sink does with an image: each value's text (toPgText) read by the column type's input function.
  expect(images).toHaveLength(3);
  const columns = await f.monolithClient.query<{ name: string; type: string }>(
    "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'wire_types'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
  );
  for (const image of images) {
    // The columns whose value differs from the source row's, with what the image made of them.
    const differing: Array<{ column: string; source: string | null; read: string | null }> = [];
    for (const { name, type } of columns.rows) {
      const read = toPgText(image[name]);
      const compared = await f.monolithClient.query<{ same: boolean; source: string | null }>(
        `SELECT (($1::text)::${type})::text IS NOT DISTINCT FROM w.${name}::text AS same, w.${name}::text AS source FROM wire_types w WHERE w.id = $2`,
        [read, image.id],
      );
      if (!compared.rows[0]?.same) differing.push({ column: name, source: compared.rows[0]?.source ?? null, read });
    }
    expect({ id: image.id, differing }).toEqual({ id: image.id, differing: [] });
  }
}, 120_000);

it("keeps the snapshot seam across a consumer restart: a change of a transaction open at the slot's creation, read by the next consumer, still ranks above the snapshot row", async () => {
  // Debezium's messages, as its connector writes them, produced directly: the restart must fall exactly
  // between the snapshot row's commit and the late transaction's change, which a live connector cannot
  // be made to do reliably.
  const unique = uniqueName("dbz_seam");
  const topic = `strangler-test.${unique}.public.users`;
  const groupId = `${unique}-cdc`;
  const client = new Kafka({ clientId: "seam-test", brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = client.admin();
  const producer = client.producer();
  const sources: Array<ReturnType<typeof createKafkaSource>> = [];
  const point = 0x16_b374_d848;
  const message = (lsn: number, snapshot: string, name: string) => ({
    key: JSON.stringify({ id: "k1" }),
    value: JSON.stringify({
      before: null,
      after: { id: "k1", name },
      source: { ts_ms: 1, db: "monolith", schema: "public", table: "users", txId: 7, lsn, snapshot },
      op: snapshot === "false" ? "u" : "r",
      ts_ms: 2,
    }),
  });
  const consume = async (received: SourcedEvent[]) => {
    const sink: EventSink = {
      async applyBatch(batch) {
        received.push(...batch);
        return { applied: batch.length, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null };
      },
      close: async () => undefined,
    };
    const source = createKafkaSource(
      { brokers: kafka.brokers, clientId: "seam-test", groupId, topics: [topic] },
      { sink, logger: silentLogger },
    );
    sources.push(source);
    await source.start();
    return source;
  };
  const committed = async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0];
  try {
    await Promise.all([admin.connect(), producer.connect()]);
    await producer.send({ topic, messages: [message(point, "last", "Snapshot")] });
    const before: SourcedEvent[] = [];
    const first = await consume(before);
    await eventually("snapshot row committed", async () => (await committed())?.offset === "1", SYNC_WAIT);
    await first.stop();
    // The seam travels with the committed offset.
    expect((await committed())?.metadata).toBe(`seam:v1:${point}:0`);
    expect(before.map((e) => e.event?.source.lsn)).toEqual([point - 1]);

    // The transaction that was open when the slot was created commits now: its change's LSN is below C.
    await producer.send({ topic, messages: [message(point - 4096, "false", "Late")] });
    const after: SourcedEvent[] = [];
    await consume(after);
    await eventually("the late change read by the restarted consumer", async () => after.length === 1, SYNC_WAIT);
    const rank = after[0]?.event?.source.lsn as number;
    // Above the snapshot row's rank (C − 1), so the sink applies it; below C, under any later change.
    expect(rank).toBeGreaterThan(point - 1);
    expect(rank).toBeLessThan(point);
    await eventually("late change committed", async () => (await committed())?.offset === "2", SYNC_WAIT);
    expect((await committed())?.metadata).toBe(`seam:v1:${point}:1`);
  } finally {
    for (const source of sources) await source.stop().catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}, 120_000);

it("dead-letters an undecodable message on the topic with its raw bytes, topic, partition and offset before committing past it, and streams on", async () => {
  const f = await fixture();
  await insertUsers(f.monolithClient, 3, "dead");
  const names = connectorNames("dbz_dead");
  await registerTestConnector(kafka, "users-service.json", f.monolith, names);
  f.connectors.push({ names, database: f.monolith });
  const stream = forwardStream(f, names);
  await stream.start();
  await eventually("snapshot copied", inSync(f), SYNC_WAIT);

  // Something that is no Debezium change event lands on the topic between real changes.
  const topic = `${names.topicPrefix}.public.users`;
  const producer = new Kafka({
    clientId: "dead-letter-test",
    brokers: kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  const garbage = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0xff, 0xfe, 0x00, 0x21]);
  let written: { partition: number; baseOffset?: string } | undefined;
  try {
    await producer.connect();
    [written] = await producer.send({ topic, messages: [{ key: "garbage", value: garbage }] });
  } finally {
    await producer.disconnect();
  }
  const offset = written?.baseOffset ?? "";
  expect(offset).toMatch(/^\d+$/);
  await insertUsers(f.monolithClient, 2, "after garbage");
  await eventually("the changes after it streamed", inSync(f), SYNC_WAIT);

  const letters = await f.serviceClient.query<{
    reason: string;
    raw_bytes: Buffer;
    kafka_topic: string;
    kafka_partition: number;
    kafka_offset: string;
  }>("SELECT reason, raw_bytes, kafka_topic, kafka_partition, kafka_offset::text FROM strangler_cdc.dead_letters");
  expect(letters.rows).toEqual([
    {
      reason: expect.any(String),
      raw_bytes: garbage,
      kafka_topic: topic,
      kafka_partition: written?.partition,
      kafka_offset: offset,
    },
  ]);
  // The group's offset moved past it only after the dead letter was committed (the sink's transaction).
  await eventually(
    "offsets committed past it",
    async () => status(stream).position.some((p) => p.lag === 0 && BigInt(p.committedOffset ?? "0") > BigInt(offset)),
    SYNC_WAIT,
  );
  expect(status(stream)).toMatchObject({ phase: "streaming", invalid: 1, deadLettered: 1 });
  expect(await differences(f)).toEqual([]);
}, 180_000);
