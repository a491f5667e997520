import type { ResolvedTableMapping } from "@strangler/cdc";
import type { ColumnType } from "./column-types";
import { expectedServiceRow } from "./row-compare";
import { buildTablePlan, sqlLiteral } from "./table-plan";

const types = (entries: Record<string, string | [string, boolean]>): Map<string, ColumnType> =>
  new Map(
    Object.entries(entries).map(([name, type]) => [
      name,
      typeof type === "string" ? { type, builtin: true } : { type: type[0], builtin: type[1] },
    ]),
  );

const mapping: ResolvedTableMapping = {
  source: "members",
  target: 'crm."Member"',
  key: { id: "memberId" },
  columns: { email: "emailAddress", balance: "balance", mood: "mood", nick: "nick" },
  split: [{ from: "full_name", into: ["given", "family"], separator: ", " }],
  exclude: [],
  copyRest: false,
  sourceColumns: ["id", "full_name", "email", "balance", "mood", "nick", "legacy_only"],
};
const legacyTypes = types({
  id: "integer",
  full_name: "text",
  email: "character varying(80)",
  balance: "numeric(12,3)",
  mood: "text",
  nick: "text",
  legacy_only: "boolean",
});
const serviceTypes = types({
  memberId: "bigint",
  given: "text",
  family: "text",
  emailAddress: "character varying(40)",
  balance: "numeric(12,2)",
  mood: ['"Mood"', false],
  nick: "text",
});

describe("buildTablePlan", () => {
  const plan = buildTablePlan("crm", mapping, legacyTypes, serviceTypes);

  it("names both tables canonically and for SQL, with the keys in order", () => {
    expect(plan).toMatchObject({
      legacyTable: "members",
      serviceTable: "crm.Member",
      legacySql: '"public"."members"',
      serviceSql: '"crm"."Member"',
      legacyKeys: ["id"],
      serviceKeys: ["memberId"],
      keyKinds: ["integer"],
    });
  });

  it("compares the columns the mapping writes, and reads only the legacy columns it reads", () => {
    expect(plan.compared).toEqual(["balance", "emailAddress", "family", "given", "mood", "nick"]);
    expect(plan.legacyColumns).toEqual(["full_name", "email", "balance", "mood", "nick"]);
  });

  it("reads a legacy value as the service column's built-in type (length limits dropped), a user type and split columns as text", () => {
    expect(plan.legacySelect).toEqual([
      '("id"::text)::bigint::text',
      '"full_name"::text',
      '("email"::text)::character varying::text',
      '("balance"::text)::numeric(12,2)::text',
      '"mood"::text',
      '"nick"::text',
    ]);
    expect(plan.legacySelectUncast).toEqual([
      '"id"::text',
      '"full_name"::text',
      '"email"::text',
      '"balance"::text',
      '"mood"::text',
      '"nick"::text',
    ]);
    expect(plan.serviceSelect[0]).toBe('"memberId"::text');
  });

  it("orders integer keys by the column itself on both sides", () => {
    expect(plan.legacyOrder).toEqual(['"id"']);
    expect(plan.serviceOrder).toEqual(['"memberId"']);
  });

  it("orders a text key by its text under the C collation", () => {
    const textKey = buildTablePlan(
      "crm",
      { ...mapping, key: { full_name: "given" }, split: [] },
      legacyTypes,
      serviceTypes,
    );
    expect(textKey.keyKinds).toEqual(["text"]);
    expect(textKey.legacyOrder).toEqual(['("full_name"::text) COLLATE "C"']);
  });

  it("expresses the split in SQL the way the mapper splits, at the first separator", () => {
    expect(plan.legacyMappedSql.given).toBe(
      `CASE WHEN strpos("full_name"::text, ', ') = 0 THEN "full_name"::text ELSE substr("full_name"::text, 1, strpos("full_name"::text, ', ') - 1) END`,
    );
    expect(plan.legacyMappedSql.family).toContain(`+ 2) END`);
    expect(plan.legacyMappedSql.memberId).toBe('("id"::text)::bigint::text');
  });

  it("maps a legacy row through the CDC sink's mapper: split, renamed, NULL kept", () => {
    const expected = expectedServiceRow(plan, ["7", "Lovelace, Ada, Countess", null, "1.50", "calm", "ada"]);
    expect(expected.key).toEqual(["7"]);
    expect(Object.fromEntries(plan.compared.map((c, i) => [c, expected.values[i]]))).toEqual({
      balance: "1.50",
      emailAddress: null,
      family: "Ada, Countess",
      given: "Lovelace",
      mood: "calm",
      nick: "ada",
    });
  });
});

test("sqlLiteral doubles quotes and keeps backslashes (standard_conforming_strings)", () => {
  expect(sqlLiteral(`O'Brien \\ "x"`)).toBe(`'O''Brien \\ "x"'`);
});
