import { changeEventSchema, envelopeShortcuts } from "./debezium-envelope";

// The shortcuts give the same result as the slow path (debezium-envelope.fast-path.test.ts); these
// tests pin down *when* they are taken: a shortcut that stopped taking the common case would cost
// zod (or the lossless parser) on every event, and one that took a malformed event would let it in.
const { wellFormedEvent, parseEnvelopeJson } = envelopeShortcuts;

const source = { lsn: 7, ts_ms: 1, db: "d", schema: "s", table: "t" };
const base = { before: null, after: { id: 1 }, source, op: "c", ts_ms: 2 };

describe("the shape check before zod (wellFormedEvent)", () => {
  it.each([
    ["an insert", base],
    ["an update with both images", { ...base, before: { id: 1 }, op: "u" }],
    ["a snapshot read without before", { after: { id: 1 }, source, op: "r", ts_ms: 2 }],
    ["a delete", { before: { id: 1 }, after: null, source, op: "d", ts_ms: 2 }],
    ["a truncate", { before: null, after: null, source, op: "t", ts_ms: 2 }],
    ["an LSN as digits", { ...base, source: { ...source, lsn: "0042" } }],
    ["LSN 0", { ...base, source: { ...source, lsn: 0 } }],
    ["txId null", { ...base, source: { ...source, txId: null } }],
    ["an integer txId", { ...base, source: { ...source, txId: 5 } }],
    ["snapshot as text", { ...base, source: { ...source, snapshot: "last" } }],
    ["snapshot as a boolean", { ...base, source: { ...source, snapshot: true } }],
  ])("takes %s, with what the schema gives", (_case, input) => {
    const event = wellFormedEvent(input);
    expect(event).not.toBeNull();
    expect(event).toEqual(changeEventSchema.parse(input));
  });

  it.each([
    ["no object", "text"],
    ["null", null],
    ["an array", [base]],
    ["an unknown op", { ...base, op: "x" }],
    ["ts_ms as text", { ...base, ts_ms: "2" }],
    ["before as an array", { ...base, before: [1] }],
    ["before as a number", { ...base, before: 1 }],
    ["after as an array", { ...base, after: [1] }],
    ["after as text", { ...base, after: "row" }],
    ["no source", { ...base, source: undefined }],
    ["source as an array", { ...base, source: [source] }],
    ["a negative LSN", { ...base, source: { ...source, lsn: -1 } }],
    ["a fractional LSN", { ...base, source: { ...source, lsn: 1.5 } }],
    ["an LSN of text not digits", { ...base, source: { ...source, lsn: "12a" } }],
    ["an LSN with digits after text", { ...base, source: { ...source, lsn: "a12" } }],
    ["an LSN as a boolean", { ...base, source: { ...source, lsn: true } }],
    ["source.ts_ms as text", { ...base, source: { ...source, ts_ms: "1" } }],
    ["db as a number", { ...base, source: { ...source, db: 1 } }],
    ["no schema", { ...base, source: { ...source, schema: undefined } }],
    ["no table", { ...base, source: { ...source, table: undefined } }],
    ["a fractional txId", { ...base, source: { ...source, txId: 1.5 } }],
    ["txId as text", { ...base, source: { ...source, txId: "5" } }],
    ["snapshot as a number", { ...base, source: { ...source, snapshot: 1 } }],
    ["an insert without after", { ...base, after: null }],
    ["an update without after", { ...base, before: { id: 1 }, after: undefined, op: "u" }],
    ["a snapshot read without after", { ...base, after: null, op: "r" }],
    ["a delete without before", { before: null, after: { id: 1 }, source, op: "d", ts_ms: 2 }],
  ])("leaves %s to zod", (_case, input) => {
    expect(wellFormedEvent(input)).toBeNull();
  });
});

describe("the plain JSON.parse beside Debezium's own timestamps (parseEnvelopeJson)", () => {
  const ts = '"ts_us":1796187883704827,"ts_ns":1796187883704827629';
  const envelope = (after: string, sourceExtra = "", top = ts) =>
    `{"before":null,"after":${after},"source":{"lsn":7,"ts_ms":1,"db":"d","schema":"s","table":"t"${sourceExtra}},"op":"c","ts_ms":2,${top}}`;

  // JSON.parse rounds the 19-digit ts_ns to a number; the lossless parser would keep it as text.
  const plainlyParsed = (parsed: unknown) => typeof (parsed as { ts_ns?: unknown }).ts_ns === "number";

  it("parses plainly when the only long numbers are the envelope's ts_us/ts_ns", () => {
    expect(plainlyParsed(parseEnvelopeJson(envelope('{"id":1}')))).toBe(true);
    expect(plainlyParsed(parseEnvelopeJson(envelope('{"id":1}', `,${ts}`)))).toBe(true);
  });

  it("parses plainly a schema-wrapped envelope whose payload carries them", () => {
    const parsed = parseEnvelopeJson(`{"schema":{},"payload":${envelope('{"id":1}', `,${ts}`)}}`) as {
      payload: unknown;
    };
    expect(plainlyParsed(parsed.payload)).toBe(true);
  });

  it("parses plainly a text without any long number", () => {
    expect(parseEnvelopeJson(envelope('{"id":1}', "", '"ts_us":5'))).toMatchObject({ ts_us: 5 });
  });

  it("parses exactly when a row value is a long number", () => {
    const parsed = parseEnvelopeJson(envelope('{"id":12345678901234567}')) as { after: { id: unknown } };
    expect(parsed.after.id).toBe("12345678901234567");
    expect(plainlyParsed(parsed)).toBe(false);
  });

  it("parses exactly when a row column named ts_ns holds a long number", () => {
    const parsed = parseEnvelopeJson(envelope('{"id":1,"ts_ns":1796187883704827001}')) as { after: { ts_ns: unknown } };
    expect(parsed.after.ts_ns).toBe("1796187883704827001");
    expect(plainlyParsed(parsed)).toBe(false);
  });

  it("parses exactly when a long ts_us is not the envelope's own (nested deeper)", () => {
    const parsed = parseEnvelopeJson(envelope('{"id":1,"meta":{"ts_us":1796187883704827}}')) as {
      after: { meta: { ts_us: unknown } };
    };
    expect(parsed.after.meta.ts_us).toBe(1796187883704827);
    expect(plainlyParsed(parsed)).toBe(false);
  });

  it("parses exactly a negative long number", () => {
    const parsed = parseEnvelopeJson(envelope('{"id":-12345678901234567}')) as { after: { id: unknown } };
    expect(parsed.after.id).toBe("-12345678901234567");
  });
});
