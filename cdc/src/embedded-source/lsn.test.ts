import { formatLsn, parseLsn } from "./lsn";

test("reads and writes PostgreSQL LSN text both ways, past the 32-bit boundary", () => {
  expect(parseLsn("0/16B3748")).toBe(0x16b3748);
  expect(parseLsn("16/B374D848")).toBe(0x16 * 2 ** 32 + 0xb374d848);
  expect(formatLsn(parseLsn("16/B374D848"))).toBe("16/B374D848");
  expect(formatLsn(0)).toBe("0/0");
});

test("rejects text that is not an LSN", () => {
  expect(() => parseLsn("16B374D848")).toThrow("not an LSN");
});
