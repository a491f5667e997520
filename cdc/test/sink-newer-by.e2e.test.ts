import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink, type Sink, type SourcedEvent } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationOrigin } from "./support/embedded-source-fixture";
import { USERS_TABLE, userEvent, userRow } from "./sink-test-events";

// newerBy decides conflicts only (ADR 0005): within one source, commit order wins even when updated_at goes back.
const ORIGIN = `strangler_sink_newer_by_test_${process.pid}`;
let monolith: TestDatabase;
let service: TestDatabase;
let source: Client;
let locker: Client;
let target: Client;
let sink: Sink;

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  source = new Client({ connectionString: monolith.url });
  locker = new Client({ connectionString: monolith.url });
  target = new Client({ connectionString: service.url });
  await Promise.all([source.connect(), locker.connect(), target.connect()]);
  sink = createSink(
    {
      targetUrl: service.url,
      mappings: compileMappers([USERS_TABLE], "forward"),
      direction: "monolith-to-users-service",
      replicationOrigin: ORIGIN,
    },
    { logger: pino({ level: "silent" }) },
  );
});

afterAll(async () => {
  await sink.close();
  await dropReplicationOrigin(target, ORIGIN);
  await Promise.all([source.end(), locker.end(), target.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
});

/** How often the set-based path fell back to event by event: it must not hide a failing set-based statement here. */
async function fallbacks(): Promise<number> {
  const line = (await sink.registry.metrics())
    .split("\n")
    .find((l) => l.startsWith("strangler_cdc_set_based_fallbacks_total{"));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

afterEach(async () => {
  expect(await fallbacks()).toBe(0);
});

/** The source row as the event image a transport would deliver. */
async function sourceImage(id: string): Promise<Image> {
  return image(
    id,
    (await source.query("SELECT name, email, phone, updated_at FROM users WHERE id = $1", [id])).rows[0],
  );
}

async function targetRow(id: string): Promise<{ email: string; updatedAt: string } | undefined> {
  const result = await target.query<{ email_address: string; updated_at: Date }>(
    "SELECT email_address, updated_at FROM user_profiles WHERE user_id = $1",
    [id],
  );
  const row = result.rows[0];
  return row && { email: row.email_address, updatedAt: row.updated_at.toISOString() };
}

type Image = ReturnType<typeof userRow>;
/** Emails are unique in both databases: one per test row and write. */
const mail = (id: string, write: string): string => `${id}.${write}@example.com`;
/** Polls (10 ms apart) for T1 to wait on T2's row lock. */
const LOCK_WAIT_POLLS = 500;
const RETURNING = "RETURNING name, email, phone, updated_at";

function image(
  id: string,
  row: { name: string; email: string; phone: string | null; updated_at: Date } | undefined,
): Image {
  if (!row) throw new Error(`no source row ${id}`);
  return userRow(id, row.name, row.email, row.phone, row.updated_at.toISOString());
}

/**
 * Two concurrent monolith updates of one row: T1 takes updated_at 10:00:00 and waits on T2's row
 * lock; T2 (10:00:01) commits first, T1 after it. Returns each one's row image, in commit order.
 */
async function lockWaitUpdates(id: string): Promise<{ first: Image; second: Image }> {
  const t1Pid = (await source.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
  await locker.query("BEGIN");
  const t2 = await locker.query(
    `UPDATE users SET email = $2, updated_at = '2026-01-05T10:00:01Z' WHERE id = $1 ${RETURNING}`,
    [id, mail(id, "t2")],
  );
  const t1 = source.query(
    `UPDATE users SET email = $2, updated_at = '2026-01-05T10:00:00Z' WHERE id = $1 ${RETURNING}`,
    [id, mail(id, "t1")],
  );
  // Commit T2 only once T1 waits for its row lock.
  for (let attempt = 1; ; attempt += 1) {
    const waiting = await locker.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [
      t1Pid,
    ]);
    if (waiting.rowCount === 1) break;
    if (attempt === LOCK_WAIT_POLLS) {
      await locker.query("ROLLBACK");
      await t1;
      throw new Error("T1 never waited for T2's row lock");
    }
    await sleep(10);
  }
  await locker.query("COMMIT");
  const second = image(id, (await t1).rows[0]);
  return { first: image(id, t2.rows[0]), second };
}

async function seedRow(id: string): Promise<void> {
  await source.query(
    "INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, 'Ada Lovelace', '2026-01-02T00:00:00Z')",
    [id, mail(id, "seed")],
  );
  await sink.applyBatch([userEvent("c", 10, await sourceImage(id))]);
}

describe("newerBy decides conflicts only", () => {
  it("applies a later commit with an older updated_at (row lock wait), in separate batches", async () => {
    const id = randomUUID();
    await seedRow(id);
    const { first, second } = await lockWaitUpdates(id);
    expect(first).toMatchObject({ email: mail(id, "t2"), updated_at: "2026-01-05T10:00:01.000Z" });
    // The source ends with T1's row: the later commit, with the older updated_at.
    expect(await sourceImage(id)).toEqual(second);
    expect(second).toMatchObject({ email: mail(id, "t1"), updated_at: "2026-01-05T10:00:00.000Z" });
    await sink.applyBatch([userEvent("u", 20, first)]);
    await sink.applyBatch([userEvent("u", 30, second)]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "t1"), updatedAt: "2026-01-05T10:00:00.000Z" });
  });

  it("applies a later commit with an older updated_at (row lock wait), in one batch", async () => {
    const id = randomUUID();
    await seedRow(id);
    const { first, second } = await lockWaitUpdates(id);
    await sink.applyBatch([userEvent("u", 20, first), userEvent("u", 30, second)]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "t1"), updatedAt: "2026-01-05T10:00:00.000Z" });
  });

  it("applies the older updated_at after a replay of the same batches", async () => {
    const id = randomUUID();
    await seedRow(id);
    const { first, second } = await lockWaitUpdates(id);
    const batch: SourcedEvent[] = [userEvent("u", 20, first)];
    await sink.applyBatch(batch);
    await sink.applyBatch(batch);
    await sink.applyBatch([userEvent("u", 20, first), userEvent("u", 30, second)]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "t1"), updatedAt: "2026-01-05T10:00:00.000Z" });
  });

  it("applies a later commit with an older updated_at in a batch that also replays another row's event", async () => {
    const [id, other] = [randomUUID(), randomUUID()];
    await seedRow(id);
    await seedRow(other);
    const { first, second } = await lockWaitUpdates(id);
    await sink.applyBatch([userEvent("u", 20, first)]);
    // The replayed event of `other` is not newer: the rows are upserted apart from the positions.
    await sink.applyBatch([userEvent("c", 10, await sourceImage(other)), userEvent("u", 30, second)]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "t1"), updatedAt: "2026-01-05T10:00:00.000Z" });
  });

  it("applies a later commit with an older updated_at in a batch that also deletes another row", async () => {
    const [id, other] = [randomUUID(), randomUUID()];
    await seedRow(id);
    await seedRow(other);
    const { first, second } = await lockWaitUpdates(id);
    await sink.applyBatch([userEvent("u", 20, first)]);
    await sink.applyBatch([userEvent("d", 25, await sourceImage(other)), userEvent("u", 30, second)]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "t1"), updatedAt: "2026-01-05T10:00:00.000Z" });
    expect(await targetRow(other)).toBeUndefined();
  });

  it("keeps a later local change of the target against an older source event, and takes a newer one", async () => {
    const id = randomUUID();
    await seedRow(id);
    // The service changes the row itself (not through the sink), later than the monolith's next change.
    await target.query(
      "UPDATE user_profiles SET email_address = $2, updated_at = '2026-01-05T11:00:00Z' WHERE user_id = $1",
      [id, mail(id, "local")],
    );
    await source.query("UPDATE users SET email = $2, updated_at = '2026-01-05T10:00:00Z' WHERE id = $1", [
      id,
      mail(id, "old"),
    ]);
    await sink.applyBatch([userEvent("u", 20, await sourceImage(id))]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "local"), updatedAt: "2026-01-05T11:00:00.000Z" });
    await source.query("UPDATE users SET email = $2, updated_at = '2026-01-05T12:00:00Z' WHERE id = $1", [
      id,
      mail(id, "new"),
    ]);
    await sink.applyBatch([userEvent("u", 30, await sourceImage(id))]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "new"), updatedAt: "2026-01-05T12:00:00.000Z" });
  });

  it("keeps a later local change against older source events applied event by event", async () => {
    const id = randomUUID();
    await seedRow(id);
    await target.query(
      "UPDATE user_profiles SET email_address = $2, updated_at = '2026-01-05T11:00:00Z' WHERE user_id = $1",
      [id, mail(id, "local")],
    );
    // updated_at goes back within the batch (a lock wait in the source): the sink applies these one by one.
    await sink.applyBatch([
      userEvent("u", 20, userRow(id, "Ada Lovelace", mail(id, "t2"), null, "2026-01-05T10:30:00.000Z")),
      userEvent("u", 30, userRow(id, "Ada Lovelace", mail(id, "t1"), null, "2026-01-05T10:00:00.000Z")),
    ]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "local"), updatedAt: "2026-01-05T11:00:00.000Z" });
    await sink.applyBatch([
      userEvent("u", 40, userRow(id, "Ada Lovelace", mail(id, "new"), null, "2026-01-05T12:00:00.000Z")),
      userEvent("u", 50, userRow(id, "Ada Lovelace", mail(id, "last"), null, "2026-01-05T11:59:00.000Z")),
    ]);
    expect(await targetRow(id)).toEqual({ email: mail(id, "last"), updatedAt: "2026-01-05T11:59:00.000Z" });
  });

  it("keeps a local row the sink never wrote against an older source event, and takes a newer one", async () => {
    const id = randomUUID();
    await target.query(
      "INSERT INTO user_profiles (user_id, email_address, first_name, last_name, created_at, updated_at) VALUES ($1, 'grace.local@example.com', 'Grace', 'Hopper', '2026-01-01T00:00:00Z', '2026-01-05T11:00:00Z')",
      [id],
    );
    await sink.applyBatch([
      userEvent("c", 20, userRow(id, "Grace Hopper", "grace.old@example.com", null, "2026-01-05T10:00:00.000Z")),
    ]);
    expect(await targetRow(id)).toEqual({ email: "grace.local@example.com", updatedAt: "2026-01-05T11:00:00.000Z" });
    await sink.applyBatch([
      userEvent("u", 30, userRow(id, "Grace Hopper", "grace.new@example.com", null, "2026-01-05T12:00:00.000Z")),
    ]);
    expect(await targetRow(id)).toEqual({ email: "grace.new@example.com", updatedAt: "2026-01-05T12:00:00.000Z" });
  });
});
