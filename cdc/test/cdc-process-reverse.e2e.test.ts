import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { slotExists } from "../src/embedded-source/source-setup";
import { cdcReverseSlotName, cdcSlotName } from "../src/stream/cdc-stream";
import { type CdcProcess, startCdcProcess, uniqueServiceName, writeMigrationConfig } from "./support/cdc-process";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
} from "./support/embedded-source-fixture";

// The reverse stream through the CDC process (cdc/src/main.ts, as the stack's `cdc` component runs
// it) with `reverse: true`: writes cross in both directions exactly once and do not echo; with
// reverse turned off again, the slot left behind is reported on the log and /status.
const SERVICE = uniqueServiceName("rev");
const SLOTS = { forward: cdcSlotName(SERVICE), reverse: cdcReverseSlotName(SERVICE) };
const suffix = SERVICE.replace(/[^A-Za-z0-9_]/g, "_");
const ORIGINS = [`strangler_sink_monolith_to_${suffix}`, `strangler_sink_${suffix}_to_monolith`];
/** How long a row is watched for further events after its single write (the issue: 10 s). */
const WATCH_MS = 10_000;

let monolith: TestDatabase;
let service: TestDatabase;
let monolithClient: Client;
let serviceClient: Client;
let dir: string;
const processes: CdcProcess[] = [];

beforeAll(async () => {
  [monolith, service] = await Promise.all([createTestDatabase("monolith"), createTestDatabase("users_service")]);
  [monolithClient, serviceClient] = await Promise.all([connect(monolith.url), connect(service.url)]);
  dir = mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-reverse-"));
});

afterAll(async () => {
  await Promise.all(processes.map((cdc) => cdc.kill9()));
  await dropSlotsWithPublications(monolithClient, [SLOTS.forward]);
  await dropSlotsWithPublications(serviceClient, [SLOTS.reverse]);
  for (const origin of ORIGINS) await dropReplicationOrigin(serviceClient, origin);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Events each stream applied since it started, from /status. */
async function applied(cdc: CdcProcess): Promise<Record<string, number>> {
  const status = await cdc.status();
  return Object.fromEntries((status?.streams ?? []).map((stream) => [stream.direction, stream.applied]));
}

/** Waits until the applied counters have not moved for `quietMs`. */
async function quiet(cdc: CdcProcess, quietMs = 1_500): Promise<Record<string, number>> {
  let last = JSON.stringify(await applied(cdc));
  let since = Date.now();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = JSON.stringify(await applied(cdc));
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) return JSON.parse(now) as Record<string, number>;
    if (Date.now() > deadline) throw new Error(`the streams did not go quiet: ${now}`);
  }
}

test("with reverse: true the process carries a service write to the monolith and a monolith write to the service, each once, with no echo over 10 s", async () => {
  const config = path.join(dir, "strangler.config.yaml");
  writeMigrationConfig(config, SERVICE, true);
  const cdc = await startCdcProcess({ config, monolithUrl: monolith.url, serviceUrl: service.url });
  processes.push(cdc);
  await cdc.waitReady();
  expect((await cdc.status())?.streams.map((s) => [s.direction, s.phase])).toEqual([
    [`monolith-to-${SERVICE}`, "streaming"],
    [`${SERVICE}-to-monolith`, "streaming"],
  ]);
  const before = await quiet(cdc);

  // One write on each side, then watch both streams for WATCH_MS.
  const fromService = randomUUID();
  const fromMonolith = randomUUID();
  await serviceClient.query(
    "INSERT INTO user_profiles (user_id, email_address, first_name, last_name, updated_at) VALUES ($1, $2, 'Grace', 'Hopper', now())",
    [fromService, `g-${fromService}@example.test`],
  );
  await monolithClient.query(
    "INSERT INTO users (id, email, name, created_at, updated_at) VALUES ($1, $2, 'Alan Turing', now(), now())",
    [fromMonolith, `a-${fromMonolith}@example.test`],
  );
  await eventually(
    "the service's write in the monolith",
    async () =>
      (await monolithClient.query("SELECT 1 FROM users WHERE id = $1 AND name = 'Grace Hopper'", [fromService]))
        .rowCount === 1,
    15_000,
  );
  await eventually(
    "the monolith's write in the service",
    async () =>
      (
        await serviceClient.query(
          "SELECT 1 FROM user_profiles WHERE user_id = $1 AND first_name = 'Alan' AND last_name = 'Turing'",
          [fromMonolith],
        )
      ).rowCount === 1,
    15_000,
  );
  await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  const after = await applied(cdc);
  // Exactly one event per direction: the write itself; the copy the sink made is not streamed back.
  expect({
    forward: (after[`monolith-to-${SERVICE}`] ?? 0) - (before[`monolith-to-${SERVICE}`] ?? 0),
    reverse: (after[`${SERVICE}-to-monolith`] ?? 0) - (before[`${SERVICE}-to-monolith`] ?? 0),
  }).toEqual({
    forward: 1,
    reverse: 1,
  });
  expect(await cdc.terminate()).toBe(0);
}, 120_000);

test("with reverse turned off again, the reverse slot left behind is a warning on the log and /status", async () => {
  const config = path.join(dir, "strangler.config.yaml");
  writeMigrationConfig(config, SERVICE, false);
  expect(await slotExists(serviceClient, SLOTS.reverse)).toBe(true);
  const cdc = await startCdcProcess({ config, monolithUrl: monolith.url, serviceUrl: service.url });
  processes.push(cdc);
  await cdc.waitReady();
  await eventually("the warning on /status", async () => ((await cdc.status())?.warnings.length ?? 0) > 0, 15_000);
  const [warning] = (await cdc.status())?.warnings ?? [];
  expect(warning).toContain(
    `the reverse stream of ${SERVICE} is off (data.reverse: false), but its replication slot ${SLOTS.reverse}`,
  );
  expect(warning).toContain(`SELECT pg_drop_replication_slot('${SLOTS.reverse}')`);
  await eventually("the warning on the log", async () => cdc.output().includes(`"slot":"${SLOTS.reverse}"`), 5_000);
  expect((await cdc.status())?.streams.map((s) => s.direction)).toEqual([`monolith-to-${SERVICE}`]);
  // The process reports it and leaves the slot alone: dropping it is the operator's decision.
  expect(await slotExists(serviceClient, SLOTS.reverse)).toBe(true);
  expect(await cdc.terminate()).toBe(0);
}, 120_000);
