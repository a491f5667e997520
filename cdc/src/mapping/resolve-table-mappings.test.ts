import { parseMigrationConfig, type DataTableConfig } from "@strangler/migration-config";
import type { CatalogTable, DatabaseCatalog } from "./database-catalog";
import { catalogKey, resolveTableMappings, type ResolvedTableMapping } from "./resolve-table-mappings";

const table = (
  name: string,
  columns: string[],
  keys: { primary?: string[]; unique?: string[][]; nullable?: string[] } = {},
): CatalogTable => ({
  schema: name.includes(".") ? (name.split(".")[0] as string) : "public",
  name: name.includes(".") ? (name.split(".")[1] as string) : name,
  columns: columns.map((c) => ({ name: c, notNull: !(keys.nullable ?? []).includes(c) })),
  primaryKey: keys.primary ?? null,
  uniqueKeys: [...(keys.primary ? [keys.primary] : []), ...(keys.unique ?? [])],
});
// The Prisma-style fixture: PascalCase tables, camelCase columns, a join table without a primary key.
const prisma = (label: string): DatabaseCatalog => ({
  label,
  tables: [
    table("User", ["id", "email", "createdAt"], { primary: ["id"] }),
    table("_PostToTag", ["A", "B"], { unique: [["A", "B"]] }),
    table("Log", ["at", "line"], { unique: [["at"]], nullable: ["at"] }),
  ],
});
const tablesOf = (yaml: string): DataTableConfig[] =>
  parseMigrationConfig(
    `version: 1
legacy: { url: "http://127.0.0.1:1", database: "postgresql://127.0.0.1/a" }
unleash: { url: "http://127.0.0.1:2" }
services:
  - name: s
    url: "http://127.0.0.1:3"
    routes: {}
    data:
      database: "postgresql://127.0.0.1/b"
      tables:
${yaml}`,
    "x.yaml",
    {},
  ).services[0]?.data?.tables ?? [];

const resolve = (yaml: string) =>
  resolveTableMappings(
    tablesOf(yaml),
    "services[0].data",
    prisma("the legacy database"),
    prisma("the service database"),
  );

describe("resolving the data section against the catalogs", () => {
  it('takes "User", "createdAt" and _PostToTag (A, B) without a primary key, keys from the catalog', () => {
    const resolved = resolve(`        - { source: User, target: User, columns: { createdAt: createdAt, email: email } }
        - { source: _PostToTag, target: _PostToTag }`);
    expect((resolved as ResolvedTableMapping[]).map((t) => [t.key, t.sourceColumns])).toEqual([
      [{ id: "id" }, ["id", "email", "createdAt"]],
      [{ A: "A", B: "B" }, ["A", "B"]],
    ]);
  });

  it("names the path, what was looked for and the closest name for a typo", () => {
    expect(resolve("        - { source: User, target: user, columns: { createdat: createdAt } }")).toEqual([
      'services[0].data.tables[0].target: no table "user" in the service database; did you mean "User"?',
      'services[0].data.tables[0].columns.createdat: no column "createdat" in the legacy database\'s table "User"; did you mean "createdAt"?',
    ]);
  });

  it("refuses a table with neither primary key nor unique index on NOT NULL columns, saying how to fix it", () => {
    const [problem] = resolve("        - { source: Log, target: Log }") as string[];
    expect(problem).toContain(
      'services[0].data.tables[0].source: table "Log" in the legacy database has no primary key and no unique index on NOT NULL columns',
    );
    expect(problem).toContain(
      "add a primary key (or a unique index on NOT NULL columns) to it, or name the key columns in services[0].data.tables[0].key",
    );
  });

  it("refuses a copy-all table whose target lacks a source column, and a key the target cannot upsert by", () => {
    const service: DatabaseCatalog = {
      label: "the service database",
      tables: [table("User", ["id", "email"], { primary: ["id"] }), table("_PostToTag", ["A", "B"])],
    };
    const problems = resolveTableMappings(
      tablesOf("        - { source: User, target: User }\n        - { source: _PostToTag, target: _PostToTag }"),
      "services[0].data",
      prisma("the legacy database"),
      service,
    );
    expect(problems).toEqual([
      'services[0].data.tables[0]: copies every column of "User", but the service database\'s table "User" has no column "createdAt" (add it there, map it in columns, or list it in exclude)',
      'services[0].data.tables[1].key: the service database\'s table "_PostToTag" has no primary key or unique index on exactly (A, B): the sink upserts by the key, add one',
    ]);
  });

  it("prefers the primary key, then the narrowest unique index on NOT NULL columns", () => {
    expect(catalogKey(table("t", ["a", "b", "c"], { primary: ["c"], unique: [["a"]] }))).toEqual(["c"]);
    expect(catalogKey(table("t", ["a", "b", "c"], { unique: [["a", "b"], ["c"]] }))).toEqual(["c"]);
    expect(catalogKey(table("t", ["a", "b"], { unique: [["a"]], nullable: ["a"] }))).toBeNull();
  });

  it("asks for the key of a table without primary key by name on the Debezium transport (message.key.columns)", () => {
    const problems = resolveTableMappings(
      tablesOf("        - { source: _PostToTag, target: _PostToTag }"),
      "services[0].data",
      prisma("the legacy database"),
      prisma("the service database"),
      { keyNamedWithoutPrimaryKey: true },
    );
    expect(problems).toEqual([
      'services[0].data.tables[0].key: table "_PostToTag" in the legacy database has no primary key; on the Debezium transport name its key (e.g. key: { A: A, B: B }), so the connector keys its messages by it (message.key.columns)',
    ]);
  });
});
