import { compileWireDecoder } from "../mapping/debezium-wire-values";
import { readDebeziumMessage } from "./debezium-message";

// The shape Debezium 3.7's PostgreSQL connector writes with the JSON converter, schemas off.
const recorded = (extra: Record<string, unknown> = {}, after: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      before: null,
      after: {
        id: "0b4c3f52-5d0e-4a55-9e43-1c1c6d0f6a01",
        email: "ada@example.com",
        name: "Ada Lovelace",
        phone: null,
        created_at: "2026-11-22T01:46:55.123Z",
        updated_at: "2026-11-22T01:46:55.123Z",
        ...after,
      },
      source: {
        version: "3.7.0.Final",
        connector: "postgresql",
        name: "strangler.monolith",
        ts_ms: 1_795_312_015_123,
        snapshot: "false",
        db: "monolith",
        sequence: '[null,"23456"]',
        schema: "public",
        table: "users",
        txId: 771,
        lsn: 23456,
        xmin: null,
        ...extra,
      },
      transaction: null,
      op: "c",
      ts_ms: 1_795_312_015_200,
    }),
  );

describe("readDebeziumMessage", () => {
  it("reads a change event and keeps the raw text for dead letters", () => {
    const read = readDebeziumMessage(recorded());
    expect(read.kind).toBe("event");
    if (read.kind !== "event") return;
    expect(read.sourced.event).toMatchObject({
      op: "c",
      source: { table: "users", lsn: 23456, txId: 771 },
      after: { name: "Ada Lovelace" },
    });
    expect(typeof read.sourced.raw).toBe("string");
  });

  it("skips tombstones (null or empty value)", () => {
    expect(readDebeziumMessage(null)).toEqual({ kind: "tombstone" });
    expect(readDebeziumMessage(Buffer.alloc(0))).toEqual({ kind: "tombstone" });
  });

  it("drops a change whose transaction ran under the other direction's sink origin, and only that one", () => {
    const echoOrigins = new Set(["strangler_sink_users_service_to_monolith"]);
    expect(
      readDebeziumMessage(recorded({ origin: "strangler_sink_users_service_to_monolith" }), { echoOrigins }).kind,
    ).toBe("echo");
    expect(readDebeziumMessage(recorded({ origin: "someone_else" }), { echoOrigins }).kind).toBe("event");
    expect(readDebeziumMessage(recorded(), { echoOrigins }).kind).toBe("event");
  });

  it("converts the images with the table's wire decoder", () => {
    const decoders = new Map([
      [
        "users",
        compileWireDecoder([{ column: "seen_at", udtName: "timestamp", datetimePrecision: 3, numericScale: null }]),
      ],
    ]);
    const read = readDebeziumMessage(recorded({}, { seen_at: 0 }), { decoders, unknownColumns: "pass" });
    expect(read.kind === "event" && read.sourced.event?.after?.seen_at).toBe("1970-01-01T00:00:00.000Z");
  });

  it("reports columns the table's decoder was not compiled for, so the caller reloads the types first", () => {
    const known = ["id", "email", "name", "phone", "created_at", "updated_at"].map((column) => ({
      column,
      udtName: "text",
      datetimePrecision: null,
      numericScale: null,
    }));
    const decoders = new Map([["users", compileWireDecoder(known)]]);
    expect(readDebeziumMessage(recorded(), { decoders }).kind).toBe("event");
    expect(readDebeziumMessage(recorded({}, { added: 1 }), { decoders })).toEqual({
      kind: "unknown-columns",
      table: "users",
      columns: ["added"],
    });
  });

  it("keeps int8 values beyond 2^53 exact (as decimal strings), where JSON.parse would round them", () => {
    // JSON.stringify cannot write such a number; write it the way Debezium does (a JSON number).
    const text = recorded({}, { big: "9007199254740993" }).toString("utf8");
    const value = Buffer.from(text.replace('"big":"9007199254740993"', '"big":9007199254740993'));
    expect(value.toString()).toContain('"big":9007199254740993');
    const read = readDebeziumMessage(value);
    expect(read.kind === "event" && read.sourced.event?.after?.big).toBe("9007199254740993");
    expect(read.kind === "event" && read.sourced.event?.after?.email).toBe("ada@example.com");
    expect(read.kind === "event" && read.sourced.event?.source.lsn).toBe(23456);
  });

  it("reports a value its decoder cannot convert as invalid instead of throwing", () => {
    const throwing = Object.assign(
      () => {
        throw new RangeError("Invalid time value");
      },
      { columns: new Set(["id", "email", "name", "phone", "created_at", "updated_at"]) },
    );
    const read = readDebeziumMessage(recorded(), { decoders: new Map([["users", throwing]]) });
    expect(read).toMatchObject({ kind: "invalid", reason: "value conversion failed: Invalid time value" });
  });

  it("leaves Debezium's unavailable-value placeholder out, so the target keeps its value", () => {
    const read = readDebeziumMessage(recorded({}, { name: "__debezium_unavailable_value" }));
    expect(read.kind === "event" && read.sourced.event?.after).not.toHaveProperty("name");
  });

  it("reports a message that is not a change event instead of throwing", () => {
    const read = readDebeziumMessage(Buffer.from("{not json"));
    expect(read.kind).toBe("invalid");
    expect(readDebeziumMessage(Buffer.from(JSON.stringify({ op: "x" }))).kind).toBe("invalid");
  });
});
