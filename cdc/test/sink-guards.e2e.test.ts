import pino from "pino";
import type { Client } from "pg";
import type { PoolClient } from "pg";
import { type ChangeEvent, type RowImage, compileMappers, createSink, type Sink, type SourcedEvent } from "../src";
import { applyEvent } from "../src/sink/apply-event";
import { ensureSinkSchema } from "../src/sink/sink-schema";
import { type TestDatabase, createEmptyTestDatabase } from "../../stack/src/testing/test-database";
import { connect, dropReplicationOrigin, uniqueName } from "./support/embedded-source-fixture";
import { ledgerConfig, ledgerTargetDdl } from "./support/ledger-schema";

// What keeps the sink from diverging silently, on the ledger fixture's target: the per-event path's
// version guard (a late or replayed event never moves a row back), and the check that no row's
// position advances unless the row reflects the event (applied, or recorded as a conflict or a dead
// letter) — on the set-based and the per-event path.
const ORIGIN = uniqueName("strangler_sink_guards");
let target: TestDatabase;
let client: Client;
let sink: Sink;
const tables =
  ledgerConfig({
    serviceName: "ledger-service",
    sourceUrl: "postgresql://127.0.0.1:9/x",
    targetUrl: "postgresql://127.0.0.1:9/y",
    transport: "embedded",
  }).services[0]?.data?.tables ?? [];
const mappers = compileMappers(tables, "forward");

beforeAll(async () => {
  target = await createEmptyTestDatabase("sink_guards");
  client = await connect(target.url);
  await client.query(ledgerTargetDdl({ foreignKey: false }));
  await ensureSinkSchema(client as unknown as PoolClient);
  sink = createSink(
    { targetUrl: target.url, mappings: mappers, direction: "ledger-to-ledger-service", replicationOrigin: ORIGIN },
    { logger: pino({ level: "silent" }) },
  );
});

afterAll(async () => {
  await sink?.close();
  await dropReplicationOrigin(client, ORIGIN).catch(() => undefined);
  await client?.end();
  await target?.drop();
});

beforeEach(async () => {
  await client.query(
    "TRUNCATE ledger_accounts, strangler_cdc.row_positions, strangler_cdc.dead_letters, strangler_cdc.table_truncations",
  );
  await client.query("DROP TRIGGER IF EXISTS cancel_updates ON ledger_accounts");
});

const account = (id: string, holder: string, updatedAt = "2026-01-01 00:00:00+00", code = `c${id}`): RowImage => ({
  id,
  code,
  holder,
  note: null,
  updated_at: updatedAt,
});

function event(op: ChangeEvent["op"], lsn: number, row: RowImage): ChangeEvent {
  return {
    op,
    before: op === "d" ? row : null,
    after: op === "d" ? null : row,
    ts_ms: 0,
    source: { lsn, txId: lsn, ts_ms: 0, db: "ledger", schema: "public", table: "accounts", snapshot: "false" },
  };
}
const sourced = (e: ChangeEvent): SourcedEvent => ({ event: e, raw: e });

async function holder(id: string): Promise<string | null | undefined> {
  const result = await client.query<{ holder_first: string }>(
    "SELECT holder_first FROM ledger_accounts WHERE account_id = $1",
    [id],
  );
  return result.rows[0]?.holder_first;
}

/** applyEvent inside one transaction: the per-event path alone, without the set-based one in front of it. */
async function perEvent(events: ChangeEvent[]): Promise<string[]> {
  const outcomes: string[] = [];
  await client.query("BEGIN");
  try {
    for (const e of events) outcomes.push((await applyEvent(client as unknown as PoolClient, e, mappers)).kind);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  return outcomes;
}

describe("the per-event path's version guard", () => {
  it("skips an event older than the row's position and one at the same position, so a row never moves back", async () => {
    expect(await perEvent([event("c", 10, account("1", "Ada"))])).toEqual(["applied"]);
    // Older (a late delivery), then the same position with other values (a replay is at its own position).
    expect(await perEvent([event("u", 5, account("1", "Older")), event("u", 10, account("1", "Same"))])).toEqual([
      "skipped",
      "skipped",
    ]);
    expect(await holder("1")).toBe("Ada");
    expect(await perEvent([event("d", 8, account("1", "Ada"))])).toEqual(["skipped"]);
    expect(await holder("1")).toBe("Ada");
    expect(await perEvent([event("u", 11, account("1", "Newer"))])).toEqual(["applied"]);
    expect(await holder("1")).toBe("Newer");
    const positions = await client.query<{ lsn: string }>(
      "SELECT lsn::text FROM strangler_cdc.row_positions WHERE target_table = 'ledger_accounts' AND row_key = '1'",
    );
    expect(positions.rows).toEqual([{ lsn: "11" }]);
  });

  it("keeps a deleted row deleted when an older update arrives late", async () => {
    expect(
      await perEvent([
        event("c", 10, account("2", "Grace")),
        event("d", 20, account("2", "Grace")),
        event("u", 15, account("2", "Late")),
      ]),
    ).toEqual(["applied", "applied", "skipped"]);
    expect(await holder("2")).toBeUndefined();
  });
});

describe("a row's position never advances without the row reflecting the event", () => {
  it("records an update a target trigger silently cancels as a dead letter (set-based and per-event)", async () => {
    await expect(
      sink.applyBatch([sourced(event("c", 10, account("1", "Ada"))), sourced(event("c", 10, account("2", "Bob")))]),
    ).resolves.toMatchObject({ applied: 2, deadLettered: 0 });
    // A BEFORE UPDATE trigger returning NULL: PostgreSQL skips the update and says nothing.
    await client.query(
      "CREATE OR REPLACE FUNCTION strangler_test_cancel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
    );
    await client.query(
      "CREATE TRIGGER cancel_updates BEFORE UPDATE ON ledger_accounts FOR EACH ROW EXECUTE FUNCTION strangler_test_cancel()",
    );
    // Set-based: one update per key in the batch.
    await expect(sink.applyBatch([sourced(event("u", 20, account("1", "Ada Renamed")))])).resolves.toMatchObject({
      applied: 0,
      deadLettered: 1,
      conflicts: 0,
    });
    // Per-event: the same check after a single upsert.
    expect(await perEvent([event("u", 30, account("2", "Bob Renamed"))])).toEqual(["dead-lettered"]);
    const letters = await client.query<{ row_key: string; kind: string; reason: string }>(
      "SELECT row_key, kind, reason FROM strangler_cdc.dead_letters ORDER BY id",
    );
    expect(letters.rows[0]).toMatchObject({ row_key: "1", kind: "unappliable" });
    expect(letters.rows[0]?.reason).toMatch(
      /^not applied: after the upsert the ledger_accounts row differs from the event/,
    );
    expect([await holder("1"), await holder("2")]).toEqual(["Ada", "Bob"]);
  });

  it("records an update that loses to a later target row (newerBy) as a conflict, naming both values", async () => {
    await sink.applyBatch([sourced(event("c", 10, account("3", "Alan", "2026-01-01 00:00:00+00")))]);
    // Another writer changes the target row with a later updated_at.
    await client.query(
      "UPDATE ledger_accounts SET holder_first = 'Service', updated_at = '2026-06-01 00:00:00+00' WHERE account_id = 3",
    );
    await expect(
      sink.applyBatch([sourced(event("u", 20, account("3", "Legacy", "2026-03-01 00:00:00+00")))]),
    ).resolves.toMatchObject({ applied: 0, conflicts: 1, deadLettered: 0 });
    expect(await holder("3")).toBe("Service");
    const letters = await client.query<{ kind: string; reason: string }>(
      "SELECT kind, reason FROM strangler_cdc.dead_letters",
    );
    expect(letters.rows).toHaveLength(1);
    expect(letters.rows[0]?.kind).toBe("conflict");
    expect(letters.rows[0]?.reason).toContain(
      "its updated_at (2026-06-01 00:00:00+00) is later than the event's (2026-03-01 00:00:00+00)",
    );
    expect((await sink.registry.metrics()).match(/strangler_cdc_conflicts_total\{[^}]*\} (\d+)/)?.[1]).toBe("1");
  });

  it("applies an update after a row written with ±infinity timestamps (the newerBy rule compares them), without a conflict", async () => {
    await sink.applyBatch([sourced(event("c", 10, { ...account("4", "Inf", "infinity"), opened_on: "-infinity" }))]);
    await expect(
      sink.applyBatch([
        sourced(event("u", 20, { ...account("4", "Renamed", "2026-12-02 10:00:00+00"), opened_on: "-infinity" })),
      ]),
    ).resolves.toMatchObject({ applied: 1, conflicts: 0, deadLettered: 0 });
    expect(await holder("4")).toBe("Renamed");
  });
});
