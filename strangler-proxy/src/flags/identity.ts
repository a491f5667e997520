import type { IncomingHttpHeaders } from "node:http";
import type { IdentitySource } from "@strangler/migration-config";
import { MAX_IDENTITY_LENGTH, MAX_JWT_LENGTH } from "../defaults";

// Read once: this runs on every request, and a compiled import is a property getter on each read.
const MAX_ID = MAX_IDENTITY_LENGTH;
const MAX_JWT = MAX_JWT_LENGTH;

/** The stickiness identity of a request; either may be absent. */
export interface RequestIdentity {
  userId?: string;
  sessionId?: string;
}

export interface IdentityConfig {
  userId: readonly IdentitySource[];
  sessionId: readonly IdentitySource[];
}

function usable(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed !== "" && trimmed.length <= MAX_ID ? trimmed : undefined;
}

/** The value of one cookie in a Cookie header, without decoding (stickiness only needs a stable value). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

/** The scheme (lower case) and credentials of an Authorization header: `<scheme> <token>` (RFC 7235). */
export interface AuthorizationCredentials {
  scheme: string;
  token: string;
}

/** Splits an Authorization header at its first space; nothing for a missing, oversized or scheme-only header. */
export function authorizationCredentials(authorization: string | undefined): AuthorizationCredentials | undefined {
  if (!authorization || authorization.length > MAX_JWT) return undefined;
  const space = authorization.indexOf(" ");
  if (space <= 0) return undefined;
  return { scheme: authorization.slice(0, space).toLowerCase(), token: authorization.slice(space + 1).trim() };
}

/**
 * The payload of a JWT, decoded WITHOUT verifying the signature. That is deliberate and only safe
 * because the result is used for rollout stickiness alone: a forged claim can at most pick which
 * backend serves the caller, never grant anything (ADR 0015). Never use it for auth.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The unverified JWT payload of `Authorization: <scheme> <jwt>` (scheme compared case-insensitively, Bearer by default). */
export function unverifiedJwtPayload(
  authorization: string | undefined,
  scheme = "Bearer",
): Record<string, unknown> | undefined {
  const credentials = authorizationCredentials(authorization);
  return credentials?.scheme === scheme.toLowerCase() ? decodeJwtPayload(credentials.token) : undefined;
}

/** The value at a claim path (`["user", "id"]`) of a payload; own properties only, so `constructor` is never found. */
export function claimAt(payload: unknown, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A request's headers, with the Authorization header split and its JWT payload decoded at most once
 * even when several sources read claims (`null`: not looked at yet).
 */
interface Lookup {
  headers: IncomingHttpHeaders;
  credentials: AuthorizationCredentials | undefined | null;
  payload: Record<string, unknown> | undefined | null;
}

type Reader = (lookup: Lookup) => string | undefined;

function jwtReader(scheme: string, claim: readonly string[]): Reader {
  const wanted = scheme.toLowerCase();
  return (lookup) => {
    // Stryker disable next-line ConditionalExpression: splitting the header again gives the same result; the cache only saves work
    if (lookup.credentials === null) lookup.credentials = authorizationCredentials(lookup.headers.authorization);
    if (lookup.credentials?.scheme !== wanted) return undefined;
    if (lookup.payload === null) lookup.payload = decodeJwtPayload(lookup.credentials.token);
    return usable(claimAt(lookup.payload, claim));
  };
}

/** One reader per configured source, built once: the request path only runs them. */
function compile(source: IdentitySource): Reader {
  if ("header" in source) {
    const name = source.header;
    return ({ headers }) => {
      const raw = headers[name];
      return usable(Array.isArray(raw) ? raw[0] : raw);
    };
  }
  if ("cookie" in source) {
    const name = source.cookie;
    return ({ headers }) => usable(cookieValue(headers.cookie, name));
  }
  return jwtReader(source.authorization.scheme, source.authorization.claim);
}

function pick(readers: readonly Reader[], lookup: Lookup): string | undefined {
  for (const read of readers) {
    const value = read(lookup);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Reads the user id and session id of a request from the configured sources, first one that yields a value wins. */
export function createIdentityResolver(config: IdentityConfig): (headers: IncomingHttpHeaders) => RequestIdentity {
  const userId = config.userId.map(compile);
  const sessionId = config.sessionId.map(compile);
  return (headers) => {
    const lookup: Lookup = { headers, credentials: null, payload: null };
    const identity: RequestIdentity = {};
    const user = pick(userId, lookup);
    if (user !== undefined) identity.userId = user;
    const session = pick(sessionId, lookup);
    if (session !== undefined) identity.sessionId = session;
    return identity;
  };
}
