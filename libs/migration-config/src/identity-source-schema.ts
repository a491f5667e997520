import { z } from "zod";

/** The scheme a JWT identity source reads when the config names none. */
export const DEFAULT_AUTHORIZATION_SCHEME = "Bearer";

/** An RFC 7235 auth-scheme: one token (letters, digits and !#$%&'*+.^_`|~-). */
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const scheme = z
  .string({ error: "must be an Authorization scheme such as Bearer or Token" })
  .regex(AUTH_SCHEME, { error: "must be one Authorization scheme word such as Bearer or Token (no spaces)" })
  .default(DEFAULT_AUTHORIZATION_SCHEME);

/**
 * A claim of the JWT payload: `sub`, or a dotted path into nested objects (`user.id`), or the path as a
 * list when a name itself holds a dot (`["https://example.com/claims", "id"]`). Parsed into the list.
 */
const claim = z.union(
  [
    z
      .string()
      .transform((path) => path.split("."))
      .refine((path) => path.every((part) => part !== ""), {
        error: "must not have an empty part (a leading, trailing or double dot)",
      }),
    z.array(z.string().min(1, { error: "must not be empty" })).min(1, { error: "must name at least one claim" }),
  ],
  { error: "must be a claim name or dotted path such as sub or user.id, or a list of names" },
);

/** The canonical form every JWT source is parsed into: which Authorization scheme, which claim path. */
const authorization = z.strictObject({ scheme, claim });

/**
 * Where a sticky id comes from. Four forms; the two JWT ones become `{ authorization: { scheme, claim } }`:
 * - `{ header: x-user-id }`, `{ cookie: sid }`
 * - `{ jwtClaim: sub }` (`Authorization: Bearer <jwt>`), `{ jwtClaim: user.id, scheme: Token }`
 * - `{ authorization: { scheme: Token, claim: user.id } }`
 * The JWT is decoded without verification: the id only picks a rollout bucket (ADR 0015).
 */
const SOURCE_KINDS = ["header", "cookie", "jwtClaim", "authorization"] as const;
const SOURCE_SHAPE =
  "must be one of { header: name }, { cookie: name }, { jwtClaim: path, scheme? } or { authorization: { scheme?, claim } }";

/** zod reports a failed union as "Invalid input": say instead what is wrong in the form the source is written in. */
function sourceProblem(issue: {
  input?: unknown;
  errors?: ReadonlyArray<ReadonlyArray<{ path: PropertyKey[]; message: string }>>;
}): string {
  const input = issue.input;
  if (typeof input !== "object" || input === null) return SOURCE_SHAPE;
  const kinds = SOURCE_KINDS.filter((kind) => kind in input);
  const [kind] = kinds;
  if (kinds.length !== 1 || kind === undefined)
    return `${SOURCE_SHAPE}; found ${kinds.length === 0 ? "none of them" : kinds.join(" and ")}`;
  // Stryker disable next-line LogicalOperator: a failed union always has the issues of each of its options
  const problems = issue.errors?.[SOURCE_KINDS.indexOf(kind)] ?? [];
  return problems
    .map((problem) => (problem.path.length > 0 ? `${problem.path.join(".")}: ${problem.message}` : problem.message))
    .join("; ");
}

export const identitySourceSchema = z.union(
  [
    z.strictObject({ header: z.string().min(1, { error: "must be a header name" }).toLowerCase() }),
    z.strictObject({ cookie: z.string().min(1, { error: "must be a cookie name" }) }),
    z
      .strictObject({ jwtClaim: claim, scheme })
      .transform(({ jwtClaim, scheme }) => ({ authorization: { scheme, claim: jwtClaim } })),
    z.strictObject({ authorization }),
  ],
  { error: (issue) => sourceProblem(issue as Parameters<typeof sourceProblem>[0]) },
);

export type IdentitySourceInput = z.input<typeof identitySourceSchema>;

/** `proxy.identity`: the sources of the user id and of the session id, first hit wins. */
export const identitySchema = z.strictObject({
  userId: z.array(identitySourceSchema).prefault([{ header: "x-user-id" }, { jwtClaim: "sub" }]),
  sessionId: z.array(identitySourceSchema).prefault([{ cookie: "sid" }, { header: "x-session-id" }]),
});
