import { formatTableName, parseTableName, qualifiedTableSql } from "./table-name";

describe("table names as the config writes them", () => {
  it.each([
    ["User", { schema: "public", name: "User" }],
    ["sales.User", { schema: "sales", name: "User" }],
    ['"my.table"', { schema: "public", name: "my.table" }],
    ['sales."a.b"', { schema: "sales", name: "a.b" }],
    ['"say ""hi"""', { schema: "public", name: 'say "hi"' }],
    ["_PostToTag", { schema: "public", name: "_PostToTag" }],
  ])("reads %s", (text, expected) => {
    expect(parseTableName(text)).toStrictEqual(expected);
  });

  it.each(["a.b.c", "", "a.", '"abc', 'a"b', '"a"b'])("refuses %j", (text) => {
    expect(typeof parseTableName(text)).toBe("string");
  });

  it("formats one canonical text per table, which reads back to the same table", () => {
    for (const text of ["User", "public.User", "sales.User", '"my.table"', 'public."my.table"', '"x""y"']) {
      const parsed = parseTableName(text);
      if (typeof parsed === "string") throw new Error(parsed);
      expect(parseTableName(formatTableName(parsed))).toStrictEqual(parsed);
    }
    expect(formatTableName({ schema: "public", name: "User" })).toBe("User");
    expect(formatTableName({ schema: "sales", name: "a.b" })).toBe('sales."a.b"');
  });

  it("quotes both parts for SQL", () => {
    expect(qualifiedTableSql({ schema: "public", name: 'a"b' })).toBe('"public"."a""b"');
  });
});
