import fs from "node:fs";
import path from "node:path";
import type { StackConfig } from "../config/stack-config";
import { stackPaths } from "../config/stack-paths";
import { readPidFile } from "../process/pid-file";
import { isProcessAlive } from "../process/process-state";
import type { Component } from "../stack/component";
import { createNodeAppComponent } from "./node-app-component";

/** What the stack remembers of a managed app it started, beside its pid file. */
interface AppRecord {
  /** The text that identifies its process (NodeAppDefinition.entry). */
  entry: string;
  appDir: string;
}

function recordFile(home: string, name: string): string {
  return path.join(stackPaths(home).runDir, `${name}.app.json`);
}

/** Remembers a managed app once started, so `down` finds it even after it left the config. */
export function recordApp(home: string, name: string, record: AppRecord): void {
  fs.mkdirSync(stackPaths(home).runDir, { recursive: true });
  fs.writeFileSync(recordFile(home, name), `${JSON.stringify(record)}\n`);
}

/** Forgets a managed app once stopped. */
export function forgetApp(home: string, name: string): void {
  fs.rmSync(recordFile(home, name), { force: true });
}

/** Names of the managed apps the stack started from this home and has not stopped. */
export function recordedAppNames(home: string): string[] {
  const dir = stackPaths(home).runDir;
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => file.endsWith(".app.json"))
        .map((file) => file.slice(0, -".app.json".length))
    : [];
}

/** Recorded apps other than `known` whose process still lives: started from an earlier version of the config. */
export function strayAppNames(config: StackConfig, known: readonly string[]): string[] {
  return recordedAppNames(config.home).filter((name) => {
    if (known.includes(name)) return false;
    const pid = readPidFile(path.join(stackPaths(config.home).runDir, `${name}.pid`));
    return pid !== null && isProcessAlive(pid);
  });
}

/**
 * Components that can only stop the recorded apps not in `known` (an app removed from the config,
 * or every app when the config does not load), so `down` leaves no process behind.
 */
export function recordedAppComponents(config: StackConfig, known: readonly string[]): Component[] {
  return recordedAppNames(config.home)
    .filter((name) => !known.includes(name))
    .flatMap((name) => {
      let record: AppRecord;
      try {
        record = JSON.parse(fs.readFileSync(recordFile(config.home, name), "utf8")) as AppRecord;
      } catch {
        return [];
      }
      const app = createNodeAppComponent(config, {
        name,
        appDir: record.appDir,
        entry: record.entry,
        command: [record.entry],
        port: 0,
        portVariable: "",
        env: {},
      });
      return [{ ...app, start: () => Promise.resolve("skipped" as const) }];
    });
}
