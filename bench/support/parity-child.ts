// One measured process of bench:parity, so its peak RSS is its own (process.resourceUsage().maxRSS):
//   parity-child.ts raw <config>        (a) both tables read in key order with the parity run's own
//                                       SELECTs, server-side cursors and fetch size; nothing compared
//   parity-child.ts cli <strangler args> (b)–(e) `strangler parity data …` (the CLI's own code)
//   parity-child.ts idle                 loads the CLI's modules and exits: the RSS floor
// It runs as bin/strangler.cjs runs the CLI: TypeScript through tsx's require hook (--require tsx/cjs).
// The databases come from the config's ${VAR} values in the environment. Last line on stdout: JSON
// {kind, ms, maxRssKb, …}; the CLI's own --json report is the line before it.
import { KEEP_TEXT_TYPES } from "@strangler/cdc";
import { loadMigrationConfig } from "@strangler/migration-config";
import type pg from "pg";
import { runStranglerCli } from "../../migration-plan/src/cli/run-strangler-cli";
import { PARITY_FETCH_SIZE } from "../../migration-plan/src/defaults";
import { parityServices, planServiceTables } from "../../migration-plan/src/parity/data/service-tables";
import { openParityConnection, scanSql } from "../../migration-plan/src/parity/data/side-reader";

const SERVICE = "users-service";

/** Reads both sides to the end, a FETCH of each side at a time, both in flight together. */
async function rawScan(configPath: string): Promise<{ rows: [number, number] }> {
  const config = loadMigrationConfig(configPath);
  const [entry] = parityServices(config, [SERVICE]);
  if (!entry) throw new Error(`no service ${SERVICE} with data in ${configPath}`);
  const legacyUrl = config.legacy.database as string;
  const serviceUrl = entry.service.data?.database as string;
  const legacy = await openParityConnection(legacyUrl, "legacy");
  const service = await openParityConnection(serviceUrl, "service");
  try {
    const [plan] = await planServiceTables(config, entry, { legacy, service });
    if (!plan) throw new Error(`${SERVICE} maps no table`);
    const scan = async (client: pg.Client, side: "legacy" | "service"): Promise<number> => {
      const { text, values } = scanSql({
        tableSql: side === "legacy" ? plan.legacySql : plan.serviceSql,
        select: side === "legacy" ? plan.legacySelect : plan.serviceSelect,
        order: side === "legacy" ? plan.legacyOrder : plan.serviceOrder,
        kinds: plan.keyKinds,
        after: null,
      });
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await client.query(`DECLARE bench_raw NO SCROLL CURSOR FOR ${text}`, values);
      const fetch = { text: `FETCH ${PARITY_FETCH_SIZE} FROM bench_raw`, rowMode: "array", types: KEEP_TEXT_TYPES };
      let rows = 0;
      for (;;) {
        const batch = await client.query<string[]>(fetch);
        if (batch.rows.length === 0) break;
        rows += batch.rows.length;
      }
      await client.query("ROLLBACK");
      return rows;
    };
    const rows = await Promise.all([scan(legacy, "legacy"), scan(service, "service")]);
    return { rows };
  } finally {
    await Promise.all([legacy.end().catch(() => undefined), service.end().catch(() => undefined)]);
  }
}

async function main(): Promise<void> {
  const [kind, ...args] = process.argv.slice(2);
  const started = performance.now();
  let extra: Record<string, unknown>;
  if (kind === "raw") {
    extra = await rawScan(args[0] as string);
  } else if (kind === "cli" || kind === "idle") {
    extra = kind === "cli" ? { exitCode: await runStranglerCli(args) } : {};
  } else throw new Error(`usage: parity-child.ts raw <config> | cli <strangler args…> | idle`);
  const ms = performance.now() - started;
  process.stdout.write(
    `\n${JSON.stringify({ kind, ms: Math.round(ms), maxRssKb: process.resourceUsage().maxRSS, ...extra })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`parity-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
