import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "../config/repo-root";
import { ensureKafkaJars, javaMajorVersion, kafkaJarsCacheDir } from "./kafka-jars";

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
    fs.symlinkSync(fs.realpathSync(execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim()), path.join(bin, "java"));
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
});
