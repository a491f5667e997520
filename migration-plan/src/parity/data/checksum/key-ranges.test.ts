import { splitRange } from "./key-ranges";

describe("splitRange", () => {
  it("cuts an open-ended range at each boundary and keeps the last range open", () => {
    expect(splitRange({ after: null, through: null }, [["10"], ["20"]], ["integer"])).toEqual([
      { after: null, through: ["10"] },
      { after: ["10"], through: ["20"] },
      { after: ["20"], through: null },
    ]);
  });

  it("drops boundaries at or outside the range's ends and repeated ones", () => {
    expect(splitRange({ after: ["5"], through: ["30"] }, [["5"], ["9"], ["9"], ["30"], ["31"]], ["integer"])).toEqual([
      { after: ["5"], through: ["9"] },
      { after: ["9"], through: ["30"] },
    ]);
  });

  it("returns the range itself when no boundary lies inside it", () => {
    expect(splitRange({ after: ["a"], through: ["b"] }, [], ["text"])).toEqual([{ after: ["a"], through: ["b"] }]);
  });

  it("orders composite keys column by column, integers by value and text by code point", () => {
    const kinds = ["integer", "text"] as const;
    expect(
      splitRange(
        { after: ["9", "z"], through: null },
        [
          ["10", "a"],
          ["10", "é"],
          ["10", "😀"],
        ],
        kinds,
      ),
    ).toEqual([
      { after: ["9", "z"], through: ["10", "a"] },
      { after: ["10", "a"], through: ["10", "é"] },
      { after: ["10", "é"], through: ["10", "😀"] },
      { after: ["10", "😀"], through: null },
    ]);
  });
});
