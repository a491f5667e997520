import { compileForwardMapper } from "../mapping/compile-table-mapping";
import { arrayLiteral, rowSetStatement } from "./row-set-writer";
import type { TargetColumn } from "./target-table-state";

const mapper = compileForwardMapper({
  source: "users",
  target: "user_profiles",
  key: { id: "user_id" },
  columns: { email: "email_address", prefs: "prefs", tags: "tags" },
  split: [],
});
const columns = new Map<string, TargetColumn>([
  ["user_id", { type: "uuid", compareAsText: false }],
  ["email_address", { type: "text", compareAsText: false }],
  ["prefs", { type: "json", compareAsText: true }],
  ["tags", { type: "text[]", compareAsText: false }],
]);

describe("arrayLiteral", () => {
  it("writes a text[] literal, NULLs unquoted and quotes and backslashes escaped", () => {
    expect(arrayLiteral([])).toBe("{}");
    expect(arrayLiteral(["a", "", "NULL", "{x,y}"])).toBe('{"a","","NULL","{x,y}"}');
    expect(arrayLiteral(['say "hi"', "back\\slash", null, undefined])).toBe(
      '{"say \\"hi\\"","back\\\\slash",NULL,NULL}',
    );
    expect(arrayLiteral([1, 2.5, true, false])).toBe('{"1","2.5","true","false"}');
  });

  it("writes each value's PostgreSQL text form: an array value as one element holding its own literal, an object as JSON, NaN spelled out", () => {
    expect(arrayLiteral([["a", null, 'q"'], { k: 1 }, Number.NaN, -Infinity])).toBe(
      '{"{\\"a\\",NULL,\\"q\\\\\\"\\"}","{\\"k\\":1}","NaN","-Infinity"}',
    );
  });
});

describe("rowSetStatement", () => {
  it("unnests text[] parameters and casts each column to its target type, returning a row per write", () => {
    const statement = rowSetStatement(
      mapper,
      columns,
      ["email_address", "tags"],
      [{ key: ["k1"], values: { email_address: "a@example.com", tags: ["x", "y"] } }],
    );
    expect(statement.text).toContain(
      "SELECT u.k0::uuid, u.c0::text, u.c1::text[] FROM unnest($1::text[], $2::text[], $3::text[]) AS u(k0, c0, c1)",
    );
    expect(statement.text).toContain("RETURNING 1");
    expect(statement.values).toEqual(['{"k1"}', '{"a@example.com"}', '{"{\\"x\\",\\"y\\"}"}']);
  });

  it("compares a column without an equality operator (json) by its text form in the equal-value check", () => {
    const statement = rowSetStatement(mapper, columns, ["prefs"], [{ key: ["k1"], values: { prefs: { a: 1 } } }]);
    expect(statement.text).toContain('ROW((t."prefs")::text) IS DISTINCT FROM ROW((EXCLUDED."prefs")::text)');
    expect(statement.values[1]).toBe('{"{\\"a\\":1}"}');
  });

  it("names the column when the target table does not have it", () => {
    expect(() => rowSetStatement(mapper, columns, ["phone"], [{ key: ["k1"], values: { phone: "1" } }])).toThrow(
      'column "phone" of relation "public"."user_profiles" does not exist',
    );
  });

  it("unnests each column of a composite key and conflicts on all of them", () => {
    const join = compileForwardMapper({
      source: "_PostToTag",
      target: "_PostToTag",
      key: { A: "A", B: "B" },
      columns: { note: "note" },
      split: [],
    });
    const types = new Map<string, TargetColumn>([
      ["A", { type: "integer", compareAsText: false }],
      ["B", { type: "integer", compareAsText: false }],
      ["note", { type: "text", compareAsText: false }],
    ]);
    const statement = rowSetStatement(
      join,
      types,
      ["note"],
      [
        { key: [1, 7], values: { note: "n" } },
        { key: [2, 8], values: { note: null } },
      ],
    );
    expect(statement.text).toContain(
      'INSERT INTO "public"."_PostToTag" AS t ("A", "B", "note") SELECT u.k0::integer, u.k1::integer, u.c0::text FROM unnest($1::text[], $2::text[], $3::text[]) AS u(k0, k1, c0)',
    );
    expect(statement.text).toContain('ON CONFLICT ("A", "B") DO UPDATE');
    expect(statement.values).toEqual(['{"1","2"}', '{"7","8"}', '{"n",NULL}']);
  });
});
