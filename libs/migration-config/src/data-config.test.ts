import path from "node:path";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, parseMigrationConfig } from "./load-migration-config";
import { configProblems as problems } from "./testing/config-problems";

const withData = (
  data: string,
  legacyDatabase = `, database: "postgresql://postgres@127.0.0.1:54329/monolith"`,
) => `version: 1
legacy: { url: "http://127.0.0.1:4101"${legacyDatabase} }
unleash: { url: "http://127.0.0.1:4242" }
services:
  - name: users-service
    url: "http://127.0.0.1:4102"
    routes: {}
    data:
${data}`;

describe("the data section of the migration config", () => {
  it("loads the example's users → user_profiles mapping with its database URLs", () => {
    const file = path.join(__dirname, "..", "..", "..", DEFAULT_CONFIG_PATH);
    const config = loadMigrationConfig(file, { STRANGLER_USERS_SERVICE_DATABASE_URL: "postgresql://u@db:5432/users" });
    expect(config.legacy.database).toBe("postgresql://postgres@127.0.0.1:54329/monolith");
    expect(config.services[0]?.data).toEqual({
      database: "postgresql://u@db:5432/users",
      tables: [
        {
          source: "users",
          target: "user_profiles",
          key: { id: "user_id" },
          columns: {
            email: "email_address",
            phone: "phone_number",
            created_at: "created_at",
            updated_at: "updated_at",
          },
          split: [{ from: "name", into: ["first_name", "last_name"], separator: " " }],
          newerBy: "updated_at",
          copyRest: false,
          exclude: [],
        },
      ],
      reverse: false,
    });
  });

  it("defaults copyRest, exclude and split to empty and the separator to a space", () => {
    const config = parseMigrationConfig(
      withData(`      database: "postgresql://127.0.0.1/users_service"
      tables:
        - { source: users, target: user_profiles, key: { id: user_id }, split: [{ from: name, into: [first_name, last_name] }] }`),
      "x.yaml",
      {},
    );
    expect(config.services[0]?.data?.tables[0]).toMatchObject({
      copyRest: false,
      exclude: [],
      split: [{ separator: " " }],
    });
    expect(config.services[0]?.data?.reverse).toBe(false);
  });

  it("takes reverse: true (the service → legacy stream) and rejects a reverse that is not a boolean", () => {
    const tables = `      tables:
        - { source: users, target: user_profiles, key: { id: user_id } }`;
    const config = parseMigrationConfig(
      withData(`      database: "postgresql://127.0.0.1/users_service"\n      reverse: true\n${tables}`),
      "x.yaml",
      {},
    );
    expect(config.services[0]?.data?.reverse).toBe(true);
    const message = problems(
      withData(`      database: "postgresql://127.0.0.1/users_service"\n      reverse: "yes please"\n${tables}`),
    );
    expect(message).toContain("services[0].data.reverse (line 10): must be true or false");
  });

  it("names the place and the line of invalid URLs, names and keys", () => {
    const message = problems(
      withData(`      database: "http://127.0.0.1/users_service"
      tables:
        - source: a.b.c
          target: user_profiles
          key: {}
          columns: { "phone-number": "" }
          split: [{ from: name, into: [first_name] }]
          extra: 1`),
    );
    expect(message).toContain("services[0].data.database (line 9): must be a postgresql:// URL");
    expect(message).toContain('services[0].data.tables[0].source (line 11): must be "table" or "schema.table"');
    expect(message).toContain("services[0].data.tables[0].key (line 13): must map at least one source key column");
    expect(message).toMatch(/services\[0\]\.data\.tables\[0\]\.columns.* \(line 14\): must not be empty/);
    expect(message).toMatch(/services\[0\]\.data\.tables\[0\]\.split\[0\]\.into.* \(line 15\): /);
    expect(message).toContain("services[0].data.tables[0] (line 11): unknown field: extra");
  });

  it("rejects a target column set twice, a key column also in columns and a source column split and copied", () => {
    const message = problems(
      withData(`      database: "postgresql://127.0.0.1/users_service"
      tables:
        - source: users
          target: user_profiles
          key: { id: user_id }
          columns: { id: legacy_id, email: email_address, phone: email_address, name: display_name }
          split: [{ from: name, into: [first_name, user_id] }]
          newerBy: modified_at`),
    );
    expect(message).toContain(
      'services[0].data.tables[0].columns.id (line 14): source column "id" is already mapped by key',
    );
    expect(message).toContain(
      'services[0].data.tables[0].columns.phone (line 14): target column "email_address" is already set by columns.email',
    );
    expect(message).toContain(
      'services[0].data.tables[0].split[0].from (line 15): source column "name" is already mapped by columns.name',
    );
    expect(message).toContain(
      'services[0].data.tables[0].split[0].into[1] (line 15): target column "user_id" is already set by key.id',
    );
    expect(message).toContain(
      'services[0].data.tables[0].newerBy (line 16): must be a source column mapped in columns or copied under its own name (got "modified_at")',
    );
  });

  it("rejects a table mapped twice and a data section without legacy.database", () => {
    const message = problems(
      withData(
        `      database: "postgresql://127.0.0.1/users_service"
      tables:
        - { source: users, target: user_profiles, key: { id: user_id } }
        - { source: users, target: user_profiles, key: { id: user_id } }`,
        "",
      ),
    );
    expect(message).toContain("services[0].data (line 9): needs legacy.database");
    expect(message).toContain(
      'services[0].data.tables[1].source (line 12): source table "users" is already mapped by tables[0]',
    );
    expect(message).toContain(
      'services[0].data.tables[1].target (line 12): target table "user_profiles" is already mapped by tables[0]',
    );
  });
});
