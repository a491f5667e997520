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

/**
 * The payload of `Authorization: Bearer <jwt>`, decoded WITHOUT verifying the signature. That is
 * deliberate and only safe because the result is used for rollout stickiness alone: a forged claim
 * can at most pick which backend serves the caller, never grant anything. Never use it for auth.
 */
export function unverifiedJwtPayload(authorization: string | undefined): Record<string, unknown> | undefined {
  if (!authorization || authorization.length > MAX_JWT || !/^bearer /i.test(authorization)) return undefined;
  // Stryker disable next-line MethodExpression: the scheme and the spaces around the token hold no dot, so parts[1] is the payload with or without them
  const parts = authorization.slice(7).trim().split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A request's headers, with the JWT payload decoded at most once even when several sources read claims. */
interface Lookup {
  headers: IncomingHttpHeaders;
  jwt: Record<string, unknown> | undefined | null;
}

function pick(sources: readonly IdentitySource[], lookup: Lookup): string | undefined {
  for (const source of sources) {
    let value: string | undefined;
    if ("header" in source) {
      const raw = lookup.headers[source.header];
      value = usable(Array.isArray(raw) ? raw[0] : raw);
    } else if ("cookie" in source) {
      value = usable(cookieValue(lookup.headers.cookie, source.cookie));
    } else {
      if (lookup.jwt === null) lookup.jwt = unverifiedJwtPayload(lookup.headers.authorization);
      value = usable(lookup.jwt?.[source.jwtClaim]);
    }
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Reads the user id and session id of a request from the configured sources, first one that yields a value wins. */
export function createIdentityResolver(config: IdentityConfig): (headers: IncomingHttpHeaders) => RequestIdentity {
  return (headers) => {
    const lookup: Lookup = { headers, jwt: null };
    const identity: RequestIdentity = {};
    const userId = pick(config.userId, lookup);
    if (userId !== undefined) identity.userId = userId;
    const sessionId = pick(config.sessionId, lookup);
    if (sessionId !== undefined) identity.sessionId = sessionId;
    return identity;
  };
}
