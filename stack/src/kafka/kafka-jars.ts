import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_HOME_DIR, KAFKA_JARS_DIR, KAFKA_JARS_FETCH_TIMEOUT, KAFKA_POM, MIN_JAVA_VERSION } from "../defaults";
import { StackError } from "../errors/stack-error";

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
  return { jarCount: jars.length, totalBytes: jars.reduce((sum, name) => sum + fs.statSync(path.join(libDir, name)).size, 0) };
}

function runMaven(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("mvn", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-16_000);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const timer = setTimeout(() => child.kill("SIGKILL"), KAFKA_JARS_FETCH_TIMEOUT);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The broker, Connect and Debezium jars of cdc/kafka-connect/pom.xml: from the cache when complete, else
 * fetched with Maven into a temporary folder that is renamed into place (two concurrent fetches
 * both succeed; one of them is kept). `onFetch` is called before a fetch starts, for progress.
 */
export async function ensureKafkaJars(repoRoot: string, options: { env?: NodeJS.ProcessEnv; onFetch?: () => void } = {}): Promise<KafkaJars> {
  const env = options.env ?? process.env;
  assertJava(env);
  const cacheDir = kafkaJarsCacheDir(repoRoot);
  const libDir = path.join(cacheDir, "lib");
  if (fs.existsSync(path.join(cacheDir, COMPLETE_MARKER))) return { libDir, ...jarStats(libDir), fetched: false };

  assertMaven(env);
  options.onFetch?.();
  const partialDir = `${cacheDir}.partial-${process.pid}-${Date.now()}`;
  fs.rmSync(partialDir, { recursive: true, force: true });
  fs.mkdirSync(partialDir, { recursive: true });
  try {
    const pom = path.join(repoRoot, KAFKA_POM);
    const args = ["-B", "-q", "-f", pom, "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${path.join(partialDir, "lib")}`];
    const result = await runMaven(args, env);
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
  }
  return { libDir, ...jarStats(libDir), fetched: true };
}
