/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded in either direction. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Marks a request the proxy mirrored (shadow traffic): upstreams log it and may keep it apart. */
export const SHADOW_HEADER = "x-strangler-shadow";
/** Asks a service to run a write and roll it back (only sent to a service whose config says `dryRun: true`). */
export const DRY_RUN_HEADER = "x-strangler-dry-run";

/** Headers the proxy sets itself; whatever a client or upstream sent under these names is dropped. */
const PROXY_OWNED_REQUEST = new Set([
  "host",
  "x-request-id",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-strangler-route",
  "x-strangler-backend",
  "x-strangler-fallback",
  "content-length",
  // The proxy alone marks a request as mirrored or as a dry run: from a client, either could turn a
  // real write into a rolled-back one, or hide real traffic as shadow traffic.
  SHADOW_HEADER,
  DRY_RUN_HEADER,
  // Replaced by the one the proxy decided on (the client's when valid, see trace-context.ts).
  "traceparent",
]);
/** Other client-address headers upstreams may trust: only kept when they come from a trusted proxy. */
const SPOOFABLE_FROM_UNTRUSTED = new Set(["forwarded", "x-real-ip"]);
const PROXY_OWNED_RESPONSE = new Set([
  "x-request-id",
  "x-strangler-route",
  "x-strangler-backend",
  "x-strangler-fallback",
]);

/** Header names repeat from request to request: their lower-case forms are cached (bounded). */
const LOWER = new Map<string, string>();
const LOWER_CACHE_SIZE = 1024;

function lower(name: string): string {
  let cached = LOWER.get(name);
  if (cached === undefined) {
    cached = name.toLowerCase();
    if (LOWER.size >= LOWER_CACHE_SIZE) LOWER.clear();
    LOWER.set(name, cached);
  }
  return cached;
}

/**
 * The header names listed in the Connection header (Node joins repeated ones with ", "). Framing
 * headers are never taken from there: `Connection: content-length` must not make the proxy forward
 * a body without its length, which would let the body be read as a second request on the pooled
 * upstream connection.
 */
function connectionTokens(connection: string | string[] | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  // Nearly every message says just keep-alive or close: nothing to strip, nothing to split.
  if (typeof connection === "string" && (connection.length === 10 || connection.length === 5)) {
    const plain = connection.toLowerCase();
    if (plain === "keep-alive" || plain === "close") return undefined;
  }
  let tokens: Set<string> | undefined;
  for (const token of (Array.isArray(connection) ? connection.join(",") : connection).split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "" && name !== "content-length" && name !== "keep-alive" && name !== "close")
      (tokens ??= new Set()).add(name);
  }
  return tokens;
}

export interface UpstreamHeaderInput {
  /** req.rawHeaders: names as sent, duplicates kept, in order. */
  rawHeaders: readonly string[];
  /** req.headers.connection: the Connection header(s), joined. */
  connection: string | undefined;
  /** The socket peer's address. */
  peer: string;
  /** The peer is a trusted proxy: its X-Forwarded-* are kept (and the peer appended to X-Forwarded-For). */
  trustedPeer: boolean;
  /** Host header for the upstream (its host:port). */
  upstreamHost: string;
  requestId: string;
  /** How the body is framed: its Content-Length, chunked, or none (`empty-body` adds Content-Length: 0 for methods that carry a body). */
  framing: { contentLength: string } | "chunked" | "none" | "empty-body";
  /** W3C traceparent of this call (see trace-context.ts). */
  traceparent: string;
  /** A mirrored request: `read` adds the shadow marker, `dry-run` the marker and the dry-run header. */
  shadow?: "read" | "dry-run";
}

/** The headers sent upstream, as a raw [name, value, …] list: the client's minus hop-by-hop and proxy-owned ones, plus the proxy's. */
export function buildUpstreamHeaders(input: UpstreamHeaderInput): string[] {
  const raw = input.rawHeaders;
  const tokens = connectionTokens(input.connection);
  const out: string[] = [];
  let forwardedFor: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const key = lower(name);
    if (HOP_BY_HOP.has(key) || tokens?.has(key)) continue;
    if (!input.trustedPeer && SPOOFABLE_FROM_UNTRUSTED.has(key)) continue;
    if (PROXY_OWNED_REQUEST.has(key)) {
      if (key === "host") host ??= value;
      else if (key === "x-forwarded-for")
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      else if (key === "x-forwarded-proto") forwardedProto ??= value;
      else if (key === "x-forwarded-host") forwardedHost ??= value;
      continue;
    }
    out.push(name, value);
  }
  out.push("Host", input.upstreamHost);
  if (input.trustedPeer) {
    out.push("X-Forwarded-For", forwardedFor ? `${forwardedFor}, ${input.peer}` : input.peer);
    out.push("X-Forwarded-Proto", forwardedProto ?? "http");
    if (forwardedHost ?? host) out.push("X-Forwarded-Host", (forwardedHost ?? host) as string);
  } else {
    out.push("X-Forwarded-For", input.peer, "X-Forwarded-Proto", "http");
    if (host) out.push("X-Forwarded-Host", host);
  }
  out.push("x-request-id", input.requestId, "traceparent", input.traceparent);
  if (input.shadow !== undefined) {
    out.push(SHADOW_HEADER, "1");
    if (input.shadow === "dry-run") out.push(DRY_RUN_HEADER, "1");
  }
  const framing = input.framing;
  if (framing === "chunked") out.push("Transfer-Encoding", "chunked");
  else if (framing === "empty-body") out.push("Content-Length", "0");
  else if (framing !== "none") out.push("Content-Length", framing.contentLength);
  return out;
}

/** The Connection header(s) of a raw header list, joined, read without building IncomingMessage's `headers` object. */
function rawConnection(rawHeaders: readonly string[]): string | undefined {
  let connection: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 10 && lower(name) === "connection")
      connection =
        connection === undefined ? (rawHeaders[i + 1] as string) : `${connection}, ${rawHeaders[i + 1] as string}`;
  }
  return connection;
}

/** The upstream's response headers for the client, minus hop-by-hop, Connection-named and proxy-owned ones; the caller appends the proxy's own. */
export function buildClientHeaders(rawHeaders: readonly string[]): string[] {
  const tokens = connectionTokens(rawConnection(rawHeaders));
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const key = lower(name);
    if (HOP_BY_HOP.has(key) || PROXY_OWNED_RESPONSE.has(key) || tokens?.has(key)) continue;
    out.push(name, rawHeaders[i + 1] as string);
  }
  return out;
}
