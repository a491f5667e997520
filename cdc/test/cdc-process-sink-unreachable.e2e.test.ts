import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "pg";
import { freeLoopbackPort } from "../../stack/src/testing/unleash-test-process";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import { cdcSlotName } from "../src/stream/cdc-stream";
import { type CdcProcess, startCdcProcess, uniqueServiceName, writeMigrationConfig } from "./support/cdc-process";
import {
  connect,
  dropReplicationOrigin,
  dropSlotsWithPublications,
  eventually,
  insertUsers,
} from "./support/embedded-source-fixture";
import { type TcpForwarder, createTcpForwarder } from "./support/tcp-forwarder";

// Issue 9, finding 5: with the sink's database unreachable, the embedded stream reopened every
// 1.1–1.4 s (a reopen counted as progress) and /status showed no lastError. Here the service database
// sits behind a TCP forwarder the test closes: the reopen waits must double (1 s, 2 s, 4 s, …), the
// stream must stay `reconnecting` with lastError naming the sink database, and only a batch the sink
// commits again starts the waits over.
const SERVICE = uniqueServiceName("sk");
const SLOT = cdcSlotName(SERVICE);
const ORIGIN = `strangler_sink_monolith_to_${SERVICE.replace(/[^A-Za-z0-9_]/g, "_")}`;
/** Never sent (the test server trusts local connections); it must not show up in the output. */
const PASSWORD = "s3cret-sink-do-not-log";

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
  dir = mkdtempSync(path.join(os.tmpdir(), "strangler-cdc-sink-unreachable-"));
});

afterAll(async () => {
  await cdc?.kill9();
  await forwarder?.stop();
  await dropSlotsWithPublications(monolithClient, [SLOT]);
  await dropReplicationOrigin(serviceClient, ORIGIN);
  await Promise.all([monolithClient.end(), serviceClient.end()]);
  await Promise.all([monolith.drop(), service.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Reopen {
  time: number;
  retryInMs: number;
}

/** The stream's reopens after a sink failure, from the process's pino log, in order. */
function sinkReopens(output: string): Reopen[] {
  return output
    .split("\n")
    .filter((line) => line.includes("embedded source: the sink failed"))
    .map((line) => JSON.parse(line) as { time: number; retryInMs: number })
    .map(({ time, retryInMs }) => ({ time, retryInMs }));
}

async function arrives(id: string): Promise<boolean> {
  return (await serviceClient.query("SELECT 1 FROM user_profiles WHERE user_id = $1", [id])).rowCount === 1;
}

test("while the sink database is unreachable the reopen wait doubles, /status says reconnecting with the sink database as lastError, and a committed batch starts the waits over", async () => {
  const config = path.join(dir, "strangler.config.yaml");
  writeMigrationConfig(config, SERVICE, false);
  const real = new URL(service.url);
  const port = await freeLoopbackPort();
  forwarder = createTcpForwarder(port, { host: real.hostname, port: Number(real.port) });
  await forwarder.start();
  const viaForwarder = new URL(service.url);
  viaForwarder.port = String(port);
  viaForwarder.password = PASSWORD;
  const sinkDatabase = `postgresql://postgres:***@127.0.0.1:${port}${real.pathname}`;

  const process_ = await startCdcProcess({ config, monolithUrl: monolith.url, serviceUrl: viaForwarder.toString() });
  cdc = process_;
  await process_.waitReady(60_000);
  const [before] = await insertUsers(monolithClient, 1, "before");
  await eventually("a write before the outage arrives", () => arrives(String(before)), 15_000);

  // The sink's database goes away; the next change cannot be written.
  await forwarder.stop();
  const [during] = await insertUsers(monolithClient, 1, "during");
  await eventually(
    "the first reopen after the sink failed",
    async () => sinkReopens(process_.output()).length >= 1,
    15_000,
  );
  // Until the fourth failure (after waits of 1 + 2 + 4 s), every look at /status finds the stream
  // reconnecting because of the sink database, never `streaming` between two reopens.
  const samples: Array<{ phase?: string; lastError?: string }> = [];
  await eventually(
    "four reopens after the sink failed",
    async () => {
      const stream = (await process_.status())?.streams[0];
      samples.push({ phase: stream?.phase, lastError: stream?.lastError });
      return sinkReopens(process_.output()).length >= 4;
    },
    60_000,
  );
  expect(samples.length).toBeGreaterThan(5);
  for (const sample of samples) {
    expect(sample.phase).toBe("reconnecting");
    expect(sample.lastError).toContain(`could not write to the target database ${sinkDatabase}`);
  }
  expect(await process_.ready()).toBe(false);
  const reopens = sinkReopens(process_.output()).slice(0, 4);
  expect(reopens.map((reopen) => reopen.retryInMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
  // Each reopen really waited its delay before failing again: the gaps grow with it.
  for (let i = 1; i < reopens.length; i += 1) {
    expect((reopens[i]?.time ?? 0) - (reopens[i - 1]?.time ?? 0)).toBeGreaterThanOrEqual(
      reopens[i - 1]?.retryInMs ?? 0,
    );
  }
  expect(await arrives(String(during))).toBe(false);

  // The sink's database is back: the change arrives, the stream streams, lastError is gone.
  await forwarder.start();
  await eventually("the change made during the outage arrives", () => arrives(String(during)), 60_000);
  await process_.waitReady(15_000);
  const recovered = (await process_.status())?.streams[0];
  expect(recovered?.phase).toBe("streaming");
  expect(recovered?.lastError).toBeUndefined();
  expect(process_.output()).toContain("the reopened stream makes progress again");

  // That commit started the waits over: the next outage waits 1 s first again.
  const seen = sinkReopens(process_.output()).length;
  await forwarder.stop();
  const [again] = await insertUsers(monolithClient, 1, "again");
  await eventually(
    "a reopen after the second outage",
    async () => sinkReopens(process_.output()).length > seen,
    15_000,
  );
  expect(sinkReopens(process_.output())[seen]?.retryInMs).toBe(1_000);
  await forwarder.start();
  await eventually("the change made during the second outage arrives", () => arrives(String(again)), 60_000);

  expect(process_.output()).not.toContain(PASSWORD);
  expect(await process_.terminate()).toBe(0);
}, 180_000);
