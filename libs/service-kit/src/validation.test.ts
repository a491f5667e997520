import { z } from "zod";
import { HttpError } from "./http-error";
import { parseInput } from "./validation";

const schema = z.strictObject({ name: z.string({ error: "must be a string" }), tags: z.array(z.string()).optional() });

function failure(input: unknown): HttpError {
  try {
    parseInput(schema, input, "body");
  } catch (error) {
    if (error instanceof HttpError) return error;
  }
  throw new Error("expected parseInput to throw an HttpError");
}

describe("parseInput", () => {
  it("returns the parsed value when the input is valid", () => {
    expect(parseInput(schema, { name: "x" }, "body")).toEqual({ name: "x" });
  });

  it("names a missing field as required, not as a type error", () => {
    const error = failure({});
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ fields: [{ field: "name", location: "body", message: "is required" }] });
    expect(error.message).toBe("invalid request body: body.name: is required");
  });

  it("reports a present value of the wrong type with the schema's message", () => {
    expect(failure({ name: 5 }).details.fields).toEqual([
      { field: "name", location: "body", message: "must be a string" },
    ]);
  });

  it("names every unknown field", () => {
    const fields = failure({ name: "x", a: 1, b: 2 }).details.fields;
    expect(fields).toEqual([
      { field: "a", location: "body", message: "unknown field" },
      { field: "b", location: "body", message: "unknown field" },
    ]);
  });

  it("writes array positions in brackets", () => {
    expect(failure({ name: "x", tags: ["ok", 3] }).details.fields).toEqual([
      expect.objectContaining({ field: "tags[1]", location: "body" }),
    ]);
  });

  it("says the whole body is required when there is none", () => {
    expect(failure(undefined).message).toBe("invalid request body: body: is required");
  });
});
