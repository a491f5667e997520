import {
  authorizationCredentials,
  claimAt,
  cookieValue,
  createIdentityResolver,
  decodeJwtPayload,
  unverifiedJwtPayload,
} from "./identity";

const token = (payload: unknown) =>
  `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;
const jwt = (payload: unknown, scheme = "Bearer") => `${scheme} ${token(payload)}`;
/** The parsed form of `{ jwtClaim: path, scheme }` / `{ authorization: { scheme, claim } }`. */
const claim = (path: string, scheme = "Bearer") => ({ authorization: { scheme, claim: path.split(".") } });

describe("identity", () => {
  const resolve = createIdentityResolver({
    userId: [{ header: "x-user-id" }, { cookie: "uid" }, claim("sub")],
    sessionId: [{ cookie: "sid" }, { header: "x-session-id" }],
  });

  it("takes the first source that yields a value, in the configured order", () => {
    expect(
      resolve({ "x-user-id": "u-header", cookie: "uid=u-cookie", authorization: jwt({ sub: "u-jwt" }) }),
    ).toStrictEqual({ userId: "u-header" });
    expect(resolve({ cookie: "uid=u-cookie", authorization: jwt({ sub: "u-jwt" }) })).toStrictEqual({
      userId: "u-cookie",
    });
    expect(resolve({ authorization: jwt({ sub: "u-jwt" }) })).toStrictEqual({ userId: "u-jwt" });
  });

  it("reads the session id from a cookie or a header", () => {
    expect(resolve({ cookie: "theme=dark; sid=s-1", "x-session-id": "s-2" })).toStrictEqual({ sessionId: "s-1" });
    expect(resolve({ "x-session-id": "s-2" })).toStrictEqual({ sessionId: "s-2" });
  });

  it("has neither when no source yields a value", () => {
    expect(resolve({})).toStrictEqual({});
    expect(resolve({ "x-user-id": "   ", cookie: "uid=" })).toStrictEqual({});
  });

  it("ignores values longer than 256 characters", () => {
    expect(resolve({ "x-user-id": "u".repeat(257) })).toStrictEqual({});
  });

  it("takes a numeric JWT claim as text", () => {
    expect(resolve({ authorization: jwt({ sub: 42 }) })).toStrictEqual({ userId: "42" });
  });

  it.each([
    ["not a bearer token", "Basic dXNlcjpwYXNz"],
    ["two parts", "Bearer a.b"],
    ["a payload that is not JSON", `Bearer x.${Buffer.from("nope").toString("base64url")}.y`],
    ["a payload that is an array", `Bearer x.${Buffer.from("[1]").toString("base64url")}.y`],
    ["an oversized token", `Bearer x.${"a".repeat(9000)}.y`],
  ])("decodes no claim from %s", (_case, authorization) => {
    expect(unverifiedJwtPayload(authorization)).toBeUndefined();
    expect(resolve({ authorization })).toStrictEqual({});
  });

  it("finds a cookie by exact name and strips quotes", () => {
    expect(cookieValue('xuid=1; uid="abc"', "uid")).toBe("abc");
    expect(cookieValue("uidx=1", "uid")).toBeUndefined();
    expect(cookieValue(undefined, "uid")).toBeUndefined();
  });

  it("trims the value it takes, and takes the first of repeated headers", () => {
    expect(resolve({ "x-user-id": "  u-1  " })).toStrictEqual({ userId: "u-1" });
    expect(resolve({ "x-user-id": ["u-first", "u-second"] as unknown as string })).toStrictEqual({ userId: "u-first" });
  });

  it("takes a value of exactly 256 characters", () => {
    expect(resolve({ "x-user-id": "u".repeat(256) })).toStrictEqual({ userId: "u".repeat(256) });
  });

  it("skips an unusable source and takes the next one", () => {
    expect(resolve({ "x-user-id": " ", cookie: "uid=u-cookie" })).toStrictEqual({ userId: "u-cookie" });
    expect(resolve({ "x-user-id": "u".repeat(257), authorization: jwt({ sub: "u-jwt" }) })).toStrictEqual({
      userId: "u-jwt",
    });
  });

  it.each([
    ["a boolean", true],
    ["an object", { id: 1 }],
    ["null", null],
    ["an infinite number", "INFINITY"],
    ["an empty string", ""],
  ])("takes no user id from a claim that is %s", (_case, sub) => {
    const authorization =
      sub === "INFINITY" ? `Bearer x.${Buffer.from('{"sub":1e400}').toString("base64url")}.y` : jwt({ sub });
    expect(resolve({ authorization })).toStrictEqual({});
  });

  it("decodes the JWT once even when both ids read claims", () => {
    const both = createIdentityResolver({ userId: [claim("sub")], sessionId: [claim("sid")] });
    const parse = jest.spyOn(JSON, "parse");
    try {
      expect(both({ authorization: jwt({ sub: "u-1", sid: "s-1" }) })).toStrictEqual({
        userId: "u-1",
        sessionId: "s-1",
      });
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it("reads a bearer token whatever the case of the scheme", () => {
    expect(unverifiedJwtPayload(jwt({ sub: "u-1" }).replace("Bearer", "bearer"))).toStrictEqual({ sub: "u-1" });
    expect(unverifiedJwtPayload(jwt({ sub: "u-1" }).replace("Bearer ", "BEARER  "))).toStrictEqual({ sub: "u-1" });
  });

  it.each([
    ["no header", undefined],
    ["a scheme that only starts with bearer", jwt({ sub: "u-1" }).replace("Bearer ", "Bearerx ")],
    ["a scheme not at the start", `Token ${jwt({ sub: "u-1" })}`],
    ["four parts", `${jwt({ sub: "u-1" })}.extra`],
    ["an empty payload", "Bearer x..y"],
    ["a payload that is null", `Bearer x.${Buffer.from("null").toString("base64url")}.y`],
    ["a payload that is a number", `Bearer x.${Buffer.from("42").toString("base64url")}.y`],
  ])("decodes nothing from %s", (_case, authorization) => {
    expect(unverifiedJwtPayload(authorization)).toBeUndefined();
  });

  it("decodes a token of exactly the length limit, and not one character more", () => {
    const base = jwt({ sub: "u-1" });
    const atLimit = `${base}${"s".repeat(8192 - base.length)}`;
    expect(atLimit).toHaveLength(8192);
    expect(unverifiedJwtPayload(atLimit)).toStrictEqual({ sub: "u-1" });
    expect(unverifiedJwtPayload(`${atLimit}s`)).toBeUndefined();
  });

  it.each([
    ["theme=dark; uid=u-1", "u-1"],
    ["  uid = u-1 ", "u-1"],
    ["flag; uid=u-1", "u-1"],
    ["uid=a=b", "a=b"],
    ['uid="', '"'],
    ['uid="abc', '"abc'],
    ['uid=abc"', 'abc"'],
    ['uid=""', ""],
    ["uid=first; uid=second", "first"],
    ["uidx; uid=u-1", "u-1"],
    ["u; uid=u-1", "u-1"],
  ])("reads the uid cookie of %p as %p", (header, value) => {
    expect(cookieValue(header, "uid")).toBe(value);
  });

  it("finds no cookie in an empty header", () => {
    expect(cookieValue("", "uid")).toBeUndefined();
  });
  describe("Authorization schemes and claim paths", () => {
    const tokenUser = createIdentityResolver({ userId: [claim("user.id", "Token")], sessionId: [] });

    it("reads a nested claim of a Token-scheme JWT", () => {
      expect(tokenUser({ authorization: jwt({ user: { id: 7 } }, "Token") })).toStrictEqual({ userId: "7" });
      expect(tokenUser({ authorization: jwt({ user: { id: "u-7", name: "Ann" } }, "Token") })).toStrictEqual({
        userId: "u-7",
      });
    });

    it("compares the scheme without regard to case, on both sides", () => {
      expect(tokenUser({ authorization: jwt({ user: { id: 7 } }, "token") })).toStrictEqual({ userId: "7" });
      expect(tokenUser({ authorization: jwt({ user: { id: 7 } }, "TOKEN") })).toStrictEqual({ userId: "7" });
      const upper = createIdentityResolver({ userId: [claim("user.id", "TOKEN")], sessionId: [] });
      expect(upper({ authorization: jwt({ user: { id: 7 } }, "Token") })).toStrictEqual({ userId: "7" });
    });

    it("reads only the configured scheme", () => {
      expect(tokenUser({ authorization: jwt({ user: { id: 7 } }) })).toStrictEqual({});
      expect(tokenUser({ authorization: jwt({ user: { id: 7 } }, "Tokens") })).toStrictEqual({});
      expect(resolve({ authorization: jwt({ sub: "u-1" }, "Token") })).toStrictEqual({});
    });

    it("takes the source whose scheme the request uses when several are configured", () => {
      const both = createIdentityResolver({ userId: [claim("sub"), claim("user.id", "Token")], sessionId: [] });
      expect(both({ authorization: jwt({ sub: "u-bearer", user: { id: "u-token" } }) })).toStrictEqual({
        userId: "u-bearer",
      });
      expect(both({ authorization: jwt({ sub: "u-bearer", user: { id: "u-token" } }, "Token") })).toStrictEqual({
        userId: "u-token",
      });
    });

    it("takes no id from a path that stops early or runs past a value", () => {
      for (const payload of [
        {},
        { user: {} },
        { user: null },
        { user: "7" },
        { user: 7 },
        { user: { id: { deeper: 1 } } },
        { "user.id": 7 },
      ]) {
        expect(tokenUser({ authorization: jwt(payload, "Token") })).toStrictEqual({});
      }
    });

    it("decodes the payload once when the user id and the session id both read claims of the token", () => {
      const both = createIdentityResolver({
        userId: [claim("user.id", "Token")],
        sessionId: [claim("session", "Token")],
      });
      const parse = jest.spyOn(JSON, "parse");
      try {
        expect(both({ authorization: jwt({ user: { id: 1 }, session: "s-1" }, "Token") })).toStrictEqual({
          userId: "1",
          sessionId: "s-1",
        });
        expect(parse).toHaveBeenCalledTimes(1);
      } finally {
        parse.mockRestore();
      }
    });

    it("falls through to the next source when the token has no usable claim", () => {
      const chain = createIdentityResolver({
        userId: [claim("user.id", "Token"), { header: "x-user-id" }],
        sessionId: [],
      });
      expect(chain({ authorization: jwt({ user: {} }, "Token"), "x-user-id": "u-header" })).toStrictEqual({
        userId: "u-header",
      });
      expect(chain({ authorization: "Token not-a-jwt", "x-user-id": "u-header" })).toStrictEqual({
        userId: "u-header",
      });
    });
  });

  describe("claimAt", () => {
    it("walks nested objects and arrays by own keys", () => {
      expect(claimAt({ sub: "a" }, ["sub"])).toBe("a");
      expect(claimAt({ user: { id: 3 } }, ["user", "id"])).toBe(3);
      expect(claimAt({ a: { b: { c: "deep" } } }, ["a", "b", "c"])).toBe("deep");
      expect(claimAt({ ids: ["first", "second"] }, ["ids", "1"])).toBe("second");
      expect(claimAt({ "https://example.com/id": "ns" }, ["https://example.com/id"])).toBe("ns");
      expect(claimAt({ user: { id: null } }, ["user", "id"])).toBeNull();
    });

    it("finds nothing inherited, missing or below a non-object", () => {
      expect(claimAt({}, ["constructor"])).toBeUndefined();
      expect(claimAt({ user: {} }, ["user", "toString"])).toBeUndefined();
      expect(claimAt({}, ["sub"])).toBeUndefined();
      expect(claimAt({ user: null }, ["user", "id"])).toBeUndefined();
      expect(claimAt({ user: "text" }, ["user", "length"])).toBeUndefined();
      expect(claimAt({ user: 5 }, ["user", "id"])).toBeUndefined();
      expect(claimAt(undefined, ["sub"])).toBeUndefined();
    });
  });

  describe("authorizationCredentials", () => {
    it("splits at the first space, lower-cases the scheme and trims the token", () => {
      expect(authorizationCredentials("Token abc.def.ghi")).toStrictEqual({ scheme: "token", token: "abc.def.ghi" });
      expect(authorizationCredentials("Bearer   t  ")).toStrictEqual({ scheme: "bearer", token: "t" });
      expect(authorizationCredentials("Basic a b")).toStrictEqual({ scheme: "basic", token: "a b" });
    });

    it.each([
      ["no header", undefined],
      ["an empty header", ""],
      ["a scheme alone", "Token"],
      ["a header starting with a space", " Token abc"],
      ["a header over the length limit", `Token ${"a".repeat(8192)}`],
    ])("finds no credentials in %s", (_case, header) => {
      expect(authorizationCredentials(header)).toBeUndefined();
    });

    it("takes a header of exactly the length limit", () => {
      expect(authorizationCredentials(`Token ${"a".repeat(8186)}`)?.token).toHaveLength(8186);
    });
  });

  describe("decodeJwtPayload and unverifiedJwtPayload", () => {
    it("decodes a bare token", () => {
      expect(decodeJwtPayload(token({ user: { id: 1 } }))).toStrictEqual({ user: { id: 1 } });
      expect(decodeJwtPayload("a.b")).toBeUndefined();
    });

    it("reads the scheme it is given, Bearer by default", () => {
      expect(unverifiedJwtPayload(jwt({ sub: "u-1" }, "Token"), "Token")).toStrictEqual({ sub: "u-1" });
      expect(unverifiedJwtPayload(jwt({ sub: "u-1" }, "Token"), "token")).toStrictEqual({ sub: "u-1" });
      expect(unverifiedJwtPayload(jwt({ sub: "u-1" }, "Token"))).toBeUndefined();
      expect(unverifiedJwtPayload(jwt({ sub: "u-1" }), "Token")).toBeUndefined();
    });
  });
});
