import { assertSourceServer } from "./source-setup";

/** A stand-in for the server's settings; the real servers of the e2e tests (PostgreSQL 17, logical) pass the same check. */
const serverWith = (settings: { version: string; version_num: string; wal_level: string }) => ({
  query: async () => ({ rows: [settings] }),
});

describe("assertSourceServer", () => {
  it("accepts PostgreSQL 16+ with wal_level=logical", async () => {
    await expect(
      assertSourceServer(
        serverWith({ version: "17.6", version_num: "170006", wal_level: "logical" }) as never,
        "monolith",
      ),
    ).resolves.toBeUndefined();
  });

  it("names the database, its version and the way out on PostgreSQL 15", async () => {
    await expect(
      assertSourceServer(
        serverWith({ version: "15.19", version_num: "150019", wal_level: "logical" }) as never,
        "monolith",
      ),
    ).rejects.toThrow(
      "the embedded CDC source needs PostgreSQL 16 or later (pgoutput's origin option); monolith runs PostgreSQL 15.19: use PostgreSQL 16+ or cdc.transport: debezium",
    );
  });

  it("says to set wal_level=logical", async () => {
    await expect(
      assertSourceServer(
        serverWith({ version: "17.6", version_num: "170006", wal_level: "replica" }) as never,
        "users_service",
      ),
    ).rejects.toThrow(/wal_level is 'replica' on the server of users_service: .*wal_level=logical/);
  });
});
