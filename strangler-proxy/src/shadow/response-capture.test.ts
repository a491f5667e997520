import { capturedHeaders, ResponseCapture } from "./response-capture";

describe("ResponseCapture", () => {
  it("keeps a body up to the bound, in order", () => {
    const capture = new ResponseCapture(6);
    expect(capture.add(Buffer.from("abc"))).toBe(true);
    expect(capture.add(Buffer.from("def"))).toBe(true);
    expect(capture.tooLarge).toBe(false);
    expect(Buffer.from(capture.body()).toString()).toBe("abcdef");
  });

  it("drops everything and says too large once a chunk goes past the bound", () => {
    const capture = new ResponseCapture(5);
    capture.add(Buffer.from("abc"));
    expect(capture.add(Buffer.from("def"))).toBe(false);
    expect(capture.tooLarge).toBe(true);
    expect(capture.add(Buffer.from(""))).toBe(false);
    expect(capture.body()).toHaveLength(0);
  });

  it("keeps an empty body", () => {
    expect(new ResponseCapture(0).body()).toHaveLength(0);
  });
});

describe("capturedHeaders", () => {
  it("joins repeated values and leaves single ones alone", () => {
    expect(capturedHeaders({ "content-type": "application/json", "set-cookie": ["a=1", "b=2"] })).toEqual({
      "content-type": "application/json",
      "set-cookie": "a=1, b=2",
    });
  });
});
