import fs from "node:fs";
import path from "node:path";
import { isProcessAlive } from "../process/process-state";

/** What is on disk (and running) in a cluster's data folder. */
export type ClusterState =
  | { kind: "absent" }
  | { kind: "invalid"; reason: string }
  | { kind: "stopped"; majorVersion: number }
  | { kind: "running"; majorVersion: number; pid: number; port: number };

/** pid and port from postmaster.pid, or null without a (readable) lock file. */
export function readPostmasterPid(dataDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 ? { pid, port } : null;
}

/** Inspects a data folder without running any PostgreSQL program. */
export function clusterState(dataDir: string): ClusterState {
  if (!fs.existsSync(dataDir)) return { kind: "absent" };
  let version: string;
  try {
    version = fs.readFileSync(path.join(dataDir, "PG_VERSION"), "utf8").trim();
  } catch {
    return {
      kind: "invalid",
      reason: `${dataDir} exists but is not a PostgreSQL data folder (it has no PG_VERSION file).`,
    };
  }
  const majorVersion = Number(version);
  const postmaster = readPostmasterPid(dataDir);
  if (postmaster && isProcessAlive(postmaster.pid)) return { kind: "running", majorVersion, ...postmaster };
  return { kind: "stopped", majorVersion };
}
