import { identitySchema, identitySourceSchema } from "./identity-source-schema";
import { parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

const SHAPE =
  "must be one of { header: name }, { cookie: name }, { jwtClaim: path, scheme? } or { authorization: { scheme?, claim } }";
const source = (input: unknown) => identitySourceSchema.parse(input);
const withIdentity = (identity: string) =>
  [
    "version: 1",
    'legacy: { url: "http://127.0.0.1:4101" }',
    'unleash: { url: "http://127.0.0.1:4242" }',
    "services:",
    '  - { name: blog-service, url: "http://127.0.0.1:4102", routes: {} }',
    "proxy:",
    `  identity: ${identity}`,
  ].join("\n");

describe("identity sources", () => {
  it("keeps a header (lower-cased, as Node delivers header names) and a cookie", () => {
    expect(source({ header: "X-User-Id" })).toStrictEqual({ header: "x-user-id" });
    expect(source({ cookie: "Session" })).toStrictEqual({ cookie: "Session" });
  });

  it("reads today's jwtClaim as a Bearer token's claim", () => {
    expect(source({ jwtClaim: "sub" })).toStrictEqual({ authorization: { scheme: "Bearer", claim: ["sub"] } });
  });

  it("reads jwtClaim with a scheme and a dotted path", () => {
    expect(source({ jwtClaim: "user.id", scheme: "Token" })).toStrictEqual({
      authorization: { scheme: "Token", claim: ["user", "id"] },
    });
  });

  it("reads the authorization form, with Bearer when it names no scheme", () => {
    expect(source({ authorization: { scheme: "Token", claim: "user.id" } })).toStrictEqual({
      authorization: { scheme: "Token", claim: ["user", "id"] },
    });
    expect(source({ authorization: { claim: "sub" } })).toStrictEqual({
      authorization: { scheme: "Bearer", claim: ["sub"] },
    });
  });

  it("takes a claim path given as a list, for names that hold a dot", () => {
    expect(source({ authorization: { claim: ["https://example.com/claims", "id"] } })).toStrictEqual({
      authorization: { scheme: "Bearer", claim: ["https://example.com/claims", "id"] },
    });
    expect(source({ jwtClaim: ["a.b"] })).toStrictEqual({ authorization: { scheme: "Bearer", claim: ["a.b"] } });
  });

  it("accepts any RFC 7235 scheme word", () => {
    expect(source({ jwtClaim: "sub", scheme: "JWT" })).toStrictEqual({
      authorization: { scheme: "JWT", claim: ["sub"] },
    });
    expect(source({ jwtClaim: "sub", scheme: "x-Auth_v2.1" })).toStrictEqual({
      authorization: { scheme: "x-Auth_v2.1", claim: ["sub"] },
    });
  });

  it.each([
    ["an empty header name", { header: "" }],
    ["an empty cookie name", { cookie: "" }],
    ["an empty claim", { jwtClaim: "" }],
    ["a claim path with an empty part", { jwtClaim: "user..id" }],
    ["a claim path with a leading dot", { jwtClaim: ".id" }],
    ["a claim path with a trailing dot", { authorization: { claim: "user." } }],
    ["an empty claim list", { authorization: { claim: [] } }],
    ["an empty name in a claim list", { authorization: { claim: ["user", ""] } }],
    ["a claim that is a number", { jwtClaim: 5 }],
    ["a scheme with a space", { jwtClaim: "sub", scheme: "Bearer Token" }],
    ["an empty scheme", { authorization: { scheme: "", claim: "sub" } }],
    ["an authorization form without a claim", { authorization: { scheme: "Token" } }],
    ["a scheme beside a header", { header: "x-user-id", scheme: "Token" }],
    ["an unknown key in the authorization form", { authorization: { claim: "sub", header: "x-token" } }],
    ["two kinds in one source", { header: "a", cookie: "b" }],
  ])("rejects %s", (_case, input) => {
    expect(identitySourceSchema.safeParse(input).success).toBe(false);
  });

  it("defaults to the x-user-id header then the sub claim, and the sid cookie then the x-session-id header", () => {
    expect(identitySchema.parse({})).toStrictEqual({
      userId: [{ header: "x-user-id" }, { authorization: { scheme: "Bearer", claim: ["sub"] } }],
      sessionId: [{ cookie: "sid" }, { header: "x-session-id" }],
    });
  });

  it("parses every form from a config file", () => {
    const config = parseMigrationConfig(
      withIdentity(
        "{ userId: [{ authorization: { scheme: Token, claim: user.id } }, { jwtClaim: sub }, { header: X-Id }], sessionId: [{ jwtClaim: sid, scheme: Token }, { cookie: s }] }",
      ),
      "strangler.config.yaml",
      {},
    );
    expect(config.proxy.identity).toStrictEqual({
      userId: [
        { authorization: { scheme: "Token", claim: ["user", "id"] } },
        { authorization: { scheme: "Bearer", claim: ["sub"] } },
        { header: "x-id" },
      ],
      sessionId: [{ authorization: { scheme: "Token", claim: ["sid"] } }, { cookie: "s" }],
    });
  });

  it.each([
    [
      "a claim path with an empty part",
      "{ jwtClaim: 'user..id', scheme: Token }",
      "jwtClaim: must not have an empty part (a leading, trailing or double dot)",
    ],
    [
      "a scheme of two words",
      "{ jwtClaim: sub, scheme: 'Bearer Token' }",
      "scheme: must be one Authorization scheme word such as Bearer or Token (no spaces)",
    ],
    [
      "a scheme that is not text",
      "{ authorization: { scheme: 5, claim: sub } }",
      "authorization.scheme: must be an Authorization scheme such as Bearer or Token",
    ],
    [
      "an authorization form without a claim",
      "{ authorization: { scheme: Token } }",
      "authorization.claim: must be a claim name or dotted path such as sub or user.id, or a list of names",
    ],
    [
      "a claim that is a number",
      "{ jwtClaim: 5 }",
      "jwtClaim: must be a claim name or dotted path such as sub or user.id, or a list of names",
    ],
    ["an empty header name", "{ header: '' }", "header (line 7): must be a header name"],
    ["an empty cookie name", "{ cookie: '' }", "cookie (line 7): must be a cookie name"],
    [
      "an empty claim list",
      "{ authorization: { claim: [] } }",
      "authorization.claim (line 7): must name at least one claim",
    ],
    [
      "an empty name in a claim list",
      "{ authorization: { claim: [user, ''] } }",
      "authorization.claim[1] (line 7): must not be empty",
    ],
    [
      "a scheme beside a header",
      "{ header: x-id, scheme: Token }",
      "proxy.identity.userId[1] (line 7): unknown field: scheme",
    ],
    [
      "a bad claim path and an unknown key",
      "{ jwtClaim: 'a..b', extra: 1 }",
      'jwtClaim: must not have an empty part (a leading, trailing or double dot); Unrecognized key: "extra"',
    ],
    [
      "two kinds in one source",
      "{ header: a, cookie: b }",
      `proxy.identity.userId[1] (line 7): ${SHAPE}; found header and cookie`,
    ],
    ["a source of no known kind", "{ claim: sub }", `proxy.identity.userId[1] (line 7): ${SHAPE}; found none of them`],
    ["a list as a source", "[header, x]", `proxy.identity.userId[1] (line 7): ${SHAPE}; found none of them`],
    ["a plain name as a source", "x-user-id", `proxy.identity.userId[1] (line 7): ${SHAPE}\n`],
    ["null as a source", "null", `proxy.identity.userId[1] (line 7): ${SHAPE}\n`],
  ])("says what is wrong with %s, at its path in the file", (_case, yaml, message) => {
    const text = problems(withIdentity(`{ userId: [{ header: x }, ${yaml}] }`));
    expect(`${text}\n`).toContain(message);
    expect(text).toContain("proxy.identity.userId[1]");
  });
});
