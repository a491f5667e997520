import { changeEventSchema, parseChangeEvent } from "./debezium-envelope";

// parseChangeEvent's shortcuts (a hand-written shape check before zod, and the plain JSON.parse when
// the only long numbers are Debezium's own ts_us/ts_ns) must give exactly what the slow path gives.
const debezium3 = (after: string, extra = "") =>
  `{"before":null,"after":${after},"source":{"version":"3.7.0.Final","connector":"postgresql","name":"s","ts_ms":1796187883704,"ts_us":1796187883704827,"ts_ns":1796187883704827629,"snapshot":"false","db":"monolith","sequence":"[null,\\"1\\"]","schema":"public","table":"t","txId":790,"lsn":107451416,"xmin":null${extra}},"transaction":null,"op":"c","ts_ms":1796187883704,"ts_us":1796187883704827,"ts_ns":1796187883704827629}`;

describe("parseChangeEvent's fast paths", () => {
  it("gives what the schema gives for well-formed events, extra source fields kept", () => {
    const inputs = [
      JSON.parse(debezium3('{"id":1,"name":"Ada"}')) as unknown,
      {
        before: { id: 1 },
        after: null,
        source: { lsn: "42", ts_ms: 1, db: "d", schema: "s", table: "t", origin: "o" },
        op: "d",
        ts_ms: 2,
      },
      {
        after: { id: 1 },
        source: { lsn: 0, ts_ms: 1, db: "d", schema: "s", table: "t", snapshot: true, txId: null },
        op: "r",
        ts_ms: 2,
      },
      { before: null, after: null, source: { lsn: 7, ts_ms: 1, db: "d", schema: "s", table: "t" }, op: "t", ts_ms: 2 },
    ];
    for (const input of inputs) expect(parseChangeEvent(input)).toEqual(changeEventSchema.parse(input));
  });

  it("still says what is wrong with a malformed event", () => {
    expect(() =>
      parseChangeEvent({
        after: { id: 1 },
        source: { lsn: -1, ts_ms: 1, db: "d", schema: "s", table: "t" },
        op: "c",
        ts_ms: 2,
      }),
    ).toThrow("invalid change event: source.lsn: Too small: expected number to be >=0");
    expect(() =>
      parseChangeEvent({
        before: null,
        after: null,
        source: { lsn: 1, ts_ms: 1, db: "d", schema: "s", table: "t" },
        op: "u",
        ts_ms: 2,
      }),
    ).toThrow('after: op "u" needs an after image');
    expect(() =>
      parseChangeEvent({
        after: [],
        source: { lsn: 1, ts_ms: 1, db: "d", schema: "s", table: "t" },
        op: "c",
        ts_ms: 2,
      }),
    ).toThrow("invalid change event: after:");
  });

  it("reads an int8 beyond 2^53 exactly beside Debezium's ts_us/ts_ns", () => {
    const event = parseChangeEvent(debezium3('{"id":9007199254740993,"small":5}'));
    expect(event?.after).toEqual({ id: "9007199254740993", small: 5 });
    expect(event?.source.lsn).toBe(107451416);
  });

  it("reads a row column named ts_us or ts_ns exactly (not mistaken for the envelope's own)", () => {
    expect(parseChangeEvent(debezium3('{"id":1,"ts_ns":9007199254740993}'))?.after).toEqual({
      id: 1,
      ts_ns: "9007199254740993",
    });
    expect(parseChangeEvent(debezium3('{"id":1,"ts_us":1796187883704827001}'))?.after).toEqual({
      id: 1,
      ts_us: "1796187883704827001",
    });
  });

  it("reads a long LSN exactly", () => {
    expect(parseChangeEvent(debezium3('{"id":1}', ',"extra_lsn":12345678901234567890'))?.source.extra_lsn).toBe(
      "12345678901234567890",
    );
  });
});
