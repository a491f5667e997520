import { ChangeEventError, parseChangeEvent, parseJsonExact } from "./debezium-envelope";

// A change as Debezium's PostgreSQL connector writes it with the JSON converter, schemas off.
const source = {
  version: "3.7.0.Final",
  connector: "postgresql",
  name: "strangler.monolith",
  ts_ms: 1_795_312_015_123,
  snapshot: "false",
  db: "monolith",
  schema: "public",
  table: "users",
  txId: 771,
  lsn: 23456,
};
const change = (patch: Record<string, unknown> = {}) => ({
  before: null,
  after: { id: "u1", name: "Ada Lovelace" },
  source,
  op: "c",
  ts_ms: 1_795_312_015_200,
  ...patch,
});
const problemOf = (value: unknown): string => {
  try {
    parseChangeEvent(value);
  } catch (error) {
    if (error instanceof ChangeEventError) return error.message;
    throw error;
  }
  throw new Error("expected the event to be rejected");
};

describe("parseChangeEvent", () => {
  it("reads an envelope given as an object", () => {
    expect(parseChangeEvent(change())).toEqual({
      before: null,
      after: { id: "u1", name: "Ada Lovelace" },
      source: { ...source, snapshot: "false" },
      op: "c",
      ts_ms: 1_795_312_015_200,
    });
  });

  it("reads the same envelope given as JSON text", () => {
    expect(parseChangeEvent(JSON.stringify(change()))).toEqual(parseChangeEvent(change()));
  });

  it("takes the envelope out of its payload when schemas are on", () => {
    expect(
      parseChangeEvent({ schema: { type: "struct" }, payload: change({ op: "u", before: { id: "u1" } }) }),
    ).toMatchObject({ op: "u", before: { id: "u1" } });
    expect(parseChangeEvent(JSON.stringify({ schema: { type: "struct" }, payload: change() }))).toMatchObject({
      op: "c",
      source: { lsn: 23456 },
    });
  });

  it("does not take a payload field for the envelope without a schema beside it", () => {
    expect(problemOf({ payload: change() })).toMatch(/source: /);
    expect(problemOf({ schema: { type: "struct" }, ...change(), source: undefined })).toMatch(/source: /);
  });

  it("reads a tombstone (null, or a null payload with schemas on) as null", () => {
    expect(parseChangeEvent(null)).toBeNull();
    expect(parseChangeEvent({ schema: null, payload: null })).toBeNull();
    expect(parseChangeEvent("null")).toBeNull();
  });

  it("keeps the source fields it does not know, such as Debezium's origin", () => {
    expect(parseChangeEvent(change({ source: { ...source, origin: "strangler_sink_x" } }))?.source.origin).toBe(
      "strangler_sink_x",
    );
  });

  it("reads an LSN written as a string of digits as a number", () => {
    expect(parseChangeEvent(change({ source: { ...source, lsn: "23456" } }))?.source.lsn).toBe(23456);
  });

  it.each([
    ["a negative number", -1],
    ["a fraction", 1.5],
    ["a string that is not digits", "0/5B3C"],
    ["a string with a sign", "-5"],
    ["a string with digits and more", "12a"],
    ["missing", undefined],
  ])("rejects an LSN that is %s", (_case, lsn) => {
    expect(problemOf(change({ source: { ...source, lsn } }))).toMatch(/^invalid change event: source\.lsn: /);
  });

  it("says what an LSN must be when it is neither a number nor digits", () => {
    expect(problemOf(change({ source: { ...source, lsn: "0/5B3C" } }))).toBe(
      "invalid change event: source.lsn: must be the LSN as a number",
    );
  });

  it("defaults a missing or null txId to null and keeps a present one", () => {
    expect(parseChangeEvent(change({ source: { ...source, txId: undefined } }))?.source.txId).toBeNull();
    expect(parseChangeEvent(change({ source: { ...source, txId: null } }))?.source.txId).toBeNull();
    expect(parseChangeEvent(change({ source: { ...source, txId: 0 } }))?.source.txId).toBe(0);
  });

  it("rejects a txId that is not an integer", () => {
    expect(problemOf(change({ source: { ...source, txId: 1.5 } }))).toMatch(/^invalid change event: source\.txId: /);
    expect(problemOf(change({ source: { ...source, txId: "771" } }))).toMatch(/^invalid change event: source\.txId: /);
  });

  it("defaults a missing snapshot marker to false and keeps a string or boolean one", () => {
    expect(parseChangeEvent(change({ source: { ...source, snapshot: undefined } }))?.source.snapshot).toBe(false);
    expect(parseChangeEvent(change({ source: { ...source, snapshot: "last" } }))?.source.snapshot).toBe("last");
    expect(parseChangeEvent(change({ source: { ...source, snapshot: true } }))?.source.snapshot).toBe(true);
    expect(problemOf(change({ source: { ...source, snapshot: 1 } }))).toMatch(/source\.snapshot: /);
  });

  it.each(["db", "schema", "table"])("rejects a source without %s", (field) => {
    expect(problemOf(change({ source: { ...source, [field]: undefined } }))).toMatch(new RegExp(`source\\.${field}: `));
  });

  it("names a missing time in milliseconds, in the source and in the envelope", () => {
    expect(problemOf(change({ source: { ...source, ts_ms: undefined } }))).toContain(
      "source.ts_ms: must be a time in milliseconds",
    );
    expect(problemOf(change({ ts_ms: "soon" }))).toContain("ts_ms: must be a time in milliseconds");
  });

  it("reads missing before and after images as null", () => {
    expect(parseChangeEvent({ source, op: "t", ts_ms: 1 })).toMatchObject({ before: null, after: null, op: "t" });
  });

  it("rejects images that are not objects", () => {
    expect(problemOf(change({ after: "a row" }))).toMatch(/after: /);
    expect(problemOf(change({ op: "d", before: [1, 2], after: null }))).toMatch(/before: /);
  });

  it.each(["c", "u", "d", "r", "t"])("accepts op %s with the images it needs", (op) => {
    const images = op === "d" ? { before: { id: "u1" }, after: null } : op === "t" ? { before: null, after: null } : {};
    expect(parseChangeEvent(change({ op, ...images }))?.op).toBe(op);
  });

  it("names an unknown op", () => {
    expect(problemOf(change({ op: "x" }))).toBe("invalid change event: op: must be one of c, u, d, r, t");
  });

  it.each(["c", "r", "u"])("rejects op %s without an after image", (op) => {
    expect(problemOf(change({ op, after: null }))).toBe(`invalid change event: after: op "${op}" needs an after image`);
  });

  it("rejects a delete without a before image", () => {
    expect(problemOf(change({ op: "d", before: null, after: null }))).toBe(
      'invalid change event: before: op "d" needs a before image (REPLICA IDENTITY FULL or the key)',
    );
  });

  it("lists every problem of an event, separated by semicolons", () => {
    expect(problemOf(change({ op: "x", ts_ms: "soon" }))).toBe(
      "invalid change event: op: must be one of c, u, d, r, t; ts_ms: must be a time in milliseconds",
    );
  });

  it("says (event) for a value that is not an envelope at all", () => {
    expect(problemOf(42)).toMatch(/^invalid change event: \(event\): /);
    expect(problemOf("[1]")).toMatch(/^invalid change event: \(event\): /);
  });

  it("rejects text that is not JSON, with the code CDC_INVALID_EVENT", () => {
    let caught: unknown;
    try {
      parseChangeEvent("{not json");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChangeEventError);
    expect(caught).toMatchObject({
      code: "CDC_INVALID_EVENT",
      name: "ChangeEventError",
      message: expect.stringMatching(/^invalid change event: not JSON \(.+\)$/),
    });
  });

  it("keeps an int8 beyond 2^53 exact, as a decimal string, in JSON text", () => {
    const event = parseChangeEvent(
      JSON.stringify(change({ after: { id: 1 } })).replace('"id":1', '"id":9007199254740993'),
    );
    expect(event?.after?.id).toBe("9007199254740993");
  });
});

describe("parseJsonExact", () => {
  it("keeps integers beyond 2^53 exact as decimal strings", () => {
    expect(parseJsonExact('{"big":9007199254740993,"neg":-12345678901234567890}')).toEqual({
      big: "9007199254740993",
      neg: "-12345678901234567890",
    });
  });

  it("leaves safe numbers as numbers in a text that also holds a big one", () => {
    expect(
      parseJsonExact(
        '{"big":9007199254740993,"safe16":1234567890123456,"small":42,"fraction":0.5,"long":0.12345678901234567}',
      ),
    ).toEqual({
      big: "9007199254740993",
      safe16: 1234567890123456,
      small: 42,
      fraction: 0.5,
      long: Number("0.12345678901234567"),
    });
  });

  it("parses a text without long numbers like JSON.parse", () => {
    expect(parseJsonExact('{"a":[1,2.5,-3],"b":"9007199254740993","c":null}')).toEqual({
      a: [1, 2.5, -3],
      b: "9007199254740993",
      c: null,
    });
  });

  it("throws on text that is not JSON, with or without a long number", () => {
    expect(() => parseJsonExact("{")).toThrow();
    expect(() => parseJsonExact("{9007199254740993")).toThrow();
  });
});
