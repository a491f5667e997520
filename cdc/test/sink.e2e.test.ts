import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink, type Sink } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationOrigin } from "./support/embedded-source-fixture";
import { USERS_TABLE, userEvent, userRow } from "./sink-test-events";

// Origins are cluster-wide and the test server is shared by parallel test files.
const ORIGIN = `strangler_sink_test_${process.pid}`;
const ids = Array.from({ length: 8 }, () => randomUUID());
const [ada, cher, grace, alan, barbara, edsger, donald, linus] = ids as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

let db: TestDatabase;
let client: Client;
let sink: Sink;

interface ProfileRow {
  user_id: string;
  email_address: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  version: number;
}

async function profiles(): Promise<Record<string, Omit<ProfileRow, "user_id">>> {
  const result = await client.query<ProfileRow>(
    "SELECT user_id, email_address, first_name, last_name, phone_number, version FROM user_profiles ORDER BY user_id",
  );
  return Object.fromEntries(result.rows.map(({ user_id, ...rest }) => [user_id, rest]));
}

async function rowVersions(): Promise<Record<string, string>> {
  const result = await client.query<{ user_id: string; xmin: string }>("SELECT user_id, xmin::text FROM user_profiles");
  return Object.fromEntries(result.rows.map((r) => [r.user_id, r.xmin]));
}

const profile = (email: string, first: string, last: string, phone: string | null = null) => ({
  email_address: email,
  first_name: first,
  last_name: last,
  phone_number: phone,
  version: 1,
});

beforeAll(async () => {
  db = await createTestDatabase("users_service");
  client = new Client({ connectionString: db.url });
  await client.connect();
  sink = createSink(
    {
      targetUrl: db.url,
      mappings: compileMappers([USERS_TABLE], "forward"),
      direction: "monolith-to-users-service",
      replicationOrigin: ORIGIN,
    },
    { logger: pino({ level: "silent" }) },
  );
});

afterAll(async () => {
  await sink.close();
  await dropReplicationOrigin(client, ORIGIN);
  await client.end();
  await db.drop();
});

const firstBatch = [
  userEvent("r", 100, userRow(ada, "Ada Lovelace", "ada@example.com")),
  userEvent("r", 100, userRow(cher, "Cher", "cher@example.com", "+1 555 0100")),
  userEvent("c", 110, userRow(grace, "Grace Brewster Hopper", "grace@example.com")),
  userEvent("u", 120, userRow(ada, "Ada King", "ada.king@example.com")),
  userEvent("d", 130, { id: cher }),
  { event: null, raw: null },
];

describe("the PostgreSQL sink", () => {
  it("applies a batch of snapshot, create, update and delete events key by key, and acknowledges the highest LSN", async () => {
    await expect(sink.applyBatch(firstBatch)).resolves.toEqual({
      applied: 5,
      skipped: 1,
      deadLettered: 0,
      conflicts: 0,
      highestLsn: 130,
    });
    expect(await profiles()).toEqual({
      [ada]: profile("ada.king@example.com", "Ada", "King"),
      [grace]: profile("grace@example.com", "Grace", "Brewster Hopper"),
    });
    const positions = await client.query(
      "SELECT row_key, lsn::text, deleted FROM strangler_cdc.row_positions ORDER BY lsn",
    );
    expect(positions.rows).toEqual([
      { row_key: grace, lsn: "110", deleted: false },
      { row_key: ada, lsn: "120", deleted: false },
      { row_key: cher, lsn: "130", deleted: true },
    ]);
  });

  it("changes nothing when the same batch is delivered again", async () => {
    const before = { rows: await profiles(), versions: await rowVersions() };
    await expect(sink.applyBatch(firstBatch)).resolves.toEqual({
      applied: 0,
      skipped: 6,
      deadLettered: 0,
      conflicts: 0,
      highestLsn: 130,
    });
    expect({ rows: await profiles(), versions: await rowVersions() }).toEqual(before);
  });

  it("keeps the newer value when an older update arrives later, in the next batch or in the same one", async () => {
    await sink.applyBatch([userEvent("u", 200, userRow(ada, "Ada Byron", "ada.byron@example.com"))]);
    await expect(
      sink.applyBatch([userEvent("u", 150, userRow(ada, "Ada Old", "ada.old@example.com"))]),
    ).resolves.toMatchObject({ applied: 0, skipped: 1 });
    await sink.applyBatch([
      userEvent("u", 220, userRow(grace, "Grace Hopper", "g.hopper@example.com")),
      userEvent("u", 210, userRow(grace, "Grace Old", "g.old@example.com")),
    ]);
    expect(await profiles()).toMatchObject({
      [ada]: profile("ada.byron@example.com", "Ada", "Byron"),
      [grace]: profile("g.hopper@example.com", "Grace", "Hopper"),
    });
  });

  it("never resurrects a deleted row with a late update or a replayed create", async () => {
    await sink.applyBatch([
      userEvent("c", 300, userRow(alan, "Alan Turing", "alan@example.com")),
      userEvent("d", 320, { id: alan }),
    ]);
    await expect(
      sink.applyBatch([
        userEvent("u", 310, userRow(alan, "Alan T", "alan.t@example.com")),
        userEvent("c", 300, userRow(alan, "Alan Turing", "alan@example.com")),
      ]),
    ).resolves.toMatchObject({ applied: 0, skipped: 2 });
    expect((await profiles())[alan]).toBeUndefined();
  });

  it("does not rewrite a row when a newer event carries the values it already has (an echo)", async () => {
    const before = await rowVersions();
    await expect(
      sink.applyBatch([userEvent("u", 400, userRow(ada, "Ada Byron", "ada.byron@example.com"))]),
    ).resolves.toMatchObject({ applied: 1 });
    expect((await rowVersions())[ada]).toBe(before[ada]);
  });

  it("dead-letters poison events with their reason and raw event and still applies the rest of this and the next batch", async () => {
    const missingKey = userEvent("c", 510, { email: "nokey@example.com", name: "No Key" });
    const duplicateEmail = userEvent("c", 520, userRow(edsger, "Edsger Dijkstra", "barbara@example.com"));
    const badType = userEvent("c", 530, {
      ...userRow(donald, "Donald Knuth", "donald@example.com"),
      created_at: "not a time",
    });
    const unknownTable = {
      ...userEvent("c", 550, { id: 1 }, "orders"),
      raw: '{"note": "nul \\u0000 cannot be stored in jsonb"}',
    };
    const result = await sink.applyBatch([
      userEvent("c", 500, userRow(barbara, "Barbara Liskov", "barbara@example.com")),
      missingKey,
      duplicateEmail,
      badType,
      unknownTable,
      userEvent("c", 560, userRow(linus, "Linus", "linus@example.com")),
    ]);
    expect(result).toEqual({ applied: 2, skipped: 0, deadLettered: 4, conflicts: 0, highestLsn: 560 });
    await expect(
      sink.applyBatch([userEvent("u", 600, userRow(linus, "Linus Torvalds", "linus@example.com"))]),
    ).resolves.toMatchObject({ applied: 1 });

    const rows = await profiles();
    expect(rows).toMatchObject({
      [barbara]: profile("barbara@example.com", "Barbara", "Liskov"),
      [linus]: profile("linus@example.com", "Linus", "Torvalds"),
    });
    expect(rows[edsger]).toBeUndefined();
    expect(rows[donald]).toBeUndefined();

    const letters = await client.query<{
      source_table: string;
      row_key: string | null;
      lsn: string;
      reason: string;
      raw: unknown;
    }>("SELECT source_table, row_key, lsn::text, reason, raw FROM strangler_cdc.dead_letters ORDER BY id");
    expect(letters.rows.map(({ raw: _raw, ...rest }) => rest)).toEqual([
      { source_table: "users", row_key: null, lsn: "510", reason: 'missing key column "id" in the users row image' },
      {
        source_table: "users",
        row_key: edsger,
        lsn: "520",
        reason: expect.stringMatching(/duplicate key value violates unique constraint.*\(SQLSTATE 23505\)/),
      },
      { source_table: "users", row_key: donald, lsn: "530", reason: expect.stringContaining("SQLSTATE 22007") },
      {
        source_table: "orders",
        row_key: null,
        lsn: "550",
        reason: expect.stringMatching(/^no table mapping for source table "orders" \(raw event not stored: .*\)$/),
      },
    ]);
    expect(letters.rows[0]?.raw).toEqual(JSON.parse(missingKey.raw as string));
    // The failed events did not move their rows' positions: a corrected replay can still apply.
    const positions = await client.query("SELECT 1 FROM strangler_cdc.row_positions WHERE row_key = ANY($1)", [
      [edsger, donald],
    ]);
    expect(positions.rowCount).toBe(0);
  });

  it("writes under its replication origin and counts applied, skipped and dead-lettered events", async () => {
    const status = await client.query(
      "SELECT 1 FROM pg_replication_origin_status s JOIN pg_replication_origin o ON o.roident = s.local_id WHERE o.roname = $1",
      [ORIGIN],
    );
    expect(status.rowCount).toBe(1);
    // 14 applied: 5 + 3 (210 before 220 within a batch: both newer) + 2 + 1 (echo) + 2 + 1.
    const metrics = await sink.registry.metrics();
    expect(metrics).toContain(
      'strangler_cdc_applied_events_total{direction="monolith-to-users-service",table="users"} 14',
    );
    expect(metrics).toContain(
      'strangler_cdc_dead_lettered_events_total{direction="monolith-to-users-service",table="users"} 3',
    );
    expect(metrics).toContain(
      'strangler_cdc_dead_lettered_events_total{direction="monolith-to-users-service",table="orders"} 1',
    );
    expect(metrics).toContain(
      'strangler_cdc_skipped_events_total{direction="monolith-to-users-service",table="",reason="tombstone"} 2',
    );
    expect(metrics).toMatch(
      /strangler_cdc_lag_seconds_count\{direction="monolith-to-users-service",table="users"\} 14/,
    );
  });

  it("is invisible to a logical decoding reader that skips changes with an origin (no echo in two-way sync)", async () => {
    const slot = `strangler_sink_test_${process.pid}`;
    // Temporary: dropped with this session even if the test fails.
    await client.query("SELECT pg_create_logical_replication_slot($1, 'test_decoding', true)", [slot]);
    const local = randomUUID();
    await sink.applyBatch([userEvent("c", 700, userRow(randomUUID(), "Echo Test", "echo@example.com"))]);
    await client.query(
      "INSERT INTO user_profiles (user_id, email_address, first_name) VALUES ($1, 'local@example.com', 'Local')",
      [local],
    );
    const changes = await client.query<{ data: string }>(
      "SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL, 'only-local', '1', 'skip-empty-xacts', '1')",
      [slot],
    );
    const inserts = changes.rows.map((r) => r.data).filter((d) => d.startsWith("table "));
    expect(inserts).toHaveLength(1);
    expect(inserts[0]).toContain(`user_id[uuid]:'${local}'`);
  });

  it("rejects the whole batch on a transient error (lock timeout) instead of dead-lettering, and applies it on retry", async () => {
    const id = randomUUID();
    await expect(
      sink.applyBatch([userEvent("c", 800, userRow(id, "Lock Test", "lock@example.com"))]),
    ).resolves.toMatchObject({ applied: 1 });
    const url = new URL(db.url);
    url.searchParams.set("options", "-c lock_timeout=200");
    const impatient = createSink(
      {
        targetUrl: url.toString(),
        mappings: compileMappers([USERS_TABLE], "forward"),
        direction: "lock-test",
        replicationOrigin: false,
      },
      { logger: pino({ level: "silent" }) },
    );
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    try {
      const lettersBefore = (await client.query("SELECT 1 FROM strangler_cdc.dead_letters")).rowCount;
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM user_profiles WHERE user_id = $1 FOR UPDATE", [id]);
      const batch = [
        userEvent("c", 810, userRow(randomUUID(), "Other Row", "other.lock@example.com")),
        userEvent("u", 820, userRow(id, "Lock Tested", "lock@example.com")),
      ];
      await expect(impatient.applyBatch(batch)).rejects.toMatchObject({ code: "55P03" });
      expect((await client.query("SELECT 1 FROM strangler_cdc.dead_letters")).rowCount).toBe(lettersBefore);
      // Rolled back as a whole: neither event moved its position, so the retry applies both.
      expect((await client.query("SELECT 1 FROM strangler_cdc.row_positions WHERE lsn >= 810")).rowCount).toBe(0);
      await locker.query("ROLLBACK");
      await expect(impatient.applyBatch(batch)).resolves.toMatchObject({ applied: 2, deadLettered: 0 });
      expect((await profiles())[id]).toMatchObject({ first_name: "Lock", last_name: "Tested" });
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
      await impatient.close();
    }
  });
});
