import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { USERS_TABLE, userEvent, userRow } from "./sink-test-events";

// A target database whose strangler_cdc schema was created by an older sink.
const OLDER_SCHEMA = `
CREATE SCHEMA strangler_cdc;
CREATE TABLE strangler_cdc.row_positions (target_table text NOT NULL, row_key text NOT NULL, lsn numeric NOT NULL, deleted boolean NOT NULL DEFAULT false, PRIMARY KEY (target_table, row_key));
CREATE TABLE strangler_cdc.dead_letters (id bigserial PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), direction text, source_table text, row_key text, lsn numeric, reason text NOT NULL, raw jsonb);`;

let db: TestDatabase;
let client: Client;

beforeAll(async () => {
  db = await createTestDatabase("users_service");
  client = new Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("the sink's schema", () => {
  it('brings an older schema up to date and keeps its positions: truncate positions and written newerBy values added, position key COLLATE "C"', async () => {
    const [kept, fresh] = [randomUUID(), randomUUID()];
    await client.query(OLDER_SCHEMA);
    await client.query("INSERT INTO strangler_cdc.row_positions VALUES ('user_profiles', $1, 500, true)", [kept]);
    const sink = createSink(
      {
        targetUrl: db.url,
        mappings: compileMappers([USERS_TABLE], "forward"),
        direction: "schema-test",
        replicationOrigin: false,
      },
      { logger: pino({ level: "silent" }) },
    );
    try {
      // The old position still guards its key; a new key applies.
      const result = await sink.applyBatch([
        userEvent("c", 400, userRow(kept, "Deleted Before", "kept@example.com")),
        userEvent("c", 600, userRow(fresh, "Fresh Row", "fresh@example.com")),
      ]);
      expect(result).toMatchObject({ applied: 1, skipped: 1, deadLettered: 0 });
    } finally {
      await sink.close();
    }
    const collations = await client.query<{ attname: string; collname: string }>(
      "SELECT a.attname, c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation WHERE a.attrelid = 'strangler_cdc.row_positions'::regclass AND a.attname IN ('target_table', 'row_key') ORDER BY 1",
    );
    expect(collations.rows).toEqual([
      { attname: "row_key", collname: "C" },
      { attname: "target_table", collname: "C" },
    ]);
    expect(
      (await client.query("SELECT to_regclass('strangler_cdc.table_truncations') IS NOT NULL AS present")).rows,
    ).toEqual([{ present: true }]);
    // The added column records what the sink wrote (ADR 0005); the older position has none.
    const written = await client.query(
      "SELECT row_key, written_newer_by FROM strangler_cdc.row_positions WHERE row_key = ANY($1) ORDER BY lsn",
      [[kept, fresh]],
    );
    expect(written.rows).toEqual([
      { row_key: kept, written_newer_by: null },
      { row_key: fresh, written_newer_by: "2026-01-02T00:00:00.000Z" },
    ]);
    const users = await client.query("SELECT user_id FROM user_profiles WHERE user_id = ANY($1)", [[kept, fresh]]);
    expect(users.rows).toEqual([{ user_id: fresh }]);
  });

  it("adds the raw bytes and Kafka position to older dead letters, and keeps an undecodable message's bytes exactly, NUL and invalid UTF-8 included", async () => {
    // The schema of the test above is the older one, brought up to date by that sink.
    const columns = await client.query<{ attname: string; type: string }>(
      "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'strangler_cdc.dead_letters'::regclass AND attname LIKE ANY (ARRAY['raw_bytes', 'kafka%']) ORDER BY attnum",
    );
    expect(columns.rows).toEqual([
      { attname: "raw_bytes", type: "bytea" },
      { attname: "kafka_topic", type: "text" },
      { attname: "kafka_partition", type: "integer" },
      { attname: "kafka_offset", type: "bigint" },
    ]);
    const sink = createSink(
      {
        targetUrl: db.url,
        mappings: compileMappers([USERS_TABLE], "forward"),
        direction: "schema-test",
        replicationOrigin: false,
      },
      { logger: pino({ level: "silent" }) },
    );
    const garbage = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22]);
    const json = Buffer.from('{"not":"a change event"}');
    try {
      const result = await sink.applyBatch([
        {
          event: null,
          raw: garbage.toString("utf8"),
          undecodable: {
            reason: "not JSON",
            bytes: garbage,
            kafka: { topic: "t.public.users", partition: 2, offset: "9007199254740993" },
          },
        },
        { event: null, raw: json.toString("utf8"), undecodable: { reason: "not a change event", bytes: json } },
      ]);
      expect(result).toMatchObject({ applied: 0, deadLettered: 2 });
    } finally {
      await sink.close();
    }
    const letters = await client.query<{
      reason: string;
      raw: unknown;
      raw_bytes: Buffer;
      kafka_topic: string | null;
      kafka_partition: number | null;
      kafka_offset: string | null;
    }>(
      "SELECT reason, raw, raw_bytes, kafka_topic, kafka_partition, kafka_offset FROM strangler_cdc.dead_letters WHERE direction = 'schema-test' ORDER BY id",
    );
    expect(letters.rows.map((row) => ({ ...row, raw_bytes: row.raw_bytes.toString("hex") }))).toEqual([
      // jsonb refuses the NUL: the reason says so, the bytes are kept all the same.
      {
        reason: expect.stringMatching(/^not JSON \(raw event not stored: /),
        raw: null,
        raw_bytes: garbage.toString("hex"),
        kafka_topic: "t.public.users",
        kafka_partition: 2,
        kafka_offset: "9007199254740993",
      },
      {
        reason: "not a change event",
        raw: { not: "a change event" },
        raw_bytes: json.toString("hex"),
        kafka_topic: null,
        kafka_partition: null,
        kafka_offset: null,
      },
    ]);
  });
});
