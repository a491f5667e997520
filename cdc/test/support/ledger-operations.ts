import fc from "fast-check";
import type { Client } from "pg";
import { toPgText } from "../../src/mapping/pg-text";

// Random write sequences on the ledger fixture (ledger-schema.ts) for the property-based equality
// tests: inserts, updates, primary-key changes (single, swapped, chained, cascading into entries),
// deletes, truncates, in multi-statement transactions, with values drawn from the edges of their
// types. Every value is written as PostgreSQL text with an explicit cast, as a user's SQL would.

/** Account keys: small ones that collide often, and the ends of bigint. 0 is the swap's parking key, never drawn. */
const ACCOUNT_IDS = ["1", "2", "3", "4", "5", "9223372036854775807", "-9223372036854775808"] as const;
const ENTRY_IDS = ["1", "2", "3", "4", "5", "6"] as const;
const SWAP_PARKING_KEY = "0";

const EDGE_DATES = [
  "4713-01-01 BC",
  "0044-03-15 BC",
  "0001-12-31 BC",
  "0001-01-01",
  "1970-01-01",
  "2000-02-29",
  "9999-12-31",
  "10000-01-01",
  "5874897-12-31",
  "infinity",
  "-infinity",
];
const EDGE_TIMESTAMPTZ = [
  "4713-01-01 00:00:00+00 BC",
  "0001-01-01 00:00:00+00 BC",
  "0001-01-01 00:00:00+00",
  "1969-12-31 23:59:59.999999+00",
  "2000-02-29 12:34:56.789012+05:30",
  "1999-12-31 23:59:59.5-08",
  "9999-12-31 23:59:59.999999+00",
  "10000-01-01 00:00:00.000001+00",
  "294276-12-31 23:59:59.999999+00",
  "infinity",
  "-infinity",
];
const EDGE_NUMERIC = [
  "NaN",
  "Infinity",
  "-Infinity",
  "0",
  "-0.000000000000000000000000000001",
  "1e-130",
  "123456789012345678901234567890.123456789",
  `${"9".repeat(600)}.${"1".repeat(300)}`,
  "-42",
  "1.0",
  "1.00",
];
const EDGE_FLOAT = [
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "0",
  "1.7976931348623157e308",
  "5e-324",
  "2.2250738585072014e-308",
  "0.1",
  "-1.5",
];
const EDGE_TEXT = [
  "",
  "NULL",
  "\\x",
  'quote " and \\ backslash',
  "{a,b}",
  "tab\tnewline\nreturn\r",
  "é ü ß 漢字 😀 e\u0301",
  "  spaced  out  ",
];
const EDGE_JSON = [
  '{"a":"\\u00e9"}',
  '{"emoji":"\\ud83d\\ude00","esc":"\\"\\\\\\n"}',
  '"just a string"',
  "null",
  "[]",
  '{"n":1e400,"m":-0.0,"deep":{"x":[1,[2,[3]]]}}',
  "123.4500",
];

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** A random timestamp text within years 1..9999 (as PostgreSQL reads it), with an offset or without. */
const randomTimestamp = (withOffset: boolean) =>
  fc
    .record({
      ms: fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
      micros: fc.integer({ min: 0, max: 999 }),
      offset: fc.constantFrom("+00", "+05:30", "-08", "+14", "-12:45"),
    })
    .map(({ ms, micros, offset }) => {
      const iso = new Date(ms).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${pad(micros, 3)}${withOffset ? offset : ""}`;
    });

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 6 });

/**
 * A long text stands in the generated operations as `\u0000long:<seed>` (a printed counterexample
 * stays short; PostgreSQL text cannot hold NUL, so no real value looks like it) and is expanded when run.
 */
const LONG_TEXT = "\u0000long:";
const expand = (value: unknown): unknown =>
  typeof value === "string" && value.startsWith(LONG_TEXT)
    ? longText(Number(value.slice(LONG_TEXT.length)), 6000)
    : value;

/** Text that does not compress, long enough to be stored out of line (TOAST), from a seed. */
function longText(seed: number, length: number): string {
  let x = seed >>> 0 || 1;
  const chars: string[] = [];
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    chars.push(String.fromCharCode(0x21 + ((x >>> 0) % 0x5d)));
  }
  return chars.join("");
}

const text = fc.oneof(
  fc.constantFrom(...EDGE_TEXT),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.integer().map((seed) => `${LONG_TEXT}${seed}`),
);
/**
 * What a transport can carry. Debezium's PostgreSQL connector loses (and the sink then refuses, saying
 * why) multi-dimensional arrays (it sends Java object names for the inner arrays) and timestamps
 * without time zone after 294247-01-10 (micros since 1970 overflow its Java long).
 */
export interface LedgerValueOptions {
  onlyWhatDebeziumCarries: boolean;
}

const accountValues = (options: LedgerValueOptions) => ({
  holder: nullable(
    fc.oneof(
      fc.constantFrom("Ada Lovelace", "Cher", " leading", "trailing ", "a  b", "", "Jean-Luc O'Brien d'Arc"),
      fc.string({ maxLength: 20 }),
    ),
  ),
  opened_on: nullable(
    fc.oneof(
      fc.constantFrom(...EDGE_DATES),
      randomTimestamp(false).map((t) => t.slice(0, 10)),
    ),
  ),
  created_at: nullable(fc.oneof(fc.constantFrom(...EDGE_TIMESTAMPTZ), randomTimestamp(true))),
  local_at: nullable(
    fc.oneof(
      fc.constantFrom(
        "4713-01-01 00:00:00 BC",
        "294247-01-10 04:00:54.775806",
        "infinity",
        "-infinity",
        "2026-03-29 02:30:00",
        ...(options.onlyWhatDebeziumCarries ? [] : ["294276-12-31 23:59:59.999999"]),
      ),
      randomTimestamp(false),
    ),
  ),
  balance: nullable(
    fc.oneof(fc.constantFrom(...EDGE_NUMERIC), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String)),
  ),
  ratio: nullable(
    fc.oneof(
      fc.constantFrom(...EDGE_FLOAT),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? "-0" : String(d))),
    ),
  ),
  note: nullable(text),
  tags: nullable(
    fc.oneof(
      fc.constantFrom(
        "{}",
        '{"",NULL,"NULL","x,y","q\\"uote"}',
        ...(options.onlyWhatDebeziumCarries ? [] : ["{{a,b},{c,d}}", "{{{1}},{{NULL}}}"]),
      ),
      fc.array(nullable(fc.string({ maxLength: 8 })), { maxLength: 4 }).map((a) => toPgText(a) as string),
    ),
  ),
  scores: nullable(
    fc
      .array(nullable(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 })), { maxLength: 5 })
      .map((a) => toPgText(a) as string),
  ),
  doc: nullable(fc.oneof(fc.constantFrom(...EDGE_JSON), fc.json({ maxDepth: 2 }))),
  term: nullable(
    fc.constantFrom(
      "0",
      "1 day",
      "24 hours",
      "1 day 00:00:00.000001",
      "-1 year -2 mons +3 days -04:05:06.5",
      "178000000 years",
      "-178000000 years",
      "P1Y2M3DT4H5M6.789S",
      "-00:00:00.000001",
    ),
  ),
  raw: nullable(fc.uint8Array({ maxLength: 24 }).map((bytes) => `\\x${Buffer.from(bytes).toString("hex")}`)),
  updated_at: nullable(fc.oneof(fc.constantFrom(...EDGE_TIMESTAMPTZ), randomTimestamp(true))),
});
type AccountValues = { [K in keyof ReturnType<typeof accountValues>]: string | null };
const CASTS: Record<keyof AccountValues, string> = {
  holder: "text",
  opened_on: "date",
  created_at: "timestamptz",
  local_at: "timestamp",
  balance: "numeric",
  ratio: "double precision",
  note: "text",
  tags: "text[]",
  scores: "integer[]",
  doc: "jsonb",
  raw: "bytea",
  term: "interval",
  updated_at: "timestamptz",
};

const accountId = fc.constantFrom(...ACCOUNT_IDS);
const entryId = fc.constantFrom(...ENTRY_IDS);
const code = fc.constantFrom("a", "b", "c", "d", "e", "f", "g");
const linkPart = fc.integer({ min: 1, max: 3 });

export type LedgerOp =
  | { kind: "insert"; id: string; code: string; values: AccountValues }
  | { kind: "update"; id: string; values: Partial<AccountValues> }
  | { kind: "rekey"; id: string; to: string; code: string | null; values: Partial<AccountValues> }
  | { kind: "swap"; a: string; b: string }
  | { kind: "chain"; a: string; b: string; c: string }
  | { kind: "delete"; id: string }
  | { kind: "insertEntry"; id: string; account: string; amount: string | null; memo: string | null }
  | { kind: "updateEntry"; id: string; account: string | null; amount: string | null; memo: string | null }
  | { kind: "deleteEntry"; id: string }
  | { kind: "insertLink"; a: number; b: number; note: string | null }
  | { kind: "updateLink"; a: number; b: number; note: string | null }
  | { kind: "rekeyLink"; a: number; b: number; toA: number; toB: number }
  | { kind: "deleteLink"; a: number; b: number }
  | { kind: "truncate" };

function operation(options: LedgerValueOptions): fc.Arbitrary<LedgerOp> {
  const values = accountValues(options);
  const someValues = fc.record(values, { requiredKeys: [] }) as fc.Arbitrary<Partial<AccountValues>>;
  return fc.oneof(
    {
      arbitrary: fc.record({ kind: fc.constant("insert" as const), id: accountId, code, values: fc.record(values) }),
      weight: 6,
    },
    { arbitrary: fc.record({ kind: fc.constant("update" as const), id: accountId, values: someValues }), weight: 6 },
    {
      arbitrary: fc.record({
        kind: fc.constant("rekey" as const),
        id: accountId,
        to: accountId,
        code: fc.option(code, { nil: null }),
        values: someValues,
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant("swap" as const), a: accountId, b: accountId }), weight: 2 },
    {
      arbitrary: fc.record({ kind: fc.constant("chain" as const), a: accountId, b: accountId, c: accountId }),
      weight: 2,
    },
    { arbitrary: fc.record({ kind: fc.constant("delete" as const), id: accountId }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant("insertEntry" as const),
        id: entryId,
        account: accountId,
        amount: values.balance,
        memo: nullable(fc.string({ maxLength: 12 })),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("updateEntry" as const),
        id: entryId,
        account: fc.option(accountId, { nil: null }),
        amount: values.balance,
        memo: nullable(fc.string({ maxLength: 12 })),
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant("deleteEntry" as const), id: entryId }), weight: 1 },
    // The composite key (a, b) of a table without primary key: few values, so keys collide and move onto each other.
    {
      arbitrary: fc.record({
        kind: fc.constant("insertLink" as const),
        a: linkPart,
        b: linkPart,
        note: nullable(fc.string({ maxLength: 8 })),
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("updateLink" as const),
        a: linkPart,
        b: linkPart,
        note: nullable(fc.string({ maxLength: 8 })),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("rekeyLink" as const),
        a: linkPart,
        b: linkPart,
        toA: linkPart,
        toB: linkPart,
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ kind: fc.constant("deleteLink" as const), a: linkPart, b: linkPart }), weight: 1 },
    { arbitrary: fc.constant({ kind: "truncate" as const }), weight: 1 },
  );
}

/** A sequence of transactions (each a list of operations, run in one BEGIN … COMMIT). */
export const ledgerTransactions = (maxTransactions: number, options: LedgerValueOptions): fc.Arbitrary<LedgerOp[][]> =>
  fc.array(fc.array(operation(options), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: maxTransactions });

/** The SQL statements of one operation (run together under one savepoint). */
function statements(o: LedgerOp): Array<[string, unknown[]]> {
  const assignments = (vals: Partial<AccountValues>, from: number) => {
    const keys = Object.keys(vals) as Array<keyof AccountValues>;
    return { sql: keys.map((k, i) => `${k} = $${from + i}::${CASTS[k]}`), params: keys.map((k) => vals[k]) };
  };
  switch (o.kind) {
    case "insert": {
      const keys = Object.keys(o.values) as Array<keyof AccountValues>;
      return [
        [
          `INSERT INTO accounts (id, code, ${keys.join(", ")}) VALUES ($1::bigint, $2, ${keys.map((k, i) => `$${i + 3}::${CASTS[k]}`).join(", ")})`,
          [o.id, o.code, ...keys.map((k) => o.values[k])],
        ],
      ];
    }
    case "update": {
      const set = assignments(o.values, 2);
      return set.sql.length === 0
        ? []
        : [[`UPDATE accounts SET ${set.sql.join(", ")} WHERE id = $1::bigint`, [o.id, ...set.params]]];
    }
    case "rekey": {
      const params: unknown[] = [o.id, o.to];
      const extra: string[] = [];
      if (o.code !== null) {
        params.push(o.code);
        extra.push(`code = $${params.length}`);
      }
      const set = assignments(o.values, params.length + 1);
      return [
        [
          `UPDATE accounts SET ${["id = $2::bigint", ...extra, ...set.sql].join(", ")} WHERE id = $1::bigint`,
          [...params, ...set.params],
        ],
      ];
    }
    case "swap":
      return [
        ["UPDATE accounts SET id = $2::bigint WHERE id = $1::bigint", [o.a, SWAP_PARKING_KEY]],
        ["UPDATE accounts SET id = $1::bigint WHERE id = $2::bigint", [o.a, o.b]],
        ["UPDATE accounts SET id = $2::bigint WHERE id = $1::bigint", [SWAP_PARKING_KEY, o.b]],
      ];
    case "chain":
      return [
        ["UPDATE accounts SET id = $2::bigint WHERE id = $1::bigint", [o.b, o.c]],
        ["UPDATE accounts SET id = $2::bigint WHERE id = $1::bigint", [o.a, o.b]],
      ];
    case "delete":
      return [["DELETE FROM accounts WHERE id = $1::bigint", [o.id]]];
    case "insertEntry":
      return [
        [
          "INSERT INTO entries (id, account_id, amount, memo) VALUES ($1::bigint, $2::bigint, $3::numeric, $4)",
          [o.id, o.account, o.amount, o.memo],
        ],
      ];
    case "updateEntry":
      return [
        [
          "UPDATE entries SET account_id = coalesce($2::bigint, account_id), amount = $3::numeric, memo = $4 WHERE id = $1::bigint",
          [o.id, o.account, o.amount, o.memo],
        ],
      ];
    case "deleteEntry":
      return [["DELETE FROM entries WHERE id = $1::bigint", [o.id]]];
    case "insertLink":
      return [["INSERT INTO links (a, b, note) VALUES ($1, $2, $3)", [o.a, o.b, o.note]]];
    case "updateLink":
      return [["UPDATE links SET note = $3 WHERE a = $1 AND b = $2", [o.a, o.b, o.note]]];
    case "rekeyLink":
      return [["UPDATE links SET a = $3, b = $4 WHERE a = $1 AND b = $2", [o.a, o.b, o.toA, o.toB]]];
    case "deleteLink":
      return [["DELETE FROM links WHERE a = $1 AND b = $2", [o.a, o.b]]];
    case "truncate":
      return [["TRUNCATE entries, accounts, links", []]];
  }
}

/**
 * Runs the transactions on the source. An operation the source refuses (a taken key or code, a
 * missing account, a value jsonb refuses) is rolled back to its savepoint, as an application would
 * handle it; the others commit. Returns how many operations committed.
 */
export async function runLedgerTransactions(client: Client, transactions: readonly LedgerOp[][]): Promise<number> {
  let committed = 0;
  for (const transaction of transactions) {
    await client.query("BEGIN");
    try {
      for (const o of transaction) {
        await client.query("SAVEPOINT op");
        try {
          for (const [sql, params] of statements(o)) await client.query(sql, params.map(expand));
          await client.query("RELEASE SAVEPOINT op");
          committed += 1;
        } catch {
          await client.query("ROLLBACK TO SAVEPOINT op");
        }
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }
  return committed;
}
