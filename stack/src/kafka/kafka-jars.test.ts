import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "../config/repo-root";
import { isProcessAlive } from "../process/process-state";
import { ensureTestKafkaJars } from "../testing/test-kafka";
import { ensureKafkaJars, javaMajorVersion, kafkaJarsCacheDir } from "./kafka-jars";

/** A repository with its own pom (so its own cache folder) and a PATH whose mvn is a shell script that logs its pid and writes one jar. */
function fakeMavenSetup(
  dir: string,
  sleepSeconds: number,
): { repoRoot: string; env: NodeJS.ProcessEnv; runs: () => number[] } {
  const repoRoot = path.join(dir, "repo");
  fs.mkdirSync(path.join(repoRoot, "cdc", "kafka-connect"), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, "cdc", "kafka-connect", "pom.xml"), `<project>${path.basename(dir)}</project>`);
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.symlinkSync(
    fs.realpathSync(execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim()),
    path.join(bin, "java"),
  );
  const log = path.join(dir, "mvn.log");
  fs.writeFileSync(
    path.join(bin, "mvn"),
    [
      "#!/bin/sh",
      'if [ "$1" = "-v" ]; then echo "Apache Maven (fake)"; exit 0; fi',
      `echo $$ >> '${log}'`,
      'out=""; for a in "$@"; do case "$a" in -DoutputDirectory=*) out="${a#-DoutputDirectory=}";; esac; done',
      `sleep ${sleepSeconds}`,
      'mkdir -p "$out" && echo jar > "$out/fake.jar"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return {
    repoRoot,
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir },
    runs: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map(Number) : []),
  };
}

describe("javaMajorVersion", () => {
  it("reads the major version of old and new java -version output", () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion("bash: java: command not found")).toBeNull();
  });
});

describe("ensureKafkaJars", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-jars-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("says which package to install when java is missing", async () => {
    await expect(ensureKafkaJars(findRepoRoot(), { env: { PATH: dir } })).rejects.toMatchObject({
      code: "STACK_BINARY_MISSING",
      message: expect.stringContaining("openjdk-17-jre-headless"),
    });
  });

  it("says which package to install when the jars are not cached and mvn is missing", async () => {
    // A repository whose pom has no cache yet, and a PATH with java but no mvn.
    const repoRoot = path.join(dir, "repo");
    fs.mkdirSync(path.join(repoRoot, "cdc", "kafka-connect"), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, "cdc", "kafka-connect", "pom.xml"), "<project/>");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.symlinkSync(
      fs.realpathSync(execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim()),
      path.join(bin, "java"),
    );
    await expect(ensureKafkaJars(repoRoot, { env: { PATH: bin } })).rejects.toMatchObject({
      code: "STACK_BINARY_MISSING",
      message: expect.stringContaining("apt-get install maven"),
    });
    expect(fs.existsSync(kafkaJarsCacheDir(repoRoot))).toBe(false);
  });

  it("keys the cache by the pom, so a changed pom gets its own folder", () => {
    const repoRoot = path.join(dir, "repo");
    fs.mkdirSync(path.join(repoRoot, "cdc", "kafka-connect"), { recursive: true });
    const pom = path.join(repoRoot, "cdc", "kafka-connect", "pom.xml");
    fs.writeFileSync(pom, "<project>1</project>");
    const first = kafkaJarsCacheDir(repoRoot);
    fs.writeFileSync(pom, "<project>2</project>");
    expect(kafkaJarsCacheDir(repoRoot)).not.toBe(first);
    expect(path.dirname(first)).toBe(path.join(repoRoot, ".strangler", "kafka-jars"));
  });

  it("runs one fetch at a time: a concurrent caller waits for the lock, then reads the cache the first one completed", async () => {
    const maven = fakeMavenSetup(dir, 1);
    const waited: number[] = [];
    const [first, second] = await Promise.all([
      ensureKafkaJars(maven.repoRoot, { env: maven.env, guardian: true }),
      ensureKafkaJars(maven.repoRoot, { env: maven.env, guardian: true, onWait: (holder) => waited.push(holder) }),
    ]);
    expect(maven.runs()).toHaveLength(1);
    expect([first.fetched, second.fetched].sort()).toEqual([false, true]);
    expect(second.libDir).toBe(first.libDir);
    expect(waited).toEqual([process.pid]);
    expect(fs.readdirSync(path.dirname(kafkaJarsCacheDir(maven.repoRoot))).sort()).toEqual([
      path.basename(kafkaJarsCacheDir(maven.repoRoot)),
    ]);
  });

  it("takes over the lock of a process that died while fetching, and removes its half-fetched folder", async () => {
    const maven = fakeMavenSetup(dir, 0);
    const dead = Number(execFileSync("sh", ["-c", "sh -c 'echo $$' "], { encoding: "utf8" }).trim());
    fs.mkdirSync(path.dirname(kafkaJarsCacheDir(maven.repoRoot)), { recursive: true });
    fs.writeFileSync(`${kafkaJarsCacheDir(maven.repoRoot)}.lock`, `${dead}\n`);
    fs.mkdirSync(`${kafkaJarsCacheDir(maven.repoRoot)}.partial-${dead}-1/lib`, { recursive: true });
    expect(isProcessAlive(dead)).toBe(false);
    await expect(ensureKafkaJars(maven.repoRoot, { env: maven.env })).resolves.toMatchObject({
      fetched: true,
      jarCount: 1,
    });
    expect(fs.readdirSync(path.dirname(kafkaJarsCacheDir(maven.repoRoot)))).toEqual([
      path.basename(kafkaJarsCacheDir(maven.repoRoot)),
    ]);
  });

  it("kills Maven and leaves no cache when the fetch is aborted (jest's global setup interrupted)", async () => {
    const maven = fakeMavenSetup(dir, 60);
    const controller = new AbortController();
    const fetching = ensureKafkaJars(maven.repoRoot, { env: maven.env, guardian: true, signal: controller.signal });
    for (let i = 0; i < 100 && maven.runs().length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const [pid] = maven.runs();
    expect(pid !== undefined && isProcessAlive(pid)).toBe(true);
    controller.abort();
    await expect(fetching).rejects.toMatchObject({
      code: "STACK_KAFKA_FAILED",
      message: expect.stringContaining("interrupted"),
    });
    for (let i = 0; i < 40 && isProcessAlive(pid as number); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isProcessAlive(pid as number)).toBe(false);
    expect(fs.existsSync(path.join(kafkaJarsCacheDir(maven.repoRoot), "complete"))).toBe(false);
    expect(fs.existsSync(`${kafkaJarsCacheDir(maven.repoRoot)}.lock`)).toBe(false);
  });

  it("global setup: fetches with progress on stderr, and only explains a missing java instead of failing the run", async () => {
    const maven = fakeMavenSetup(dir, 0);
    let written = "";
    const stderr = { write: (text: string) => ((written += text), true) } as unknown as NodeJS.WritableStream;
    await ensureTestKafkaJars({ stderr, env: maven.env, repoRoot: maven.repoRoot });
    expect(written).toMatch(/fetching Kafka, Kafka Connect and Debezium from Maven Central[\s\S]*fetched 1 jars/);
    written = "";
    await ensureTestKafkaJars({ stderr, env: { PATH: path.join(dir, "nowhere") }, repoRoot: maven.repoRoot });
    expect(written).toContain("the tests that start Kafka will fail");
    expect(written).toContain("openjdk-17-jre-headless");
  });
});
