/** A request target the proxy accepted: the normalised path to match and forward, and the untouched query. */
export interface AcceptedTarget {
  ok: true;
  /** Normalised path, e.g. `/api/users/42`; `*` for `OPTIONS *`. */
  path: string;
  /** The query string as received, with its leading `?`, or "". */
  query: string;
  /** The path's segments (for route matching); null for `OPTIONS *`, which no route matches. */
  segments: string[] | null;
}

export interface RejectedTarget {
  ok: false;
  code: "STRANGLER_BAD_PATH" | "STRANGLER_URL_TOO_LONG";
  reason: string;
}

export type RequestTarget = AcceptedTarget | RejectedTarget;

// Characters allowed raw in a path: RFC 3986 pchar and "/", plus | ^ [ ] which browsers send
// unencoded. Anything else (backslash, #, quotes, <, >, {, }, `, controls, non-ASCII) is rejected.
const ALLOWED = new Uint8Array(128);
const UNRESERVED = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") {
  ALLOWED[c.charCodeAt(0)] = 1;
  UNRESERVED[c.charCodeAt(0)] = 1;
}
for (const c of "!$&'()*+,;=:@/|^[]") ALLOWED[c.charCodeAt(0)] = 1;

const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const PERCENT = 0x25;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function reject(reason: string): RejectedTarget {
  return { ok: false, code: "STRANGLER_BAD_PATH", reason };
}

function dotSegment(segment: string): RejectedTarget | undefined {
  return segment === "." || segment === ".."
    ? reject(`dot segment "${segment}" (plain or percent-encoded) is not allowed`)
    : undefined;
}

/**
 * Validates and normalises a raw request target (`req.url`). Rejects anything that could change
 * which route matches: encoded or plain (back)slashes and dot segments, empty segments, control
 * characters raw or encoded, malformed percent-encoding, absolute-form targets, and asterisk-form
 * except for OPTIONS. Normalises by decoding percent-encoded unreserved characters, upper-casing
 * the other escapes and dropping one trailing slash. The query string is kept as received.
 */
export function parseRequestTarget(raw: string, method: string, maxUrlLength: number): RequestTarget {
  if (raw.length > maxUrlLength)
    return { ok: false, code: "STRANGLER_URL_TOO_LONG", reason: `the URL is longer than ${maxUrlLength} characters` };
  if (raw === "*")
    return method === "OPTIONS"
      ? { ok: true, path: "*", query: "", segments: null }
      : reject("the asterisk-form target * is only allowed for OPTIONS");
  if (raw.charCodeAt(0) !== SLASH) {
    return reject(
      ABSOLUTE_FORM.test(raw)
        ? "absolute-form targets (scheme://host/...) are not accepted by this reverse proxy"
        : "the path must start with /",
    );
  }
  const queryAt = raw.indexOf("?");
  const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = queryAt === -1 ? "" : raw.slice(queryAt);
  const length = rawPath.length;
  const segments: string[] = [];
  // Stryker disable next-line BooleanLiteral: rebuilding an unchanged path from its segments gives the same text; the flag only saves the join
  let changed = false;
  // The current segment is rawPath[start, i), except that once it held a %-escape, `decoded` holds
  // its normalised text up to `copyFrom` (most paths have no escape and are only sliced).
  let start = 1;
  let copyFrom = 1;
  let decoded: string | null = null;
  for (let i = 1; i <= length; i++) {
    const code = i < length ? rawPath.charCodeAt(i) : SLASH;
    if (code === SLASH) {
      const segment = decoded === null ? rawPath.slice(start, i) : decoded + rawPath.slice(copyFrom, i);
      if (segment === "") {
        // Nothing after the last slash: "/" itself, or one trailing slash, which is dropped.
        if (i === length) {
          changed ||= length > 1;
          break;
        }
        return reject("empty path segment (//) is not allowed");
      }
      const dot = dotSegment(segment);
      if (dot) return dot;
      segments.push(segment);
      start = copyFrom = i + 1;
      decoded = null;
    } else if (code === PERCENT) {
      const high = hexValue(rawPath.charCodeAt(i + 1));
      const low = hexValue(rawPath.charCodeAt(i + 2));
      if (high < 0 || low < 0) return reject(`malformed percent-encoding at "${rawPath.slice(i, i + 3)}"`);
      const byte = high * 16 + low;
      if (byte === SLASH || byte === BACKSLASH)
        return reject(`encoded ${byte === SLASH ? "slash (%2F)" : "backslash (%5C)"} is not allowed in a path`);
      const escape = rawPath.slice(i + 1, i + 3).toUpperCase();
      if (byte < 0x20 || byte === 0x7f)
        return reject(`encoded control character (%${escape}) is not allowed in a path`);
      decoded =
        (decoded ?? "") +
        rawPath.slice(copyFrom, i) +
        (UNRESERVED[byte] === 1 ? String.fromCharCode(byte) : `%${escape}`);
      changed = true;
      i += 2;
      copyFrom = i + 1;
    } else if (code === BACKSLASH) {
      return reject("backslash is not allowed in a path");
    } else if (code >= 128 || ALLOWED[code] !== 1) {
      const shown =
        code < 0x20 || code === 0x7f
          ? `control character 0x${code.toString(16).padStart(2, "0")}`
          : `character "${rawPath[i]}"`;
      return reject(`${shown} must be percent-encoded in a path`);
    }
  }
  return { ok: true, path: changed ? `/${segments.join("/")}` : rawPath, query, segments };
}
