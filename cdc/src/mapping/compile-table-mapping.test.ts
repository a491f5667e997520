import {
  compileForwardMapper,
  compileInverseMapper,
  compileMappers,
  eventTableName,
  type TableMapping,
} from "./compile-table-mapping";
import { UnappliableEventError } from "./unappliable-event-error";

const users: TableMapping = {
  source: "users",
  target: "user_profiles",
  key: { id: "user_id" },
  columns: { email: "email_address", phone: "phone_number", created_at: "created_at", updated_at: "updated_at" },
  split: [{ from: "name", into: ["first_name", "last_name"], separator: " " }],
  newerBy: "updated_at",
};
const forward = compileForwardMapper(users);
const inverse = compileInverseMapper(users);
const legacyRow = {
  id: "u1",
  email: "ada@example.com",
  name: "Ada Lovelace",
  phone: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
};

describe("table mapping", () => {
  it("renames columns, splits the name at the first space and ignores unknown columns", () => {
    expect(forward.map({ ...legacyRow, name: "Ada King Lovelace", nickname: "ada" })).toEqual({
      key: ["u1"],
      values: {
        email_address: "ada@example.com",
        phone_number: null,
        created_at: legacyRow.created_at,
        updated_at: legacyRow.updated_at,
        first_name: "Ada",
        last_name: "King Lovelace",
      },
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
      const back = inverse.map({ user_id: there.key[0], ...there.values, version: 3 });
      expect(back).toEqual({
        key: ["u1"],
        values: {
          email: legacyRow.email,
          phone: null,
          created_at: legacyRow.created_at,
          updated_at: legacyRow.updated_at,
          name,
        },
      });
    }
  });

  it("leaves out columns absent from the image so the target keeps its value or default", () => {
    // toStrictEqual: a column set to undefined would overwrite the target's value, and toEqual cannot tell.
    expect(forward.map({ id: "u1", email: "a@b.c" })).toStrictEqual({
      key: ["u1"],
      values: { email_address: "a@b.c" },
    });
    expect(inverse.map({ user_id: "u1", first_name: "Ada" })).toStrictEqual({ key: ["u1"], values: {} });
    expect(inverse.map({ user_id: "u1", email_address: "a@b.c", last_name: "Lovelace" })).toStrictEqual({
      key: ["u1"],
      values: { email: "a@b.c" },
    });
  });

  it("passes a null name on to both halves rather than splitting it", () => {
    expect(forward.map({ id: "u1", name: null }).values).toStrictEqual({ first_name: null, last_name: null });
  });

  it("joins a null last name as no last name", () => {
    expect(inverse.map({ user_id: "u1", first_name: "Cher", last_name: null }).values).toStrictEqual({ name: "Cher" });
  });

  it("keeps the first half as it is when either half is not text", () => {
    expect(inverse.map({ user_id: "u1", first_name: null, last_name: "Lovelace" }).values).toStrictEqual({
      name: null,
    });
    expect(inverse.map({ user_id: "u1", first_name: "Ada", last_name: 7 }).values).toStrictEqual({ name: "Ada" });
  });

  it("joins with the configured separator", () => {
    const commas = {
      ...users,
      split: [{ from: "name", into: ["last_name", "first_name"] as [string, string], separator: ", " }],
    };
    expect(compileForwardMapper(commas).map({ id: "u1", name: "Lovelace, Ada" }).values).toStrictEqual({
      last_name: "Lovelace",
      first_name: "Ada",
    });
    expect(
      compileInverseMapper(commas).map({ user_id: "u1", last_name: "Lovelace", first_name: "Ada" }).values,
    ).toStrictEqual({ name: "Lovelace, Ada" });
  });

  it("refuses a hand-built mapping without a key column, naming the tables", () => {
    expect(() => compileForwardMapper({ ...users, key: {} })).toThrow("table mapping users → user_profiles has no key");
    expect(() => compileInverseMapper({ ...users, key: undefined })).toThrow(
      "table mapping users → user_profiles has no key",
    );
  });

  it("rejects a row image without its key as unappliable", () => {
    expect(() => forward.map({ email: "a@b.c" })).toThrow(UnappliableEventError);
    expect(() => forward.map({ id: null })).toThrow('missing key column "id" in the users row image');
    expect(() => inverse.map({ email_address: "a@b.c" })).toThrow(
      'missing key column "user_id" in the user_profiles row image',
    );
  });

  it("maps the key column in both directions", () => {
    expect([forward.sourceTable, forward.targetTable, forward.sourceKeys, forward.targetKeys]).toEqual([
      "users",
      "user_profiles",
      ["id"],
      ["user_id"],
    ]);
    expect([inverse.sourceTable, inverse.targetTable, inverse.sourceKeys, inverse.targetKeys]).toEqual([
      "user_profiles",
      "users",
      ["user_id"],
      ["id"],
    ]);
    expect(inverse.map({ user_id: 0 }).key).toEqual([0]);
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

  it("maps a key of several columns in key order, and names the tables as the catalog has them", () => {
    const join = compileForwardMapper({
      source: "_PostToTag",
      target: "sales.PostTag",
      key: { A: "postId", B: "tagId" },
      split: [],
    });
    expect(join.map({ A: 1, B: 7 })).toStrictEqual({ key: [1, 7], values: {} });
    expect([join.sourceTable, join.targetTable, join.targetSql, join.targetKeys]).toEqual([
      "_PostToTag",
      "sales.PostTag",
      '"sales"."PostTag"',
      ["postId", "tagId"],
    ]);
    expect(() => join.map({ A: 1 })).toThrow('missing key column "B" in the _PostToTag row image');
    expect(
      compileMappers([{ source: "public.User", target: "User", key: { id: "id" }, split: [] }], "forward").has("User"),
    ).toBe(true);
    expect(eventTableName({ schema: "sales", table: "User" })).toBe("sales.User");
    expect(eventTableName({ schema: "public", table: "my.table" })).toBe('"my.table"');
  });

  it("copies every column under its own name when columns are omitted, a column added later included, except excluded ones", () => {
    const all = compileForwardMapper({
      source: "User",
      target: "User",
      key: { id: "id" },
      split: [],
      exclude: ["secret"],
    });
    expect(all.map({ id: 1, createdAt: "2026-01-01", name: null, secret: "x", addedLater: [1] })).toStrictEqual({
      key: [1],
      values: { createdAt: "2026-01-01", name: null, addedLater: [1] },
    });
    const back = compileInverseMapper({
      source: "User",
      target: "User",
      key: { id: "id" },
      split: [],
      sourceColumns: ["id", "createdAt", "name"],
    });
    expect(back.map({ id: 1, createdAt: "2026-01-01", name: "n", serviceOnly: 3 })).toStrictEqual({
      key: [1],
      values: { createdAt: "2026-01-01", name: "n" },
    });
  });

  it("copies the rest next to renames and splits with copyRest, never a renamed, split or key column under its own name", () => {
    const rest = compileForwardMapper({ ...users, copyRest: true, exclude: ["password_hash"] });
    expect(rest.map({ ...legacyRow, password_hash: "h", nickname: "ada" }).values).toStrictEqual({
      nickname: "ada",
      email_address: legacyRow.email,
      phone_number: null,
      created_at: legacyRow.created_at,
      updated_at: legacyRow.updated_at,
      first_name: "Ada",
      last_name: "Lovelace",
    });
    const back = compileInverseMapper({ ...users, copyRest: true });
    expect(
      back.map({ user_id: "u1", email_address: "e", first_name: "A", last_name: "B", nickname: "n" }).values,
    ).toStrictEqual({ nickname: "n", email: "e", name: "A B" });
  });
});
