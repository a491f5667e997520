import zlib from "node:zlib";
import { compileCompareRules } from "./compare-rules";
import { decodeBody } from "./content-decoding";
import { compareResponses } from "./response-comparator";
import { jsonResponse, rawResponse } from "./testing/responses";

const BODY = Buffer.from(JSON.stringify({ name: "Ada", tags: ["a", "b"] }));
const NO_RULES = compileCompareRules(undefined, undefined);

describe("decodeBody", () => {
  it.each([
    ["gzip", zlib.gzipSync(BODY)],
    ["deflate", zlib.deflateSync(BODY)],
    ["deflate", zlib.deflateRawSync(BODY)],
    ["br", zlib.brotliCompressSync(BODY)],
    ["GZIP", zlib.gzipSync(BODY)],
    ["identity", BODY],
  ])("undoes %s", (coding, encoded) => {
    expect(decodeBody(encoded, coding)).toStrictEqual({ bytes: BODY });
  });

  it("undoes several codings, the last applied first", () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(BODY));
    expect(Buffer.from(decodeBody(twice, "gzip, br").bytes).equals(BODY)).toBe(true);
  });

  it("returns the raw bytes with the reason when the body does not decode", () => {
    const broken = Buffer.from("not gzip at all");
    const decoded = decodeBody(broken, "gzip");
    expect(decoded.bytes).toBe(broken);
    expect(decoded.problem).toMatch(/^gzip could not be decoded \(/);
    expect(decodeBody(broken, "compress")).toStrictEqual({
      bytes: broken,
      problem: "unknown content-encoding compress",
    });
  });

  it("stops a decompression bomb at the bound", () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1_000_000));
    expect(bomb.length).toBeLessThan(10_000);
    expect(decodeBody(bomb, "gzip", 100_000).problem).toBe(
      "gzip could not be decoded (larger than 100000 bytes decoded)",
    );
  });
});

describe("comparing encoded bodies", () => {
  it("compares the decoded bodies, whatever each side's encoding", () => {
    const legacy = jsonResponse(zlib.gzipSync(BODY).toString("latin1"), { "content-encoding": "gzip" });
    legacy.body = zlib.gzipSync(BODY);
    const service = jsonResponse({ name: "Ada", tags: ["a", "c"] }, { "content-encoding": "br" });
    service.body = zlib.brotliCompressSync(Buffer.from(JSON.stringify({ name: "Ada", tags: ["a", "c"] })));
    expect(compareResponses(legacy, service, NO_RULES).differences).toStrictEqual([
      { path: "/tags/1", kind: "value", legacy: '"b"', service: '"c"' },
    ]);
    const plain = rawResponse(BODY, { "content-type": "application/json" });
    expect(compareResponses(legacy, plain, NO_RULES).equal).toBe(true);
  });

  it("compares the raw bytes of gzip that fails to decode, and says so", () => {
    const legacy = rawResponse("broken", { "content-encoding": "gzip", "content-type": "application/json" });
    const service = rawResponse(BODY, { "content-type": "application/json" });
    const [difference, ...rest] = compareResponses(legacy, service, NO_RULES).differences;
    expect(rest).toStrictEqual([]);
    expect(difference).toMatchObject({ path: "", kind: "bytes", legacy: '"broken"' });
    expect(difference?.note).toMatch(/^legacy body gzip could not be decoded \(.*\); compared as bytes$/);
    expect(compareResponses(legacy, { ...legacy }, NO_RULES).equal).toBe(true);
  });
});
