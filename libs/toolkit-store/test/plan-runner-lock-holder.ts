// A plan runner in a process of its own for pg-plan-store.e2e.test.ts: takes the runner lock, says
// "holding" on stdout and keeps it until killed.
import pino from "pino";
import { createPgPlanStore } from "../src";

const url = process.env.PLAN_STORE_URL;
if (url === undefined) throw new Error("PLAN_STORE_URL is not set");
const store = createPgPlanStore(url, { logger: pino({ level: "silent" }) });
void store.withRunnerLock(async () => {
  process.stdout.write("holding\n");
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
});
