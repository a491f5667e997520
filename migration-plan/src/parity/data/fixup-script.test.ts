import type { ResolvedTableMapping } from "@strangler/cdc";
import type { ColumnType } from "./column-types";
import { fixupStatement } from "./fixup-script";
import { buildTablePlan } from "./table-plan";

const t = (type: string): ColumnType => ({ type, builtin: true });
const mapping: ResolvedTableMapping = {
  source: "LineItem",
  target: "sales.order_lines",
  key: { TenantId: "tenant", OrderNo: "order_no" },
  columns: { note: "note" },
  split: [{ from: "name", into: ["first", "last"], separator: " " }],
  exclude: [],
  copyRest: false,
  sourceColumns: ["TenantId", "OrderNo", "note", "name"],
};
const plan = buildTablePlan(
  "sales",
  mapping,
  new Map([
    ["TenantId", t("integer")],
    ["OrderNo", t("text")],
    ["note", t("text")],
    ["name", t("text")],
  ]),
  new Map([
    ["tenant", t("integer")],
    ["order_no", t("text")],
    ["note", t("text")],
    ["first", t("text")],
    ["last", t("text")],
  ]),
);

describe("fixupStatement", () => {
  it("upserts the owner's mapped row into the service table, quoting values and keeping NULL", () => {
    expect(fixupStatement(plan, "legacy", ["3", "A'1"], ["3", "A'1", null, "Ada Lovelace"])).toBe(
      `INSERT INTO "sales"."order_lines" ("tenant", "order_no", "first", "last", "note") VALUES ('3', 'A''1', 'Ada', 'Lovelace', NULL) ON CONFLICT ("tenant", "order_no") DO UPDATE SET "first" = EXCLUDED."first", "last" = EXCLUDED."last", "note" = EXCLUDED."note";`,
    );
  });

  it("deletes the copy's row when the owner has none", () => {
    expect(fixupStatement(plan, "legacy", ["3", "A-1"], undefined)).toBe(
      `DELETE FROM "sales"."order_lines" WHERE "tenant" = '3' AND "order_no" = 'A-1';`,
    );
    expect(fixupStatement(plan, "service", ["3", "A-1"], undefined)).toBe(
      `DELETE FROM "public"."LineItem" WHERE "TenantId" = '3' AND "OrderNo" = 'A-1';`,
    );
  });

  it("writes the service's row back through the inverse mapping when the service owns the writes", () => {
    // plan.serviceSelect order: keys, then compared (first, last, note).
    expect(fixupStatement(plan, "service", ["3", "A-1"], ["3", "A-1", "Ada", "Lovelace", "n"])).toBe(
      `INSERT INTO "public"."LineItem" ("TenantId", "OrderNo", "note", "name") VALUES ('3', 'A-1', 'n', 'Ada Lovelace') ON CONFLICT ("TenantId", "OrderNo") DO UPDATE SET "note" = EXCLUDED."note", "name" = EXCLUDED."name";`,
    );
  });
});
