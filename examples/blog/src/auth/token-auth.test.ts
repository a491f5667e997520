import { signToken, verifyToken } from "./token-auth";

const SECRET = "blog-test-secret-0123456789";

describe("the blog's Token JWTs", () => {
  it("verifies a token it signed and returns the nested user id", () => {
    expect(verifyToken(signToken({ user: { id: 7 } }, SECRET), SECRET)).toBe(7);
  });

  it("refuses a token signed with another secret, or with a changed payload", () => {
    const token = signToken({ user: { id: 7 } }, SECRET);
    expect(verifyToken(token, "another-secret-0123456789")).toBeUndefined();
    const [header, , sig] = token.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ user: { id: 8 } })).toString("base64url")}.${sig}`;
    expect(verifyToken(forged, SECRET)).toBeUndefined();
  });

  it("refuses an expired token and takes one that has not expired", () => {
    expect(verifyToken(signToken({ user: { id: 7 }, exp: 100 }, SECRET), SECRET, 100)).toBeUndefined();
    expect(verifyToken(signToken({ user: { id: 7 }, exp: 101 }, SECRET), SECRET, 100)).toBe(7);
  });

  it.each([
    ["two parts", "a.b"],
    ["a token without a user", signToken({ user: undefined } as never, SECRET)],
    ["a user id that is text", signToken({ user: { id: "7" } } as never, SECRET)],
  ])("refuses %s", (_case, token) => {
    expect(verifyToken(token, SECRET)).toBeUndefined();
  });
});
