import { shadowLogFields } from "./logger";

describe("shadowLogFields", () => {
  it("marks a mirrored request, and a mirrored write's dry run", () => {
    expect(shadowLogFields({ "x-strangler-shadow": "1" })).toEqual({ shadow: true });
    expect(shadowLogFields({ "x-strangler-shadow": "1", "x-strangler-dry-run": "1" })).toEqual({
      shadow: true,
      dryRun: true,
    });
  });

  it("adds nothing to real traffic", () => {
    expect(shadowLogFields({})).toEqual({});
    expect(shadowLogFields({ "x-strangler-dry-run": "1" })).toEqual({});
    expect(shadowLogFields({ "x-strangler-shadow": "0" })).toEqual({});
  });
});
