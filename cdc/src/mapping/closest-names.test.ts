import { closestNames, didYouMean, editDistance } from "./closest-names";

describe("closest names", () => {
  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("puts a name equal but for case first, then near ones by distance", () => {
    expect(closestNames("createdat", ["updatedAt", "createdAt", "created_at", "id"])).toEqual([
      "createdAt",
      "created_at",
      "updatedAt",
    ]);
    expect(closestNames("user", ["User", "users", "Post"])).toEqual(["User", "users"]);
  });

  it("suggests nothing when nothing is close", () => {
    expect(closestNames("email", ["id", "createdAt"])).toEqual([]);
    expect(didYouMean("email", ["id"])).toBe("");
    expect(didYouMean("createdat", ["createdAt"])).toBe('; did you mean "createdAt"?');
  });
});
