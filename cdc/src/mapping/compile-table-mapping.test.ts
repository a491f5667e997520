import type { DataTableConfig } from "@strangler/migration-config";
import { compileForwardMapper, compileInverseMapper, compileMappers } from "./compile-table-mapping";
import { UnappliableEventError } from "./unappliable-event-error";

const users: DataTableConfig = {
  source: "users",
  target: "user_profiles",
  key: { id: "user_id" },
  columns: { email: "email_address", phone: "phone_number", created_at: "created_at", updated_at: "updated_at" },
  split: [{ from: "name", into: ["first_name", "last_name"], separator: " " }],
  newerBy: "updated_at",
};
const forward = compileForwardMapper(users);
const inverse = compileInverseMapper(users);
const legacyRow = { id: "u1", email: "ada@example.com", name: "Ada Lovelace", phone: null, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-02T00:00:00Z" };

describe("table mapping", () => {
  it("renames columns, splits the name at the first space and ignores unknown columns", () => {
    expect(forward.map({ ...legacyRow, name: "Ada King Lovelace", nickname: "ada" })).toEqual({
      key: "u1",
      values: { email_address: "ada@example.com", phone_number: null, created_at: legacyRow.created_at, updated_at: legacyRow.updated_at, first_name: "Ada", last_name: "King Lovelace" },
    });
  });

  it('maps a single-word name to ("Cher", "") and back to "Cher"', () => {
    const mapped = forward.map({ ...legacyRow, name: "Cher" });
    expect(mapped.values).toMatchObject({ first_name: "Cher", last_name: "" });
    expect(inverse.map({ user_id: "u1", ...mapped.values }).values.name).toBe("Cher");
  });

  it("round-trips single-spaced names and every mapped column", () => {
    for (const name of ["Ada Lovelace", "Grace Brewster Murray Hopper", "Cher", "Jean-Luc Picard"]) {
      const there = forward.map({ ...legacyRow, name });
      const back = inverse.map({ user_id: there.key, ...there.values, version: 3 });
      expect(back).toEqual({ key: "u1", values: { email: legacyRow.email, phone: null, created_at: legacyRow.created_at, updated_at: legacyRow.updated_at, name } });
    }
  });

  it("leaves out columns absent from the image so the target keeps its value or default", () => {
    // toStrictEqual: a column set to undefined would overwrite the target's value, and toEqual cannot tell.
    expect(forward.map({ id: "u1", email: "a@b.c" })).toStrictEqual({ key: "u1", values: { email_address: "a@b.c" } });
    expect(inverse.map({ user_id: "u1", first_name: "Ada" })).toStrictEqual({ key: "u1", values: {} });
    expect(inverse.map({ user_id: "u1", email_address: "a@b.c", last_name: "Lovelace" })).toStrictEqual({ key: "u1", values: { email: "a@b.c" } });
  });

  it("passes a null name on to both halves rather than splitting it", () => {
    expect(forward.map({ id: "u1", name: null }).values).toStrictEqual({ first_name: null, last_name: null });
  });

  it("joins a null last name as no last name", () => {
    expect(inverse.map({ user_id: "u1", first_name: "Cher", last_name: null }).values).toStrictEqual({ name: "Cher" });
  });

  it("keeps the first half as it is when either half is not text", () => {
    expect(inverse.map({ user_id: "u1", first_name: null, last_name: "Lovelace" }).values).toStrictEqual({ name: null });
    expect(inverse.map({ user_id: "u1", first_name: "Ada", last_name: 7 }).values).toStrictEqual({ name: "Ada" });
  });

  it("joins with the configured separator", () => {
    const commas = { ...users, split: [{ from: "name", into: ["last_name", "first_name"] as [string, string], separator: ", " }] };
    expect(compileForwardMapper(commas).map({ id: "u1", name: "Lovelace, Ada" }).values).toStrictEqual({ last_name: "Lovelace", first_name: "Ada" });
    expect(compileInverseMapper(commas).map({ user_id: "u1", last_name: "Lovelace", first_name: "Ada" }).values).toStrictEqual({ name: "Lovelace, Ada" });
  });

  it("refuses a hand-built mapping without a key column, naming the tables", () => {
    expect(() => compileForwardMapper({ ...users, key: {} })).toThrow("table mapping users → user_profiles has no key column");
    expect(() => compileInverseMapper({ ...users, key: {} })).toThrow("table mapping users → user_profiles has no key column");
  });

  it("rejects a row image without its key as unappliable", () => {
    expect(() => forward.map({ email: "a@b.c" })).toThrow(UnappliableEventError);
    expect(() => forward.map({ id: null })).toThrow('missing key column "id" in the users row image');
    expect(() => inverse.map({ email_address: "a@b.c" })).toThrow('missing key column "user_id" in the user_profiles row image');
  });

  it("maps the key column in both directions", () => {
    expect([forward.sourceTable, forward.targetTable, forward.sourceKey, forward.targetKey]).toEqual(["users", "user_profiles", "id", "user_id"]);
    expect([inverse.sourceTable, inverse.targetTable, inverse.sourceKey, inverse.targetKey]).toEqual(["user_profiles", "users", "user_id", "id"]);
    expect(inverse.map({ user_id: 0 }).key).toBe(0);
  });

  it("names the newerBy column in each direction's target table", () => {
    expect([forward.newerBy, inverse.newerBy]).toEqual(["updated_at", "updated_at"]);
    expect(compileForwardMapper({ ...users, columns: { updated_at: "modified_at" } }).newerBy).toBe("modified_at");
    expect(compileForwardMapper({ ...users, newerBy: undefined }).newerBy).toBeUndefined();
  });

  it("indexes mappers by the table the events come from", () => {
    expect([...compileMappers([users], "forward").keys()]).toEqual(["users"]);
    expect(compileMappers([users], "inverse").get("user_profiles")?.targetTable).toBe("users");
  });
});
