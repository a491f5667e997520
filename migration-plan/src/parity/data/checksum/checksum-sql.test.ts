import { boundariesSql, type ChecksumSide, lastKeySql, rangeChecksumsSql, rowHashSql } from "./checksum-sql";

const side = (kinds: ChecksumSide["kinds"], order: string[]): ChecksumSide => ({
  tableSql: `"public"."t"`,
  keyText: order.map((_, i) => `"k${i}"::text`),
  order,
  kinds,
  rowText: `ARRAY[("k0"::text)]::text[]::text`,
  hash: "md5",
});

describe("checksum SQL", () => {
  it("counts one range without buckets and bounds it by its ends", () => {
    const query = rangeChecksumsSql(side(["integer"], [`"k0"`]), [{ after: ["5"], through: ["9"] }]);
    expect(query.text).not.toContain("width_bucket");
    expect(query.text).toContain(`("k0") > ($1::int8) AND ("k0") <= ($2::int8)`);
    expect(query.values).toEqual(["5", "9"]);
  });

  it("buckets rows by the inner range ends, an open-ended span without bounds past its start", () => {
    const query = rangeChecksumsSql(side(["integer"], [`"k0"`]), [
      { after: null, through: ["10"] },
      { after: ["10"], through: ["20"] },
      { after: ["20"], through: null },
    ]);
    expect(query.text).toContain(`width_bucket("k0", $1::int8[])`);
    expect(query.text).not.toContain(" > (");
    expect(query.values).toEqual([["10", "20"]]);
  });

  it("compares a composite key as a ROW whose text parts sort under the C collation", () => {
    const query = rangeChecksumsSql(side(["integer", "text"], [`"k0"`, `("k1"::text) COLLATE "C"`]), [
      { after: ["1", "a"], through: ["2", "b"] },
      { after: ["2", "b"], through: ["3", "c"] },
    ]);
    expect(query.text).toContain(`ROW(("k0")::int8, (("k1"::text) COLLATE "C")::text)`);
    expect(query.text).toContain(`ROW(strangler_e0, strangler_e1 COLLATE "C")`);
    expect(query.values).toEqual(["1", "a", "3", "c", ["2"], ["b"]]);
  });

  it("reads every step-th key, all of them or at most a limit", () => {
    const all = boundariesSql(side(["uuid"], [`"k0"`]), { after: null, through: null }, 500, null);
    expect(all.text).toContain("strangler_rn % 500 = 0");
    expect(all.text).not.toContain("LIMIT");
    expect(boundariesSql(side(["uuid"], [`"k0"`]), { after: null, through: null }, 500, 16).text).toContain("LIMIT 16");
  });

  it("names the last key's output columns apart from the key columns, so ORDER BY sorts by the key", () => {
    const query = lastKeySql(side(["integer"], [`"k0"`]), { after: ["3"], through: null });
    expect(query.text).toMatch(/SELECT "k0"::text AS strangler_k0 FROM .* ORDER BY "k0" DESC LIMIT 1/);
  });

  it("hashes with md5 or hashtextextended", () => {
    expect(rowHashSql(side(["integer"], [`"k0"`]))).toContain("md5(");
    expect(rowHashSql({ ...side(["integer"], [`"k0"`]), hash: "hashtext" })).toContain("hashtextextended(");
  });
});
