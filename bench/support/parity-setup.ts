// The data of bench:parity, made the way a user's would be: the monolith's own seed (its CLI, in a
// process of its own) fills the scratch monolith database, and the embedded CDC transport's initial
// snapshot copies `users` into `user_profiles` of the scratch users-service database through the
// example config's mapping (the real sink). Then the copy's slot and publication are dropped, so
// nothing streams while the parity runs measure, and both tables are vacuumed and analysed.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import pino from "pino";
import type { DataTableConfig } from "@strangler/migration-config";
import { compileMappers, createEmbeddedSource, createSink } from "../../cdc/src";
import {
  BENCH_ORIGIN_PREFIX,
  BENCH_PUBLICATION,
  BENCH_SLOT,
  dropCopyStream,
  type ParityScratch,
  withClient,
} from "./parity-scratch";

const root = path.resolve(__dirname, "..", "..");
/** Products the seed makes besides the users (orders: none; parity compares users only). */
const SEED_PRODUCTS = 10;

/** `legacy-monolith/src/seed/seed-cli.ts --users N` on the scratch monolith database; its output goes to `progress`. */
export async function seedMonolith(
  legacyUrl: string,
  users: number,
  progress: (text: string) => void,
  children: Set<ChildProcess>,
): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/seed/seed-cli.ts",
      "--users",
      String(users),
      "--products",
      String(SEED_PRODUCTS),
      "--orders",
      "0",
    ],
    {
      cwd: path.join(root, "legacy-monolith"),
      env: { ...process.env, DATABASE_URL: legacyUrl },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  readline.createInterface({ input: child.stdout }).on("line", (line) => progress(`  seed: ${line}\n`));
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  children.delete(child);
  if (code !== 0) throw new Error(`the monolith's seed exited with ${code}: ${errors.trim()}`);
}

/** The embedded source's initial snapshot of `users` into `user_profiles`, through the real sink. */
export async function copyBySnapshot(scratch: ParityScratch, table: DataTableConfig): Promise<number> {
  const logger = pino({ level: "warn" }, pino.destination(2));
  const sink = createSink(
    {
      targetUrl: scratch.serviceUrl,
      mappings: compileMappers([table], "forward"),
      direction: "bench-parity-copy",
      replicationOrigin: `${BENCH_ORIGIN_PREFIX}_copy`,
    },
    { logger },
  );
  const source = createEmbeddedSource(
    { sourceUrl: scratch.legacyUrl, tables: [table.source], slotName: BENCH_SLOT, publicationName: BENCH_PUBLICATION },
    { sink, logger },
  );
  try {
    // start() returns once the snapshot is applied and the stream runs.
    await source.start();
    return source.status().applied;
  } finally {
    await source.stop().catch(() => undefined);
    await sink.close().catch(() => undefined);
    await dropCopyStream(scratch.adminUrl, scratch.legacyUrl);
  }
}

/** Row counts of both tables (after VACUUM ANALYZE: both scans start from the same state every round). */
export async function settleTables(scratch: ParityScratch, table: DataTableConfig): Promise<[number, number]> {
  const count = (url: string, name: string) =>
    withClient(url, async (client) => {
      await client.query(`VACUUM ANALYZE "${name}"`);
      const result = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${name}"`);
      return Number(result.rows[0]?.n ?? 0);
    });
  return [await count(scratch.legacyUrl, table.source), await count(scratch.serviceUrl, table.target)];
}
