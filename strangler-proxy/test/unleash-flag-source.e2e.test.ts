import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { createUnleashFlagSource } from "../src/flags/unleash-flag-source";
import type { FlagSource } from "../src/flags/flag-source";
import { startFakeUnleashServer, waitFor, type FakeUnleashServer } from "./support/fake-unleash-server";

// unleash-client against a stand-in of the Unleash client API: how it loads, keeps and restores
// flags. The same behaviour against the real unleash-server is in proxy-unleash.e2e.test.ts.
describe("Unleash flag source", () => {
  let unleash: FakeUnleashServer;
  let backupDir: string;
  const sources: FlagSource[] = [];
  const logLines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });

  const open = (url = unleash.url): FlagSource => {
    const source = createUnleashFlagSource(
      {
        url,
        appName: "strangler-proxy-test",
        environment: "development",
        project: "default",
        refreshIntervalMs: 100,
        clientToken: unleash.token,
        backupDir,
      },
      { logger },
    );
    sources.push(source);
    return source;
  };

  beforeEach(async () => {
    backupDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-flags-"));
    unleash = await startFakeUnleashServer();
    unleash.setFeatures([
      { name: "strangler.users-list.serve", enabled: true, rollout: 50 },
      { name: "strangler.users-get.serve", enabled: false, rollout: 100 },
      { name: "always-on", enabled: true },
    ]);
  });
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
    await unleash.close();
    fs.rmSync(backupDir, { recursive: true, force: true });
    logLines.length = 0;
  });

  it("fetches the flags, evaluates them in memory and reports their state and age", async () => {
    const flags = open();
    await waitFor(
      () => flags.status().source === "unleash" && flags.state("always-on") !== undefined,
      3000,
      "first sync",
    );
    expect(flags.state("strangler.users-list.serve")).toEqual({ enabled: true, rollout: 50 });
    expect(flags.state("strangler.users-get.serve")).toEqual({ enabled: false, rollout: 100 });
    expect(flags.state("always-on")).toEqual({ enabled: true, rollout: null });
    expect(flags.state("unknown")).toBeUndefined();
    expect(flags.isEnabled("always-on", {})).toBe(true);
    expect(flags.isEnabled("strangler.users-get.serve", { userId: "1" })).toBe(false);
    expect(flags.isEnabled("unknown", { userId: "1" })).toBe(false);
    const share =
      Array.from({ length: 2000 }, (_, i) =>
        flags.isEnabled("strangler.users-list.serve", { userId: `user-${i}` }),
      ).filter(Boolean).length / 2000;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    const status = flags.status();
    expect(status.ageSeconds).toBeLessThan(2);
    expect(Date.now() - (status.lastSyncAt?.getTime() ?? 0)).toBeLessThan(2000);
  });

  it("sees a flag change at the next poll", async () => {
    const flags = open();
    await waitFor(() => flags.isEnabled("always-on", {}), 3000, "first sync");
    unleash.setFeatures([{ name: "always-on", enabled: false }]);
    const took = await waitFor(() => !flags.isEnabled("always-on", {}), 3000, "the flag to turn off");
    expect(took).toBeLessThan(1500);
  });

  it("keeps the last known flags when Unleash goes down, logs the error without crashing, and ages them", async () => {
    const flags = open();
    await waitFor(() => flags.isEnabled("always-on", {}), 3000, "first sync");
    await unleash.close();
    await waitFor(() => logLines.some((line) => line.includes("Unleash error")), 5000, "the error to be logged");
    expect(flags.isEnabled("always-on", {})).toBe(true);
    expect(flags.status().source).toBe("unleash");
    await waitFor(() => (flags.status().ageSeconds ?? 0) > 0.5, 3000, "the flags to age");
    // Rate-limited: one line for a burst of failed polls.
    expect(logLines.filter((line) => line.includes("Unleash error")).length).toBe(1);
  });

  it("starts from its backup file while Unleash is down", async () => {
    const first = open();
    await waitFor(() => first.isEnabled("always-on", {}), 3000, "first sync");
    await waitFor(
      () => fs.existsSync(path.join(backupDir, "unleash-backup-strangler-proxy-test.json")),
      3000,
      "the backup file",
    );
    await first.close();
    await unleash.close();

    const restarted = open();
    await restarted.loaded();
    expect(restarted.status().source).toBe("backup");
    expect(restarted.isEnabled("always-on", {})).toBe(true);
    expect(restarted.state("strangler.users-list.serve")).toEqual({ enabled: true, rollout: 50 });
    expect(restarted.status().lastSyncAt).not.toBeNull();
  });

  it("can be closed while a fetch is in flight that then fails, without crashing the process", () => {
    const script = path.join(__dirname, "support", "close-while-fetching.ts");
    const child = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 20_000 });
    expect({
      status: child.status,
      stdout: child.stdout,
      error: child.stderr.split("\n").find((line) => /^\w*Error/.test(line)),
    }).toEqual({ status: 0, stdout: "survived\n", error: undefined });
  });

  it("says the flags are loaded once the first fetch is in", async () => {
    const flags = open();
    await flags.loaded();
    expect(flags.status().source).toBe("unleash");
    expect(flags.isEnabled("always-on", {})).toBe(true);
  });

  it("starts with no flags (everything off) when Unleash is down and there is no backup, and says none are coming", async () => {
    await unleash.close();
    const flags = open();
    await flags.loaded();
    expect(flags.status()).toEqual({ source: "none", lastSyncAt: null, ageSeconds: null });
    expect(flags.isEnabled("always-on", {})).toBe(false);
  });

  it("starts with no flags, without crashing, from a corrupt backup file", async () => {
    await unleash.close();
    fs.writeFileSync(path.join(backupDir, "unleash-backup-strangler-proxy-test.json"), '{"version":2,"features":[{"na');
    const flags = open();
    await waitFor(() => logLines.some((line) => line.includes("not valid JSON")), 3000, "the warning about the backup");
    await flags.loaded();
    expect(flags.status().source).toBe("none");
    expect(flags.isEnabled("always-on", {})).toBe(false);
  });
});
