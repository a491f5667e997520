import { buildClientHeaders, buildUpstreamHeaders, type UpstreamHeaderInput } from "./forward-headers";

const base: UpstreamHeaderInput = {
  rawHeaders: [],
  connection: undefined,
  peer: "10.0.0.9",
  trustedPeer: false,
  upstreamHost: "users:4102",
  requestId: "req-1",
  framing: "none",
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}
const valuesOf = (raw: string[], name: string) =>
  pairs(raw)
    .filter(([n]) => n.toLowerCase() === name)
    .map(([, v]) => v);

describe("buildUpstreamHeaders", () => {
  it("keeps end-to-end headers as sent, names, order and duplicates included", () => {
    const out = buildUpstreamHeaders({
      ...base,
      rawHeaders: ["Accept", "application/json", "X-Custom", "1", "x-custom", "2", "Cookie", "a=1"],
    });
    expect(pairs(out).slice(0, 4)).toEqual([
      ["Accept", "application/json"],
      ["X-Custom", "1"],
      ["x-custom", "2"],
      ["Cookie", "a=1"],
    ]);
  });

  it("removes hop-by-hop headers and every header the Connection header names", () => {
    const out = buildUpstreamHeaders({
      ...base,
      connection: "keep-alive, X-Strangler-Route, x-secret",
      rawHeaders: [
        "Connection",
        "keep-alive, X-Strangler-Route, x-secret",
        "Keep-Alive",
        "timeout=5",
        "Proxy-Connection",
        "x",
        "Proxy-Authorization",
        "Basic eA==",
        "TE",
        "trailers",
        "Trailer",
        "x",
        "Upgrade",
        "h2c",
        "X-Secret",
        "s",
        "Accept",
        "*/*",
      ],
    });
    const names = pairs(out).map(([n]) => n.toLowerCase());
    for (const name of [
      "connection",
      "keep-alive",
      "proxy-connection",
      "proxy-authorization",
      "te",
      "trailer",
      "upgrade",
      "x-secret",
      "x-strangler-route",
    ])
      expect(names).not.toContain(name);
    expect(valuesOf(out, "accept")).toEqual(["*/*"]);
  });

  it("never lets Connection strip the body framing (Connection: content-length)", () => {
    const out = buildUpstreamHeaders({
      ...base,
      connection: "content-length",
      rawHeaders: ["Connection", "content-length", "Content-Length", "3"],
      framing: { contentLength: "3" },
    });
    expect(valuesOf(out, "content-length")).toEqual(["3"]);
  });

  it("sets Host to the upstream and replaces X-Forwarded-* from an untrusted peer", () => {
    const out = buildUpstreamHeaders({
      ...base,
      rawHeaders: [
        "Host",
        "shop.example",
        "X-Forwarded-For",
        "6.6.6.6",
        "X-Forwarded-Proto",
        "https",
        "X-Forwarded-Host",
        "evil.example",
        "Forwarded",
        "for=6.6.6.6",
        "X-Real-IP",
        "6.6.6.6",
      ],
    });
    expect(valuesOf(out, "host")).toEqual(["users:4102"]);
    expect(valuesOf(out, "x-forwarded-for")).toEqual(["10.0.0.9"]);
    expect(valuesOf(out, "x-forwarded-proto")).toEqual(["http"]);
    expect(valuesOf(out, "x-forwarded-host")).toEqual(["shop.example"]);
    expect(valuesOf(out, "forwarded")).toEqual([]);
    expect(valuesOf(out, "x-real-ip")).toEqual([]);
  });

  it("appends the peer to X-Forwarded-For and keeps -Proto/-Host from a trusted proxy", () => {
    const out = buildUpstreamHeaders({
      ...base,
      trustedPeer: true,
      rawHeaders: [
        "Host",
        "internal:4100",
        "X-Forwarded-For",
        "1.1.1.1",
        "x-forwarded-for",
        "2.2.2.2",
        "X-Forwarded-Proto",
        "https",
        "X-Forwarded-Host",
        "shop.example",
      ],
    });
    expect(valuesOf(out, "x-forwarded-for")).toEqual(["1.1.1.1, 2.2.2.2, 10.0.0.9"]);
    expect(valuesOf(out, "x-forwarded-proto")).toEqual(["https"]);
    expect(valuesOf(out, "x-forwarded-host")).toEqual(["shop.example"]);
  });

  it("replaces the client's x-request-id and x-strangler-* headers with the proxy's", () => {
    const out = buildUpstreamHeaders({
      ...base,
      rawHeaders: ["X-Request-Id", "client-id", "X-Strangler-Backend", "users-service", "X-Strangler-Fallback", "1"],
    });
    expect(valuesOf(out, "x-request-id")).toEqual(["req-1"]);
    expect(valuesOf(out, "x-strangler-backend")).toEqual([]);
    expect(valuesOf(out, "x-strangler-fallback")).toEqual([]);
  });

  it("drops client-sent dry-run, shadow marker and traceparent headers, whatever their case", () => {
    const out = buildUpstreamHeaders({
      ...base,
      rawHeaders: [
        "X-Strangler-Dry-Run",
        "1",
        "x-strangler-shadow",
        "1",
        "X-STRANGLER-SHADOW",
        "yes",
        "Traceparent",
        "00-11111111111111111111111111111111-2222222222222222-01",
        "Tracestate",
        "vendor=1",
      ],
    });
    expect(valuesOf(out, "x-strangler-dry-run")).toEqual([]);
    expect(valuesOf(out, "x-strangler-shadow")).toEqual([]);
    expect(valuesOf(out, "traceparent")).toEqual([base.traceparent]);
    expect(valuesOf(out, "tracestate")).toEqual(["vendor=1"]);
  });

  it("marks a mirrored read with the shadow header only, a mirrored write with the dry-run header too", () => {
    const read = buildUpstreamHeaders({ ...base, shadow: "read" });
    expect(valuesOf(read, "x-strangler-shadow")).toEqual(["1"]);
    expect(valuesOf(read, "x-strangler-dry-run")).toEqual([]);
    const write = buildUpstreamHeaders({ ...base, rawHeaders: ["X-Strangler-Dry-Run", "0"], shadow: "dry-run" });
    expect(valuesOf(write, "x-strangler-shadow")).toEqual(["1"]);
    expect(valuesOf(write, "x-strangler-dry-run")).toEqual(["1"]);
  });

  it.each([
    ["none", []],
    ["empty-body", ["Content-Length", "0"]],
    ["chunked", ["Transfer-Encoding", "chunked"]],
    [{ contentLength: "12" }, ["Content-Length", "12"]],
  ] as const)("frames the body from the parsed request: %j", (framing, expected) => {
    const out = buildUpstreamHeaders({
      ...base,
      rawHeaders: ["Transfer-Encoding", "chunked", "Content-Length", "99"],
      framing,
    });
    const framingHeaders = pairs(out).filter(([n]) =>
      ["content-length", "transfer-encoding"].includes(n.toLowerCase()),
    );
    expect(framingHeaders.flat()).toEqual(expected);
  });
});

describe("buildClientHeaders", () => {
  it("strips hop-by-hop, Connection-named and proxy-owned headers from the upstream", () => {
    const out = buildClientHeaders([
      "Content-Type",
      "application/json",
      "Connection",
      "keep-alive, x-upstream-secret",
      "Keep-Alive",
      "timeout=5",
      "Transfer-Encoding",
      "chunked",
      "X-Upstream-Secret",
      "s",
      "X-Strangler-Route",
      "spoofed",
      "x-request-id",
      "upstream-id",
      "Set-Cookie",
      "a=1",
      "Set-Cookie",
      "b=2",
    ]);
    expect(pairs(out)).toEqual([
      ["Content-Type", "application/json"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
  });

  it("strips headers named in any of several Connection headers, whatever their case", () => {
    const out = buildClientHeaders([
      "connection",
      "Keep-Alive",
      "X-A",
      "1",
      "CONNECTION",
      "x-a, X-B",
      "x-b",
      "2",
      "x-c",
      "3",
      "Connection",
      "close",
    ]);
    expect(pairs(out)).toEqual([["x-c", "3"]]);
  });
});
