import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_HOME_DIR,
  KAFKA_JARS_DIR,
  KAFKA_JARS_FETCH_TIMEOUT,
  KAFKA_JARS_LOCK_TIMEOUT,
  KAFKA_POM,
  MIN_JAVA_VERSION,
} from "../defaults";
import { StackError } from "../errors/stack-error";
import { isProcessAlive, sleep } from "../process/process-state";

/** Where the jars of one pom version live: `lib/` holds them once `complete` exists. */
export interface KafkaJars {
  /** Folder with every jar (the JVM classpath is `<libDir>/*`). */
  libDir: string;
  jarCount: number;
  totalBytes: number;
  /** True when this call ran Maven. */
  fetched: boolean;
}

/** Written last: a cache folder without it is incomplete and fetched again. */
const COMPLETE_MARKER = "complete";

/** `<repo>/.strangler/kafka-jars/<first 16 hex digits of sha256(pom)>`: a changed pom refetches. */
export function kafkaJarsCacheDir(repoRoot: string): string {
  const pom = fs.readFileSync(path.join(repoRoot, KAFKA_POM));
  const hash = createHash("sha256").update(pom).digest("hex").slice(0, 16);
  return path.join(repoRoot, DEFAULT_HOME_DIR, KAFKA_JARS_DIR, hash);
}

/** The major version printed by `java -version` ("17.0.15" → 17, "1.8.0" → 8), or null without java. */
export function javaMajorVersion(javaVersionOutput: string): number | null {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(javaVersionOutput);
  if (!match) return null;
  const major = Number(match[1]);
  return major === 1 && match[2] !== undefined ? Number(match[2]) : major;
}

/** Throws STACK_BINARY_MISSING unless `java` ≥ 17 is on PATH. */
export function assertJava(env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8", env });
  const version = result.error ? null : javaMajorVersion(`${result.stderr}${result.stdout}`);
  if (version === null) {
    throw new StackError(
      "STACK_BINARY_MISSING",
      `Kafka and Kafka Connect need Java ${MIN_JAVA_VERSION} or newer, and \`java\` was not found on PATH.\n  Install it, e.g. apt-get install openjdk-17-jre-headless (macOS: brew install openjdk@17).`,
    );
  }
  if (version < MIN_JAVA_VERSION) {
    throw new StackError(
      "STACK_BINARY_MISSING",
      `Kafka 4 and Debezium 3 need Java ${MIN_JAVA_VERSION} or newer; \`java\` on PATH is Java ${version}.\n  Install a newer one, e.g. apt-get install openjdk-17-jre-headless, and put it first on PATH.`,
    );
  }
}

function assertMaven(env: NodeJS.ProcessEnv): void {
  const result = spawnSync("mvn", ["-v"], { encoding: "utf8", env });
  if (result.error || result.status !== 0) {
    throw new StackError(
      "STACK_BINARY_MISSING",
      "The Kafka, Kafka Connect and Debezium jars are fetched from Maven Central on first use, and `mvn` was not found on PATH.\n  Install Maven, e.g. apt-get install maven (macOS: brew install maven).",
    );
  }
}

function jarStats(libDir: string): { jarCount: number; totalBytes: number } {
  const jars = fs.readdirSync(libDir).filter((name) => name.endsWith(".jar"));
  return {
    jarCount: jars.length,
    totalBytes: jars.reduce((sum, name) => sum + fs.statSync(path.join(libDir, name)).size, 0),
  };
}

const GUARDIAN = path.join(__dirname, "java-guardian.cjs");

/**
 * Runs mvn, killed on timeout, when `signal` aborts or when this process exits. With `guardian` it
 * runs under java-guardian.cjs in its own process group (killed as a whole), which also kills it
 * when this process dies without cleaning up (a SIGKILLed jest): no Maven is left writing into ~/.m2.
 */
function runMaven(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { signal?: AbortSignal; guardian?: boolean },
): Promise<{ code: number | null; output: string; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = options.guardian
      ? [process.execPath, [GUARDIAN, "--run", "mvn", ...args]]
      : ["mvn", args];
    // Under the guardian: its own process group, killed as a whole. Without (the stack's CLI), in
    // ours, so a Ctrl-C in the terminal reaches Maven too.
    const detached = options.guardian === true;
    const child = spawn(command, commandArgs, { env, stdio: ["ignore", "pipe", "pipe"], detached });
    let output = "";
    let aborted = false;
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-16_000);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const killGroup = () => {
      try {
        if (!detached) child.kill("SIGKILL");
        else if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    const timer = setTimeout(killGroup, KAFKA_JARS_FETCH_TIMEOUT);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    process.once("exit", killGroup);
    if (options.signal?.aborted) onAbort();
    const cleanUp = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      process.removeListener("exit", killGroup);
    };
    child.on("error", (error) => {
      cleanUp();
      reject(error);
    });
    child.on("exit", (code) => {
      cleanUp();
      resolve({ code, output, aborted });
    });
  });
}

/**
 * Takes `<cacheDir>.lock` (O_EXCL, holding our pid), so that one fetch runs at a time: Maven's
 * local repository is not safe for concurrent writers. Waits while another live process holds it;
 * a lock whose holder is dead is taken over. Returns the release function, or null when the cache
 * became complete while waiting.
 */
async function acquireFetchLock(
  cacheDir: string,
  signal: AbortSignal | undefined,
  onWait: (holder: number) => void,
): Promise<(() => void) | null> {
  const lockFile = `${cacheDir}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + KAFKA_JARS_LOCK_TIMEOUT;
  let reported = false;
  for (;;) {
    if (fs.existsSync(path.join(cacheDir, COMPLETE_MARKER))) return null;
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: "wx" });
      return () => {
        if (readLockHolder(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLockHolder(lockFile);
    if (holder === null || !isProcessAlive(holder)) {
      // Dead holder (or a lock written but not yet filled for over a poll interval): take it over,
      // and remove the half-fetched folder it left.
      if (holder !== null) removePartialDirs(cacheDir, holder);
      if (holder !== null || Date.now() - lockAge(lockFile) > 2_000) fs.rmSync(lockFile, { force: true });
    } else if (!reported) {
      reported = true;
      onWait(holder);
    }
    if (signal?.aborted) throw new StackError("STACK_KAFKA_FAILED", "fetching the Kafka jars was interrupted");
    if (Date.now() >= deadline) {
      throw new StackError(
        "STACK_KAFKA_FAILED",
        `another process (pid ${holder}) has been fetching the Kafka jars for ${KAFKA_JARS_LOCK_TIMEOUT / 60_000} minutes (lock ${lockFile})`,
        { retriable: true },
      );
    }
    await sleep(500);
  }
}

function removePartialDirs(cacheDir: string, pid: number): void {
  const prefix = `${path.basename(cacheDir)}.partial-${pid}-`;
  for (const name of fs.readdirSync(path.dirname(cacheDir))) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(path.dirname(cacheDir), name), { recursive: true, force: true });
  }
}

function readLockHolder(lockFile: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lockFile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function lockAge(lockFile: string): number {
  try {
    return fs.statSync(lockFile).mtimeMs;
  } catch {
    return 0;
  }
}

export interface EnsureKafkaJarsOptions {
  env?: NodeJS.ProcessEnv;
  /** Called before Maven starts, for progress. */
  onFetch?: () => void;
  /** Called once when another process holds the fetch lock and this one waits for it. */
  onWait?: (holderPid: number) => void;
  /** Aborting kills a running Maven (its process group) and fails the call. */
  signal?: AbortSignal;
  /** Run Maven under java-guardian.cjs, so it dies with this process (jest global setup, tests). */
  guardian?: boolean;
}

/**
 * The broker, Connect and Debezium jars of cdc/kafka-connect/pom.xml: from the cache when complete, else
 * fetched with Maven into a temporary folder that is renamed into place. Fetches are serialized by
 * a lock file next to the cache, so concurrent callers (jest workers) wait for one fetch instead
 * of running Maven side by side; the waiters then read the completed cache.
 */
export async function ensureKafkaJars(repoRoot: string, options: EnsureKafkaJarsOptions = {}): Promise<KafkaJars> {
  const env = options.env ?? process.env;
  assertJava(env);
  const cacheDir = kafkaJarsCacheDir(repoRoot);
  const libDir = path.join(cacheDir, "lib");
  if (fs.existsSync(path.join(cacheDir, COMPLETE_MARKER))) return { libDir, ...jarStats(libDir), fetched: false };

  assertMaven(env);
  const release = await acquireFetchLock(cacheDir, options.signal, options.onWait ?? (() => undefined));
  if (!release) return { libDir, ...jarStats(libDir), fetched: false };
  const partialDir = `${cacheDir}.partial-${process.pid}-${Date.now()}`;
  try {
    options.onFetch?.();
    fs.rmSync(partialDir, { recursive: true, force: true });
    fs.mkdirSync(partialDir, { recursive: true });
    const pom = path.join(repoRoot, KAFKA_POM);
    const args = [
      "-B",
      "-q",
      "-f",
      pom,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${path.join(partialDir, "lib")}`,
    ];
    const result = await runMaven(args, env, { signal: options.signal, guardian: options.guardian });
    if (result.aborted)
      throw new StackError("STACK_KAFKA_FAILED", "fetching the Kafka jars was interrupted; Maven was stopped");
    if (result.code !== 0) {
      throw new StackError(
        "STACK_KAFKA_FAILED",
        `mvn ${args.join(" ")} failed (${result.code === null ? "killed after timeout" : `exit code ${result.code}`}); Maven Central must be reachable on the first run.\n${result.output.trim().split("\n").slice(-25).join("\n")}`,
        { retriable: true },
      );
    }
    fs.writeFileSync(path.join(partialDir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    // A folder without the marker is what an interrupted older version of this code left.
    if (!fs.existsSync(path.join(cacheDir, COMPLETE_MARKER))) fs.rmSync(cacheDir, { recursive: true, force: true });
    try {
      fs.renameSync(partialDir, cacheDir);
    } catch (error) {
      // Another process completed the same cache first (ENOTEMPTY/EEXIST): keep theirs.
      if (!fs.existsSync(path.join(cacheDir, COMPLETE_MARKER))) throw error;
    }
  } finally {
    fs.rmSync(partialDir, { recursive: true, force: true });
    release();
  }
  return { libDir, ...jarStats(libDir), fetched: true };
}
