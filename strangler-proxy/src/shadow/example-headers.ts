import type { IncomingHttpHeaders } from "node:http";
import type { IdentitySource } from "@strangler/migration-config";

/** Headers that carry credentials: never kept with a shadow example. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "x-api-key"];

/** The header names never kept with an example: credentials, and the headers the identity config reads a user or session id from. */
export function secretHeaderNames(identity: {
  userId: readonly IdentitySource[];
  sessionId: readonly IdentitySource[];
}): ReadonlySet<string> {
  const names = new Set(CREDENTIAL_HEADERS);
  for (const source of [...identity.userId, ...identity.sessionId])
    if ("header" in source) names.add(source.header.toLowerCase());
  return names;
}

/** A request's headers for a shadow example: the secret ones removed, repeated values joined with ", ". */
export function exampleHeaders(headers: IncomingHttpHeaders, secret: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || secret.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
