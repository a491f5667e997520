import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { localMigrations, pendingMigrations } from "./migration-status";

describe("pendingMigrations", () => {
  it("keeps the local migrations that are not applied, in order", () => {
    expect(pendingMigrations(["001_init", "002_orders", "003_index"], new Set(["001_init"]))).toEqual([
      "002_orders",
      "003_index",
    ]);
  });

  it("is empty when everything is applied", () => {
    expect(pendingMigrations(["001_init"], new Set(["001_init", "000_other"]))).toEqual([]);
  });
});

describe("localMigrations", () => {
  let appDir: string;
  beforeEach(() => {
    appDir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  });
  afterEach(() => fs.rmSync(appDir, { recursive: true, force: true }));

  it("is null for an app without a Prisma schema", () => {
    expect(localMigrations(appDir)).toBeNull();
  });

  it("lists migration folders that hold a migration.sql, sorted", () => {
    fs.mkdirSync(path.join(appDir, "prisma", "migrations", "20260102_b"), { recursive: true });
    fs.mkdirSync(path.join(appDir, "prisma", "migrations", "20260101_a"), { recursive: true });
    fs.mkdirSync(path.join(appDir, "prisma", "migrations", "20260103_empty"), { recursive: true });
    fs.writeFileSync(path.join(appDir, "prisma", "schema.prisma"), "");
    fs.writeFileSync(path.join(appDir, "prisma", "migrations", "20260102_b", "migration.sql"), "");
    fs.writeFileSync(path.join(appDir, "prisma", "migrations", "20260101_a", "migration.sql"), "");
    fs.writeFileSync(path.join(appDir, "prisma", "migrations", "migration_lock.toml"), "");
    expect(localMigrations(appDir)).toEqual(["20260101_a", "20260102_b"]);
  });
});
