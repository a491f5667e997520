import { escapeSegment, formatPointer, generalisePath, keyedSegment, parsePointer } from "./json-pointer";

describe("JSON pointers", () => {
  it("splits and unescapes segments (RFC 6901: ~1 first, so ~01 is ~1)", () => {
    expect(parsePointer("")).toStrictEqual([]);
    expect(parsePointer("/")).toStrictEqual([""]);
    expect(parsePointer("/a~1b/~0c/~01/x")).toStrictEqual(["a/b", "~c", "~1", "x"]);
  });

  it("escapes segments and round-trips", () => {
    expect(escapeSegment("plain")).toBe("plain");
    expect(escapeSegment("a/b~c")).toBe("a~1b~0c");
    expect(escapeSegment("~")).toBe("~0");
    expect(escapeSegment("/")).toBe("~1");
    const segments = ["a/b", "~1", "", "x y"];
    expect(parsePointer(formatPointer(segments))).toStrictEqual(segments);
    expect(formatPointer([])).toBe("");
  });

  it("names keyed elements with the key JSON-encoded", () => {
    expect(keyedSegment("id", "7")).toBe("[id=7]");
    expect(keyedSegment("sku", '"A-1"')).toBe('[sku="A-1"]');
  });

  it.each([
    ["/items/x0", "/items/x0"],
    ["/items/0x", "/items/0x"],
    ["/items/[id=7]x", "/items/[id=7]x"],
    ["/items/x[id=7]", "/items/x[id=7]"],
    ["/items/[id]", "/items/[id]"],
    ["/a/12/b/[k=1]/c", "/a/*/b/*/c"],
  ])("generalises only whole index segments: %s → %s", (path, expected) => {
    expect(generalisePath(path)).toBe(expected);
  });
});
