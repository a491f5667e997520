import { isCdcFirst } from "./exchange-verdict";

describe("isCdcFirst", () => {
  it.each([
    ["POST", 201, 409, true],
    ["POST", 201, 404, false],
    ["DELETE", 204, 404, true],
    ["PATCH", 200, 404, true],
    ["PUT", 200, 404, true],
    ["DELETE", 404, 404, false],
    ["GET", 200, 404, false],
    ["POST", 500, 409, false],
  ])("%s, primary %i, candidate %i → %s", (method, primary, candidate, expected) => {
    expect(isCdcFirst(method, primary, candidate)).toBe(expected);
  });
});
