import { compileWireDecoder, decodeDecimal, type SourceColumnType } from "./debezium-wire-values";

const column = (name: string, udtName: string, datetimePrecision: number | null = null, numericScale: number | null = null): SourceColumnType => ({
  column: name,
  udtName,
  datetimePrecision,
  numericScale,
});

describe("Debezium wire values (JSON converter, schemas off)", () => {
  it("passes what Debezium already writes as the embedded source does: timestamptz strings, uuid, text", () => {
    const decode = compileWireDecoder([column("id", "uuid"), column("created_at", "timestamptz", 3), column("name", "text")]);
    const row = { id: "6f1c1f7e-0000-4000-8000-000000000001", created_at: "2026-11-22T01:46:55.123Z", name: "Ada" };
    expect(decode(row)).toEqual(row);
  });

  it("reads timestamp(0..3) as epoch millis and timestamp(4..6) as epoch micros (adaptive), into ISO-8601 UTC", () => {
    const decode = compileWireDecoder([column("at3", "timestamp", 3), column("at6", "timestamp", 6)]);
    expect(decode({ at3: 1_795_312_015_123, at6: 1_795_312_015_123_456 })).toEqual({ at3: "2026-11-22T01:46:55.123Z", at6: "2026-11-22T01:46:55.123456Z" });
    expect(decode({ at3: -1, at6: -1 })).toEqual({ at3: "1969-12-31T23:59:59.999Z", at6: "1969-12-31T23:59:59.999999Z" });
  });

  it("reads every timestamp as millis under time.precision.mode=connect", () => {
    expect(compileWireDecoder([column("at", "timestamp", 6)], { timePrecisionMode: "connect" })({ at: 1_795_312_015_123 })).toEqual({ at: "2026-11-22T01:46:55.123Z" });
  });

  it("reads dates (epoch days), times (millis or micros), json strings and null", () => {
    const decode = compileWireDecoder([column("d", "date"), column("t", "time", 6), column("t3", "time", 3), column("doc", "jsonb"), column("n", "timestamp", 3)]);
    expect(decode({ d: 20_779, t: 3_723_000_001, t3: 3_723_004, doc: '{"a":[1,2]}', n: null })).toEqual({ d: "2026-11-22", t: "01:02:03.000001", t3: "01:02:03.004000", doc: { a: [1, 2] }, n: null });
  });

  it("decodes precise decimals (base64 two's complement) with the column's scale, and leaves string-mode decimals alone", () => {
    expect(decodeDecimal(Buffer.from([0x30, 0x39]).toString("base64"), 2)).toBe("123.45");
    expect(decodeDecimal(Buffer.from([0xcf, 0xc7]).toString("base64"), 2)).toBe("-123.45");
    expect(decodeDecimal(Buffer.from([0x05]).toString("base64"), 3)).toBe("0.005");
    const precise = compileWireDecoder([column("price", "numeric", null, 2), column("free", "numeric")]);
    expect(precise({ price: "MDk=", free: { scale: 1, value: "AQ==" } })).toEqual({ price: "123.45", free: "0.1" });
    expect(compileWireDecoder([column("price", "numeric", null, 2)], { decimalHandlingMode: "string" })({ price: "123.45" })).toEqual({ price: "123.45" });
  });

  it("decodes arrays element by element and leaves columns it does not know", () => {
    const decode = compileWireDecoder([column("days", "_date")]);
    expect(decode({ days: [0, 1, null], other: 5 })).toEqual({ days: ["1970-01-01", "1970-01-02", null], other: 5 });
  });
});
