import { cookieValue, createIdentityResolver, unverifiedJwtPayload } from "./identity";

const jwt = (payload: unknown) => `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

describe("identity", () => {
  const resolve = createIdentityResolver({
    userId: [{ header: "x-user-id" }, { cookie: "uid" }, { jwtClaim: "sub" }],
    sessionId: [{ cookie: "sid" }, { header: "x-session-id" }],
  });

  it("takes the first source that yields a value, in the configured order", () => {
    expect(resolve({ "x-user-id": "u-header", cookie: "uid=u-cookie", authorization: jwt({ sub: "u-jwt" }) })).toStrictEqual({ userId: "u-header" });
    expect(resolve({ cookie: "uid=u-cookie", authorization: jwt({ sub: "u-jwt" }) })).toStrictEqual({ userId: "u-cookie" });
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
    expect(cookieValue("xuid=1; uid=\"abc\"", "uid")).toBe("abc");
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
    expect(resolve({ "x-user-id": "u".repeat(257), authorization: jwt({ sub: "u-jwt" }) })).toStrictEqual({ userId: "u-jwt" });
  });

  it.each([
    ["a boolean", true],
    ["an object", { id: 1 }],
    ["null", null],
    ["an infinite number", "INFINITY"],
    ["an empty string", ""],
  ])("takes no user id from a claim that is %s", (_case, sub) => {
    const authorization = sub === "INFINITY" ? `Bearer x.${Buffer.from('{"sub":1e400}').toString("base64url")}.y` : jwt({ sub });
    expect(resolve({ authorization })).toStrictEqual({});
  });

  it("decodes the JWT once even when both ids read claims", () => {
    const both = createIdentityResolver({ userId: [{ jwtClaim: "sub" }], sessionId: [{ jwtClaim: "sid" }] });
    const parse = jest.spyOn(JSON, "parse");
    try {
      expect(both({ authorization: jwt({ sub: "u-1", sid: "s-1" }) })).toStrictEqual({ userId: "u-1", sessionId: "s-1" });
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
});
