import { spawnSync } from "node:child_process";
import path from "node:path";

describe("package-lock.json", () => {
  it("lists every optional platform build, so `npm ci` accepts it on a clean clone", () => {
    const script = path.join(__dirname, "..", "..", "scripts", "complete-lockfile.cjs");
    const run = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
