import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hydratePgSymlinks } from "./pg-symlinks";

describe("hydratePgSymlinks", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-symlinks-"));
    fs.mkdirSync(path.join(dir, "native", "lib"), { recursive: true });
    fs.writeFileSync(path.join(dir, "native", "lib", "libpq.so.5.17"), "library");
    const links = [
      { source: "native/lib/libpq.so.5.17", target: "native/lib/libpq.so.5" },
      { source: "native/lib/libpq.so.5.17", target: "native/lib/libpq.so" },
    ];
    fs.writeFileSync(path.join(dir, "native", "pg-symlinks.json"), JSON.stringify(links));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("creates the missing library links as relative symlinks", () => {
    expect(hydratePgSymlinks(dir)).toBe(2);
    expect(fs.readlinkSync(path.join(dir, "native", "lib", "libpq.so.5"))).toBe("libpq.so.5.17");
    expect(fs.readFileSync(path.join(dir, "native", "lib", "libpq.so"), "utf8")).toBe("library");
  });

  it("leaves existing links alone", () => {
    hydratePgSymlinks(dir);
    expect(hydratePgSymlinks(dir)).toBe(0);
  });

  it("does nothing for a folder without a link list (system PostgreSQL)", () => {
    expect(hydratePgSymlinks(path.join(dir, "native", "lib"))).toBe(0);
  });
});
