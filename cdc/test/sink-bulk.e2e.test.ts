import { randomUUID } from "node:crypto";
import { Client } from "pg";
import pino from "pino";
import { compileMappers, createSink, type RowImage, type Sink } from "../src";
import { createTestDatabase, type TestDatabase } from "../../stack/src/testing/test-database";
import { dropReplicationOrigin } from "./support/embedded-source-fixture";
import { USERS_TABLE, userEvent, userRow } from "./sink-test-events";

// The set-based path on real PostgreSQL: a bulk load of new keys (plain INSERT of the positions),
// then batches that meet known keys (the upsert of positions after the optimistic INSERT fails).
const ORIGIN = `strangler_sink_bulk_test_${process.pid}`;
let db: TestDatabase;
let client: Client;
let sink: Sink;

/** The legacy rows the target should mirror, by id. */
const source = new Map<string, RowImage>();

/** Target rows mapped back to the legacy shape, by id (split name joined again). */
async function targetAsSource(): Promise<Map<string, RowImage>> {
  const result = await client.query<{
    user_id: string;
    email_address: string;
    first_name: string;
    last_name: string;
    phone_number: string | null;
  }>("SELECT user_id, email_address, first_name, last_name, phone_number FROM user_profiles");
  return new Map(
    result.rows.map((r) => [
      r.user_id,
      {
        email: r.email_address,
        name: r.last_name === "" ? r.first_name : `${r.first_name} ${r.last_name}`,
        phone: r.phone_number,
      },
    ]),
  );
}

/** How often the set-based path fell back to event by event (the counter is absent until the first time). */
async function fallbacks(): Promise<number> {
  const line = (await sink.registry.metrics())
    .split("\n")
    .find((l) => l.startsWith("strangler_cdc_set_based_fallbacks_total{"));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

const expected = (): Map<string, RowImage> =>
  new Map([...source].map(([id, row]) => [id, { email: row.email, name: row.name, phone: row.phone }]));

// Values an array literal must escape or must not mistake for NULL or for its own syntax.
const NAMES = ['Quote "Q" Person', "Back\\Slash", "Brace {x,y}", "NULL", "Comma, Name", "Plain Name"];

beforeAll(async () => {
  db = await createTestDatabase("users_service");
  client = new Client({ connectionString: db.url });
  await client.connect();
  sink = createSink(
    {
      targetUrl: db.url,
      mappings: compileMappers([USERS_TABLE], "forward"),
      direction: "bulk-test",
      replicationOrigin: ORIGIN,
    },
    { logger: pino({ level: "silent" }) },
  );
});

afterAll(async () => {
  await sink?.close();
  if (client) await dropReplicationOrigin(client, ORIGIN).catch(() => undefined);
  await client?.end();
  await db?.drop();
});

describe("the sink's set-based path", () => {
  it("applies a bulk load of new keys, values that need escaping included, key by key equal to the source", async () => {
    const events = Array.from({ length: 60 }, (_, i) => {
      const id = randomUUID();
      const row = userRow(
        id,
        NAMES[i % NAMES.length] as string,
        `bulk-${i}@example.com`,
        i % 2 === 0 ? null : `+1 555 ${i}`,
      );
      source.set(id, row);
      return userEvent("c", 1000 + i, row);
    });
    await expect(sink.applyBatch(events)).resolves.toEqual({
      applied: 60,
      skipped: 0,
      deadLettered: 0,
      conflicts: 0,
      highestLsn: 1059,
    });
    expect(await targetAsSource()).toEqual(expected());
    expect(await fallbacks()).toBe(0);
  });

  it("applies a batch of known and new keys after the bulk load, and skips a replay of it", async () => {
    const known = [...source.keys()].slice(0, 20);
    const batch = known.map((id, i) => {
      const row = userRow(id, `Renamed ${i}`, `renamed-${i}@example.com`);
      source.set(id, row);
      return userEvent("u", 2000 + i, row);
    });
    const fresh = randomUUID();
    source.set(fresh, userRow(fresh, "New Person", "new@example.com"));
    batch.push(userEvent("c", 2100, source.get(fresh) as RowImage));
    await expect(sink.applyBatch(batch)).resolves.toEqual({
      applied: 21,
      skipped: 0,
      deadLettered: 0,
      conflicts: 0,
      highestLsn: 2100,
    });
    await expect(sink.applyBatch(batch)).resolves.toEqual({
      applied: 0,
      skipped: 21,
      deadLettered: 0,
      conflicts: 0,
      highestLsn: 2100,
    });
    expect(await targetAsSource()).toEqual(expected());
    expect(await fallbacks()).toBe(0);
  });

  it("applies the next bulk load of new keys after batches of known keys", async () => {
    const events = Array.from({ length: 10 }, (_, i) => {
      const id = randomUUID();
      source.set(id, userRow(id, `Later ${i}`, `later-${i}@example.com`));
      return userEvent("c", 3000 + i, source.get(id) as RowImage);
    });
    await expect(sink.applyBatch(events)).resolves.toMatchObject({ applied: 10, deadLettered: 0 });
    await expect(sink.applyBatch(events)).resolves.toMatchObject({ applied: 0, skipped: 10 });
    expect(await targetAsSource()).toEqual(expected());
    expect(await fallbacks()).toBe(0);
  });

  it("falls back to event by event for a batch with a poison event, dead-letters it and applies the others", async () => {
    const [good, poison] = [randomUUID(), randomUUID()];
    source.set(good, userRow(good, "Good Row", "good@example.com"));
    const duplicateEmail = userEvent("c", 4001, userRow(poison, "Poison Row", "new@example.com"));
    await expect(
      sink.applyBatch([userEvent("c", 4000, source.get(good) as RowImage), duplicateEmail]),
    ).resolves.toMatchObject({ applied: 1, deadLettered: 1 });
    expect(await targetAsSource()).toEqual(expected());
    expect(await fallbacks()).toBe(1);
  });
});

describe("the sink's set-based path on a json column", () => {
  it("stores each JSON document as its text says (a JSON string stays a string), without falling back", async () => {
    await client.query("CREATE TABLE docs (id int PRIMARY KEY, body jsonb, note text)");
    const docs = createSink(
      {
        targetUrl: db.url,
        mappings: compileMappers(
          [{ source: "docs", target: "docs", key: { id: "id" }, columns: { body: "body", note: "note" }, split: [] }],
          "forward",
        ),
        direction: "bulk-docs-test",
        replicationOrigin: false,
      },
      { logger: pino({ level: "silent" }) },
    );
    try {
      // Values are PostgreSQL text (ADR 0011): a jsonb value arrives as its document's text; an
      // object (from code that built the event) is written as its JSON.
      const bodies: unknown[] = [
        '"just a string"',
        '"123"',
        "42",
        "true",
        "null",
        '{"a": [1, "x", null], "é": "\\u00e9"}',
        { a: [1, 2] },
      ];
      const events = bodies.map((body, i) => userEvent("c", 5000 + i, { id: i + 1, body, note: `n${i}` }, "docs"));
      await expect(docs.applyBatch(events.slice(0, 4))).resolves.toMatchObject({ applied: 4, deadLettered: 0 });
      await expect(docs.applyBatch(events.slice(4))).resolves.toMatchObject({ applied: 3, deadLettered: 0 });
      const rows = await client.query<{ id: number; body: unknown }>("SELECT id, body FROM docs ORDER BY id");
      expect(rows.rows.map((r) => r.body)).toEqual([
        "just a string",
        "123",
        42,
        true,
        null,
        { a: [1, "x", null], é: "é" },
        { a: [1, 2] },
      ]);
      expect(await docs.registry.metrics()).not.toMatch(/strangler_cdc_set_based_fallbacks_total\{[^}]*\} [1-9]/);
    } finally {
      await docs.close();
    }
  });
});
