import {
  compileWireDecoder,
  daysToDate,
  decodeBytea,
  decodeDecimal,
  microsToIso,
  type SourceColumnType,
} from "./debezium-wire-values";

const column = (
  name: string,
  udtName: string,
  datetimePrecision: number | null = null,
  numericScale: number | null = null,
): SourceColumnType => ({
  column: name,
  udtName,
  datetimePrecision,
  numericScale,
});

describe("Debezium wire values (JSON converter, schemas off)", () => {
  it("passes what Debezium already writes as the embedded source does: timestamptz strings, uuid, text", () => {
    const decode = compileWireDecoder([
      column("id", "uuid"),
      column("created_at", "timestamptz", 3),
      column("name", "text"),
    ]);
    const row = { id: "6f1c1f7e-0000-4000-8000-000000000001", created_at: "2026-11-22T01:46:55.123Z", name: "Ada" };
    expect(decode(row)).toEqual(row);
  });

  it("reads timestamp(0..3) as epoch millis and timestamp(4..6) as epoch micros (adaptive), into ISO-8601 UTC", () => {
    const decode = compileWireDecoder([column("at3", "timestamp", 3), column("at6", "timestamp", 6)]);
    expect(decode({ at3: 1_795_312_015_123, at6: 1_795_312_015_123_456 })).toEqual({
      at3: "2026-11-22T01:46:55.123Z",
      at6: "2026-11-22T01:46:55.123456Z",
    });
    expect(decode({ at3: -1, at6: -1 })).toEqual({
      at3: "1969-12-31T23:59:59.999Z",
      at6: "1969-12-31T23:59:59.999999Z",
    });
  });

  it("reads every timestamp as millis under time.precision.mode=connect", () => {
    expect(
      compileWireDecoder([column("at", "timestamp", 6)], { timePrecisionMode: "connect" })({ at: 1_795_312_015_123 }),
    ).toEqual({ at: "2026-11-22T01:46:55.123Z" });
  });

  it("reads dates (epoch days), times (millis or micros) and null, and keeps json documents as their text", () => {
    const decode = compileWireDecoder([
      column("d", "date"),
      column("t", "time", 6),
      column("t3", "time", 3),
      column("doc", "jsonb"),
      column("n", "timestamp", 3),
    ]);
    expect(decode({ d: 20_779, t: 3_723_000_001, t3: 3_723_004, doc: '{"a":[1,2]}', n: null })).toEqual({
      d: "2026-11-22",
      t: "01:02:03.000001",
      t3: "01:02:03.004000",
      doc: '{"a":[1,2]}',
      n: null,
    });
  });

  it("decodes precise decimals (base64 two's complement) with the column's scale, and leaves string-mode decimals alone", () => {
    expect(decodeDecimal(Buffer.from([0x30, 0x39]).toString("base64"), 2)).toBe("123.45");
    expect(decodeDecimal(Buffer.from([0xcf, 0xc7]).toString("base64"), 2)).toBe("-123.45");
    expect(decodeDecimal(Buffer.from([0x05]).toString("base64"), 3)).toBe("0.005");
    const precise = compileWireDecoder([column("price", "numeric", null, 2), column("free", "numeric")]);
    expect(precise({ price: "MDk=", free: { scale: 1, value: "AQ==" } })).toEqual({ price: "123.45", free: "0.1" });
    expect(
      compileWireDecoder([column("price", "numeric", null, 2)], { decimalHandlingMode: "string" })({ price: "123.45" }),
    ).toEqual({ price: "123.45" });
    // Recorded from Debezium 3.7 (string mode): numeric's infinities by their Java names, NaN as is.
    const strings = compileWireDecoder([column("a", "numeric"), column("b", "numeric"), column("c", "numeric")], {
      decimalHandlingMode: "string",
    });
    expect(strings({ a: "POSITIVE_INFINITY", b: "NEGATIVE_INFINITY", c: "NaN" })).toEqual({
      a: "Infinity",
      b: "-Infinity",
      c: "NaN",
    });
  });

  it("decodes arrays element by element and leaves columns it does not know", () => {
    const decode = compileWireDecoder([column("days", "_date")]);
    expect(decode({ days: [0, 1, null], other: 5 })).toEqual({ days: ["1970-01-01", "1970-01-02", null], other: 5 });
  });

  it("refuses a multi-dimensional array, which Debezium sends as Java object names, saying why", () => {
    const decode = compileWireDecoder([column("tags", "_text"), column("ok", "_text")]);
    expect(decode({ ok: ["a", null, "[not java"] })).toEqual({ ok: ["a", null, "[not java"] });
    expect(() => decode({ tags: ["[Ljava.lang.String;@7831a174", "[Ljava.lang.String;@7aaf568a"] })).toThrow(
      /tags: Debezium sent a multi-dimensional array as Java object names/,
    );
  });

  it("maps Debezium's infinity sentinels to 'infinity' / '-infinity' (recorded from Debezium 3.7)", () => {
    const decode = compileWireDecoder([
      column("at3", "timestamp", 3),
      column("at6", "timestamp", 6),
      column("d", "date"),
    ]);
    // micros: Long.MAX / MIN (read losslessly as decimal strings); millis: the JDBC driver's DATE_POSITIVE/NEGATIVE_INFINITY.
    expect(decode({ at3: "9223372036825200000", at6: "9223372036854775807", d: 2_146_033_979 })).toEqual({
      at3: "infinity",
      at6: "infinity",
      d: "infinity",
    });
    expect(decode({ at3: "-9223372036832400000", at6: "-9223372036854775808", d: -2_147_472_691 })).toEqual({
      at3: "-infinity",
      at6: "-infinity",
      d: "-infinity",
    });
    // Earlier recordings of a date's infinities: 32-bit day counts.
    expect(decode({ d: -622_191_234 })).toEqual({ d: "infinity" });
    expect(decode({ d: -625_821_272 })).toEqual({ d: "-infinity" });
  });

  it("keeps a timestamp just below Long.MAX micros (a real one), and refuses one Debezium wrapped around", () => {
    const decode = compileWireDecoder([column("at6", "timestamp", 6), column("at3", "timestamp", 3)]);
    expect(decode({ at6: "9223372036854775806" })).toEqual({ at6: "294247-01-10 04:00:54.775806" });
    expect(decode({ at3: "9224318015999999" })).toEqual({ at3: "294276-12-31 23:59:59.999" });
    expect(() => decode({ at6: "-9223372036853775810" })).toThrow(
      /outside PostgreSQL's range: Debezium sends timestamps after 294247-01-10 wrapped around/,
    );
  });

  it("writes years above 9999 and before 1 AD the way PostgreSQL reads them back", () => {
    const decode = compileWireDecoder([column("at", "timestamp", 6), column("d", "date")]);
    // 10000-01-01 00:00:00.5 and 44 BC (astronomical year -43).
    expect(decode({ at: 253_402_300_800_500_000, d: 2_932_897 })).toEqual({
      at: "10000-01-01 00:00:00.500",
      d: "10000-01-01",
    });
    expect(microsToIso(-63_517_780_800_000_000n)).toBe("0044-03-15 12:00:00.000 BC");
    expect(daysToDate(-719_163n)).toBe("0001-12-31 BC");
    expect(daysToDate(-719_162n)).toBe("0001-01-01");
    // Inside Date's range the embedded source's form stays as it was.
    expect(microsToIso(1_795_312_015_123_456n)).toBe("2026-11-22T01:46:55.123456Z");
    expect(microsToIso(-1n)).toBe("1969-12-31T23:59:59.999999Z");
  });

  it("writes a timestamptz year before 1 AD or above 9999 without Java's sign, as PostgreSQL reads it", () => {
    const decode = compileWireDecoder([column("at", "timestamptz", 6)]);
    expect(decode({ at: "-4712-01-01T00:00:00Z" })).toEqual({ at: "4713-01-01T00:00:00Z BC" });
    expect(decode({ at: "0000-03-01T12:00:00.5Z" })).toEqual({ at: "0001-03-01T12:00:00.5Z BC" });
    expect(decode({ at: "+10000-01-01T00:00:00Z" })).toEqual({ at: "10000-01-01T00:00:00Z" });
    expect(decode({ at: "2026-11-22T01:46:55.123Z" })).toEqual({ at: "2026-11-22T01:46:55.123Z" });
    expect(decode({ at: "infinity" })).toEqual({ at: "infinity" });
  });

  it("decodes bytea (base64, Debezium's default) into PostgreSQL's hex form, and intervals in both modes", () => {
    const decode = compileWireDecoder([column("b", "bytea"), column("i", "interval"), column("bs", "_bytea")]);
    expect(
      decode({ b: Buffer.from([0, 1, 0xfe, 0xff]).toString("base64"), i: "P1Y2M3DT4H5M6.5S", bs: ["AQ==", null] }),
    ).toEqual({ b: "\\x0001feff", i: "P1Y2M3DT4H5M6.5S", bs: ["\\x01", null] });
    expect(decode({ i: 3_600_000_000 })).toEqual({ i: "3600000000 microseconds" });
    expect(decodeBytea("0A1B", "hex")).toBe("\\x0a1b");
    expect(decodeBytea("__vv", "base64-url-safe")).toBe("\\xfffbef");
  });
});
