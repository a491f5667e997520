import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "pg";
import { type TestDatabase, createTestDatabase } from "../../stack/src/testing/test-database";
import type { ChangeEvent } from "../src/envelope/debezium-envelope";
import { dropSlot, waitForSlotRelease } from "../src/embedded-source/source-setup";
import {
  connect,
  eventually,
  foldByKey,
  insertUsers,
  sourceUsers,
  uniqueName,
} from "./support/embedded-source-fixture";

const CHILD = join(__dirname, "support/embedded-source-child.ts");
const slotName = uniqueName("strangler_test_slot");
const publicationName = uniqueName("strangler_test_pub");

let db: TestDatabase;
let client: Client;
let dir: string;
let outFile: string;
const children: ChildProcess[] = [];

function startChild(): ChildProcess {
  // `node --import tsx` runs the script in this one process, so kill -9 hits the source itself.
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, db.url, slotName, publicationName, outFile], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function recorded(): ChangeEvent[] {
  if (!existsSync(outFile)) return [];
  return readFileSync(outFile, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ChangeEvent);
}

beforeAll(async () => {
  db = await createTestDatabase("monolith");
  client = await connect(db.url);
  dir = mkdtempSync(join(tmpdir(), "embedded-source-crash-"));
  outFile = join(dir, "events.jsonl");
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(children.map(exited));
  await dropSlot(client, slotName);
  await client.end();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

test("kill -9 in the middle of a write load, then restart: the end state equals the source key by key", async () => {
  await insertUsers(client, 40, "seed");
  const first = startChild();
  await eventually("snapshot recorded", async () => recorded().filter((e) => e.op === "r").length === 40, 30_000);

  const writer = await connect(db.url);
  let writing = true;
  const load = (async () => {
    for (let round = 0; writing; round += 1) {
      await writer.query("UPDATE users SET name = $1 WHERE id = (SELECT id FROM users ORDER BY random() LIMIT 1)", [
        `round ${round}`,
      ]);
      if (round % 3 === 0) await insertUsers(writer, 1, `load-${round}`);
      if (round % 11 === 0)
        await writer.query("DELETE FROM users WHERE id = (SELECT id FROM users ORDER BY random() LIMIT 1)");
    }
  })();
  await eventually("changes streaming", async () => recorded().some((e) => e.op !== "r"), 30_000);
  first.kill("SIGKILL");
  await exited(first);
  // The walsender notices the dead connection and releases the slot.
  await waitForSlotRelease(client, slotName);
  const second = startChild();
  await new Promise((resolve) => setTimeout(resolve, 500));
  writing = false;
  await load;
  await writer.end();

  const expected = await sourceUsers(client);
  await eventually(
    "end state equal to the source",
    async () => JSON.stringify([...foldByKey(recorded())].sort()) === JSON.stringify([...expected].sort()),
    30_000,
  );
  expect(foldByKey(recorded())).toEqual(expected);
  // No second snapshot: the first one completed before the crash.
  expect(recorded().filter((e) => e.op === "r").length).toBe(40);

  second.kill("SIGTERM");
  expect(await exited(second)).toBe(0);
  const slot = await client.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [
    slotName,
  ]);
  expect(slot.rows).toEqual([{ active: false }]);
});
