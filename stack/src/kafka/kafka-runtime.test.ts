import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "../config/repo-root";
import { ensureKafkaJars } from "./kafka-jars";
import { brokerClusterId, newClusterId, prepareBrokerStorage } from "./kafka-runtime";

describe("the broker's cluster id", () => {
  it("is never generated with a leading '-', which kafka-storage would take for an option", () => {
    // 0xf8 starts with the six bits 111110: base64url character 62, "-".
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0)];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16, 1));
    expect(id).toBe("AAAAAAAAAAAAAAAAAAAAAA");
    expect(draws).toEqual([]);
  });

  it("formats the storage with a stored id that starts with '-', and reads it back", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-kafka-format-"));
    try {
      const clusterId = Buffer.alloc(16, 0xf8).toString("base64url");
      fs.writeFileSync(path.join(stateDir, "cluster-id"), `${clusterId}\n`);
      const repoRoot = findRepoRoot();
      const { libDir } = await ensureKafkaJars(repoRoot);
      prepareBrokerStorage({
        repoRoot,
        libDir,
        stateDir,
        logFile: path.join(stateDir, "broker.log"),
        env: process.env,
        brokerPort: 1,
        controllerPort: 2,
      });
      expect(brokerClusterId(stateDir)).toBe(clusterId);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 60_000);
});
