import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { KAFKA_LOG4J_CONFIG } from "../defaults";

/** The JVM of a broker, a Connect worker or a storage tool run. */
export interface JavaCommand {
  /** Folder with the jars (the classpath is `<libDir>/*`). */
  libDir: string;
  mainClass: string;
  args: readonly string[];
  /** e.g. -Xmx512m */
  heap: string;
  repoRoot: string;
}

/** JVM options shared by all our JVMs: small serial-GC heap (a development machine), log4j2 from cdc/kafka-connect. */
export function javaArgs(command: JavaCommand): string[] {
  return [
    command.heap,
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${path.join(command.repoRoot, KAFKA_LOG4J_CONFIG)}`,
    "-cp",
    `${command.libDir}${path.sep}*`,
    command.mainClass,
    ...command.args,
  ];
}

/** Runs a short JVM command to completion (e.g. StorageTool format); returns its exit code and output. */
export function runJava(command: JavaCommand, env: NodeJS.ProcessEnv): { code: number | null; output: string } {
  const result = spawnSync("java", javaArgs(command), { env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return {
    code: result.error ? null : result.status,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? result.error.message : ""}`,
  };
}

/** A JVM started in its own process group, its output appended to a log file. */
export interface SpawnedJava {
  /** Process group leader: the JVM, or with `guardian` the Node process that runs it. */
  pid: number;
  /** "exited with code 1" once it has exited, else null. */
  exit(): string | null;
}

const GUARDIAN = path.join(__dirname, "java-guardian.cjs");

/**
 * Starts a JVM detached in its own process group. With `guardian` (tests), a small Node process
 * runs it and kills it when the process that started it exits, like parent-watchdog.cjs.
 */
export function spawnJava(
  command: JavaCommand,
  options: { logFile: string; env: NodeJS.ProcessEnv; cwd: string; guardian?: boolean },
): SpawnedJava {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = fs.openSync(options.logFile, "a");
  const state: { exited: string | null } = { exited: null };
  try {
    const args = javaArgs(command);
    const child = options.guardian
      ? spawn(process.execPath, [GUARDIAN, ...args], {
          cwd: options.cwd,
          detached: true,
          stdio: ["ignore", logFd, logFd],
          env: options.env,
        })
      : spawn("java", args, { cwd: options.cwd, detached: true, stdio: ["ignore", logFd, logFd], env: options.env });
    child.on("error", (error) => (state.exited = `could not be spawned: ${error.message}`));
    child.on("exit", (code, signal) => (state.exited = `exited with ${signal ?? `code ${code}`}`));
    child.unref();
    if (child.pid === undefined) throw new Error(`could not spawn java for ${command.mainClass}`);
    return { pid: child.pid, exit: () => state.exited };
  } finally {
    fs.closeSync(logFd);
  }
}
