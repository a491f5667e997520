import { formatTable } from "./text-table";

describe("formatTable", () => {
  it("aligns the columns on the widest cell and leaves the last one unpadded", () => {
    expect(
      formatTable(
        ["route", "serve", "note"],
        [
          ["users-list", "50%", "ok"],
          ["a", "off", ""],
        ],
      ),
    ).toBe(["route       serve  note", "users-list  50%    ok", "a           off"].join("\n"));
  });

  it("prints the header alone when there are no rows", () => {
    expect(formatTable(["name", "kind"], [])).toBe("name  kind");
  });
});
