import type { Difference } from "./compare-types";
import { generalisePath } from "./json-pointer";
import { signatureFields, signatureOf } from "./signature";

describe("signatureOf", () => {
  it("is the sorted distinct kind-path pairs, array positions as *", () => {
    const differences: Difference[] = [
      { path: "/users/3/name", kind: "value" },
      { path: "/users/17/name", kind: "value" },
      { path: "/users/[id=7]", kind: "missing" },
      { path: "/status", kind: "status" },
    ];
    expect(signatureOf(differences)).toBe("missing /users/*\nstatus /status\nvalue /users/*/name");
    expect(signatureOf([...differences].reverse())).toBe(signatureOf(differences));
    expect(signatureOf([])).toBe("");
  });

  it("splits back into its fields, even with spaces, newlines and backslashes in member names", () => {
    const differences: Difference[] = [
      { path: "/a b/c", kind: "value" },
      { path: "/line\nbreak\\n", kind: "extra" },
      { path: "", kind: "bytes" },
      { path: "/items/2", kind: "type" },
    ];
    const signature = signatureOf(differences);
    expect(signature.split("\n")).toHaveLength(4);
    expect(signatureFields(signature)).toStrictEqual([
      { kind: "bytes", path: "" },
      { kind: "extra", path: "/line\nbreak\\n" },
      { kind: "type", path: "/items/*" },
      { kind: "value", path: "/a b/c" },
    ]);
    expect(signatureFields("")).toStrictEqual([]);
  });
});

describe("generalisePath", () => {
  it.each([
    ["/items/0/name", "/items/*/name"],
    ["/items/[id=7]/name", "/items/*/name"],
    ['/items/[sku="a~1b"]', "/items/*"],
    ["/byId/123", "/byId/*"],
    ["/v2/name", "/v2/name"],
    ["/headers/content-type", "/headers/content-type"],
    ["", ""],
    ["/0", "/*"],
  ])("turns %s into %s", (path, expected) => {
    expect(generalisePath(path)).toBe(expected);
  });
});
