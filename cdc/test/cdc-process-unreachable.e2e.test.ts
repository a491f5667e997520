import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "pg";
import { freeLoopbackPort } from "../../stack/src/testing/unleash-test-process";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { dropSlot } from "../src/embedded-source/source-setup";
import { cdcSlotName } from "../src/stream/cdc-stream";
import { type CdcProcess, startCdcProcess, uniqueServiceName, writeMigrationConfig } from "./support/cdc-process";
import { connect, dropReplicationOrigin, eventually, insertUsers } from "./support/embedded-source-fixture";
import { type TcpForwarder, createTcpForwarder } from "./support/tcp-forwarder";

// The CDC process when the monolith's PostgreSQL is unreachable: at start (nothing listens on the
// port yet), while streaming (its walsender terminated), and during an outage (the forwarder in
// front of the real server stops and cuts every connection). It retries and never exits.
const SERVICE = uniqueServiceName("rt");
const SLOT = cdcSlotName(SERVICE);
const ORIGIN = `strangler_sink_monolith_to_${SERVICE.replace(/[^A-Za-z0-9_]/g, "_")}`;
/** Never sent: the test server trusts local connections; it must not show up in the output either. */
const PASSWORD = "s3cret-do-not-log";

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let dir: string;
let forwarder: TcpForwarder | undefined;
let cdc: CdcProcess | undefined;

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
  dir = mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-unreachable-"));
});

afterAll(async () => {
  await cdc?.kill9();
  await forwarder?.stop();
  await dropSlot(monolithClient, SLOT);
  await monolithClient.query(`DROP PUBLICATION IF EXISTS ${SLOT}`);
  await dropReplicationOrigin(serviceClient, ORIGIN);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function readyz(base: string): Promise<number> {
  return (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) })).status;
}

async function arrives(id: string): Promise<boolean> {
  return (await serviceClient.query("SELECT 1 FROM user_profiles WHERE user_id = $1", [id])).rowCount === 1;
}

test("an unreachable source database at start, a terminated walsender, a terminated sink connection and an outage while streaming: the process retries with a backoff, stays up, not ready meanwhile, names the database without its password", async () => {
  const config = path.join(dir, "strangler.config.yaml");
  writeMigrationConfig(config, SERVICE, false);
  const real = new URL(monolith.url);
  const port = await freeLoopbackPort();
  forwarder = createTcpForwarder(port, { host: real.hostname, port: Number(real.port) });
  const viaForwarder = new URL(monolith.url);
  viaForwarder.port = String(port);
  viaForwarder.password = PASSWORD;
  const redacted = `postgresql://postgres:***@127.0.0.1:${port}${real.pathname}`;

  const process_ = await startCdcProcess({ config, monolithUrl: viaForwarder.toString(), serviceUrl: service.url });
  cdc = process_;
  // 1. Nothing listens: the start is retried (and logged), the process stays up and not ready.
  await eventually(
    "two start attempts logged",
    async () => (process_.output().match(/could not start/g) ?? []).length >= 2,
    20_000,
  );
  expect(process_.output()).toContain(`cannot connect to the source database ${redacted}`);
  expect(process_.output()).toMatch(/"retryInMs":1000/);
  expect(await readyz(process_.base)).toBe(503);
  expect((await fetch(`${process_.base}/healthz`)).status).toBe(200);
  const waiting = (await process_.status())?.streams[0];
  expect(waiting).toMatchObject({ phase: "stopped" });
  expect(waiting?.lastError).toContain(redacted);

  // PostgreSQL becomes reachable: the next attempt snapshots and streams.
  await insertUsers(monolithClient, 5, "seed");
  await forwarder.start();
  await process_.waitReady(60_000);
  await eventually(
    "the retried start logged",
    async () => process_.output().includes("cdc stream started after retrying"),
    5_000,
  );
  const [first] = await insertUsers(monolithClient, 1, "after-start");
  await eventually("a write after the start arrives", () => arrives(String(first)), 15_000);

  // 2. The server ends the replication connection (pg_terminate_backend of the slot's walsender).
  const walsender = await monolithClient.query<{ pid: number }>(
    "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1 AND active",
    [SLOT],
  );
  expect(walsender.rows).toHaveLength(1);
  await monolithClient.query("SELECT pg_terminate_backend($1)", [walsender.rows[0]?.pid]);
  const [second] = await insertUsers(monolithClient, 1, "after-terminate");
  await eventually("a write after the terminated walsender arrives", () => arrives(String(second)), 20_000);
  await eventually(
    "the re-opened stream logged",
    async () => process_.output().includes(`replication stream from ${redacted} failed, re-opening`),
    5_000,
  );

  // The sink's connection to the service database is terminated: the next batch fails, is retried.
  const sinks = await serviceClient.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'strangler-sink-%'",
  );
  expect(sinks.rows.length).toBeGreaterThan(0);
  for (const { pid } of sinks.rows) await serviceClient.query("SELECT pg_terminate_backend($1)", [pid]);
  const [afterSink] = await insertUsers(monolithClient, 1, "after-sink-terminated");
  await eventually("a write after the terminated sink connection arrives", () => arrives(String(afterSink)), 30_000);

  // 3. An outage while streaming: reconnecting (not ready) until the database is back.
  await forwarder.stop();
  await eventually(
    "the stream reports reconnecting",
    async () => (await process_.status())?.streams[0]?.phase === "reconnecting",
    15_000,
  );
  expect(await readyz(process_.base)).toBe(503);
  const [third] = await insertUsers(monolithClient, 1, "during-outage");
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(await arrives(String(third))).toBe(false);
  await forwarder.start();
  await process_.waitReady(60_000);
  await eventually("the write made during the outage arrives", () => arrives(String(third)), 30_000);

  expect(process_.child.exitCode).toBeNull();
  expect(process_.output()).not.toContain(PASSWORD);
  // SIGTERM while the source is unreachable still stops cleanly.
  await forwarder.stop();
  await eventually(
    "reconnecting again",
    async () => (await process_.status())?.streams[0]?.phase === "reconnecting",
    15_000,
  );
  expect(await process_.terminate()).toBe(0);
  expect(process_.output()).toContain("stopped without waiting for the slot's release");
}, 180_000);

test("a failure that does not pass on its own (the source table is missing) still ends the process, with the reason", async () => {
  const config = path.join(dir, "strangler.missing-table.config.yaml");
  const name = uniqueServiceName("mt");
  writeMigrationConfig(config, name, false);
  // The service database has no `users` table: as the monolith, it fails the catalog check at start (ADR 0012).
  const broken = await startCdcProcess({ config, monolithUrl: service.url, serviceUrl: service.url });
  try {
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      broken.exited,
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve("still running after 30 s"), 30_000))),
    ]);
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(broken.output()).toContain(`cdc stream monolith-to-${name} failed to start`);
    expect(broken.output()).toMatch(
      /services\[0\]\.data\.tables\[0\]\.source: no table \\"users\\" in the legacy database/,
    );
    expect(broken.output()).not.toContain("could not start");
  } finally {
    await broken.kill9();
    await dropSlot(serviceClient, cdcSlotName(name));
  }
}, 60_000);
