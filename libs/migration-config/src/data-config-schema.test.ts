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
const table = (fields: string) =>
  withData(`      tables:\n        - { source: users, target: user_profiles, key: { id: user_id }, ${fields} }`);
const dataOf = (text: string) => parseMigrationConfig(text, "x.yaml", {}).services[0]?.data;

describe("the data section's schema", () => {
  it("takes a postgres:// database URL, names with underscores and digits, and a custom separator", () => {
    expect(
      dataOf(
        table(
          "columns: { _e1: email_2 }, split: [{ from: name, into: [first_name, last_name], separator: ', ' }], newerBy: _e1",
        ),
      ),
    ).toStrictEqual({
      database: "postgres://127.0.0.1/users_service",
      tables: [
        {
          source: "users",
          target: "user_profiles",
          key: { id: "user_id" },
          columns: { _e1: "email_2" },
          copyRest: false,
          exclude: [],
          split: [{ from: "name", into: ["first_name", "last_name"], separator: ", " }],
          newerBy: "_e1",
        },
      ],
      reverse: false,
    });
  });

  it("takes names of up to 63 bytes", () => {
    const name = `a${"b".repeat(62)}`;
    expect(dataOf(table(`columns: { ${name}: x }`))?.tables[0]?.columns).toStrictEqual({ [name]: "x" });
  });

  it("takes names as the catalog has them: case kept, digits first, spaces, schema-qualified, a dot in quotes", () => {
    const data = dataOf(
      withData(`      tables:
        - { source: User, target: sales.User, key: { id: id }, columns: { createdAt: "created at", 1st: Email-Address } }
        - { source: '"my.table"', target: _PostToTag, key: { A: A, B: B } }`),
    );
    expect(data?.tables.map((t) => [t.source, t.target, t.key, t.columns])).toStrictEqual([
      ["User", "sales.User", { id: "id" }, { createdAt: "created at", "1st": "Email-Address" }],
      ['"my.table"', "_PostToTag", { A: "A", B: "B" }, undefined],
    ]);
  });

  it("takes a table without key and columns: the key and every column come from the catalog at start", () => {
    expect(dataOf(withData("      tables:\n        - { source: Post, target: Post }"))?.tables[0]).toStrictEqual({
      source: "Post",
      target: "Post",
      copyRest: false,
      exclude: [],
      split: [],
    });
  });

  it("takes copyRest and exclude next to explicit renames", () => {
    expect(
      dataOf(table("columns: { email: email_address }, copyRest: true, exclude: [password_hash]"))?.tables[0],
    ).toMatchObject({ copyRest: true, exclude: ["password_hash"] });
  });

  it.each([
    ["a name of 64 bytes", `columns: { a${"b".repeat(63)}: x }`, "must be column names (at most 63 bytes, no NUL)"],
    [
      "a target name of 64 bytes",
      `columns: { email: a${"b".repeat(63)} }`,
      "services[0].data.tables[0].columns.email (line 11): must be at most 63 bytes (PostgreSQL's identifier limit)",
    ],
    ["an empty target name", "columns: { email: '' }", "columns.email (line 11): must not be empty"],
    [
      "a table name of three parts",
      "source: a.b.c",
      'services[0].data.tables[0].source (line 11): must be "table" or "schema.table"',
    ],
    [
      "a table name with an unclosed quote",
      `target: '"abc'`,
      "services[0].data.tables[0].target (line 11): has an unclosed double quote",
    ],
    [
      "exclude without copy-all",
      "columns: { email: email }, exclude: [name]",
      "services[0].data.tables[0].exclude (line 11): applies only when the table copies all columns (columns omitted, or copyRest: true)",
    ],
    [
      "exclude of a mapped column",
      "columns: { email: email }, copyRest: true, exclude: [email]",
      'services[0].data.tables[0].exclude[0] (line 11): source column "email" is mapped by columns.email',
    ],
    [
      "newerBy of an excluded column",
      "copyRest: true, columns: { email: email }, exclude: [updated_at], newerBy: updated_at",
      "services[0].data.tables[0].newerBy (line 11): must be a source column mapped in columns or copied under its own name",
    ],
    [
      "a column list instead of a map",
      "columns: [email]",
      "services[0].data.tables[0].columns (line 11): must map source column names to target column names, e.g. { email: email_address }",
    ],
    [
      "a name that is not text",
      "newerBy: 5",
      "services[0].data.tables[0].newerBy (line 11): must be a table or column name",
    ],
    [
      "a split into one column",
      "split: [{ from: name, into: [first_name] }]",
      "services[0].data.tables[0].split[0].into (line 11): must name two target columns, e.g. [first_name, last_name]",
    ],
    [
      "a split into three columns",
      "split: [{ from: name, into: [a, b, c] }]",
      "split[0].into (line 11): must name two target columns",
    ],
    [
      "an empty separator",
      "split: [{ from: name, into: [a, b], separator: '' }]",
      "services[0].data.tables[0].split[0].separator (line 11): must not be empty",
    ],
    [
      "an unknown split field",
      "split: [{ from: name, into: [a, b], trim: true }]",
      "services[0].data.tables[0].split[0] (line 11): unknown field: trim",
    ],
  ])("rejects %s", (_what, fields, message) => {
    const text =
      fields.startsWith("source:") || fields.startsWith("target:")
        ? withData(
            `      tables:\n        - { ${fields.startsWith("source:") ? "target: t" : "source: s"}, key: { id: user_id }, ${fields} }`,
          )
        : table(fields);
    expect(problems(text)).toContain(message);
  });

  it("rejects a key that maps no column", () => {
    expect(problems(withData("      tables:\n        - { source: users, target: user_profiles, key: {} }"))).toContain(
      "services[0].data.tables[0].key (line 11): must map at least one source key column to a target key column, e.g. { id: user_id }",
    );
  });

  it("accepts newerBy naming a column copied under its own name", () => {
    expect(
      dataOf(withData("      tables:\n        - { source: users, target: profiles, newerBy: updatedAt }"))?.tables[0]
        ?.newerBy,
    ).toBe("updatedAt");
  });

  it("sees User and public.User as one source table", () => {
    expect(
      problems(
        withData("      tables:\n        - { source: User, target: a }\n        - { source: public.User, target: b }"),
      ),
    ).toContain(
      'services[0].data.tables[1].source (line 12): source table "public.User" is already mapped by tables[0]',
    );
  });

  it("rejects a data section without tables, or without a database", () => {
    expect(problems(withData("      tables: []"))).toContain(
      "services[0].data.tables (line 10): must map at least one table",
    );
    expect(
      problems(
        withData("      tables: [{ source: users, target: user_profiles, key: { id: user_id } }]").replace(
          '      database: "postgres://127.0.0.1/users_service"\n',
          "",
        ),
      ),
    ).toContain("services[0].data.database (line 9): ");
  });

  it("accepts newerBy naming a mapped source column", () => {
    expect(dataOf(table("columns: { updated_at: modified_at }, newerBy: updated_at"))?.tables[0]?.newerBy).toBe(
      "updated_at",
    );
  });

  it("rejects a target mapped twice by two tables with different sources, naming only the target", () => {
    const message = problems(
      withData(
        "      tables:\n        - { source: users, target: profiles, key: { id: user_id } }\n        - { source: people, target: profiles, key: { id: user_id } }",
      ),
    );
    expect(message).toBe(
      'strangler.config.yaml: invalid migration config:\n  - services[0].data.tables[1].target (line 12): target table "profiles" is already mapped by tables[0]',
    );
  });

  it("rejects a source mapped twice into two targets, naming only the source", () => {
    const message = problems(
      withData(
        "      tables:\n        - { source: users, target: profiles, key: { id: user_id } }\n        - { source: users, target: people, key: { id: user_id } }",
      ),
    );
    expect(message).toBe(
      'strangler.config.yaml: invalid migration config:\n  - services[0].data.tables[1].source (line 12): source table "users" is already mapped by tables[0]',
    );
  });

  it("accepts three tables with distinct sources and targets", () => {
    const tables = ["users:profiles", "orders:purchases", "items:lines"].map(
      (pair) =>
        `        - { source: ${pair.split(":")[0]}, target: ${pair.split(":")[1]}, key: { id: ${pair.split(":")[0]}_id } }`,
    );
    expect(dataOf(withData(`      tables:\n${tables.join("\n")}`))?.tables.map((t) => t.target)).toStrictEqual([
      "profiles",
      "purchases",
      "lines",
    ]);
  });

  it("checks each table's columns on their own: the same column name may appear in two tables", () => {
    const text = withData(
      "      tables:\n        - { source: users, target: profiles, key: { id: pid }, columns: { email: email } }\n        - { source: people, target: persons, key: { id: pid }, columns: { email: email } }",
    );
    expect(dataOf(text)?.tables).toHaveLength(2);
  });

  it("reports the column problems of the second table at its own place", () => {
    const message = problems(
      withData(
        "      tables:\n        - { source: users, target: profiles, key: { id: pid } }\n        - { source: people, target: persons, key: { id: pid }, columns: { id: pid } }",
      ),
    );
    expect(message).toContain(
      'services[0].data.tables[1].columns.id (line 12): source column "id" is already mapped by key',
    );
    expect(message).toContain(
      'services[0].data.tables[1].columns.id (line 12): target column "pid" is already set by key.id',
    );
  });

  it("names the split that already claimed a column", () => {
    const message = problems(
      table("split: [{ from: name, into: [first_name, last_name] }, { from: name, into: [last_name, initials] }]"),
    );
    expect(message).toContain(
      'services[0].data.tables[0].split[1].from (line 11): source column "name" is already mapped by split[0]',
    );
    expect(message).toContain(
      'services[0].data.tables[0].split[1].into[0] (line 11): target column "last_name" is already set by split[0]',
    );
  });

  it.each(["xpostgres://db/x", "postgresx://db/x", "postgresqlx://db/x", "http://db/x"])(
    "rejects the database URL %s",
    (url) => {
      expect(
        problems(
          withData("      tables: [{ source: users, target: user_profiles, key: { id: user_id } }]").replace(
            "postgres://127.0.0.1/users_service",
            url,
          ),
        ),
      ).toContain("services[0].data.database (line 9): must be a postgresql:// URL");
    },
  );
});
