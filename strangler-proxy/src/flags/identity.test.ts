import { cookieValue, createIdentityResolver, unverifiedJwtPayload } from "./identity";

const jwt = (payload: unknown) => `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

describe("identity", () => {
  const resolve = createIdentityResolver({
    userId: [{ header: "x-user-id" }, { cookie: "uid" }, { jwtClaim: "sub" }],
    sessionId: [{ cookie: "sid" }, { header: "x-session-id" }],
  });

  it("takes the first source that yields a value, in the configured order", () => {
    expect(resolve({ "x-user-id": "u-header", cookie: "uid=u-cookie", authorization: jwt({ sub: "u-jwt" }) })).toEqual({ userId: "u-header" });
    expect(resolve({ cookie: "uid=u-cookie", authorization: jwt({ sub: "u-jwt" }) })).toEqual({ userId: "u-cookie" });
    expect(resolve({ authorization: jwt({ sub: "u-jwt" }) })).toEqual({ userId: "u-jwt" });
  });

  it("reads the session id from a cookie or a header", () => {
    expect(resolve({ cookie: "theme=dark; sid=s-1", "x-session-id": "s-2" })).toEqual({ sessionId: "s-1" });
    expect(resolve({ "x-session-id": "s-2" })).toEqual({ sessionId: "s-2" });
  });

  it("has neither when no source yields a value", () => {
    expect(resolve({})).toEqual({});
    expect(resolve({ "x-user-id": "   ", cookie: "uid=" })).toEqual({});
  });

  it("ignores values longer than 256 characters", () => {
    expect(resolve({ "x-user-id": "u".repeat(257) })).toEqual({});
  });

  it("takes a numeric JWT claim as text", () => {
    expect(resolve({ authorization: jwt({ sub: 42 }) })).toEqual({ userId: "42" });
  });

  it.each([
    ["not a bearer token", "Basic dXNlcjpwYXNz"],
    ["two parts", "Bearer a.b"],
    ["a payload that is not JSON", `Bearer x.${Buffer.from("nope").toString("base64url")}.y`],
    ["a payload that is an array", `Bearer x.${Buffer.from("[1]").toString("base64url")}.y`],
    ["an oversized token", `Bearer x.${"a".repeat(9000)}.y`],
  ])("decodes no claim from %s", (_case, authorization) => {
    expect(unverifiedJwtPayload(authorization)).toBeUndefined();
    expect(resolve({ authorization })).toEqual({});
  });

  it("finds a cookie by exact name and strips quotes", () => {
    expect(cookieValue("xuid=1; uid=\"abc\"", "uid")).toBe("abc");
    expect(cookieValue("uidx=1", "uid")).toBeUndefined();
    expect(cookieValue(undefined, "uid")).toBeUndefined();
  });
});
