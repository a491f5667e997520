import { compileForwardMapper } from "../mapping/compile-table-mapping";
import { arrayLiteral, rowSetStatement } from "./row-set-writer";

const mapper = compileForwardMapper({ source: "users", target: "user_profiles", key: { id: "user_id" }, columns: { email: "email_address", prefs: "prefs" }, split: [] });
const types = new Map([
  ["user_id", "uuid[]"],
  ["email_address", "text[]"],
]);

describe("arrayLiteral", () => {
  it("writes the array literal node-postgres would write, NULLs unquoted and quotes and backslashes escaped", () => {
    expect(arrayLiteral([])).toBe("{}");
    expect(arrayLiteral(["a", "", "NULL", "{x,y}"])).toBe('{"a","","NULL","{x,y}"}');
    expect(arrayLiteral(["say \"hi\"", "back\\slash", null, undefined])).toBe('{"say \\"hi\\"","back\\\\slash",NULL,NULL}');
    expect(arrayLiteral([1, 2.5, true, false])).toBe('{"1","2.5","true","false"}');
  });
});

describe("rowSetStatement", () => {
  it("upserts from typed unnest arrays when every column has a scalar type and every value is a scalar", () => {
    const statement = rowSetStatement(mapper, types, ["email_address"], [{ key: "k1", values: { email_address: "a@example.com" } }]);
    expect(statement.text).toContain('SELECT * FROM unnest($1::uuid[], $2::text[])');
    expect(statement.values).toEqual(['{"k1"}', '{"a@example.com"}']);
  });

  it("goes through jsonb_populate_recordset when a column's type is unknown (array-typed) or a value is an object", () => {
    const unknownColumn = rowSetStatement(mapper, types, ["prefs"], [{ key: "k1", values: { prefs: "x" } }]);
    expect(unknownColumn.text).toContain("jsonb_populate_recordset");
    const objectValue = rowSetStatement(mapper, types, ["email_address"], [{ key: "k1", values: { email_address: { not: "scalar" } } }]);
    expect(objectValue.text).toContain("jsonb_populate_recordset");
    expect(JSON.parse(objectValue.values[0] as string)).toEqual([{ user_id: "k1", email_address: { not: "scalar" } }]);
  });
});
