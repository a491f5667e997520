import { parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

/** A config whose one service has the given `data:` section (YAML lines under it, indented by the caller). */
const withData = (data: string) => `version: 1
legacy: { url: "http://127.0.0.1:4101", database: "postgresql://127.0.0.1/monolith" }
unleash: { url: "http://127.0.0.1:4242" }
services:
  - name: users-service
    url: "http://127.0.0.1:4102"
    routes: {}
    data:
      database: "postgres://127.0.0.1/users_service"
${data}`;
/** One table mapping with the given fields (YAML flow), the rest valid. */
const table = (fields: string) => withData(`      tables:\n        - { source: users, target: user_profiles, key: { id: user_id }, ${fields} }`);
const dataOf = (text: string) => parseMigrationConfig(text, "x.yaml", {}).services[0]?.data;

describe("the data section's schema", () => {
  it("takes a postgres:// database URL, SQL names with underscores and digits, and a custom separator", () => {
    expect(dataOf(table("columns: { _e1: email_2 }, split: [{ from: name, into: [first_name, last_name], separator: ', ' }], newerBy: _e1"))).toStrictEqual({
      database: "postgres://127.0.0.1/users_service",
      tables: [{ source: "users", target: "user_profiles", key: { id: "user_id" }, columns: { _e1: "email_2" }, split: [{ from: "name", into: ["first_name", "last_name"], separator: ", " }], newerBy: "_e1" }],
      reverse: false,
    });
  });

  it("takes names of up to 63 characters", () => {
    const name = `a${"b".repeat(62)}`;
    expect(dataOf(table(`columns: { ${name}: x }`))?.tables[0]?.columns).toStrictEqual({ [name]: "x" });
  });

  it.each([
    ["a name that starts with a digit", "columns: { 1email: x }", "must be a lower-case SQL name (letters, digits, _; at most 63)"],
    ["a name of 64 characters", `columns: { a${"b".repeat(63)}: x }`, "must be a lower-case SQL name (letters, digits, _; at most 63)"],
    ["a target name with a dash", "columns: { email: email-address }", "services[0].data.tables[0].columns.email (line 11): must be a lower-case SQL name (letters, digits, _; at most 63), e.g. user_profiles"],
    ["a target name with a capital", "columns: { email: Email }", "columns.email (line 11): must be a lower-case SQL name"],
    ["a target name with text after it", "columns: { email: 'email x' }", "columns.email (line 11): must be a lower-case SQL name"],
    ["a column list instead of a map", "columns: [email]", "services[0].data.tables[0].columns (line 11): must map source column names to target column names, e.g. { email: email_address }"],
    ["a name that is not text", "newerBy: 5", "services[0].data.tables[0].newerBy (line 11): must be a table or column name"],
    ["a split into one column", "split: [{ from: name, into: [first_name] }]", "services[0].data.tables[0].split[0].into (line 11): must name two target columns, e.g. [first_name, last_name]"],
    ["a split into three columns", "split: [{ from: name, into: [a, b, c] }]", "split[0].into (line 11): must name two target columns"],
    ["an empty separator", "split: [{ from: name, into: [a, b], separator: '' }]", "services[0].data.tables[0].split[0].separator (line 11): must not be empty"],
    ["an unknown split field", "split: [{ from: name, into: [a, b], trim: true }]", "services[0].data.tables[0].split[0] (line 11): unknown field: trim"],
  ])("rejects %s", (_what, fields, message) => {
    expect(problems(table(fields))).toContain(message);
  });

  it("rejects a key that maps no column", () => {
    expect(problems(withData("      tables:\n        - { source: users, target: user_profiles, key: {} }"))).toContain(
      "services[0].data.tables[0].key (line 11): must map exactly one source key column to one target key column, e.g. { id: user_id }",
    );
  });

  it("rejects a data section without tables, or without a database", () => {
    expect(problems(withData("      tables: []"))).toContain("services[0].data.tables (line 10): must map at least one table");
    expect(problems(withData("      tables: [{ source: users, target: user_profiles, key: { id: user_id } }]").replace('      database: "postgres://127.0.0.1/users_service"\n', ""))).toContain("services[0].data.database (line 9): ");
  });

  it("accepts newerBy naming a mapped source column", () => {
    expect(dataOf(table("columns: { updated_at: modified_at }, newerBy: updated_at"))?.tables[0]?.newerBy).toBe("updated_at");
  });

  it("rejects a target mapped twice by two tables with different sources, naming only the target", () => {
    const message = problems(withData("      tables:\n        - { source: users, target: profiles, key: { id: user_id } }\n        - { source: people, target: profiles, key: { id: user_id } }"));
    expect(message).toBe('strangler.config.yaml: invalid migration config:\n  - services[0].data.tables[1].target (line 12): target table "profiles" is already mapped by tables[0]');
  });

  it("rejects a source mapped twice into two targets, naming only the source", () => {
    const message = problems(withData("      tables:\n        - { source: users, target: profiles, key: { id: user_id } }\n        - { source: users, target: people, key: { id: user_id } }"));
    expect(message).toBe('strangler.config.yaml: invalid migration config:\n  - services[0].data.tables[1].source (line 12): source table "users" is already mapped by tables[0]');
  });

  it("accepts three tables with distinct sources and targets", () => {
    const tables = ["users:profiles", "orders:purchases", "items:lines"].map((pair) => `        - { source: ${pair.split(":")[0]}, target: ${pair.split(":")[1]}, key: { id: ${pair.split(":")[0]}_id } }`);
    expect(dataOf(withData(`      tables:\n${tables.join("\n")}`))?.tables.map((t) => t.target)).toStrictEqual(["profiles", "purchases", "lines"]);
  });

  it("checks each table's columns on their own: the same column name may appear in two tables", () => {
    const text = withData("      tables:\n        - { source: users, target: profiles, key: { id: pid }, columns: { email: email } }\n        - { source: people, target: persons, key: { id: pid }, columns: { email: email } }");
    expect(dataOf(text)?.tables).toHaveLength(2);
  });

  it("reports the column problems of the second table at its own place", () => {
    const message = problems(withData("      tables:\n        - { source: users, target: profiles, key: { id: pid } }\n        - { source: people, target: persons, key: { id: pid }, columns: { id: pid } }"));
    expect(message).toContain('services[0].data.tables[1].columns.id (line 12): source column "id" is already mapped by key');
    expect(message).toContain('services[0].data.tables[1].columns.id (line 12): target column "pid" is already set by key.id');
  });

  it("names the split that already claimed a column", () => {
    const message = problems(table("split: [{ from: name, into: [first_name, last_name] }, { from: name, into: [last_name, initials] }]"));
    expect(message).toContain('services[0].data.tables[0].split[1].from (line 11): source column "name" is already mapped by split[0]');
    expect(message).toContain('services[0].data.tables[0].split[1].into[0] (line 11): target column "last_name" is already set by split[0]');
  });

  it.each(["xpostgres://db/x", "postgresx://db/x", "postgresqlx://db/x", "http://db/x"])("rejects the database URL %s", (url) => {
    expect(problems(withData("      tables: [{ source: users, target: user_profiles, key: { id: user_id } }]").replace("postgres://127.0.0.1/users_service", url))).toContain(
      "services[0].data.database (line 9): must be a postgresql:// URL",
    );
  });
});
