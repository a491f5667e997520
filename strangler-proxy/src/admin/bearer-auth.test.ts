import { createBearerCheck } from "./bearer-auth";

describe("admin bearer token check", () => {
  const check = createBearerCheck("s3cret-admin-token-123");

  it("accepts the token, whatever the case of the scheme", () => {
    expect(check("Bearer s3cret-admin-token-123")).toBe(true);
    expect(check("bearer s3cret-admin-token-123")).toBe(true);
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["a wrong token", "Bearer wrong"],
    ["a prefix of the token", "Bearer s3cret-admin-token-12"],
    ["the token plus more", "Bearer s3cret-admin-token-1234"],
    ["another scheme", "Basic s3cret-admin-token-123"],
    ["the bare token", "s3cret-admin-token-123"],
    ["a bearer with no token", "Bearer "],
  ])("rejects %s", (_case, header) => {
    expect(check(header)).toBe(false);
  });
});
