import { spawn } from "node:child_process";
import path from "node:path";
import { Client } from "pg";
import pino from "pino";
import { createEmptyTestDatabase, type TestDatabase } from "../../../stack/src/testing/test-database";
import { createPgPlanStore, PLAN_RUNNER_LOCK, PLAN_SCHEMA, ToolkitStoreError, type PlanStore } from "../src";
import { auditRecord, nextState, uniqueService } from "./plan-fixtures";
import { describePlanStore } from "./plan-store-contract";

const logger = pino({ level: "silent" });
const REPO_ROOT = path.resolve(__dirname, "../../..");
let db: TestDatabase;
let admin: Client;
const stores: PlanStore[] = [];
const openStore = () => {
  const store = createPgPlanStore(db.url, { logger });
  stores.push(store);
  return store;
};

beforeAll(async () => {
  db = await createEmptyTestDatabase("toolkit_plan");
  admin = new Client({ connectionString: db.url });
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

/** The backend pids holding the plan-runner lock in the test database. */
async function lockHolders(): Promise<number[]> {
  const rows = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND classid = $1::oid AND objid = $2::oid`,
    [(PLAN_RUNNER_LOCK >> 32n).toString(), (PLAN_RUNNER_LOCK & 0xffffffffn).toString()],
  );
  return rows.rows.map((row) => row.pid);
}

describe("the PostgreSQL plan store", () => {
  describePlanStore({
    async open({ now }) {
      return createPgPlanStore(db.url, { logger, now });
    },
  });

  it("creates its schema with the states and audit tables", async () => {
    await openStore().states();
    const tables = await admin.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
      [PLAN_SCHEMA],
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(["audit", "schema_version", "states"]);
  });

  it("names the process holding the runner lock when refusing it", async () => {
    const [a, b] = [openStore(), openStore()];
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const done = a.withRunnerLock(async () => {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await inside;
    const failure = await b.withRunnerLock(async () => undefined).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `another plan runner holds the plan-runner lock \\(backend pid \\d+, application "strangler-plan-runner .* pid ${process.pid}", client `,
      ),
    );
    release();
    await done;
    expect(await lockHolders()).toEqual([]);
  });

  it("releases the runner lock when the process holding it is killed", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "plan-runner-lock-holder.ts")], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", PLAN_STORE_URL: db.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("holding")) resolve();
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.once("exit", (code) => reject(new Error(`the lock holder exited (${code}):\n${output}`)));
      });
      const store = openStore();
      await expect(store.withRunnerLock(async () => "too early")).rejects.toMatchObject({
        code: "TOOLKIT_STORE_LOCKED",
        message: expect.stringContaining(`pid ${child.pid}`),
      });

      child.kill("SIGKILL");
      await exited;
      await expect(store.withRunnerLock(async () => "taken over", { waitMs: 10_000 })).resolves.toBe("taken over");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("releases the runner lock when the holding backend is terminated, and the holder's work still settles", async () => {
    const [a, b] = [openStore(), openStore()];
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const done = a.withRunnerLock(async () => {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return "holder done";
    });
    await inside;
    const [holder] = await lockHolders();
    expect(holder).toEqual(expect.any(Number));
    await admin.query("SELECT pg_terminate_backend($1)", [holder]);

    await expect(b.withRunnerLock(async () => "taken over", { waitMs: 10_000 })).resolves.toBe("taken over");
    release();
    await expect(done).resolves.toBe("holder done");
  });

  it("writes the state and its audit entry together: a failed audit insert leaves the state unmoved", async () => {
    const store = openStore();
    const service = uniqueService();
    const first = await store.transition(service, 0, nextState("prepare"), auditRecord("start"));
    await admin.query(
      `ALTER TABLE ${PLAN_SCHEMA}.audit ADD CONSTRAINT no_refused_action CHECK (action <> 'refused') NOT VALID`,
    );
    try {
      await expect(store.transition(service, 1, nextState("sync"), auditRecord("refused"))).rejects.toMatchObject({
        code: "TOOLKIT_STORE_QUERY_FAILED",
      });
      expect(await store.state(service)).toEqual(first);
      expect((await store.audit({ service })).map((entry) => entry.action)).toEqual(["start"]);
    } finally {
      await admin.query(`ALTER TABLE ${PLAN_SCHEMA}.audit DROP CONSTRAINT no_refused_action`);
    }
  });

  it("fails with a retriable ToolkitStoreError while the database is unreachable", async () => {
    const url = new URL(db.url);
    url.port = "1";
    const store = createPgPlanStore(url.toString(), { logger });
    stores.push(store);
    for (const attempt of [store.states(), store.withRunnerLock(async () => 1)]) {
      const failure = await attempt.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ToolkitStoreError);
      expect(failure).toMatchObject({ code: "TOOLKIT_STORE_UNAVAILABLE", retriable: true });
    }
  });
});
