import zlib from "node:zlib";
import { SHADOW_EXAMPLE_BODY_CHARS } from "../../defaults";
import { bodyText, buildShadowExample } from "./shadow-example";
import { exchange, json } from "./shadow-results-fixtures";

describe("shadow examples", () => {
  it("shows a compressed body as its text", () => {
    const body = JSON.stringify({ name: "ünïcode" });
    expect(bodyText(zlib.gzipSync(body), "gzip")).toBe(body);
    expect(bodyText(zlib.brotliCompressSync(body), "br")).toBe(body);
    expect(bodyText(zlib.deflateSync(body), "deflate")).toBe(body);
  });

  it("bounds what it keeps: long bodies cut, a compression bomb not expanded, invalid UTF-8 replaced", () => {
    expect(bodyText(Buffer.from("x".repeat(SHADOW_EXAMPLE_BODY_CHARS * 3)), undefined)).toHaveLength(
      SHADOW_EXAMPLE_BODY_CHARS,
    );
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bodyText(bomb, "gzip").length).toBeLessThanOrEqual(SHADOW_EXAMPLE_BODY_CHARS);
    expect(bodyText(Buffer.from([0x61, 0xff, 0x62]), undefined)).toBe("a\uFFFDb");
  });

  it("puts each answer on its side whichever side was primary, and keeps the request as the mirror gave it", () => {
    const example = buildShadowExample(
      "id-1",
      exchange({
        primary: "service",
        method: "PATCH",
        requestBody: Buffer.from('{"name":"x"}'),
        primaryOutcome: json({ from: "service" }, 200, 7),
        candidateOutcome: { kind: "timeout", latencyMs: 5000 },
      }),
      "value /from",
      [{ path: "/from", kind: "value", legacy: '"legacy"', service: '"service"' }],
    );
    expect(example).toMatchObject({
      id: "id-1",
      primary: "service",
      method: "PATCH",
      requestBody: '{"name":"x"}',
      answers: {
        service: { status: 200, body: '{"from":"service"}', latencyMs: 7 },
        legacy: { status: 0, body: "", latencyMs: 5000 },
      },
      differences: [{ path: "/from", kind: "value", legacy: '"legacy"', service: '"service"' }],
    });
  });
});
