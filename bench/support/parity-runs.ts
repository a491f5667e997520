// The measured runs of bench:parity, each in a process of its own (bench/support/parity-child.ts):
// the raw scan, `strangler parity data` in full or checksum mode, and the kill/resume check.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { parityRunReportSchema, type ParityRunReport, type ParityTableReport } from "@strangler/ops-contract";
import { createPgParityRunStore } from "@strangler/toolkit-store";
import pino from "pino";

const root = path.resolve(__dirname, "..", "..");
const CHILD = path.join(root, "bench", "support", "parity-child.ts");
/** The worked example's config: its ${VAR} database URLs point the CLI at the scratch databases. */
export const EXAMPLE_CONFIG = path.join(root, "migration-plan", "strangler.config.yaml");
/** How often the kill/resume check reads the run's progress from the toolkit database. */
const KILL_POLL_MS = 50;

export interface RunEnvironment {
  legacyUrl: string;
  serviceUrl: string;
  toolkitUrl: string;
  /** A loopback port nothing listens on: no CDC process to ask (the run says it was not lag-aware). */
  cdcPort: number;
  outDir: string;
  /** Children still running, for the Ctrl-C handler. */
  children: Set<ChildProcess>;
}

export interface ChildFigures {
  ms: number;
  maxRssKb: number;
  rows: number;
  rowsPerSecond: number;
}

export interface ParityFigures extends ChildFigures {
  exitCode: number;
  report: ParityRunReport;
  table: ParityTableReport;
}

function childEnv(run: RunEnvironment): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STRANGLER_MONOLITH_DATABASE_URL: run.legacyUrl,
    STRANGLER_USERS_SERVICE_DATABASE_URL: run.serviceUrl,
    STRANGLER_TOOLKIT_DATABASE_URL: run.toolkitUrl,
    STRANGLER_CDC_PORT: String(run.cdcPort),
    NO_COLOR: "1",
  };
}

function startChild(run: RunEnvironment, args: string[]): { child: ChildProcess; done: Promise<string[]> } {
  const child = spawn(process.execPath, ["--require", "tsx/cjs", CHILD, ...args], {
    cwd: root,
    env: childEnv(run),
    stdio: ["ignore", "pipe", "pipe"],
  });
  run.children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<string[]>((resolve, reject) => {
    child.once("exit", (code, signal) => {
      run.children.delete(child);
      const lines = stdout.split("\n").filter((text) => text.trim() !== "");
      if (signal !== null) resolve(lines);
      else if (code !== 0) reject(new Error(`parity-child ${args[0]} exited with ${code}:\n${stderr.trim()}`));
      else resolve(lines);
    });
  });
  return { child, done };
}

function lastJson(lines: string[]): { ms: number; maxRssKb: number; [key: string]: unknown } {
  return JSON.parse(lines[lines.length - 1] ?? "{}") as { ms: number; maxRssKb: number };
}

const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);

/** The floor: a process that loads the CLI's modules under tsx and exits (RSS only). */
export async function runIdle(run: RunEnvironment): Promise<number> {
  return lastJson(await startChild(run, ["idle"]).done).maxRssKb;
}

/** (a) Both tables read in key order with the parity run's SELECTs and fetch size, nothing compared. */
export async function runRawScan(run: RunEnvironment): Promise<ChildFigures> {
  const said = lastJson(await startChild(run, ["raw", EXAMPLE_CONFIG]).done);
  const [legacyRows, serviceRows] = said.rows as [number, number];
  if (legacyRows !== serviceRows) throw new Error(`(a) read ${legacyRows} legacy rows but ${serviceRows} service rows`);
  // Rows of the legacy table, as the parity run counts them (one per key).
  return { ms: said.ms, maxRssKb: said.maxRssKb, rows: legacyRows, rowsPerSecond: rate(legacyRows, said.ms) };
}

export function parityArgs(run: RunEnvironment, mode: "full" | "checksum"): string[] {
  return [
    "parity",
    "data",
    "--config",
    EXAMPLE_CONFIG,
    "--service",
    "users-service",
    "--table",
    "users",
    "--mode",
    mode,
    "--out",
    run.outDir,
    "--json",
  ];
}

function parityFigures(lines: string[]): ParityFigures {
  const said = lastJson(lines);
  const report = parityRunReportSchema.parse(JSON.parse(lines[lines.length - 2] ?? "{}"));
  const table = report.tables[0];
  if (!table) throw new Error(`run ${report.runId} compared no table`);
  return {
    ms: said.ms,
    maxRssKb: said.maxRssKb,
    rows: table.counts.processed,
    rowsPerSecond: rate(table.counts.processed, said.ms),
    exitCode: said.exitCode as number,
    report,
    table,
  };
}

/** (b)–(d) `strangler parity data --mode <mode> --table users --json` in its own process. */
export async function runParity(run: RunEnvironment, mode: "full" | "checksum"): Promise<ParityFigures> {
  const figures = parityFigures(await startChild(run, ["cli", ...parityArgs(run, mode)]).done);
  if (figures.report.status !== "done")
    throw new Error(`parity ${mode} ended ${figures.report.status}: ${figures.report.warnings.join("; ")}`);
  return figures;
}

export interface KillResume {
  /** Rows the store had saved when the run was killed, and its resume key. */
  killedAtProcessed: number;
  savedKey: string[] | null;
  resumed: ParityFigures;
}

/** (e) A full compare, SIGKILLed once the store shows a checkpoint at or past `killAt` rows, then --resume. */
export async function runKillResume(run: RunEnvironment, killAt: number, total: number): Promise<KillResume> {
  const store = createPgParityRunStore(run.toolkitUrl, { logger: pino({ level: "silent" }) });
  try {
    const started = startChild(run, ["cli", ...parityArgs(run, "full")]);
    let killed: { processed: number; runId: string } | null = null;
    let exited = false;
    void started.done.finally(() => (exited = true)).catch(() => undefined);
    while (killed === null && !exited) {
      const [latest] = await store.runs({ unfinished: true, limit: 1 });
      const processed = latest?.tables[0]?.counts.processed ?? 0;
      if (latest && processed >= killAt && processed < total) {
        started.child.kill("SIGKILL");
        killed = { processed, runId: latest.runId };
      } else await new Promise((resolve) => setTimeout(resolve, KILL_POLL_MS));
    }
    await started.done.catch(() => undefined);
    if (killed === null) throw new Error("the full compare ended before a checkpoint half way could be seen");
    // What the store holds after the kill is what --resume starts from.
    const saved = await store.run(killed.runId);
    if (saved?.status !== "running") throw new Error(`the killed run is ${saved?.status}, not running`);
    const table = saved.tables[0];
    const resumed = parityFigures(
      await startChild(run, ["cli", "parity", "data", "--config", EXAMPLE_CONFIG, "--resume", "--json"]).done,
    );
    if (resumed.report.runId !== killed.runId) throw new Error("--resume continued another run than the killed one");
    return { killedAtProcessed: table?.counts.processed ?? 0, savedKey: table?.lastKey ?? null, resumed };
  } finally {
    await store.close();
  }
}

/** The keys a run recorded as differing (kind and key), from the toolkit database. */
export async function differingKeys(run: RunEnvironment, runId: string): Promise<Map<string, string>> {
  const store = createPgParityRunStore(run.toolkitUrl, { logger: pino({ level: "silent" }) });
  try {
    const found = new Map<string, string>();
    for (let after: number | undefined; ;) {
      const page = await store.differences(runId, "users", { limit: 1000, ...(after === undefined ? {} : { after }) });
      for (const d of page) found.set(d.key.join(","), d.kind);
      if (page.length < 1000) return found;
      after = page[page.length - 1]?.position;
    }
  } finally {
    await store.close();
  }
}
