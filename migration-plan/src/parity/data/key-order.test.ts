import { compareCodePoints, compareKeys } from "./key-order";

/** UTF-8 byte order: what PostgreSQL's COLLATE "C" gives. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

describe("compareCodePoints", () => {
  it("sorts a character beyond U+FFFF after every character of the basic plane, as UTF-8 bytes do", () => {
    for (const bmp of ["", "a", "é", "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}"])
      for (const astral of ["😀", "𝄞", "\u{10000}", "\u{10FFFF}"]) {
        expect(Math.sign(compareCodePoints(astral, bmp))).toBe(1);
        expect(Math.sign(compareCodePoints(bmp, astral))).toBe(-1);
      }
  });

  it("agrees with UTF-8 byte order on mixed strings", () => {
    const words = ["", "a", "A", "ab", "é", "ß", "😀", "😀a", "a😀", "𝄞", "\u{FFFD}", "\u{E000}x", "z z", "O'Key"];
    for (const a of words)
      for (const b of words) expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(byteOrder(a, b)));
  });
});

describe("compareKeys", () => {
  it("orders integers by value, then the next column", () => {
    expect(compareKeys(["integer", "text"], ["9", "z"], ["10", "a"])).toBeLessThan(0);
    expect(compareKeys(["integer", "text"], ["-10", "z"], ["-9", "a"])).toBeLessThan(0);
    expect(compareKeys(["integer", "text"], ["10", "é"], ["10", "😀"])).toBeLessThan(0);
  });
});
