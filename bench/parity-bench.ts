// npm run bench:parity — data parity on the example's users → user_profiles at 1,000,000 users, in
// one run, on the project's own PostgreSQL and three scratch databases (monolith, users service,
// toolkit). Setup (timed, not counted): the monolith's own seed, then the embedded CDC transport's
// initial snapshot copies the users through the real sink. Then, each in a process of its own so
// its peak RSS is the parity process's own:
// (a) raw scan: both tables read in key order with the parity run's SELECTs, server-side cursors and
//     fetch size, nothing compared (the limit);
// (b) `strangler parity data --mode full`; (c) `--mode checksum` with no difference;
// (a)/(b)/(c) alternate for 3 rounds; medians are reported;
// (e) a full compare SIGKILLed once the toolkit store shows a checkpoint half way, then `--resume`:
//     its final counts must equal (b)'s;
// (d) `--mode checksum` with 10 planted differences: it must report exactly those 10 keys.
// Last line: one JSON object with the figures, targets and met/missed flags.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG_PATH, loadMigrationConfig, type DataTableConfig } from "@strangler/migration-config";
import { freeLoopbackPort } from "../stack/src";
import { plantDifferences } from "./support/parity-differences";
import {
  type ChildFigures,
  differingKeys,
  type ParityFigures,
  runIdle,
  runKillResume,
  runParity,
  runRawScan,
} from "./support/parity-runs";
import { createParityScratch, type ParityScratch } from "./support/parity-scratch";
import { copyBySnapshot, seedMonolith, settleTables } from "./support/parity-setup";

/** Issue 12 targets: full compare ≥ 0.5× the raw scan's rows/s; checksum (no difference) ≥ 2× faster than full; RSS ≤ 200 MB. */
const TARGETS = { fullToRaw: 0.5, checksumSpeedup: 2, maxRssMb: 200 } as const;
/** (e) kills the run once a checkpoint at or past this share of the rows is saved. */
const KILL_SHARE = 0.45;

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "3" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: npm run bench:parity -- [--users 1000000] [--rounds 3]\n" +
      "  (a) raw ordered scan of both tables, (b) parity data --mode full, (c) --mode checksum (equal copy),\n" +
      "  alternating for --rounds rounds; (e) kill half way + --resume; (d) checksum with 10 planted differences.\n",
  );
  process.exit(0);
}
const whole = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    process.stderr.write(`bench:parity: --${name} must be a whole number > 0, got "${text}"\n`);
    process.exit(2);
  }
  return n;
};
const users = whole("users", values.users);
const rounds = whole("rounds", values.rounds);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const progress = (text: string) => process.stderr.write(text);
const mb = (kb: number) => Math.round(kb / 1024);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const describe = (f: ChildFigures) =>
  `${String(f.rowsPerSecond).padStart(8)} rows/s  ${seconds(f.ms).padStart(8)}  RSS ${mb(f.maxRssKb)} MB`;

/** The users → user_profiles mapping of the example config (migration-plan/strangler.config.yaml). */
function exampleUsersMapping(): DataTableConfig {
  const config = loadMigrationConfig(path.resolve(__dirname, "..", DEFAULT_CONFIG_PATH));
  const table = config.services
    .flatMap((s) => s.data?.tables ?? [])
    .find((t) => t.source === "users" && t.target === "user_profiles");
  if (!table) throw new Error("the example migration config maps no users → user_profiles table");
  return table;
}

function expectEqual(f: ParityFigures, what: string): void {
  const c = f.table.counts;
  if (!f.table.equal || c.processed !== users || c.matching !== users)
    throw new Error(`${what}: expected ${users} matching rows, got ${JSON.stringify(c)}`);
}

async function main(): Promise<void> {
  const table = exampleUsersMapping();
  const children = new Set<ChildProcess>();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "strangler-bench-parity-"));
  let scratch: ParityScratch | null = null;
  let failed = false;
  try {
    scratch = await createParityScratch(progress);
    const created = scratch;
    // Ctrl-C / SIGTERM: end the measured child, drop what the bench created (and stop PostgreSQL if it started it).
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        progress(`\n${signal}: cleaning up…\n`);
        for (const child of children) child.kill("SIGKILL");
        // Dropping the scratch databases ends the bench's own open sessions; their clients' errors are expected now.
        process.on("uncaughtException", (error: Error & { code?: string }) => {
          if (error.code !== "57P01") progress(`during cleanup: ${error.message}\n`);
        });
        fs.rmSync(outDir, { recursive: true, force: true });
        void created.cleanup().finally(() => process.exit(130));
      });
    }
    const setupStarted = performance.now();
    progress(`seeding ${users} users with the monolith's seed…\n`);
    await seedMonolith(scratch.legacyUrl, users, progress, children);
    const seededMs = performance.now() - setupStarted;
    progress(`copying users → user_profiles by the embedded CDC snapshot (the real sink)…\n`);
    const copied = await copyBySnapshot(scratch, table);
    const [legacyRows, serviceRows] = await settleTables(scratch, table);
    const setupMs = performance.now() - setupStarted;
    progress(
      `setup: seed ${seconds(seededMs)}, snapshot copy of ${copied} rows ${seconds(setupMs - seededMs)} (not counted)\n`,
    );
    if (legacyRows !== users || serviceRows !== users)
      throw new Error(`setup left ${legacyRows} users and ${serviceRows} user_profiles, expected ${users} each`);

    const run = { ...scratch, cdcPort: await freeLoopbackPort(), outDir, children };
    const idleRssMb = mb(await runIdle(run));
    progress(`RSS floor: a process that only loads the CLI under tsx: ${idleRssMb} MB\n`);
    const raw: ChildFigures[] = [];
    const full: ParityFigures[] = [];
    const checksum: ParityFigures[] = [];
    for (let round = 1; round <= rounds; round++) {
      const a = await runRawScan(run);
      if (a.rows !== users) throw new Error(`(a) read ${a.rows} rows, expected ${users}`);
      raw.push(a);
      progress(`round ${round}/${rounds} (a) raw scan       ${describe(a)}\n`);
      const b = await runParity(run, "full");
      expectEqual(b, "(b) full compare");
      full.push(b);
      progress(`round ${round}/${rounds} (b) full compare   ${describe(b)}\n`);
      const c = await runParity(run, "checksum");
      expectEqual(c, "(c) checksum mode");
      checksum.push(c);
      const ranges = c.table.ranges ? `  ranges ${c.table.ranges.compared}/${c.table.ranges.differing} differing` : "";
      progress(`round ${round}/${rounds} (c) checksum, equal ${describe(c)}${ranges}\n`);
    }

    progress(`(e) full compare, SIGKILL at the first checkpoint ≥ ${Math.round(KILL_SHARE * 100)} %, then --resume…\n`);
    const e = await runKillResume(run, Math.floor(users * KILL_SHARE), users);
    const reference = full[0] as ParityFigures;
    const resumedEqual =
      JSON.stringify(e.resumed.table.counts) === JSON.stringify(reference.table.counts) &&
      JSON.stringify(e.resumed.table.columns) === JSON.stringify(reference.table.columns);
    progress(
      `(e) killed with ${e.killedAtProcessed} rows saved (last key ${e.savedKey?.join(",") ?? "none"}); resumed in ${seconds(e.resumed.ms)}, RSS ${mb(e.resumed.maxRssKb)} MB\n` +
        `(e) resumed counts   ${JSON.stringify(e.resumed.table.counts)}\n` +
        `(e) (b)'s counts     ${JSON.stringify(reference.table.counts)}  → ${resumedEqual ? "equal" : "DIFFERENT"}\n`,
    );
    if (!resumedEqual) throw new Error("(e) the resumed run's counts differ from an uninterrupted run's");

    progress("(d) planting 10 differences in user_profiles…\n");
    const planted = await plantDifferences(scratch.serviceUrl, users);
    const d = await runParity(run, "checksum");
    const found = await differingKeys(run, d.report.runId);
    const same = found.size === planted.size && [...planted].every(([key, kind]) => found.get(key) === kind);
    const dc = d.table.counts;
    progress(
      `(d) checksum, 10 diffs ${describe(d)}  mismatched ${dc.mismatched}, only in legacy ${dc.onlyInLegacy}, only in service ${dc.onlyInService}, keys ${same ? "exactly the planted 10" : "NOT the planted ones"}\n`,
    );
    if (!same) throw new Error(`(d) reported ${JSON.stringify([...found])}, planted ${JSON.stringify([...planted])}`);

    const rawRate = median(raw.map((f) => f.rowsPerSecond));
    const fullRate = median(full.map((f) => f.rowsPerSecond));
    const fullMs = median(full.map((f) => f.ms));
    const checksumMs = median(checksum.map((f) => f.ms));
    const fullToRaw = +(fullRate / rawRate).toFixed(3);
    const checksumSpeedup = +(fullMs / checksumMs).toFixed(2);
    const parityRss = [...full, ...checksum, d, e.resumed].map((f) => f.maxRssKb);
    const maxRssMb = mb(Math.max(...parityRss));
    const met = {
      fullToRaw: fullToRaw >= TARGETS.fullToRaw,
      checksumSpeedup: checksumSpeedup >= TARGETS.checksumSpeedup,
      maxRssMb: maxRssMb <= TARGETS.maxRssMb,
      resumeCountsEqual: resumedEqual,
      checksumFindsPlanted: same,
    };
    const ok = (pass: boolean) => (pass ? "met" : "MISSED");
    const line = (label: string, value: string, target = "") =>
      `${label.padEnd(44)}${value.padStart(16)}   ${target}\n`;
    process.stdout.write(`\n${"figure".padEnd(44)}${"value".padStart(16)}   target\n`);
    process.stdout.write(line(`(a) raw ordered scan, ${users} rows`, `${rawRate} rows/s`));
    process.stdout.write(line("(b) full compare", `${fullRate} rows/s`));
    process.stdout.write(line("(b)/(a)", String(fullToRaw), `≥ ${TARGETS.fullToRaw} (${ok(met.fullToRaw)})`));
    process.stdout.write(line("(c) checksum mode, no difference", seconds(checksumMs)));
    process.stdout.write(
      line("(c) speed-up over (b)", `${checksumSpeedup}×`, `≥ ${TARGETS.checksumSpeedup} (${ok(met.checksumSpeedup)})`),
    );
    process.stdout.write(line("(d) checksum mode, 10 differences", seconds(d.ms), same ? "the 10 keys" : "WRONG KEYS"));
    process.stdout.write(
      line("max RSS of a parity process", `${maxRssMb} MB`, `≤ ${TARGETS.maxRssMb} MB (${ok(met.maxRssMb)})`),
    );
    process.stdout.write(line("  (a process that only loads the CLI)", `${idleRssMb} MB`));
    process.stdout.write(line("(e) resumed counts = uninterrupted", resumedEqual ? "yes" : "no"));
    process.stdout.write(
      `\nmedians of ${rounds} alternating rounds; each figure is one process (tsx start-up not timed, its memory counted in RSS)\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        benchmark: "parity",
        users,
        rounds,
        setupMs: { seed: Math.round(seededMs), snapshotCopy: Math.round(setupMs - seededMs) },
        raw: {
          rowsPerSecond: rawRate,
          runs: raw.map((f) => f.rowsPerSecond),
          maxRssMb: mb(Math.max(...raw.map((f) => f.maxRssKb))),
        },
        full: {
          rowsPerSecond: fullRate,
          ms: fullMs,
          runs: full.map((f) => f.ms),
          maxRssMb: full.map((f) => mb(f.maxRssKb)),
        },
        checksum: {
          ms: checksumMs,
          runs: checksum.map((f) => f.ms),
          maxRssMb: checksum.map((f) => mb(f.maxRssKb)),
          ranges: checksum[0]?.table.ranges ?? null,
        },
        checksumWithDifferences: { ms: d.ms, counts: d.table.counts, ranges: d.table.ranges ?? null, keysExact: same },
        killResume: {
          killedAtProcessed: e.killedAtProcessed,
          resumedMs: e.resumed.ms,
          resumedCounts: e.resumed.table.counts,
          uninterruptedCounts: reference.table.counts,
          equal: resumedEqual,
        },
        fullToRaw,
        checksumSpeedup,
        maxRssMb,
        idleRssMb,
        targets: TARGETS,
        targetsMet: met,
      })}\n`,
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    for (const child of children) child.kill("SIGKILL");
    fs.rmSync(outDir, { recursive: true, force: true });
    if (scratch) {
      const problems = await scratch.cleanup();
      for (const p of problems) progress(`cleanup: ${p}\n`);
      if (problems.length === 0)
        progress(
          failed ? "cleanup done after the failure\n" : "cleanup done: scratch databases, slot and origins removed\n",
        );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:parity failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
