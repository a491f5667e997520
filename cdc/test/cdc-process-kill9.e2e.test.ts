import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type DataTableConfig, loadMigrationConfig } from "@strangler/migration-config";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { dropSlot, readConfirmedLsn, waitForSlotRelease } from "../src/embedded-source/source-setup";
import { cdcSlotName, forwardDirection } from "../src/stream/cdc-stream";
import { type CdcProcess, startCdcProcess, uniqueServiceName, writeMigrationConfig } from "./support/cdc-process";
import { connect, dropReplicationOrigin, eventually, insertUsers } from "./support/embedded-source-fixture";
import { mappedDifferences, metricValue, rowPositions } from "./support/mapped-compare";

// The real CDC process (cdc/src/main.ts) under a steady write load on monolith.users, killed with
// SIGKILL (its whole process group) in the middle, restarted at once: nothing lost, replays skipped.
const SERVICE = uniqueServiceName("k9");
const SLOT = cdcSlotName(SERVICE);
const ORIGIN = `strangler_sink_monolith_to_${SERVICE.replace(/[^A-Za-z0-9_]/g, "_")}`;
/**
 * The load (inserts, updates, deletes) runs until the test stops it, after the last restart, so the
 * kills always land in the middle of it however fast the machine is; the first kill comes after
 * KILL_AFTER writes. MAX_LOAD_WRITES and MAX_LOAD_MS only bound a test that went wrong.
 */
const KILL_AFTER = 400;
const MAX_LOAD_WRITES = 50_000;
const MAX_LOAD_MS = 150_000;
/** Writes the load still makes once the last process is ready, so that one streams live changes too. */
const WRITES_AFTER_LAST_START = 100;
const SEED_USERS = 150;
const WRITE_PAUSE_MS = 5;
/** Updates of every row but the sentinel in the one bulk transaction (≈ BULK_ROUNDS × 300 events, well over a batch of 500). */
const BULK_ROUNDS = 10;

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let dir: string;
let table: DataTableConfig;
const processes: CdcProcess[] = [];

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
  dir = mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-kill9-"));
});

afterAll(async () => {
  await Promise.all(processes.map((cdc) => cdc.kill9()));
  await dropSlot(monolithClient, SLOT);
  await monolithClient.query(`DROP PUBLICATION IF EXISTS ${SLOT}`);
  await dropReplicationOrigin(serviceClient, ORIGIN);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Rows of the target whose sink position lies past the slot's acknowledged position. */
async function rowsPastAcknowledged(): Promise<number> {
  const confirmed = await readConfirmedLsn(monolithClient, SLOT);
  if (confirmed === null) return 0;
  const result = await serviceClient.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM strangler_cdc.row_positions WHERE lsn > $1",
    [confirmed],
  );
  return result.rows[0]?.n ?? 0;
}

/** Sessions on the service database other than ours (the killed sink's backend lingers a moment). */
async function otherSessions(): Promise<number> {
  const result = await serviceClient.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
  );
  return result.rows[0]?.n ?? 0;
}

test("kill -9 of the CDC process mid-load (twice, the second restart at once): the service table equals the monolith's mapped key by key, replays are skipped, no row moves back", async () => {
  const started = Date.now();
  const config = path.join(dir, "strangler.config.yaml");
  writeMigrationConfig(config, SERVICE, false);
  const migration = loadMigrationConfig(config, {
    STRANGLER_MONOLITH_DATABASE_URL: monolith.url,
    STRANGLER_USERS_SERVICE_DATABASE_URL: service.url,
  });
  const tables = migration.services.find((s) => s.name === SERVICE)?.data?.tables;
  if (!tables?.[0]) throw new Error("no data table in the test config");
  table = tables[0];
  const direction = forwardDirection(migration, SERVICE);
  const run = () => startCdcProcess({ config, monolithUrl: monolith.url, serviceUrl: service.url });

  await insertUsers(monolithClient, SEED_USERS, "seed");
  // A row the load leaves alone and the bulk transaction updates last (see below).
  const [sentinel] = await insertUsers(monolithClient, 1, "sentinel");
  const first = await run();
  processes.push(first);
  await first.waitReady();

  // The load: one writer, running until the test stops it, with the kills in the middle of it.
  const writer = await connect(monolith.url);
  let done = 0;
  let loading = true;
  let loadEnd: "running" | "stopped by the test" | "hit its bounds" = "running";
  const loadDeadline = Date.now() + MAX_LOAD_MS;
  const load = (async () => {
    for (let i = 0; loading; i += 1, done += 1) {
      if (i >= MAX_LOAD_WRITES || Date.now() > loadDeadline) {
        loadEnd = "hit its bounds";
        return;
      }
      if (i % 3 === 0) await insertUsers(writer, 1, `load-${i}`);
      else if (i % 11 === 0)
        await writer.query(
          "DELETE FROM users WHERE id = (SELECT id FROM users WHERE id <> $1 ORDER BY random() LIMIT 1)",
          [sentinel],
        );
      // clock_timestamp(), not now(): the config's newerBy: updated_at keeps the later updated_at, and
      // now() (the transaction's start) of an update that waited for the bulk's row lock is older than
      // the bulk's values although it commits after them (the guard would rightly keep the bulk's).
      else
        await writer.query(
          "UPDATE users SET name = $1, updated_at = clock_timestamp() WHERE id = (SELECT id FROM users WHERE id <> $2 ORDER BY random() LIMIT 1)",
          [`Round ${i}`, sentinel],
        );
      // Steady, not flat out: the load must still run when the restarted process comes up.
      await new Promise((resolve) => setTimeout(resolve, WRITE_PAUSE_MS));
    }
    loadEnd = "stopped by the test";
  })();
  // One bulk transaction in the middle (BULK_ROUNDS updates of every other row, then the sentinel):
  // the sink applies it in several batches, but the slot is acknowledged only at its commit. The
  // test holds the sentinel's row lock in the service database, so the sink stops at the batch with
  // the sentinel, and the kill finds the bulk half applied: committed rows past the acknowledged
  // position, which the restart re-delivers.
  const bulk = await connect(monolith.url);
  let bulkDone: Promise<unknown> = Promise.resolve();
  let locking = false;
  try {
    await eventually(
      "the load is under way and streaming",
      async () => done >= KILL_AFTER && ((await first.status())?.streams[0]?.applied ?? 0) > 0,
      60_000,
    );
    await eventually(
      "the sentinel in the service",
      async () =>
        (await serviceClient.query("SELECT 1 FROM user_profiles WHERE user_id = $1", [sentinel])).rowCount === 1,
      15_000,
    );
    await serviceClient.query("BEGIN");
    locking = true;
    await serviceClient.query("SELECT 1 FROM user_profiles WHERE user_id = $1 FOR UPDATE", [sentinel]);
    bulkDone = (async () => {
      await bulk.query("BEGIN");
      for (let round = 1; round <= BULK_ROUNDS; round += 1)
        await bulk.query("UPDATE users SET name = name || $1, updated_at = clock_timestamp() WHERE id <> $2", [
          ` b${round}`,
          sentinel,
        ]);
      await bulk.query("UPDATE users SET name = 'Sentinel, last', updated_at = clock_timestamp() WHERE id = $1", [
        sentinel,
      ]);
      await bulk.query("COMMIT");
    })();
    await bulkDone;
    await eventually(
      "part of the bulk transaction applied, not yet acknowledged",
      async () => (await rowsPastAcknowledged()) > 0,
      30_000,
    );
    await first.kill9();
    const killedAt = done;
    const loadAtFirstKill = loadEnd;
    await serviceClient.query("ROLLBACK");
    locking = false;

    // What the dead process left: its sink's committed rows and the slot's acknowledged position.
    await waitForSlotRelease(monolithClient, SLOT);
    await eventually("the killed sink's backend is gone", async () => (await otherSessions()) === 0, 10_000);
    const atKill = await rowPositions(serviceClient, table.target);
    const confirmedAtKill = await readConfirmedLsn(monolithClient, SLOT);
    if (confirmedAtKill === null) throw new Error(`slot ${SLOT} is gone`);
    // Rows whose last applied change lies past the acknowledged position: that change is re-delivered.
    const replayedRows = [...atKill.values()].filter((lsn) => lsn > BigInt(confirmedAtKill)).length;
    expect(replayedRows).toBeGreaterThan(0);

    const second = await run();
    processes.push(second);
    await second.waitReady();
    // Replays harmless (1): every re-delivered change the dead process had applied is skipped.
    const skippedReplays = async () =>
      metricValue(await (await fetch(`${second.base}/metrics`)).text(), "strangler_cdc_skipped_events_total", {
        direction,
        reason: "not_newer",
      });
    let skipped = 0;
    await eventually(
      `the ${replayedRows} re-delivered changes skipped`,
      async () => (skipped = await skippedReplays()) >= replayedRows,
      30_000,
    );
    expect((await second.status())?.streams[0]).toMatchObject({ direction, phase: "streaming", deadLettered: 0 });

    // A second kill -9, restarted at once: the new process waits for the old walsender to let go of the slot.
    await second.kill9();
    const secondKillAt = done;
    const loadAtSecondKill = loadEnd;
    const third = await run();
    processes.push(third);
    await third.waitReady();
    const thirdReadyAt = done;
    await eventually(
      "the load goes on while the last process streams",
      async () => loadEnd !== "running" || done >= thirdReadyAt + WRITES_AFTER_LAST_START,
      60_000,
    );
    loading = false;
    await load;
    await writer.end();
    // Both kills landed in the middle of the load.
    expect({ loadAtFirstKill, loadAtSecondKill, loadEnd }).toEqual({
      loadAtFirstKill: "running",
      loadAtSecondKill: "running",
      loadEnd: "stopped by the test",
    });
    expect(done).toBeGreaterThan(secondKillAt);

    let diff: string[] = [];
    await eventually(
      "the service table equals the monolith's, mapped",
      async () => (diff = await mappedDifferences(table, monolithClient, serviceClient)).length === 0,
      60_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}\n${diff.slice(0, 20).join("\n")}\nrestarted process:\n${third.output().slice(-4000)}`,
      );
    });
    expect(await mappedDifferences(table, monolithClient, serviceClient)).toEqual([]);
    const count = await monolithClient.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
    expect(count.rows[0]?.n).toBeGreaterThan(SEED_USERS);

    // Replays harmless (2): no row's position went back.
    const after = await rowPositions(serviceClient, table.target);
    const movedBack = [...atKill].filter(([key, lsn]) => (after.get(key) ?? -1n) < lsn).map(([key]) => key);
    expect(movedBack).toEqual([]);
    expect((await third.status())?.streams[0]).toMatchObject({ direction, phase: "streaming", deadLettered: 0 });
    // No second snapshot: the restarted processes streamed from the slot.
    expect(second.output() + third.output()).not.toContain("taking the snapshot");
    expect(await third.terminate()).toBe(0);
    process.stdout.write(
      `kill -9 e2e: ${done} writes, killed after ${killedAt} and ${secondKillAt}; ${replayedRows} rows past the acknowledged position at the first kill, ${skipped} re-delivered events skipped; ${count.rows[0]?.n} users; ${Date.now() - started} ms\n`,
    );
  } finally {
    loading = false;
    if (locking) await serviceClient.query("ROLLBACK").catch(() => undefined);
    await Promise.allSettled([load, bulkDone]);
    await Promise.allSettled([writer.end(), bulk.end()]);
  }
}, 180_000);
