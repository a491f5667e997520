import { parseTransport } from "./transport-option";

describe("parseTransport", () => {
  it("takes --transport debezium and --transport=embedded off the arguments of up", () => {
    expect(parseTransport("up", ["--transport", "debezium", "postgres"])).toEqual({
      args: ["postgres"],
      transport: "debezium",
    });
    expect(parseTransport("up", ["kafka", "--transport=embedded"])).toEqual({ args: ["kafka"], transport: "embedded" });
  });

  it("leaves the arguments alone without the option", () => {
    expect(parseTransport("status", ["--json"])).toEqual({ args: ["--json"], transport: null });
  });

  it("rejects an unknown transport, a missing value and the option on another command", () => {
    expect(parseTransport("up", ["--transport", "kinesis"])).toEqual({
      error: expect.stringContaining("expected one of embedded, debezium"),
    });
    expect(parseTransport("up", ["--transport"])).toEqual({ error: expect.stringContaining('""') });
    expect(parseTransport("down", ["--transport", "debezium"])).toEqual({
      error: expect.stringContaining("option of 'up'"),
    });
  });
});
